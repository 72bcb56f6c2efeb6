"""Time expressions in plan text: due dates, start dates, periods and recurring duties (pure)."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from knowledge.model import TimeExpr

# Sentences end at these marks; a date without a year takes the year of its sentence.
_SENTENCE_END = re.compile(r"[。；;！!？?\n]")
_YEAR = re.compile(r"(?<!\d)(\d{4})年")
_DASH = r"(?:—+|–|-|－|～|~|至|到)"
# "2025—2026年秋冬季", "2021—2025年": a span of years names a campaign or a period, not the year of a date.
_YEAR_RANGE = re.compile(rf"(?<!\d)(\d{{4}})年?\s*{_DASH}\s*(\d{{4}})年度?")

# "5—9月", "2023年5月—9月", "5月1日至9月30日"
_RANGE = re.compile(
    rf"(?<!\d)(?:(?P<y1>\d{{4}})年)?(?P<m1>\d{{1,2}})(?:月(?:(?P<d1>\d{{1,2}})日)?)?\s*{_DASH}\s*"
    r"(?:(?P<y2>\d{4})年|(?P<next>次年|翌年|来年))?(?P<m2>\d{1,2})月(?:(?P<d2>\d{1,2})日)?(?:份)?(?:期间)?"
)
# "2023年10月底前", "4月15日前", "2023年3月起", "2023年12月底", "9月中旬前"
_POINT = re.compile(
    r"(?<!\d)(?:(?P<y>\d{4})年)?(?P<m>\d{1,2})月"
    r"(?:(?P<d>\d{1,2})[日号]|(?P<part>底|末|上旬|中旬|下旬|份))?"
    r"(?P<q>之前|以前|前|起|开始|以后|后)?"
)
# "2023年底前", "年底前", "年内完成" — but "三年内" / "1年内" is a duration, not this year
_YEAR_END_STRICT = re.compile(r"(?<![\d一二两三四五六七八九十半多几数])"
                              r"(?:(?P<y>\d{4})年[底内]|年[底内])(?:之前|以前|前)?")
# A bare date ("2023年5月，完成…") is a due date only when the clause completes something.
# "2023年第三季度末前", "二季度底前", "上半年前"
_QUARTER = re.compile(r"(?<!\d)(?:(?P<y>\d{4})年)?(?:第)?(?P<q>[一二三四1-4])季度(?:末|底)?(?P<before>之前|以前|前)")
_HALF = re.compile(r"(?<!\d)(?:(?P<y>\d{4})年)?(?P<h>上半年|下半年)(?:末|底)?(?P<before>之前|以前|前)")
_HALF_END = {"上半年": 6, "下半年": 12}
_QUARTER_NUMBER = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_COMPLETES = re.compile(r"^[，,\s]*(?:前|全面|全部|基本|确保|力争)?(?:完成|建成|投运|实现|出台|确定|投用)")
_RECURRING = re.compile(r"每(?:月|周|季度|季|年|日|天|旬|半年)|常态化|定期")


@dataclass(frozen=True)
class Season:
    """A named season turned into a period: (start month, day) .. (end month, day)."""

    pattern: str
    start: tuple[int, int]
    end: tuple[int, int]


# Choices (documented): 秋冬季 = 10月1日–次年3月31日 (the national 秋冬季攻坚 window);
# 臭氧高发季节/夏秋季 = 5–9月 (the ozone season used for 臭氧差异化管控); 采暖季 = 11月15日–次年3月15日.
SEASONS: tuple[Season, ...] = (
    Season(r"秋冬季(?:攻坚)?(?:期间)?", (10, 1), (3, 31)),
    Season(r"臭氧(?:污染)?高发(?:季节|季|期|时段)(?:期间)?", (5, 1), (9, 30)),
    Season(r"夏秋季(?:期间)?", (5, 1), (9, 30)),
    Season(r"(?:采暖季|供暖季|采暖期|供暖期)(?:期间)?", (11, 15), (3, 15)),
)


def _last_day(year: int, month: int) -> date:
    """The last day of a month."""
    return date(year, month, calendar.monthrange(year, month)[1])


def _safe_date(year: int, month: int, day: int) -> date | None:
    """A date, or None when the numbers do not form one."""
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _sentence_year(sentence: str, offset: int, default_year: int) -> int:
    """The nearest explicit year before `offset` in the sentence, else the plan's year.

    A year written later in the sentence does not count: "12月底前完成，2024年持续推进" is due this year, and
    neither does a span of years: "制定2025—2026年秋冬季攻坚方案，10月底前印发" is due this October.
    """
    ranges = [m.span() for m in _YEAR_RANGE.finditer(sentence)]
    before = [int(m.group(1)) for m in _YEAR.finditer(sentence)
              if m.start() < offset and not _taken(ranges, *m.span())]
    return before[-1] if before else default_year


def _sentences(text: str) -> list[str]:
    """Split text into sentences, keeping each sentence's text."""
    out: list[str] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        out.append(text[start:m.end()])
        start = m.end()
    if start < len(text):
        out.append(text[start:])
    return out


def _taken(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) overlaps a span already used by another expression."""
    return any(start < e and s < end for s, e in spans)


def _ranges(sentence: str, year: int, spans: list[tuple[int, int]]) -> list[tuple[int, TimeExpr]]:
    """Month ranges such as 5—9月."""
    out: list[tuple[int, TimeExpr]] = []
    for m in _RANGE.finditer(sentence):
        y1 = int(m["y1"]) if m["y1"] else _sentence_year(sentence, m.start(), year)
        m1, m2 = int(m["m1"]), int(m["m2"])
        if not (1 <= m1 <= 12 and 1 <= m2 <= 12):
            continue
        y2 = int(m["y2"]) if m["y2"] else (y1 if m2 >= m1 and not m["next"] else y1 + 1)
        first = _safe_date(y1, m1, int(m["d1"])) if m["d1"] else date(y1, m1, 1)
        last = _safe_date(y2, m2, int(m["d2"])) if m["d2"] else _last_day(y2, m2)
        if first is None or last is None or last < first:
            continue
        spans.append(m.span())
        out.append((m.start(), TimeExpr("period", m.group(0), first, last)))
    return out


def _seasons(sentence: str, year: int, spans: list[tuple[int, int]]) -> list[tuple[int, TimeExpr]]:
    """Named seasons such as 秋冬季期间."""
    out: list[tuple[int, TimeExpr]] = []
    for season in SEASONS:
        for m in re.finditer(season.pattern, sentence):
            if _taken(spans, *m.span()):
                continue
            # "2025—2026年秋冬季" starts in the span's first year
            span = next((r for r in _YEAR_RANGE.finditer(sentence) if r.end() == m.start()), None)
            y = int(span.group(1)) if span else _sentence_year(sentence, m.start(), year)
            end_year = y + 1 if season.end < season.start else y
            first = date(y, *season.start)
            last = date(end_year, *season.end)
            spans.append(m.span())
            out.append((m.start(), TimeExpr("period", m.group(0), first, last)))
    return out


def _point_date(year: int, month: int, day: str | None, part: str | None) -> date | None:
    """The date a point expression names: a day, or a part of a month (底 = last day)."""
    if day:
        return _safe_date(year, month, int(day))
    if part in ("底", "末", "下旬", "份"):
        return _last_day(year, month)
    if part == "上旬":
        return date(year, month, 10)
    if part == "中旬":
        return date(year, month, 20)
    return None


def _points(sentence: str, year: int, spans: list[tuple[int, int]],
            bare_is_due: bool = False) -> list[tuple[int, TimeExpr]]:
    """Due and start dates such as 2023年10月底前 and 2023年3月起; `bare_is_due` for a deadline field's text."""
    out: list[tuple[int, TimeExpr]] = []
    for m in _POINT.finditer(sentence):
        if _taken(spans, *m.span()):
            continue
        month = int(m["m"])
        if not 1 <= month <= 12:
            continue
        y = int(m["y"]) if m["y"] else _sentence_year(sentence, m.start(), year)
        q, part, day = m["q"], m["part"], m["d"]
        text = m.group(0)
        if q in ("起", "开始", "以后", "后"):
            start = _safe_date(y, month, int(day)) if day else date(y, month, 1)
            if start:
                out.append((m.start(), TimeExpr("start", text, start)))
            continue
        if q:  # 前 / 之前 / 以前
            # "10月前" with neither day nor 底: before October begins
            due = _point_date(y, month, day, part) if day or part else date(y, month, 1) - timedelta(days=1)
            if due:
                out.append((m.start(), TimeExpr("due", text, due)))
            continue
        if bare_is_due or part in ("底", "末") or _COMPLETES.match(sentence[m.end():]):
            due = _point_date(y, month, day, part) or _last_day(y, month)
            if due:
                out.append((m.start(), TimeExpr("due", text, due)))
        spans.append(m.span())
    return out


def _year_ends(sentence: str, year: int, spans: list[tuple[int, int]]) -> list[tuple[int, TimeExpr]]:
    """Year ends such as 2023年底前 or 年内; a bare 年底前 is always the plan year's end, whatever year came before."""
    out: list[tuple[int, TimeExpr]] = []
    for m in _YEAR_END_STRICT.finditer(sentence):
        if _taken(spans, *m.span()):
            continue
        y = int(m["y"]) if m["y"] else year
        spans.append(m.span())
        out.append((m.start(), TimeExpr("due", m.group(0), date(y, 12, 31))))
    return out


def _quarters(sentence: str, year: int, spans: list[tuple[int, int]]) -> list[tuple[int, TimeExpr]]:
    """Quarter and half-year deadlines such as 三季度末前 and 上半年前."""
    out: list[tuple[int, TimeExpr]] = []
    for m in (*_QUARTER.finditer(sentence), *_HALF.finditer(sentence)):
        if _taken(spans, *m.span()):
            continue
        y = int(m["y"]) if m["y"] else _sentence_year(sentence, m.start(), year)
        month = _QUARTER_NUMBER[m["q"]] * 3 if "q" in m.groupdict() else _HALF_END[m["h"]]
        spans.append(m.span())
        out.append((m.start(), TimeExpr("due", m.group(0), _last_day(y, month))))
    return out


def find_time_exprs(text: str, default_year: int, *, bare_is_due: bool = False) -> tuple[TimeExpr, ...]:
    """Every time expression in `text`, in reading order; dates without a year take the sentence's or `default_year`.

    After a date of the next year ("2026年3月底前…；6月底前…") later months without a year stay in that year,
    until another year is written; a bare 年底前 is still the plan year's end.
    """
    found: list[tuple[int, int, TimeExpr]] = []
    offset = 0
    carried = default_year
    for sentence in _sentences(text):
        spans: list[tuple[int, int]] = []
        hits = _ranges(sentence, carried, spans)
        hits += _seasons(sentence, carried, spans)
        hits += _year_ends(sentence, default_year, spans)
        hits += _quarters(sentence, carried, spans)
        hits += _points(sentence, carried, spans, bare_is_due)
        found += [(offset + pos, 0, expr) for pos, expr in hits]
        offset += len(sentence)
        # Only a date carries its year on: "（2024年本）" or "2024年持续推进" does not.
        dated = [(pos, int(expr.text[:4])) for pos, expr in hits if expr.date and _YEAR.match(expr.text)]
        if dated:
            year = max(dated)[1]
            carried = year if year == default_year + 1 else default_year
    seen: set[str] = set()
    for m in _RECURRING.finditer(text):
        if m.group(0) not in seen:  # one recurring entry per wording is enough
            seen.add(m.group(0))
            found.append((m.start(), 1, TimeExpr("recurring", m.group(0))))
    found.sort(key=lambda item: (item[0], item[1]))
    return tuple(dict.fromkeys(expr for _, _, expr in found))
