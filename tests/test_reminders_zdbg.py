import time
from tests.test_reminders_bot import _bind, ADMIN_ID, LIU, FrozenClock, datetime
async def test_dbg(fake_api, running_bot, reminder_db, reminder_settings):
    _bind(reminder_db)
    clock = FrozenClock(datetime(2023, 10, 31, 8, 0, tzinfo=reminder_settings.tz))
    await running_bot(reminder_settings, clock=clock, db=reminder_db)
    t=time.monotonic()
    fake_api.push_message(LIU, "/reminders")
    mine = await fake_api.wait_for_message(LIU, contains="今天（2023-10-31）"); print("c0", time.monotonic()-t)
    fake_api.push_message(ADMIN_ID, "/unreachable")
    reply = await fake_api.wait_for_message(ADMIN_ID, contains="暂时无法送达"); print("a", time.monotonic()-t)
    fake_api.push_message(LIU, "/unreachable")
    denied = await fake_api.wait_for_message(LIU, contains="仅管理员"); print("b", time.monotonic()-t)
    fake_api.push_message(LIU, "/reminders")
    mine = await fake_api.wait_for_message(LIU, contains="今天（2023-10-31）"); print("c", time.monotonic()-t)
    print([ (m.get("text") or "")[:50] for m in fake_api.outbox])
