"""Where a place name lies: the plan's own city, a county of it, its province, or another city."""

from __future__ import annotations

import pytest

from knowledge.qa.places import gazetteer

PLAN = "咸阳市2023年行动方案。秦都区、渭城区、兴平市、泾阳县完成任务。"


@pytest.mark.parametrize(("name", "other"), [
    ("宝鸡市", True), ("宝鸡", True), ("铜川", True), ("西安", True), ("北京", True), ("兰州", True),
    ("彬州", False), ("永寿县", False), ("秦都", False), ("咸阳", False),  # the city and its counties
    ("陕西", False), ("陕西省", False),  # the province holds the city
    ("高新", False), ("美国", False),  # no division of that name: not for this table to say
])
def test_a_place_is_another_citys_only_outside_the_plans_city(name: str, other: bool) -> None:
    assert gazetteer(PLAN).other(name) is other


def test_the_plans_city_is_the_one_its_text_names_most() -> None:
    assert gazetteer(PLAN).home == "6104"
    assert gazetteer("北京市朝阳区、海淀区的工地").home == "11"  # a municipality's districts are the city itself
    assert gazetteer("北京市朝阳区、海淀区的工地").other("天津")


def test_a_plan_naming_no_place_calls_nothing_another_city() -> None:
    assert gazetteer("各单位按期完成").home is None
    assert not gazetteer("各单位按期完成").other("宝鸡")


def test_a_full_name_is_found_however_the_segmenter_cuts_it() -> None:
    assert gazetteer(PLAN).named_in("彬州市工业企业场内运输车辆") == ["彬州市"]
    assert gazetteer(PLAN).named_in("城区的工地") == []  # two characters are too often an everyday word
