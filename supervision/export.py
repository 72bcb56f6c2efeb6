"""Reports as an .xlsx workbook (detail, summary, issues, timeline picture) or CSV — openpyxl adapter."""

from __future__ import annotations

import csv
import io
from datetime import datetime, tzinfo

from knowledge.qa import texts as qa_msg
from supervision import texts as msg
from supervision.reports import Report, Row
from supervision.rounds import DONE, LAGGING, NEEDS_HELP, NO_REPLY, ON_TRACK, ROLE_LEAD, STATUSES, round_label

# Column widths in characters, matching SV_DETAIL_HEADERS; the long text columns wrap.
DETAIL_WIDTHS = (9, 26, 24, 12, 22, 7, 12, 40, 30, 14, 17, 24, 12, 9, 22, 36)
WRAP_COLUMNS = {2, 3, 8, 9, 12, 15, 16}
FILLS = {DONE: "C8E6C9", ON_TRACK: "BBDEFB", LAGGING: "FFE0B2", NEEDS_HELP: "FFCDD2", NO_REPLY: "EEEEEE"}
HEADER_FILL = "DDE5F0"


def _when(at: datetime | None, tz: tzinfo) -> str:
    return at.astimezone(tz).strftime("%Y-%m-%d %H:%M") if at else ""


def detail_values(row: Row, tz: tzinfo) -> list[object]:
    """One detail row in the order of SV_DETAIL_HEADERS."""
    return [
        row.task, row.title, row.section, "、".join(row.leaders), row.unit,
        qa_msg.QA_ROLE_LEAD if row.role == ROLE_LEAD else msg.SV_ROLE_UNIT, row.status, row.note, row.reason,
        row.reporter, _when(row.replied_at, tz), "、".join(d.isoformat() for d in row.due_dates),
        row.next_due.isoformat() if row.next_due else "", msg.SV_YES if row.overdue else msg.SV_NO,
        "→".join(row.changes), row.leader_comment,
    ]


def to_csv(report: Report, tz: tzinfo) -> bytes:
    """The detail table as CSV, UTF-8 with BOM so Excel opens the Chinese correctly."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(msg.SV_DETAIL_HEADERS)
    for row in report.rows:
        writer.writerow(detail_values(row, tz))
    return buf.getvalue().encode("utf-8-sig")


def to_xlsx(report: Report, tz: tzinfo, timeline_png: bytes | None = None) -> bytes:
    """The workbook: detail (one row per task and unit), summary by unit, overdue/unanswered, timeline picture."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    thin = Side(style="thin", color="BBBBBB")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    bold = Font(bold=True)
    header_fill = PatternFill("solid", fgColor=HEADER_FILL)

    def table(ws: object, headers: tuple[str, ...], rows: list[list[object]], widths: tuple[int, ...],
              wrap: set[int], start: int = 1) -> None:
        sheet = ws  # typed loosely: openpyxl ships no stubs
        for c, title in enumerate(headers, 1):
            cell = sheet.cell(row=start, column=c, value=title)  # type: ignore[attr-defined]
            cell.font, cell.fill, cell.border = bold, header_fill, border
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        for r, values in enumerate(rows, start + 1):
            for c, value in enumerate(values, 1):
                cell = sheet.cell(row=r, column=c, value=value)  # type: ignore[attr-defined]
                cell.border = border
                cell.alignment = Alignment(vertical="top", wrap_text=c in wrap)
        for c, width in enumerate(widths, 1):
            sheet.column_dimensions[get_column_letter(c)].width = width  # type: ignore[attr-defined]
        sheet.freeze_panes = sheet.cell(row=start + 1, column=1)  # type: ignore[attr-defined]
        sheet.auto_filter.ref = f"A{start}:{get_column_letter(len(headers))}{start + len(rows)}"  # type: ignore[attr-defined]
        setup = sheet.page_setup  # type: ignore[attr-defined]
        setup.orientation = "landscape"
        setup.paperSize = sheet.PAPERSIZE_A4  # type: ignore[attr-defined]
        setup.fitToWidth, setup.fitToHeight = 1, 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True  # type: ignore[attr-defined]
        sheet.print_title_rows = f"{start}:{start}"  # type: ignore[attr-defined]
        sheet.print_options.horizontalCentered = True  # type: ignore[attr-defined]
        sheet.page_margins.left = sheet.page_margins.right = 0.4  # type: ignore[attr-defined]

    wb = Workbook()
    detail = wb.active
    detail.title = msg.SV_SHEET_DETAIL
    table(detail, msg.SV_DETAIL_HEADERS, [detail_values(r, tz) for r in report.rows], DETAIL_WIDTHS, WRAP_COLUMNS)
    status_col = msg.SV_DETAIL_HEADERS.index("状态") + 1
    for r, row in enumerate(report.rows, 2):
        detail.cell(row=r, column=status_col).fill = PatternFill("solid", fgColor=FILLS.get(row.status, "FFFFFF"))

    summary = wb.create_sheet(msg.SV_SHEET_SUMMARY)
    summary.cell(row=1, column=1, value=msg.SV_SUMMARY_TITLE.plain(
        title=report.plan_title, label=report.period.label, at=_when(report.generated_at, tz))).font = Font(
        bold=True, size=13)
    summary_rows: list[list[object]] = [
        [u.unit, *(u.counts.get(s, 0) for s in (*STATUSES, NO_REPLY)), u.total, "、".join(map(str, u.lagging))]
        for u in report.units
    ]
    totals = [report.totals.get(s, 0) for s in (*STATUSES, NO_REPLY)]
    summary_rows.append([msg.SV_REPORT_TOTALS.split("：")[0], *totals, sum(totals), ""])
    table(summary, msg.SV_SUMMARY_HEADERS, summary_rows, (28, 9, 11, 9, 9, 9, 9, 30), {1, 8}, start=3)
    for c in range(1, len(msg.SV_SUMMARY_HEADERS) + 1):
        summary.cell(row=3 + len(summary_rows), column=c).font = bold

    issues = wb.create_sheet(msg.SV_SHEET_ISSUES)
    titles = {r.task: r.title for r in report.rows}
    issue_rows: list[list[object]] = [[msg.SV_ISSUE_OVERDUE, n, "、".join(report.owing.get(n, ())), titles.get(n, "")]
                                      for n in report.overdue]
    issue_rows += [[msg.SV_ISSUE_UNANSWERED, round_label(u.round_key), u.unit, "、".join(map(str, u.tasks))]
                   for u in report.unanswered]
    table(issues, msg.SV_ISSUES_HEADERS, issue_rows, (14, 32, 28, 40), {2, 4})

    if timeline_png:
        from openpyxl.drawing.image import Image

        pic = wb.create_sheet(msg.SV_SHEET_TIMELINE)
        image = Image(io.BytesIO(timeline_png))
        pic.add_image(image, "A1")
        pic.page_setup.orientation = "landscape"
        pic.page_setup.fitToWidth = 1
        pic.sheet_properties.pageSetUpPr.fitToPage = True

    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()

