"""User-trial fixes: a task closed by an admin is 已完成 in every view; /chase names the unbound units owing replies;
an inline 滞后/需协调 note is the reason; the overdue sheet names the units still owing."""

from __future__ import annotations

import io
import re
from typing import Any

from openpyxl import load_workbook

from planbot.clock import FrozenClock
from planbot.db import Database
from planbot.settings import Settings
from supervision import service
from supervision.rounds import DONE
from tests.fake_bot_api import FakeBotAPI
from tests.support_supervision import ADMIN, bind_units

AIR, ENF = 3001, 3005
BINDINGS = {AIR: "大气办", ENF: "市生态环境保护综合执法支队"}
CLOSE_NOTE = "经核实已完成"


def text(m: dict[str, Any]) -> str:
    """What the user sees of a message."""
    return str(m.get("text") or m.get("caption") or "")


def counts(report: str) -> tuple[int, int]:
    """(已完成, 未报送) of the report's 合计 line."""
    line = next(ln for ln in report.splitlines() if ln.startswith("合计"))
    done = re.search(r"已完成 (\d+)", line)
    silent = re.search(r"未报送 (\d+)", line)
    assert done and silent
    return int(done.group(1)), int(silent.group(1))


def silent_tasks(report: str) -> set[int]:
    """Every task listed as 未报送任务 under some unit."""
    out: set[int] = set()
    for ln in report.splitlines():
        if "未报送任务" in ln:
            out |= {int(n) for n in re.findall(r"\d+", ln.split("：", 1)[1])}
    return out


async def ask(fake: FakeBotAPI, chat: int, command: str, **wait: Any) -> dict[str, Any]:
    """Send a command and wait for the answer."""
    mark = fake.mark()
    fake.push_message(chat, command)
    return await fake.wait_for_message(chat, since=mark, **wait)


async def test_a_closed_task_is_done_everywhere(fake_api: FakeBotAPI, running_bot: Any, sv_settings: Settings,
                                                sv_db: Database, sv_clock: FrozenClock) -> None:
    bind_units(sv_db, BINDINGS)
    app = await running_bot(sv_settings, clock=sv_clock, db=sv_db)
    before = text(await ask(fake_api, ADMIN, "/report", contains="合计"))
    assert 22 in silent_tasks(before)
    await ask(fake_api, ADMIN, f"/close 22 {CLOSE_NOTE}", contains="已关闭")
    after = text(await ask(fake_api, ADMIN, "/report", contains="合计"))
    assert 22 not in silent_tasks(after)
    (done0, silent0), (done1, silent1) = counts(before), counts(after)
    assert done1 > done0 and silent1 == silent0 - (done1 - done0)
    assert re.search(r"22\. .*— 已完成.*已关闭.*" + CLOSE_NOTE, after)

    exported = await ask(fake_api, ADMIN, "/export 周", where=lambda m: "document" in m)
    wb = load_workbook(io.BytesIO(fake_api.file_bytes(exported)))
    rows = [[c.value for c in r] for r in wb["明细"].iter_rows()]
    head = rows[0]
    mine = [r for r in rows[1:] if r[head.index("任务编号")] == 22]
    assert mine and all(r[head.index("状态")] == DONE for r in mine)
    assert all(CLOSE_NOTE in str(r[head.index("进展说明")]) for r in mine)
    # The overdue sheet: task 22 is no longer overdue; every overdue row names the lead units still owing.
    issues = [[c.value for c in r] for r in wb["逾期与未回复"].iter_rows()][1:]
    overdue = [r for r in issues if r[0] == "逾期未完成"]
    assert overdue and 22 not in [r[1] for r in overdue]
    assert all(r[2] for r in overdue)

    # The timeline and the board read the same report: task 22 is 已完成.
    plan = await app.bot_data["services"].plans.current()
    report = sv_db.run(lambda s: service.make_report(s, plan, sv_settings, sv_clock()))
    assert service.statuses_now(report)[22] == DONE


async def test_chase_names_the_units_nobody_is_bound_to(fake_api: FakeBotAPI, running_bot: Any,
                                                       sv_settings: Settings, sv_db: Database,
                                                       sv_clock: FrozenClock) -> None:
    bind_units(sv_db, BINDINGS)
    await running_bot(sv_settings, clock=sv_clock, db=sv_db)
    await ask(fake_api, ADMIN, "/weekly", contains="周调度")
    answer = text(await ask(fake_api, ADMIN, "/chase", contains="催报"))
    assert "2 个单位尚未报送" in answer  # the bound ones, chased
    found = [ln for ln in answer.splitlines() if "未绑定，无法催报" in ln]
    assert len(found) == 1, answer
    line = found[0]
    unbound = re.findall(r"([^：、（]+)（第([\d—、]+)项）", line.split("：", 1)[1])
    names = {u for u, _ in unbound}
    assert "泾阳分局" in names and "大气办" not in names and "市生态环境保护综合执法支队" not in names
    assert re.match(r"另有 (\d+) 个单位未绑定", line) and int(line.split()[1]) == len(unbound)
    assert "/bind" in line and "planbot directory import" in line


async def test_an_inline_note_with_lagging_or_blocked_is_the_reason(fake_api: FakeBotAPI, running_bot: Any,
                                                                  sv_settings: Settings, sv_db: Database,
                                                                  sv_clock: FrozenClock) -> None:
    bind_units(sv_db, BINDINGS)
    await running_bot(sv_settings, clock=sv_clock, db=sv_db)
    mark = fake_api.mark()
    await ask(fake_api, AIR, "/status 2 滞后 审批系统升级中", contains="已记录")
    await ask(fake_api, ADMIN, "/status 6 需协调 执法车辆不足 @大气办", contains="记录：任务 6")
    await ask(fake_api, AIR, "/status 3 按计划推进 已完成一半", contains="已记录")
    exported = await ask(fake_api, ADMIN, "/export 周", where=lambda m: "document" in m)
    # The reason was given: nobody is asked for it again.
    assert not [m for m in fake_api.outbox[mark:] if fake_api.asks_reply(m)]
    wb = load_workbook(io.BytesIO(fake_api.file_bytes(exported)))
    rows = [[c.value for c in r] for r in wb["明细"].iter_rows()]
    head = rows[0]
    cell = {(r[head.index("任务编号")], r[head.index("单位")]): r for r in rows[1:]}
    note, reason = head.index("进展说明"), head.index("原因/需协调事项")
    assert cell[(2, "大气办")][reason] == "审批系统升级中" and not cell[(2, "大气办")][note]
    assert cell[(6, "大气办")][reason] == "执法车辆不足" and not cell[(6, "大气办")][note]
    assert cell[(3, "大气办")][note] == "已完成一半" and not cell[(3, "大气办")][reason]
