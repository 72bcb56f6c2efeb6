"""The directory (CSV/.xlsx import, groups, unknown names), invites and the unreachable list."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from knowledge.model import Plan
from planbot import people
from planbot.cli import main
from planbot.db import Database
from planbot.errors import DirectoryError
from planbot.settings import Settings, load_settings
from reminders.directory import import_directory, read_directory, resolve_ids, unreachable
from reminders.invites import create_invites, redeem_invite

CSV = """name,telegram_id,group
刘鲲,"4001,4002",
大气办,4003,
秦都分局,4004,各分局
彬州分局,4005,各分局|各相关分局
刘坤,4006,
市生态环境保护综合执法支队,abc,
,4007,
"""


def _known(plan: Plan) -> list[str]:
    return [*plan.leaders, *plan.unit_names]


def test_csv_import_binds_groups_and_reports(tmp_path: Path, reminder_db: Database, bundled_plan: Plan) -> None:
    path = tmp_path / "通讯录.csv"
    path.write_text(CSV, encoding="utf-8")
    entries, bad = read_directory(path)
    report = reminder_db.run(lambda s: import_directory(s, entries, _known(bundled_plan), bad))
    assert ("刘鲲", 4001) in report.bound and ("刘鲲", 4002) in report.bound
    # 彬州分局 is named only through 各分局 in the ledger: known as a member of a ledger group.
    assert ("彬州分局", 4005) in report.bound
    assert report.unknown == ["刘坤"]  # a typo is reported, not silently bound or dropped
    assert any("第7行" in line and "abc" in line for line in report.bad_rows)
    assert any("第8行" in line for line in report.bad_rows)
    ids = reminder_db.run(lambda s: resolve_ids(s, "各分局", {}))
    assert ids == [4004, 4005]
    assert reminder_db.run(lambda s: resolve_ids(s, "各相关分局", {})) == [4005]
    # Importing again changes nothing.
    again = reminder_db.run(lambda s: import_directory(s, entries, _known(bundled_plan), bad))
    assert again.bound == [] and len(again.already) == len(report.bound)


def test_xlsx_import_and_settings_aliases(tmp_path: Path, reminder_db: Database, bundled_plan: Plan) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["名称", "telegram_id"])
    sheet.append(["渭城分局", 4101])  # Excel stores the id as a number
    sheet.append(["薛扬", 4102.0])
    path = tmp_path / "directory.xlsx"
    book.save(path)
    entries, bad = read_directory(path)
    assert bad == []
    report = reminder_db.run(lambda s: import_directory(s, entries, _known(bundled_plan)))
    assert set(report.bound) == {("渭城分局", 4101), ("薛扬", 4102)}
    aliases = {"各分局": ("秦都分局", "渭城分局")}
    assert reminder_db.run(lambda s: resolve_ids(s, "各分局", aliases)) == [4101]


@pytest.mark.parametrize(("name", "content", "hint"), [
    ("a.csv", "who,id_number\n刘鲲,1\n", "name 和 telegram_id"),
    ("a.csv", "", "空的"),
    ("a.pdf", "x", ".csv 或 .xlsx"),
    ("missing.csv", None, "找不到"),
])
def test_bad_files_say_what_to_do(name: str, content: str | None, hint: str, tmp_path: Path) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(DirectoryError, match=hint):
        read_directory(path)


def test_gbk_csv_from_excel(tmp_path: Path) -> None:
    path = tmp_path / "gbk.csv"
    path.write_bytes("name,telegram_id\n大气办,4201\n".encode("gb18030"))
    entries, _ = read_directory(path)
    assert entries[0].name == "大气办" and entries[0].telegram_ids == (4201,)


def test_invite_binds_on_first_start(reminder_db: Database, reminder_settings: Settings) -> None:
    now = datetime(2023, 3, 1, 9, 0, tzinfo=reminder_settings.tz)
    tokens = reminder_db.run(lambda s: create_invites(s, ["刘鲲", "大气办"], now))
    assert tokens == reminder_db.run(lambda s: create_invites(s, ["刘鲲", "大气办"], now))  # stable links
    assert all(len(t) <= 64 and t.replace("-", "").replace("_", "").isalnum() for t in tokens.values())
    assert reminder_db.run(lambda s: redeem_invite(s, tokens["刘鲲"], 4301, now)) == "刘鲲"
    assert reminder_db.run(lambda s: people.ids_of(s, "刘鲲")) == [4301]
    assert reminder_db.run(lambda s: people.is_approved(s, 4301))
    assert reminder_db.run(lambda s: redeem_invite(s, tokens["刘鲲"], 4302, now)) is None  # used up
    assert reminder_db.run(lambda s: redeem_invite(s, "nonsense", 4302, now)) is None
    new = reminder_db.run(lambda s: create_invites(s, ["刘鲲"], now))
    assert new["刘鲲"] != tokens["刘鲲"]  # a fresh link for a second person


def test_unreachable_lists_missing_and_silent(reminder_db: Database, reminder_settings: Settings) -> None:
    reminder_db.run(lambda s: people.bind(s, 4401, "刘鲲", source="directory"))
    reminder_db.run(lambda s: people.bind(s, 4402, "大气办", source="directory"))
    reminder_db.run(lambda s: people.upsert_user(s, 4402, chat_id=4402))
    found = reminder_db.run(lambda s: unreachable(s, ["刘鲲", "大气办", "环评科"], {}))
    assert [(u.name, u.telegram_ids) for u in found] == [("刘鲲", (4401,)), ("环评科", ())]


def test_directory_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PLANBOT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "d.csv"
    path.write_text(CSV, encoding="utf-8")
    assert main(["directory", "import", str(path)]) == 1  # 刘坤 is unknown: a non-zero exit says so
    out = capsys.readouterr().out
    assert "刘坤" in out and "已绑定 5 个账号" in out
    assert main(["directory", "list"]) == 0
    listing = capsys.readouterr().out
    assert "刘鲲\t4001（directory），4002（directory）" in listing and "各分局 = 秦都分局、彬州分局" in listing
    assert main(["directory", "invite", "薛扬", "--bot-username", "xy_bot"]) == 0
    assert "薛扬：https://t.me/xy_bot?start=" in capsys.readouterr().out
    assert main(["directory", "unreachable"]) == 0
    assert "环评科：未登记 Telegram 账号" in capsys.readouterr().out


def test_invite_for_a_name_outside_the_ledger_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PLANBOT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "d.csv"
    path.write_text(CSV, encoding="utf-8")
    main(["directory", "import", str(path)])
    capsys.readouterr()
    # 彬州分局 is only a directory group member; 刘坤 is a misspelling of 刘鲲 (an invite would grant access).
    assert main(["directory", "invite", "薛扬", "彬州分局", "刘坤"]) == 1
    out = capsys.readouterr().out
    assert "薛扬：/start " in out and "彬州分局：/start " in out
    assert "刘坤：" not in out and "未生成邀请" in out and out.rstrip().endswith("刘坤")
    db = Database(Settings(data_dir=tmp_path / "data").database_url)
    try:
        db.run(lambda s: people.bind(s, 4999, "往年领导", source="directory"))
    finally:
        db.dispose()
    assert main(["directory", "list", "--plan", "2023"]) == 0  # every directory command takes --plan
    listing = capsys.readouterr().out
    assert "往年领导\t4999" in listing and "收不到该方案的提醒" in listing
    assert listing.rstrip().endswith("：往年领导")


def test_invites_go_to_real_units_never_to_group_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PLANBOT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "d.csv"
    path.write_text(CSV, encoding="utf-8")
    main(["directory", "import", str(path)])  # its group column: 各分局 = 秦都分局、彬州分局
    capsys.readouterr()
    assert main(["directory", "invite", "--bot-username", "xy_bot"]) == 0
    out = capsys.readouterr().out
    invited = [line.split("：", 1)[0] for line in out.splitlines() if "?start=" in line]
    assert "各分局" not in invited and "各相关分局" not in invited
    assert {"秦都分局", "彬州分局", "刘鲲", "大气办"} <= set(invited)  # the group's members, leaders, units
    assert not [n for n in invited if n.startswith(("各", "相关", "有关"))]
    assert "各分局（秦都分局、彬州分局）" in out and "各相关分局（彬州分局）" in out
    assert main(["directory", "invite", "各分局", "--bot-username", "xy_bot"]) == 0  # named: its members
    out = capsys.readouterr().out
    assert [line.split("：", 1)[0] for line in out.splitlines() if "?start=" in line] == ["秦都分局", "彬州分局"]


def test_reminders_cli_shows_the_units_a_group_is_sent_to_as_the_sender_resolves_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PLANBOT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PLANBOT_GROUP_ALIASES", "各分局=渭城分局")  # plus the directory's 秦都分局、彬州分局
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "d.csv"
    path.write_text(CSV, encoding="utf-8")
    main(["directory", "import", str(path)])
    capsys.readouterr()
    assert main(["reminders", "--on", "2023-10-31"]) == 0
    lines = capsys.readouterr().out.splitlines()
    group_lines = [line for line in lines if line.startswith("• 各分局")]
    assert group_lines and all(line.startswith("• 各分局（发给成员单位：秦都分局、彬州分局、渭城分局）：")
                               for line in group_lines)
    assert main(["reminders", "--on", "2023-10-31", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {tuple(r["members"]) for r in rows if r["recipient"] == "各分局"} == {("秦都分局", "彬州分局", "渭城分局")}
    # The sender resolves a recipient name to accounts with resolve_ids (reminders.jobs.chats_for): the same members.
    settings = load_settings()
    db = Database(settings.database_url)
    try:
        assert db.run(lambda s: resolve_ids(s, "各分局", settings.group_aliases)) == [4004, 4005]
    finally:
        db.dispose()
