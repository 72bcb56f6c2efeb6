"""Date periods named in a question ("4月底前", "本月", "下周", "三季度", "已逾期"), computed against `now`."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from knowledge.qa import texts as msg

_CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


@dataclass(frozen=True)
class Period:
    """A closed date range a question asks about; `overdue` means "due before today"."""

    start: date
    end: date
    label: str  # how the answer names it, e.g. "2023年4月" or "本月（2023年5月）"
    overdue: bool = False
    source: str = ""  # the words of the question that named it
    parts: tuple[tuple[date, date], ...] = ()  # months named one by one ("五月底、六月底"), within start…end

    def contains(self, day: date) -> bool:
        """Whether the day lies in the range (in one of its parts, when it has them)."""
        if self.parts:
            return any(start <= day <= end for start, end in self.parts)
        return self.start <= day <= self.end


_CN_UNITS = {"千": 1000, "百": 100, "十": 10}


def cn_number(raw: str) -> int | None:
    """Arabic or Chinese numbers ("1024", "十二", "一百零五", "两千"); None when not a number."""
    if raw.isdigit():
        return int(raw)
    if not raw or any(ch not in _CN_DIGITS and ch not in _CN_UNITS and ch != "零" for ch in raw):
        return None
    total, digit = 0, 0
    for ch in raw:
        if ch == "零":
            continue
        if ch in _CN_UNITS:
            total += (digit or 1) * _CN_UNITS[ch]
            digit = 0
        else:
            digit = _CN_DIGITS[ch]
    return total + digit


def _cn_number(raw: str) -> int | None:
    """Arabic or simple Chinese numbers up to 99 ("3", "十二", "二十")."""
    if raw.isdigit():
        return int(raw)
    if not raw or any(ch not in _CN_DIGITS for ch in raw):
        return None
    if raw == "十":
        return 10
    if raw.startswith("十"):
        return 10 + _CN_DIGITS[raw[1]]
    if raw.endswith("十"):
        return _CN_DIGITS[raw[0]] * 10
    if len(raw) == 3 and raw[1] == "十":
        return _CN_DIGITS[raw[0]] * 10 + _CN_DIGITS[raw[2]]
    return _CN_DIGITS[raw] if len(raw) == 1 else None


def _month(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _shift_month(day: date, months: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 + months
    return index // 12, index % 12 + 1


_NUM = r"(\d{1,2}|[一二两三四五六七八九十]{1,3})"
_EXPLICIT = re.compile(r"(?:(\d{4})年)?" + _NUM + r"月(?:份)?(?:(\d{1,2})日|底|末|份|中旬|上旬|下旬)?")
_JOINED = re.compile(r"\s*(?:、|，|,|和|及|与|跟|或|以及|还有)\s*")  # between months named one by one
_MONTH_JOIN = "月、"
_QUARTER = re.compile(r"(?:(\d{4})年)?(?:第)?([一二三四1-4])季度")
_NEXT_DAYS = re.compile(r"(?:未来|今后|接下来|最近|近)" + _NUM + r"(天|日|周|个星期|个月)")


_PENDING = re.compile(r"(?:还|尚)?(?:没有?|未)(?:到期|到截止时间)|还没到时间")
_OVERDUE = re.compile(r"已经?逾期|逾期|过期|超期|已经?到期|已过截止|超过期限|没按时|未按时")
_THIS_MONTH = re.compile(r"本月|这个月|当月|这月")
_NEXT_MONTH = re.compile(r"下个?月")
_LAST_MONTH = re.compile(r"上个?月")
_THIS_QUARTER = re.compile(r"本季度|这个?季度|当季度")
_NEXT_QUARTER = re.compile(r"下个?季度")
_LAST_QUARTER = re.compile(r"上个?季度")
_NEXT_WEEK = re.compile(r"下周|下个?星期|下礼拜")
_THIS_WEEK = re.compile(r"本周|这周|这个?星期|这礼拜")
_TODAY = re.compile(r"今天|今日")
_TOMORROW = re.compile(r"明天|明日")
_YESTERDAY = re.compile(r"昨天|昨日")
_LAST_WEEK = re.compile(r"上周|上个?星期|上礼拜")
# "2024年底" shares its 年 with 年底; "明年底", "今年上半年" name the year relatively.
_HALF = re.compile(r"(?:(\d{4})年?|([明今本去])年?)?(上半年|下半年|年底|年末|年内|全年)")
_RELATIVE_YEAR = {"明": 1, "今": 0, "本": 0, "去": -1}
_THIS_YEAR = re.compile(r"今年|本年度?")
_YEAR = re.compile(r"(\d{4})年(?:度)?(?!\d{0,2}月)")


# A span of months ("5—9月", "5月到9月", "五至九月"), read before a single month.
_MONTH_RANGE = re.compile(r"(?:(\d{4})年)?(\d{1,2}|[一二三四五六七八九十]{1,3})月?(?:—|-|–|~|～|到|至)"
                          r"(\d{1,2}|[一二三四五六七八九十]{1,3})月")


def _listed_months(text: str, first: re.Match[str], year: int) -> Period | None:
    """Months named one after another ("五月底、六月底", "3月和9月"): one period of those months, or None."""
    months, end_at = [_cn_number(first.group(2))], first.end()
    for m in _EXPLICIT.finditer(text, first.end()):
        if not _JOINED.fullmatch(text[end_at:m.start()]) or m.group(1) or m.group(3):
            break
        months.append(_cn_number(m.group(2)))
        end_at = m.end()
    named = sorted({n for n in months if n and 1 <= n <= 12})
    if len(named) < 2:
        return None
    parts = tuple(_month(year, n) for n in named)
    label = msg.QA_PERIOD_MONTH_LIST.plain(year=year, months=_MONTH_JOIN.join(str(n) for n in named))
    return Period(parts[0][0], parts[-1][1], label, source=text[first.start():end_at], parts=parts)


def find_period(text: str, now: date, default_year: int) -> Period | None:
    """The first period the text names, or None; a month without a year takes `default_year`."""
    if m := _PENDING.search(text):
        return Period(now, date(9999, 12, 31), msg.QA_PERIOD_FROM.plain(year=now.year, month=now.month, day=now.day),
                      source=m.group())
    if m := _OVERDUE.search(text):
        yesterday = now - timedelta(days=1)
        return Period(date(1900, 1, 1), yesterday,
                      msg.QA_PERIOD_OVERDUE.plain(year=now.year, month=now.month, day=now.day),
                      overdue=True, source=m.group())
    if m := _THIS_MONTH.search(text):
        start, end = _month(now.year, now.month)
        return Period(start, end, msg.QA_PERIOD_THIS_MONTH.plain(year=now.year, month=now.month), source=m.group())
    for pattern, shift, word in ((_NEXT_MONTH, 1, "下个月"), (_LAST_MONTH, -1, "上个月")):
        if m := pattern.search(text):
            y, mon = _shift_month(now, shift)
            start, end = _month(y, mon)
            return Period(start, end, msg.QA_PERIOD_NAMED_MONTH.plain(word=word, year=y, month=mon), source=m.group())
    quarters = ((_THIS_QUARTER, 0, "本季度"), (_NEXT_QUARTER, 1, "下季度"), (_LAST_QUARTER, -1, "上季度"))
    for pattern, shift, word in quarters:
        if m := pattern.search(text):
            y, first = _shift_month(date(now.year, (now.month - 1) // 3 * 3 + 1, 1), 3 * shift)
            start, _ = _month(y, first)
            _, end = _month(y, first + 2)
            label = msg.QA_PERIOD_NAMED_QUARTER.plain(word=word, year=y, quarter=(first - 1) // 3 + 1)
            return Period(start, end, label, source=m.group())
    week_start = now - timedelta(days=now.weekday())
    for pattern, offset, word in ((_NEXT_WEEK, 7, "下周"), (_THIS_WEEK, 0, "本周"), (_LAST_WEEK, -7, "上周")):
        if m := pattern.search(text):
            start = week_start + timedelta(days=offset)
            end = start + timedelta(days=6)
            return Period(start, end, msg.QA_PERIOD_NAMED_SPAN.plain(word=word, start=_md(start), end=_md(end)),
                          source=m.group())
    if m := _NEXT_DAYS.search(text):
        n = _cn_number(m.group(1)) or 0
        unit = m.group(2)
        end = now + timedelta(days=n * (7 if "周" in unit or "星期" in unit else 1))
        if "月" in unit:
            y, mon = _shift_month(now, n)
            end = date(y, mon, min(now.day, calendar.monthrange(y, mon)[1]))
        return Period(now, end, msg.QA_SPAN.plain(start=_md(now), end=_md(end)), source=m.group())
    for pattern, offset, word in ((_TODAY, 0, "今天"), (_TOMORROW, 1, "明天"), (_YESTERDAY, -1, "昨天")):
        if m := pattern.search(text):
            day = now + timedelta(days=offset)
            return Period(day, day, msg.QA_PERIOD_NAMED_DAY.plain(word=word, day=_md(day)), source=m.group())
    if (m := _MONTH_RANGE.search(text)) and 1 <= (first := _cn_number(m.group(2)) or 0) < (
            last := _cn_number(m.group(3)) or 0) <= 12:
        year = int(m.group(1)) if m.group(1) else default_year
        return Period(_month(year, first)[0], _month(year, last)[1],
                      msg.QA_PERIOD_MONTHS.plain(year=year, first=first, last=last), source=m.group())
    if m := _EXPLICIT.search(text):
        month = _cn_number(m.group(2))
        if month and 1 <= month <= 12:
            year = int(m.group(1)) if m.group(1) else default_year
            start, end = _month(year, month)
            if m.group(3) and 1 <= int(m.group(3)) <= end.day:
                end = date(year, month, int(m.group(3)))
            if (listed := _listed_months(text, m, year)) is not None:
                return listed
            return Period(start, end, msg.QA_PERIOD_MONTH.plain(year=year, month=month), source=m.group())
    if m := _QUARTER.search(text):
        year = int(m.group(1)) if m.group(1) else default_year
        q = _cn_number(m.group(2)) or 1
        start, _ = _month(year, 3 * q - 2)
        _, end = _month(year, 3 * q)
        return Period(start, end, msg.QA_PERIOD_QUARTER.plain(year=year, quarter=q), source=m.group())
    if m := _HALF.search(text):
        year = (int(m.group(1)) if m.group(1) else now.year + _RELATIVE_YEAR[m.group(2)] if m.group(2)
                else default_year)
        kind = m.group(3)
        if kind == "上半年":
            return Period(date(year, 1, 1), date(year, 6, 30), msg.QA_PERIOD_FIRST_HALF.plain(year=year),
                          source=m.group())
        if kind == "下半年":
            return Period(date(year, 7, 1), date(year, 12, 31), msg.QA_PERIOD_SECOND_HALF.plain(year=year),
                          source=m.group())
        if kind in ("年底", "年末"):
            return Period(date(year, 12, 1), date(year, 12, 31), msg.QA_PERIOD_MONTH.plain(year=year, month=12),
                          source=m.group())
        return Period(date(year, 1, 1), date(year, 12, 31), msg.QA_PERIOD_YEAR.plain(year=year), source=m.group())
    if m := _THIS_YEAR.search(text):
        return Period(date(now.year, 1, 1), date(now.year, 12, 31), msg.QA_PERIOD_THIS_YEAR.plain(year=now.year),
                      source=m.group())
    if m := _YEAR.search(text):
        year = int(m.group(1))
        return Period(date(year, 1, 1), date(year, 12, 31), msg.QA_PERIOD_YEAR.plain(year=year), source=m.group())
    return None


# "提前年底" and "以上年运量" are not "前年"/"上年".
_PAST_RELATIVE = ((re.compile(r"(?<![提之以])前年(?![底末内])"), 2), (re.compile(r"去年"), 1),
                  (re.compile(r"(?<!以)上一?年(?![底末内])"), 1))
_ANY_YEAR = re.compile(r"(\d{4})年")
# A comparison ("较2022年前移") asks about the plan's own target, not about the past year itself.
_COMPARISON = re.compile(r"较|比(?!例|重|武|赛)")


def past_year(text: str, now: date, plan_year: int) -> int | None:
    """The year before the plan's own that a question asks about ("去年", "2022年"), or None."""
    if _COMPARISON.search(text):
        return None
    years = [int(y) for y in _ANY_YEAR.findall(text)]
    years += [now.year - back for pattern, back in _PAST_RELATIVE if pattern.search(text)]
    past = [y for y in years if y < plan_year]
    return max(past) if past else None


_NEXT_RELATIVE = ((re.compile(r"明年"), 1), (re.compile(r"后年(?![底末内])"), 2))


def future_year(text: str, now: date, plan_year: int, covered: set[int]) -> int | None:
    """A year after the plan's own that a question asks about ("明年", "2025年") and the plan sets nothing for
    (no time limit of the plan falls in it), or None."""
    later = [y for y in later_years(text, now, plan_year) if y not in covered]
    return min(later) if later else None


def later_years(text: str, now: date, plan_year: int) -> list[int]:
    """The years after the plan's own that a question names ("2024年", "明年"); none for a comparison."""
    if _COMPARISON.search(text):
        return []
    years = [int(y) for y in _ANY_YEAR.findall(text)]
    years += [now.year + ahead for pattern, ahead in _NEXT_RELATIVE if pattern.search(text)]
    # Asked after the plan's year ends, "去年" may still be later than the plan ("去年" in 2026 of a 2023 plan).
    years += [now.year - back for pattern, back in _PAST_RELATIVE if pattern.search(text)]
    return [y for y in years if y > plan_year]


def _md(day: date) -> str:
    return msg.QA_MONTH_DAY.plain(month=day.month, day=day.day)
