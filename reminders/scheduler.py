"""APScheduler inside the bot's event loop, with a persistent job store. OWNER: reminders helper.

Contract used by supervision (weekly round) and the bot:
- async start_scheduler(application) -> None   called from reminders' startup hook; stores the scheduler in
  services.extras["scheduler"]
- add_cron_job(application, job_id, func, *, day_of_week=None, day=None, hour, minute) -> None
  `func` is a module-level `async def func(application) -> None`; replace_existing, explicit misfire_grace_time
  and coalesce; times in settings.tz. Safe to call after start_scheduler.
- async stop_scheduler(application) -> None
"""

from __future__ import annotations
