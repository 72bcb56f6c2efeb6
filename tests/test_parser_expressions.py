"""Time expressions, limits and responsibility lists, table-driven."""

from __future__ import annotations

from datetime import date

import pytest

from knowledge.limits import find_goals, find_limits
from knowledge.names import split_names
from knowledge.timeexpr import find_time_exprs

D = date


@pytest.mark.parametrize(("text", "year", "expected"), [
    ("2023年10月底前，完成升级。", 2023, [("due", "2023年10月底前", D(2023, 10, 31), None)]),
    ("2023年4月15日前，确定名单。", 2023, [("due", "2023年4月15日前", D(2023, 4, 15), None)]),
    ("督导制定计划，2023年12月底，完成升级改造。", 2023, [("due", "2023年12月底", D(2023, 12, 31), None)]),
    ("4月底前，组织召开推进会。", 2023, [("due", "4月底前", D(2023, 4, 30), None)]),
    ("9月底前，实现全覆盖。", 2025, [("due", "9月底前", D(2025, 9, 30), None)]),
    ("力争2024年12月底前成功创建A级企业。", 2023, [("due", "2024年12月底前", D(2024, 12, 31), None)]),
    ("2025年3月底前完成摸排，6月底前完成整改。", 2026,
     [("due", "2025年3月底前", D(2025, 3, 31), None), ("due", "6月底前", D(2025, 6, 30), None)]),
    ("2025年3月底前完成摸排。6月底前完成整改。", 2026,
     [("due", "2025年3月底前", D(2025, 3, 31), None), ("due", "6月底前", D(2026, 6, 30), None)]),
    ("2023年10月前完成。", 2023, [("due", "2023年10月前", D(2023, 9, 30), None)]),
    ("9月中旬前完成。", 2023, [("due", "9月中旬前", D(2023, 9, 20), None)]),
    ("年底前完成全部更新。", 2025, [("due", "年底前", D(2025, 12, 31), None)]),
    ("2023年5月，建成监控平台。", 2023, [("due", "2023年5月", D(2023, 5, 31), None)]),
    ("2023年3月起，市区及周边审批。", 2023, [("start", "2023年3月起", D(2023, 3, 1), None)]),
    ("2023年10月起，全市商混站停产。", 2023, [("start", "2023年10月起", D(2023, 10, 1), None)]),
    ("5—9月，分行业管控。", 2023, [("period", "5—9月", D(2023, 5, 1), D(2023, 9, 30))]),
    ("5-9月分时段管控。", 2025, [("period", "5-9月", D(2025, 5, 1), D(2025, 9, 30))]),
    ("5～9月管控。", 2023, [("period", "5～9月", D(2023, 5, 1), D(2023, 9, 30))]),
    ("5月至9月管控。", 2023, [("period", "5月至9月", D(2023, 5, 1), D(2023, 9, 30))]),
    ("2023年6月1日到8月31日管控。", 2023, [("period", "2023年6月1日到8月31日", D(2023, 6, 1), D(2023, 8, 31))]),
    ("11月至次年2月管控。", 2023, [("period", "11月至次年2月", D(2023, 11, 1), D(2024, 2, 29))]),
    ("秋冬季期间，实施轮流停产。", 2023, [("period", "秋冬季期间", D(2023, 10, 1), D(2024, 3, 31))]),
    ("臭氧高发季节加大检测频次。", 2023, [("period", "臭氧高发季节", D(2023, 5, 1), D(2023, 9, 30))]),
    ("每月开展监测并通报。", 2023, [("recurring", "每月", None, None)]),
    ("常态化开展无人机走航监测。", 2023, [("recurring", "常态化", None, None)]),
    ("实行每周通报。", 2023, [("recurring", "每周", None, None)]),
    ("坚持对企业治污设施升级改造实行月调度。", 2023, []),
    ("按照《行动方案（2023—2027年）》要求。", 2023, []),
    ("空气质量排名较2022年前移。", 2023, []),
    ("（咸环委办函〔2023〕14号）", 2023, []),
    ("每月1日报送进展。", 2023, [("recurring", "每月", None, None)]),
    ("12月底前完成，2024年持续推进。", 2023, [("due", "12月底前", D(2023, 12, 31), None)]),
    ("2024年三季度末前完成。", 2023, [("due", "2024年三季度末前", D(2024, 9, 30), None)]),
    ("第二季度前完成。", 2023, [("due", "第二季度前", D(2023, 6, 30), None)]),
    ("上半年前完成。", 2025, [("due", "上半年前", D(2025, 6, 30), None)]),
    ("2023年底前完成。", 2023, [("due", "2023年底前", D(2023, 12, 31), None)]),
])
def test_time_expressions(text: str, year: int, expected: list[tuple[str, str, date | None, date | None]]) -> None:
    assert [(e.kind, e.text, e.date, e.end) for e in find_time_exprs(text, year)] == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("将氮氧化物控制在30毫克/立方米", [(30, "毫克/立方米", "氮氧化物", "<=")]),
    ("要求各县市区降尘量不高于5吨/月·平方公里。", [(5, "吨/月·平方公里", "降尘量", "<=")]),
    ("市区及周边25公里范围内审批", [(25, "公里", "市区及周边", "<=")]),
    ("其他区域40%重点行业企业达到B级", [(40, "%", "重点行业企业", None)]),
    ("完成不少于30%清洁生产审核任务", [(30, "%", "清洁生产审核任务", ">=")]),
    ("大宗货物年运量150万吨以上的物流园区", [(150, "万吨", "大宗货物年运量", ">=")]),
    ("确定日载货车辆进出10辆次及以上的企业", [(10, "辆次", "日载货车辆进出", ">=")]),
    ("（35蒸吨及以上燃煤锅炉除外）", [(35, "蒸吨", "燃煤锅炉", ">=")]),
    ("（秦都区4家、渭城区3家）", [(4, "家", "秦都区", None), (3, "家", "渭城区", None)]),
    ("（咸环委办函〔2023〕14号）", []),
    ("2023年10月底前完成", []),
])
def test_limits(text: str, expected: list[tuple[float, str, str, str | None]]) -> None:
    assert [(lim.value, lim.unit, lim.subject, lim.comparator) for lim in find_limits(text)] == expected


def test_limit_range() -> None:
    (limit,) = find_limits("其他县市区各争创1—2家。")
    assert (limit.value, limit.upper, limit.unit, limit.subject) == (1, 2, "家", "其他县市区")


@pytest.mark.parametrize(("text", "expected"), [
    ("PM2.5年均浓度不超过49微克/立方米", [("PM2.5年均浓度", 49, "微克/立方米", "<=")]),
    ("力争完成优良天数不少于244天的考核任务", [("优良天数", 244, "天", ">=")]),
    ("PM10平均浓度下降5%", [("PM10平均浓度下降", 5, "%", ">=")]),
])
def test_goals(text: str, expected: list[tuple[str, float, str, str]]) -> None:
    assert [(g.name, g.value, g.unit, g.comparator) for g in find_goals(text)] == expected


@pytest.mark.parametrize(("text", "names", "notes"), [
    ("秦都、高新、兴平分局", ["秦都分局", "高新分局", "兴平分局"], []),
    ("长武、乾县、渭城分局", ["长武分局", "乾县分局", "渭城分局"], []),
    ("秦都、渭城、高新、经开、兴平分局", ["秦都分局", "渭城分局", "高新分局", "经开分局", "兴平分局"], []),
    ("东城、西岭区", ["东城区", "西岭区"], []),
    ("礼泉、乾县", ["礼泉县", "乾县"], []),
    ("兴平、彬州市", ["兴平市", "彬州市"], []),
    ("各县、市区", ["各县", "市区"], []),
    ("大气办、各分局", ["大气办", "各分局"], []),
    ("各分局，法规科", ["各分局", "法规科"], []),
    ("各分局,市生态环境保护综合执法支队", ["各分局", "市生态环境保护综合执法支队"], []),
    ("大气办、秦都、高新分局", ["大气办", "秦都分局", "高新分局"], []),
    ("各分局（不涉及高新、经开）", ["各分局"], ["不涉及高新、经开"]),
    ("局直属有关单位", ["局直属有关单位"], []),
    ("各相关分局", ["各相关分局"], []),
])
def test_unit_lists(text: str, names: list[str], notes: list[str]) -> None:
    split = split_names(text)
    assert (list(split.names), list(split.notes), split.undecided) == (names, notes, ())


@pytest.mark.parametrize(("text", "known", "names", "decided"), [
    ("薛扬马芳林", ["薛扬", "刘鲲"], ["薛扬", "马芳林"], True),
    ("马芳林薛扬", ["薛扬", "刘鲲"], ["马芳林", "薛扬"], True),
    ("周明远孙丽", ["周明远", "孙丽"], ["周明远", "孙丽"], True),
    ("薛扬、刘鲲", [], ["薛扬", "刘鲲"], True),
    ("王文东", ["王文东"], ["王文东"], True),
    ("欧阳建华陈", ["薛扬"], ["欧阳建华陈"], False),
])
def test_run_together_leaders(text: str, known: list[str], names: list[str], decided: bool) -> None:
    split = split_names(text, known, person=True)
    assert list(split.names) == names
    assert (split.undecided == ()) == decided
