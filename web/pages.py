"""What each page shows, read through the same services the bot uses (database work in a thread)."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.handlers.status import MAX_NOTE
from bot.services import Services
from bot.texts_learning import DECISION_LABELS
from indexer import learning
from knowledge.model import Plan
from knowledge.qa.learning import group_misses, question_key, week_start
from planbot.errors import PlanbotError, UsageError
from planbot.render import Html, join
from planbot.settings import Settings
from reminders.store import PENDING, SENT, UNDELIVERED
from supervision import service, store
from supervision.periods import KIND_WORDS, parse_period
from supervision.reports import MONTHLY, QUARTERLY, WEEKLY, Report
from supervision.rounds import CODE_OF, STATUS_CODES, STATUSES, parse_round_key, round_for, round_label
from supervision.status_model import reporting_units
from web import store as web_store
from web import texts
from web.board import BOARD_STATUSES, STATUS_CLASS, Filters, build_board, history
from web.links import Grant

KINDS = (WEEKLY, MONTHLY, QUARTERLY)
KIND_LABELS = {WEEKLY: "周报", MONTHLY: "月汇总", QUARTERLY: "季考核"}
DELIVERIES_SHOWN = 50  # newest reminders and round messages on a task page
UNANSWERED_SHOWN = 100  # question groups on /unanswered


def _weeks(s: Session, key: str) -> list[str]:
    """The plan's rounds by week, newest first (not other rows kept there, such as the plan-ended notice)."""
    rows = s.scalars(select(store.RoundRow.round_key).where(store.RoundRow.plan_key == key)).all()
    return sorted({k for k in rows if parse_round_key(k) is not None}, reverse=True)


async def board_context(services: Services, params: dict[str, str]) -> dict[str, Any]:
    """The board of this week (or of ?week=2023-W43), filtered by the query parameters."""
    settings = services.settings
    plan = await services.plans.current()
    now = services.clock()
    period = parse_period(WEEKLY, params.get("week", ""), now, settings.tz)
    key = service.plan_key_of(plan)

    def read(s: Session) -> tuple[Any, list[str]]:
        return service.make_report(s, plan, settings, now, period), _weeks(s, key)

    report, weeks = await services.db.arun(read)
    return board_view(plan, report, settings, now, params, weeks)


def board_view(plan: Plan, report: Report, settings: Settings, now: datetime, params: dict[str, str],
               weeks: list[str]) -> dict[str, Any]:
    """The board template's context for a report (pure; bench/web.py renders it too)."""
    period = report.period
    today = min(period.end, now.astimezone(settings.tz).date())
    filters = Filters.of(params)
    board = build_board(plan, report, today, filters, max(settings.reminder_days_before, default=7))
    current = round_for(now, settings.tz).key
    # (key for the link, readable label as in the reports): 2023-W44 → 2023年第44周（10月30日—11月5日）
    listed = [(w, round_label(w)) for w in dict.fromkeys([current, *weeks]) if parse_round_key(w) is not None]
    return {"texts": texts, "plan": plan, "period": period, "board": board, "filters": filters,
            "statuses": BOARD_STATUSES, "css": STATUS_CLASS, "weeks": listed, "current_week": current,
            "week": period.key, "kinds": KIND_LABELS, "generated": f"{now.astimezone(settings.tz):%Y-%m-%d %H:%M}"}


async def task_context(services: Services, number: int) -> dict[str, Any] | None:
    """A task's text, deadlines, limits, responsibilities and each unit's history; None if there is no such task."""
    settings = services.settings
    plan = await services.plans.current()
    task = plan.task(number)
    if task is None:
        return None
    key = service.plan_key_of(plan)

    def read(s: Session) -> tuple[list[Any], list[str], tuple[str, ...], tuple[list[web_store.Delivery], int]]:
        groups = service.groups_for(s, plan, settings)
        return (store.replies(s, key), service.task_status_lines(s, plan, settings, number),
                reporting_units(task, groups), web_store.deliveries(s, key, number, DELIVERIES_SHOWN))

    replies, lines, leads, (sent, total) = await services.db.arun(read)
    events = history(number, replies, settings.tz)
    units = list(dict.fromkeys([*leads, *events]))
    deliveries = [{"at": f"{d.at.astimezone(settings.tz):%Y-%m-%d %H:%M}", "kind": delivery_kind(d.kind),
                   "recipient": d.recipient, "state": delivery_state(d), "css": _state_class(d.state)}
                  for d in sent]
    return {"texts": texts, "plan": plan, "task": task, "lines": lines, "units": units, "events": events,
            "css": STATUS_CLASS, "deliveries": deliveries, "deliveries_more": total - len(sent)}


def delivery_kind(kind: str) -> Html:
    """提醒 / 周调度 / 催报 (a chase is stored as cYYYYMMDD), or the outbox's own word for a kind not known yet."""
    known = texts.DELIVERY_KINDS.get(store.KIND_CHASE if service.is_chase(kind) else kind)
    return known.render() if known is not None else texts.DELIVERY_KIND_OTHER.render(kind=kind)


def delivery_state(d: web_store.Delivery) -> Html:
    """已送达 / 待发送 / 发送失败：原因, or the outbox's own word for a state this page does not know yet."""
    error = d.error.strip()[:200]
    if d.state == web_store.UNBOUND:
        return texts.DELIVERY_UNBOUND.render()
    if d.state in (web_store.FAILED, UNDELIVERED):
        return texts.DELIVERY_FAILED.render(error=error) if error else texts.DELIVERY_FAILED_NO_CAUSE.render()
    if d.state == PENDING and error:
        return texts.DELIVERY_RETRYING.render(error=error)
    known = texts.DELIVERY_STATES.get(d.state)
    if known is not None:
        return known.render()
    if error:
        return texts.DELIVERY_STATE_OTHER_ERROR.render(state=d.state, error=error)
    return texts.DELIVERY_STATE_OTHER.render(state=d.state)


def _state_class(state: str) -> str:
    if state == SENT:
        return "sent"
    if state in (web_store.UNBOUND, web_store.FAILED, UNDELIVERED):
        return "failed"
    return "pending" if state == PENDING else "other"


async def unanswered_context(services: Services) -> dict[str, Any]:
    """The last seven days' refused or low-confidence questions, grouped as /unanswered groups them."""
    settings = services.settings
    plan = await services.plans.current()
    key, now = service.plan_key_of(plan), services.clock().astimezone(settings.tz)
    since = week_start(now)
    misses, mapped = await services.db.arun(
        lambda s: (learning.misses_since(s, key, since), learning.mappings(s, key)))
    groups = group_misses(misses, (question_key(q) for q in mapped))
    rows = [{"question": g.question, "count": g.count, "decision": DECISION_LABELS.get(g.decision, g.decision),
             "at": f"{g.last_at.astimezone(settings.tz):%m-%d %H:%M}",
             "task": plan.task(g.pointer) if g.pointer is not None else None}
            for g in groups[:UNANSWERED_SHOWN]]
    return {"texts": texts, "plan": plan, "groups": rows, "more": max(0, len(groups) - UNANSWERED_SHOWN),
            "total": sum(g.count for g in groups), "count": len(groups), "since": f"{since:%Y-%m-%d %H:%M}"}


async def export(services: Services, kind_word: str, period_text: str | None) -> tuple[bytes, str]:
    """A period's workbook (supervision's export) and its file name."""
    kind = kind_word if kind_word in KINDS else KIND_WORDS.get(kind_word, "")
    if not kind:
        raise UsageError(texts.BAD_KIND.plain(kind=kind_word))
    plan = await services.plans.current()
    now = services.clock()
    period = parse_period(kind, period_text, now, services.settings.tz)
    _, data, name = await asyncio.to_thread(service.build_export, services.db, services.settings, plan, period, now)
    return data, name


async def timeline(services: Services) -> bytes:
    """This week's timeline picture."""
    plan = await services.plans.current()
    _, png = await asyncio.to_thread(service.timeline_for, services.db, services.settings, plan, services.clock())
    return png


async def fill_context(services: Services, grant: Grant) -> dict[str, Any] | None:
    """The unit's form: every task it leads, this round's answer and its latest status; None outside the round."""
    settings = services.settings
    plan = await services.plans.current()
    now = services.clock()
    rnd = round_for(now, settings.tz)
    if grant.round_key != rnd.key:
        return None
    key = service.plan_key_of(plan)

    def read(s: Session) -> tuple[dict[int, Any], dict[tuple[int, str], Any]]:
        _, _, states = service.completion(s, plan, settings)
        round_replies = store.latest_by_unit(store.replies(s, key, round_key=rnd.key))
        return states, round_replies

    states, answered = await services.db.arun(read)
    tasks = []
    for task in plan.tasks:
        state = states.get(task.number)
        if state is None or grant.unit not in state.leads:
            continue
        now_reply = answered.get((task.number, grant.unit))
        last = state.units.get(grant.unit)
        tasks.append({"task": task, "answer": now_reply.status if now_reply else "",
                      "note": now_reply.note if now_reply else "", "last": last.status if last else "",
                      "complete": state.complete})
    return {"texts": texts, "plan": plan, "unit": grant.unit, "round": rnd, "tasks": tasks,
            "choices": [(CODE_OF[st], st, STATUS_CLASS[st]) for st in STATUSES], "css": STATUS_CLASS}


def _choices(form: dict[str, str]) -> list[tuple[int, str, str]]:
    out = []
    for name, code in form.items():
        if name.startswith("status-") and name[7:].isdigit() and code in STATUS_CODES:
            number = int(name[7:])
            out.append((number, STATUS_CODES[code], form.get(f"note-{number}", "").strip()))
    return sorted(out)


async def save_form(services: Services, grant: Grant, form: dict[str, str]) -> tuple[str, bool]:
    """Store the chosen statuses as the unit's replies (service.submit, as a button press); (message, ok).

    All or nothing: a refused task (not the unit's, note too long) stores none of the form.
    """
    settings = services.settings
    plan = await services.plans.current()
    now = services.clock()
    if grant.round_key != round_for(now, settings.tz).key:
        return texts.BAD_FORM, False
    chosen = _choices(form)
    if not chosen:
        return texts.NOTHING, False
    for number, _, note in chosen:
        if len(note) > MAX_NOTE:
            return texts.NOTE_TOO_LONG.render(number=number, length=len(note), limit=MAX_NOTE), False

    def save(s: Session) -> list[tuple[int, str, str]]:
        rnd = round_for(now, settings.tz)
        before = store.latest_by_unit(store.replies(s, service.plan_key_of(plan), round_key=rnd.key))
        stored = []
        for number, status, note in chosen:
            old = before.get((number, grant.unit))
            if old is not None and old.status == status and old.note == note:
                continue  # the form shows this round's answers checked: re-sending them is no new report
            stored.append((number, status, note))
            service.submit(s, plan, settings, now, telegram_id=0, reporter=texts.WEB_REPORTER, task_number=number,
                           status=status, note=note, names=[grant.unit])
        return stored

    try:
        stored = await services.db.arun(save)
    except PlanbotError as err:
        return str(err), False
    if not stored:
        return texts.UNCHANGED, True
    items = join((texts.SAVED_ITEM.render(number=n, status=st) for n, st, _ in stored), "；")
    return texts.SAVED.render(count=len(stored), items=items), True
