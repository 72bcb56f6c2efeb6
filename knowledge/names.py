"""Splitting responsibility lists: separators, shared suffixes, notes and run-together names (pure)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_SEPARATORS = re.compile(r"[、，,；;/\s\u3000]+")
_SEPARATOR_CHARS = "、，,；;/ \t\u3000"
_NOTE = re.compile(r"[（(]([^（）()]*)[）)]")
_TRAILING_NOTE = re.compile(r"[（(]([^（）()]*)[）)]$")
# Suffixes a list's last unit may share with the bare names before it, longest first.
SHARED_SUFFIXES: tuple[str, ...] = ("区人民政府", "县人民政府", "市人民政府", "区管委会", "区政府", "县政府", "市政府",
                                    "镇政府", "乡政府", "管委会", "分局", "支队", "大队", "中心", "科", "办", "局",
                                    "站", "县", "区", "市")
_ONE_CHARACTER_STEMS = ("县", "区")  # 乾县 and 彬县 are whole county names; "礼泉、乾县" is 礼泉县、乾县
# A bare name already ending in one of these is a unit of its own (大气办、各分局 is not 大气办分局).
_ORG_ENDINGS: tuple[str, ...] = ("分局", "支队", "大队", "中心", "科", "办", "局", "站", "委", "队", "所", "院",
                                 "部", "室", "处", "会", "厅", "单位", "公司", "企业")
# Group words: a stem starting with these names no place, so its suffix is not shared.
_GROUP_PREFIXES: tuple[str, ...] = ("各", "市", "省", "局", "全", "相关", "有关", "其他", "其它")
_MAX_BARE = 4  # bare place names such as 秦都 / 乾县 / 咸阳高新 are short
# …unless written with the place word the suffix starts with: "某某经济技术开发区、高新区管委会".
_PLACE_WORDS = ("区", "县", "市", "镇", "乡")
_MAX_PLACE = 12
# "市公安局、交通运输局": a level word written once before a list of departments is shared by the bare ones after it.
_LEVELS = ("省", "市", "县", "区")
_DEPARTMENT_ENDINGS = ("局", "委", "厅", "委员会")  # not 办: 大气办 names an office of the bureau itself
_NOT_DEPARTMENT = ("分局",)  # 北塘分局 is a branch of the bureau before it, not a department of the level
_GROUP_WORDS = ("各", "全", "相关", "有关", "其他", "其它")  # 各相关局 is a group, not a department of the level
_LEVEL_WORDS = ("市场", "区域", "县城")  # words that start with a level character but name no level
# A place written inside a name (北塘区生态环境局) gives it a level of its own; 城乡/城市 are not places.
_OWN_PLACE = re.compile(r"(?<=..)(?<!城)[区县市镇乡旗](?!场)")
# Leaders written with their post: "副市长张三", "市政府副秘书长李四", "张三副市长" → 张三, as the plan stores people.
_TITLES = re.compile(r"(?:常务)?(?:副)?(?:省长|市长|县长|区长|镇长|乡长|秘书长|主任|书记|局长|处长|科长|主席|"
                     r"巡视员|调研员|总工程师|总经济师|部长|厅长|主任委员|政委|队长)")


@dataclass(frozen=True)
class NameList:
    """A split list: the names, the parenthetical notes, and anything that could not be decided."""

    names: tuple[str, ...]
    notes: tuple[str, ...] = ()
    undecided: tuple[str, ...] = ()


def take_notes(text: str) -> tuple[str, tuple[str, ...]]:
    """Remove parenthetical notes such as （不涉及高新、经开） and return them separately."""
    notes = tuple(n.strip() for n in _NOTE.findall(text) if n.strip())
    return _NOTE.sub("", text), notes


def split_items(text: str) -> list[str]:
    """Split on 、，, ；; and spaces, dropping empty items and trailing full stops."""
    return [item.strip("。.：:") for item in _SEPARATORS.split(text) if item.strip("。.：:")]


def _shared_suffix(last: str) -> str | None:
    """The suffix the last item lends to bare names before it, if its stem is a place name."""
    for suffix in SHARED_SUFFIXES:
        stem = last[: -len(suffix)]
        shortest = 1 if suffix.startswith(_ONE_CHARACTER_STEMS) else 2
        if last.endswith(suffix) and shortest <= len(stem) <= _MAX_BARE and not stem.startswith(_GROUP_PREFIXES):
            return suffix
    return None


def _is_bare(item: str, suffix: str) -> bool:
    """A short name (or a place name ending like the suffix) with no unit ending of its own (乾县 yes, 大气办 no)."""
    placed = suffix.startswith(_PLACE_WORDS) and len(suffix) > 1 and item.endswith(suffix[0])
    return (len(item) <= (_MAX_PLACE if placed else _MAX_BARE) and not item.endswith(suffix)
            and not item.endswith(_ORG_ENDINGS)
            and not item.startswith(_GROUP_PREFIXES) and "（" not in item and "(" not in item)


def _with_suffix(item: str, suffix: str) -> str:
    """临江 + 区政府 → 临江区政府, and 临江区 + 区政府 → 临江区政府 (the part already written is not doubled).

    A name already ending in another place word keeps it and takes only what follows the suffix's place word:
    "白沙县、临河市政府" is 白沙县政府 and 临河市政府, not 白沙县市政府.
    """
    if suffix.startswith(_PLACE_WORDS) and item.endswith(_PLACE_WORDS) and len(item) > 1:
        return item + suffix[1:]
    for k in range(len(suffix) - 1, 0, -1):
        if item.endswith(suffix[:k]) and len(item) > k:
            return item + suffix[k:]
    return item + suffix


def expand_suffixes(items: list[str]) -> list[str]:
    """秦都、高新、兴平分局 → 秦都分局、高新分局、兴平分局: the last item's suffix goes to the bare run before it."""
    out = list(items)
    end = len(out)
    while end > 0:
        suffix = _shared_suffix(out[end - 1])
        start = end - 1
        if suffix:
            while start > 0 and _is_bare(out[start - 1], suffix):
                start -= 1
                out[start] = _with_suffix(out[start], suffix)
        end = start
    return out


def _department(item: str) -> bool:
    """A bare department name with no level or place of its own: 交通运输局 yes, 北塘区政府 and 市财政局 no."""
    return (item.endswith(_DEPARTMENT_ENDINGS) and not item.endswith(_NOT_DEPARTMENT)
            and (not item.startswith(_LEVELS) or item.startswith(_LEVEL_WORDS))
            and not item.startswith(_GROUP_WORDS) and not _OWN_PLACE.search(item)
            and "（" not in item and "(" not in item)


def share_level(items: list[str]) -> list[str]:
    """市公安局、交通运输局 → 市公安局、市交通运输局: bare departments after a "市…" department take its level."""
    out: list[str] = []
    level = ""
    for item in items:
        if level and _department(item):
            item = level + item
        elif item.startswith(_LEVELS) and not item.startswith(_LEVEL_WORDS) and item.endswith(_DEPARTMENT_ENDINGS) \
                and not _OWN_PLACE.search(item[1:]):
            level = item[0]
        else:
            level = ""
        out.append(item)
    return out


def strip_title(name: str) -> str:
    """A leader's name without the post written before or after it (副市长张三 → 张三); unchanged when none."""
    before = list(_TITLES.finditer(name))
    if before and before[-1].end() < len(name) and 2 <= len(name) - before[-1].end() <= 4:
        return name[before[-1].end():]
    if before and before[0].start() >= 2 and before[-1].end() == len(name) and before[0].start() <= 4:
        return name[: before[0].start()]
    return name


def _segmentations(text: str, known: tuple[str, ...], allow_unknown: bool) -> list[list[str]]:
    """Every way to cut `text` into known names plus at most one unknown 2–3 character name."""
    results: list[list[str]] = []

    def walk(rest: str, parts: list[str], unknown_used: bool) -> None:
        if not rest:
            results.append(parts)
            return
        for name in known:
            if rest.startswith(name):
                walk(rest[len(name):], [*parts, name], unknown_used)
        if allow_unknown and not unknown_used:
            for size in (2, 3):
                piece = rest[:size]
                if len(piece) == size and piece not in known:
                    walk(rest[size:], [*parts, piece], True)

    walk(text, [], False)
    return results


def split_run_together(item: str, known: Iterable[str], person: bool) -> tuple[list[str], bool]:
    """Split 薛扬马芳林 with known names into 薛扬、马芳林; returns (names, decided)."""
    known_t = tuple(sorted({k for k in known if k and k != item}, key=len, reverse=True))
    if item in known_t:
        return [item], True
    if person and len(item) <= 3:
        return [item], True
    cuts = [c for c in _segmentations(item, known_t, allow_unknown=person) if len(c) > 1]
    if person:
        cuts = [c for c in cuts if any(p in known_t for p in c)]
    unique = {tuple(c) for c in cuts}
    if len(unique) == 1:
        return list(next(iter(unique))), True
    # A unit name is long by nature; only a person's name over three characters is suspicious.
    return [item], not person


def split_nested(text: str) -> tuple[list[str], tuple[str, ...]]:
    """Split a list outside brackets; a bracket inside a name stays (各县（市、区）政府), one at its end is a note."""
    items: list[str] = []
    notes: list[str] = []
    depth, current = 0, ""
    for ch in text + "、":
        depth += ch in "（("
        depth -= ch in "）)" and depth > 0
        if ch in _SEPARATOR_CHARS and depth == 0:
            item, item_notes = current.strip("。.：:"), list[str]()
            while (m := _TRAILING_NOTE.search(item)) and m.start() > 0:
                item_notes.insert(0, m.group(1).strip())
                item = item[: m.start()].strip()
            notes += item_notes
            if item:
                items.append(item)
            current = ""
        else:
            current += ch
    return items, tuple(n for n in notes if n)


def split_names(text: str, known: Iterable[str] = (), person: bool = False) -> NameList:
    """Split one responsibility list; `known` are names seen elsewhere, `person` for leaders (no suffix sharing)."""
    items, notes = split_nested(text)
    items = [strip_title(i) for i in items] if person else share_level(expand_suffixes(items))
    known_t = tuple(known)
    names: list[str] = []
    undecided: list[str] = []
    for item in items:
        parts, decided = split_run_together(item, known_t, person)
        names += parts
        if not decided:
            undecided.append(item)
    return NameList(tuple(dict.fromkeys(names)), notes, tuple(undecided))


def is_group_name(name: str) -> bool:
    """A name that stands for several units (各分局, 各相关部门, 有关单位), not one unit a person can belong to."""
    return name.startswith(_GROUP_WORDS)
