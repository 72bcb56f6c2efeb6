"""Reading plan documents: encodings, .docx, Markdown, and bad files rejected with clear messages."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from indexer.docxtext import format_number
from indexer.loader import read_document
from knowledge.model import Plan
from knowledge.parser import parse_plan
from planbot.errors import DocumentError
from planbot.settings import BUNDLED_PLAN


def _ledger(plan: Plan) -> list[dict[str, object]]:
    """Everything the ledger stores about the tasks."""
    return [t.to_dict() for t in plan.tasks]


def test_utf8_txt(parser_plan: Plan) -> None:
    assert _ledger(parse_plan(read_document(BUNDLED_PLAN))) == _ledger(parser_plan)


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig", "utf-16"])
def test_other_encodings_parse_the_same(tmp_path: Path, plan_text: str, parser_plan: Plan, encoding: str) -> None:
    path = tmp_path / "plan.txt"
    path.write_bytes(plan_text.encode(encoding))
    assert _ledger(parse_plan(read_document(path))) == _ledger(parser_plan)


def test_crlf_line_endings(tmp_path: Path, plan_text: str, parser_plan: Plan) -> None:
    path = tmp_path / "plan.txt"
    path.write_bytes(plan_text.replace("\n", "\r\n").encode("utf-8"))
    assert _ledger(parse_plan(read_document(path))) == _ledger(parser_plan)


def test_docx_parses_to_the_same_ledger(tmp_path: Path, plan_text: str, parser_plan: Plan) -> None:
    document = docx.Document()
    for line in plan_text.splitlines():
        document.add_paragraph(line)
    path = tmp_path / "plan.docx"
    document.save(str(path))
    plan = parse_plan(read_document(path))
    assert _ledger(plan) == _ledger(parser_plan)
    assert (plan.title, plan.goals, plan.paragraphs) == (parser_plan.title, parser_plan.goals, parser_plan.paragraphs)


def test_docx_table_rows_are_read(tmp_path: Path) -> None:
    document = docx.Document()
    for line in ("2025年清河市行动方案", "二、重点任务", "1.开展巡查。常态化开展巡查。"):
        document.add_paragraph(line)
    table = document.add_table(rows=2, cols=1)
    table.cell(0, 0).text = "责任领导：孙丽"
    table.cell(1, 0).text = "牵头单位：大气科"
    path = tmp_path / "plan.docx"
    document.save(str(path))
    task = parse_plan(read_document(path)).task(1)
    assert task is not None and (task.leaders, task.lead_units) == (("孙丽",), ("大气科",))


@pytest.mark.parametrize(("name", "content", "fragments"), [
    ("empty.txt", b"", ["是空的"]),
    ("blank.txt", "  \n\u3000\n".encode(), ["是空的"]),
    ("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)), ["不是文本文档"]),
    ("nul.txt", "方案".encode() + b"\x00\x01\x02" * 50, ["不是文本文档"]),
    ("plan.pdf", b"%PDF-1.7\n" + b"\x00" * 10, ["不是文本文档"]),
    ("bad.txt", "2023年方案".encode() + b"\xff\xff\xfe\x80", ["无法识别", "UTF-8", "GB18030"]),
    ("fake.docx", "这不是Word文件".encode(), ["无法打开 Word 文件", "不是 .docx 格式"]),
])
def test_bad_files_rejected(tmp_path: Path, name: str, content: bytes, fragments: list[str]) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DocumentError) as err:
        read_document(path)
    message = str(err.value)
    assert "\u4e00" <= message[0] <= "\u9fff", "the Chinese message comes first"
    for fragment in fragments:
        assert fragment in message


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="找不到文件"):
        read_document(tmp_path / "nope.txt")


def test_truncated_document_rejected(tmp_path: Path, plan_text: str) -> None:
    cut = plan_text.index("37.规范喷涂作业") + len("37.规范喷涂作业。指导秦都分局建设")
    path = tmp_path / "cut.txt"
    path.write_text(plan_text[:cut], encoding="utf-8")
    with pytest.raises(DocumentError, match="第 37 项任务处被截断"):
        parse_plan(read_document(path))


def test_document_cut_after_a_complete_task_is_rejected(tmp_path: Path, plan_text: str) -> None:
    # Cut right after task 20's responsibility block: every task read is whole, but the plan states 37.
    cut = plan_text.index("\n", plan_text.index("责任单位：各分局（不涉及高新、经开）"))
    path = tmp_path / "cut.txt"
    path.write_text(plan_text[:cut], encoding="utf-8")
    with pytest.raises(DocumentError, match=r"写明有 37 项任务.*只读到 20 项"):
        parse_plan(read_document(path))


def test_markdown_file(tmp_path: Path, plan_text: str, parser_plan: Plan) -> None:
    lines = plan_text.splitlines()
    headings = ("一、", "二、", "四、")
    markdown = ["# " + lines[0], ""] + [("## " + ln if ln[:2] in headings else ln) + "\n" for ln in lines[1:]]
    path = tmp_path / "plan.md"
    path.write_text("\n".join(markdown), encoding="utf-8")
    assert _ledger(parse_plan(read_document(path))) == _ledger(parser_plan)


def test_docx_automatic_list_numbers(tmp_path: Path, plan_text: str, parser_plan: Plan) -> None:
    """Word lists keep their numbers outside the text; the loader writes them out so tasks are found."""
    document = docx.Document()
    for line in plan_text.splitlines():
        number, dot, rest = line.partition(".")
        if dot and number.isdigit():
            document.add_paragraph(rest, style="List Number")
        else:
            document.add_paragraph(line)
    path = tmp_path / "numbered.docx"
    document.save(str(path))
    assert _ledger(parse_plan(read_document(path))) == _ledger(parser_plan)


@pytest.mark.parametrize(("n", "fmt", "label"), [
    (1, "decimal", "1"), (12, "decimal", "12"), (1, "chineseCounting", "一"), (10, "chineseCounting", "十"),
    (12, "chineseCountingThousand", "十二"), (23, "chineseCounting", "二十三"), (3, "ideographTraditional", "丙"),
    (2, "bullet", ""),
])
def test_word_number_formats(n: int, fmt: str, label: str) -> None:
    assert format_number(n, fmt) == label
