"""Store semantics on a real SQLite file, pure report tables, the workbook, CSV, timeline picture and CLI."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta

import pytest
from openpyxl import load_workbook

from knowledge.model import Plan
from planbot import cli
from planbot.db import Database
from planbot.settings import Settings
from supervision import store
from supervision.export import to_csv, to_xlsx
from supervision.periods import parse_period
from supervision.reports import build_report
from supervision.rounds import (
    CLOSED,
    DONE,
    LAGGING,
    NEEDS_HELP,
    NO_REPLY,
    ON_TRACK,
    REOPENED,
    ROLE_LEAD,
    ROLE_LEADER,
    ROLE_UNIT,
    round_for,
)
from supervision.service import plan_key_of, timeline_for
from supervision.timeline import cjk_font, timeline_png
from tests.support_supervision import MONDAY, TZ

KEY = "2023:测试方案"
GROUPS = {"各分局": ("秦都分局", "渭城分局")}


def add(s: object, task: int, unit: str, status: str, *, role: str = ROLE_LEAD, at: datetime = MONDAY,
        note: str = "", round_key: str = "2023-W44") -> store.Reply:
    if status == CLOSED:
        return store.close(s, plan_key=KEY, round_key=round_key, task=task, telegram_id=1001, now=at)  # type: ignore[arg-type]
    if status == REOPENED:
        return store.reopen(s, plan_key=KEY, round_key=round_key, task=task, telegram_id=1001, now=at)  # type: ignore[arg-type]
    return store.add_reply(s, plan_key=KEY, round_key=round_key, task=task, unit=unit, role=role,  # type: ignore[arg-type]
                           status=status, telegram_id=1, now=at, note=note, reporter="张三")


@pytest.mark.parametrize(("replies", "done"), [
    ([(7, "泾阳分局", ROLE_LEAD, DONE)], {7}),
    ([(7, "泾阳分局", ROLE_LEAD, ON_TRACK), (7, "泾阳分局", ROLE_LEAD, DONE)], {7}),
    ([(7, "泾阳分局", ROLE_LEAD, DONE), (7, "泾阳分局", ROLE_LEAD, LAGGING)], set()),  # corrected: last counts
    ([(2, "秦都分局", ROLE_UNIT, DONE)], set()),  # a responsible unit cannot close a task
    ([(6, "大气办", ROLE_LEAD, DONE), (6, "市生态环境保护综合执法支队", ROLE_LEAD, ON_TRACK)], set()),
    ([(6, "大气办", ROLE_LEAD, DONE), (6, "市生态环境保护综合执法支队", ROLE_LEAD, DONE)], {6}),
    ([(7, "泾阳分局", ROLE_LEAD, DONE), (7, "", "admin", REOPENED)], set()),
    ([(7, "泾阳分局", ROLE_LEAD, DONE), (7, "", "admin", REOPENED), (7, "泾阳分局", ROLE_LEAD, DONE)], {7}),
    ([(6, "大气办", ROLE_LEAD, DONE)], set()),  # one of two lead units: not complete
    ([(22, "刘鲲", ROLE_LEADER, DONE)], set()),  # a leader's 已完成 is a comment
    ([(2, "大气办", ROLE_LEAD, DONE), (2, "刘鲲", ROLE_LEADER, NEEDS_HELP)], {2}),  # …and never reopens
    ([(6, "大气办", ROLE_LEAD, ON_TRACK), (6, "", "admin", CLOSED)], {6}),  # /close
    ([(6, "", "admin", CLOSED), (6, "", "admin", REOPENED)], set()),
])
def test_completed_tasks(sv_db: Database, bundled_plan: Plan, replies: list[tuple[int, str, str, str]],
                         done: set[int]) -> None:
    with sv_db.session() as s:
        for i, (task, unit, role, status) in enumerate(replies):
            add(s, task, unit, status, role=role, at=MONDAY + timedelta(minutes=i))
    with sv_db.session() as s:
        assert store.completed_tasks(s, KEY, bundled_plan, {}) == done
        assert store.completed_tasks(s, "2024:另一个方案", bundled_plan, {}) == set()
        assert len(store.replies(s, KEY)) == len(replies)  # history is kept


def test_requests_are_recorded_before_sending_and_never_sent_twice(sv_db: Database) -> None:
    rnd = parse_period("weekly", "2023-W44", MONDAY, TZ)
    from supervision.rounds import round_of_day

    with sv_db.session() as s:
        row = store.ensure_round(s, KEY, round_of_day(rnd.start), MONDAY)
        first = store.record_request(s, row, kind=store.KIND_REQUEST, unit="大气办", telegram_id=5, tasks=[2],
                                     now=MONDAY)
        assert first is not None
        # not marked yet (a crash before sending): the next run sends it
        again = store.record_request(s, row, kind=store.KIND_REQUEST, unit="大气办", telegram_id=5, tasks=[2, 3],
                                     now=MONDAY)
        assert again is not None and again.id == first.id
        store.mark_sent(s, first.id, MONDAY)
        assert store.record_request(s, row, kind=store.KIND_REQUEST, unit="大气办", telegram_id=5, tasks=[2],
                                    now=MONDAY) is None
        [req] = store.requests(s, KEY, round_key="2023-W44")
        assert req.tasks == (2, 3) and req.sent_at == MONDAY


def replies_for_report() -> list[store.Reply]:
    def reply(i: int, task: int, unit: str, status: str, at: datetime, note: str = "") -> store.Reply:
        return store.Reply(i, KEY, round_for(at, TZ).key, task, unit, ROLE_LEAD, status, note, "", 1, "张三", at)

    return [
        reply(1, 7, "泾阳分局", DONE, datetime(2023, 10, 16, 10, tzinfo=TZ)),  # done in an earlier week
        reply(2, 2, "大气办", ON_TRACK, datetime(2023, 10, 30, 10, tzinfo=TZ), "第一次"),
        reply(3, 2, "大气办", LAGGING, datetime(2023, 10, 31, 10, tzinfo=TZ), "设备未到货"),  # correction
        reply(4, 1, "环评科", NEEDS_HELP, datetime(2023, 11, 1, 10, tzinfo=TZ), "需市发改委配合"),
        reply(5, 23, "泾阳分局", ON_TRACK, datetime(2023, 11, 7, 10, tzinfo=TZ)),  # next week
    ]


def test_weekly_report_puts_lagging_first_and_carries_done(bundled_plan: Plan) -> None:
    period = parse_period("weekly", "2023-W44", MONDAY, TZ)
    report = build_report(bundled_plan, replies_for_report(), [], period, MONDAY + timedelta(days=4), TZ, GROUPS)
    first = report.rows[:2]
    assert [(r.task, r.status) for r in first] == [(1, NEEDS_HELP), (2, LAGGING)]
    assert first[1].note == "设备未到货" and first[1].changes == (ON_TRACK, LAGGING)
    task7 = next(r for r in report.rows if r.task == 7)
    assert task7.status == DONE and task7.carried
    task23 = next(r for r in report.rows if r.task == 23)
    assert task23.status == NO_REPLY  # replied only in the following week
    assert report.totals[NEEDS_HELP] == 1 and report.totals[LAGGING] == 1 and report.totals[DONE] == 1
    assert report.units[0].lagging  # units with lagging tasks come first
    assert 7 not in report.overdue and 2 in report.overdue  # task 2 was due 2023-03-31


def test_monthly_report_lists_unanswered_requests(bundled_plan: Plan) -> None:
    period = parse_period("monthly", "2023-10", MONDAY, TZ)
    sent = datetime(2023, 10, 30, 9, tzinfo=TZ)
    requests = [store.Request(1, "2023-W44", store.KIND_REQUEST, "大气办", 5, (2,), sent, sent),
                store.Request(2, "2023-W44", store.KIND_REQUEST, "市宣教信息中心", 6, (13,), sent, sent),
                store.Request(3, "2023-W44", store.KIND_REQUEST, "环评科", 7, (1,), None, sent)]  # never sent
    report = build_report(bundled_plan, replies_for_report(), requests, period, datetime(2023, 11, 1, 9, tzinfo=TZ),
                          TZ, GROUPS)
    assert [(u.unit, u.tasks) for u in report.unanswered] == [("市宣教信息中心", (13,))]
    assert report.period.label == "2023年10月"


@pytest.fixture(scope="module")
def workbook_report(bundled_plan: Plan) -> tuple[object, bytes]:
    period = parse_period("weekly", "2023-W44", MONDAY, TZ)
    report = build_report(bundled_plan, replies_for_report(), [], period, MONDAY, TZ, GROUPS)
    return report, timeline_png(bundled_plan, {1: NEEDS_HELP, 2: LAGGING, 7: DONE}, period.label, dpi=60)


def test_workbook_opens_ready_to_print(workbook_report: tuple[object, bytes]) -> None:
    report, png = workbook_report
    wb = load_workbook(io.BytesIO(to_xlsx(report, TZ, png)))  # type: ignore[arg-type]
    assert wb.sheetnames == ["明细", "汇总", "逾期与未回复", "时间轴"]
    detail = wb["明细"]
    assert [c.value for c in detail[1]][:8] == ["任务编号", "任务名称", "所属领域", "责任领导", "单位", "角色", "状态",
                                                 "进展说明"]
    assert detail["A2"].value == 1 and detail["G2"].value == NEEDS_HELP and detail["H2"].value == "需市发改委配合"
    assert detail.freeze_panes == "A2" and detail.column_dimensions["H"].width == 40
    assert detail.page_setup.orientation == "landscape" and detail.page_setup.fitToWidth == 1
    assert detail.print_title_rows == "$1:$1"
    assert detail.max_row == 1 + len(report.rows)  # type: ignore[attr-defined]
    summary = wb["汇总"]
    assert [c.value for c in summary[3]][:3] == ["单位", "已完成", "按计划推进"]
    assert len(wb["时间轴"]._images) == 1


def test_csv_has_the_same_rows(workbook_report: tuple[object, bytes]) -> None:
    report, _ = workbook_report
    data = to_csv(report, TZ)  # type: ignore[arg-type]
    assert data.startswith(b"\xef\xbb\xbf")  # Excel needs the BOM to read UTF-8
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][0] == "任务编号" and rows[1][7] == "需市发改委配合"
    assert len(rows) == 1 + len(report.rows)  # type: ignore[attr-defined]


def test_timeline_font_has_every_glyph(bundled_plan: Plan, workbook_report: tuple[object, bytes]) -> None:
    from matplotlib.ft2font import FT2Font

    _, png = workbook_report
    assert png.startswith(b"\x89PNG")
    path = cjk_font()
    assert path is not None, "no CJK font: install the pinned mplfonts package"
    font = FT2Font(str(path))
    labels = "已完成按计划推进滞后需协调未报送各月时限分布任务数"
    texts = [bundled_plan.title, labels, *(t.title[:8] for t in bundled_plan.tasks)]
    missing = {c for text in texts for c in text if not c.isspace() and font.get_char_index(ord(c)) == 0}
    assert not missing


def test_timeline_of_a_plan_without_dates_still_renders(bundled_plan: Plan) -> None:
    plan = Plan(title="无时限方案", year=2031, tasks=tuple(t for t in bundled_plan.tasks if not t.due_dates))
    assert timeline_png(plan, {}, "第1周", dpi=40).startswith(b"\x89PNG")


def test_cli_report_writes_xlsx_and_csv(sv_settings: Settings, sv_db: Database, bundled_plan: Plan,
                                        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    with sv_db.session() as s:
        store.add_reply(s, plan_key=plan_key_of(bundled_plan), round_key="2023-W44", task=2, unit="大气办",
                        role=ROLE_LEAD, status=ON_TRACK, telegram_id=1, now=MONDAY, note="命令行可见的说明")
    monkeypatch.setenv("PLANBOT_DATA_DIR", str(sv_settings.data_dir))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.chdir(sv_settings.data_dir)
    out = sv_settings.data_dir / "周报.xlsx"
    assert cli.main(["report", "weekly", "--period", "2023-W44", "--out", str(out)]) == 0
    written = capsys.readouterr().out
    assert "2023年第44周（10月30日—11月5日） 报表已写入" in written and "W44" not in written.replace(str(out), "")
    detail = load_workbook(out)["明细"]
    assert "命令行可见的说明" in [c.value for c in detail["H"]]
    out_csv = sv_settings.data_dir / "月报.csv"
    assert cli.main(["report", "monthly", "--period", "2023-10", "--out", str(out_csv), "--csv"]) == 0
    assert "命令行可见的说明" in out_csv.read_text(encoding="utf-8-sig")
    assert cli.main(["report", "quarterly", "--period", "2023-Q7", "--out", str(out)]) == 2
    assert "2023-Q4" in capsys.readouterr().err


def test_timeline_for_uses_this_weeks_status(sv_settings: Settings, sv_db: Database, bundled_plan: Plan) -> None:
    with sv_db.session() as s:
        store.add_reply(s, plan_key=plan_key_of(bundled_plan), round_key="2023-W44", task=3, unit="大气办",
                        role=ROLE_LEAD, status=LAGGING, telegram_id=1, now=MONDAY)
    report, png = timeline_for(sv_db, sv_settings, bundled_plan, MONDAY)
    assert png.startswith(b"\x89PNG") and any(r.task == 3 and r.status == LAGGING for r in report.rows)
