"""Chinese tokens for retrieval: jieba with the plan's own names as a user dictionary."""

from __future__ import annotations

import logging
import math
import re
import threading
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

# Latin terms such as PM2.5, VOCs, SCR stay whole (jieba would split "PM2.5" at the dot).
_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9.]*[A-Za-z0-9]|[A-Za-z]")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_NUMERIC = re.compile(r"[\d.%％]+")
MEMO_SIZE = 50_000  # segmented texts kept per tokenizer (a plan has a few hundred sentences)
_KEEP = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")

def word_set(*lines: str) -> frozenset[str]:
    """Space-separated words, several per line (keeps long word lists readable)."""
    return frozenset(w for line in lines for w in line.split())


# Function words and question words carry no topic; they must not decide retrieval or coverage.
STOPWORDS = word_set(
    "的 了 和 与 及 或 是 在 对 由 把 被 要 需 需要 应 应该 应当 能 能否 能不能",
    "可以 可 还 还能 都 也 就 会 吗 呢 吧 啊 么 什么 怎么 怎样 怎么办 如何 哪 哪些",
    "哪个 哪家 哪里 哪一级 哪天 哪一天 几 几个 多少 多大 多高 多久 谁 何时 啥 啥时候",
    "时候 什么时候 有 没有 有没有 是否 是不是 请问 一下 这个 那个 这些 那些 其 各 等",
    "之 以 为 给 从 向 到 中 上 下 里 内 前 后 时 之前 以前 以后 我 我们 你 你们",
    "他们 今年 明年 分别 具体 主要 一共 共 总共 个 项 条 问 请 告诉 知道 说 呀 嘛",
    "哦 呗 着 过 又 再 而 并 且 但 一 不 没 很 最 更 比 将 所 其他 其它 相关",
    "有关 方面 情况 问题 要求 规定 方案 计划 里面 截止 期限 日期 时限 时间 目标 几月",
    "几月份 月份 一级 怎么样 不能 一直 进度 多少天 几天 是多少 什么样",
)


_base_lock = threading.Lock()


@lru_cache(maxsize=1)
def _word_tags() -> dict[str, str]:
    """jieba's part-of-speech tags by word, loaded on first use (only "how much" questions need them)."""
    import jieba.posseg

    return dict(jieba.posseg.dt.word_tag_tab)


@lru_cache(maxsize=1)
def _base_dictionary(cache_file: Path | None) -> Any:
    """jieba's main dictionary, loaded once per process (about half a second) and shared by every plan."""
    import jieba

    with _base_lock:
        base = jieba.Tokenizer()
        if cache_file is not None:
            cache_file.parent.mkdir(parents=True, exist_ok=True)
            # jieba joins a relative cache path onto the system temp dir: hand it an absolute one.
            base.cache_file = str(cache_file.resolve())
        base.initialize()
        return base


class Tokenizer:
    """A private jieba tokenizer (the global one is left alone) that knows the plan's names."""

    def __init__(self, words: Iterable[str] = (), cache_file: Path | None = None) -> None:
        import jieba

        jieba.setLogLevel(logging.WARNING)
        self._jieba = jieba.Tokenizer()
        base = _base_dictionary(cache_file)
        # A copy of the loaded main dictionary: each plan adds its own names without touching the others.
        self._jieba.FREQ, self._jieba.total = dict(base.FREQ), base.total
        self._jieba.initialized = True
        for word in sorted(set(words)):
            if len(word) >= 2:
                self._jieba.add_word(word, freq=200000)
        # Segmentation is the cost of a question (the plan's sentences are re-scored for every one): memoised per
        # text, bounded, since the dictionary is fixed once built.
        self._memo: dict[tuple[str, str], tuple[str, ...]] = {}

    def words(self, text: str) -> list[str]:
        """Plain segmentation (for display-level decisions), punctuation dropped, Latin lower-cased."""
        return self._memoised("words", text, self._words)

    def tokens(self, text: str) -> list[str]:
        """Search tokens: fine-grained jieba words (cut_for_search) without stopwords."""
        return self._memoised("tokens", text, self._tokens)

    def _memoised(self, kind: str, text: str, cut: Callable[[str], list[str]]) -> list[str]:
        key = (kind, text)
        found = self._memo.get(key)
        if found is None:
            if len(self._memo) >= MEMO_SIZE:
                self._memo.clear()
            found = self._memo[key] = tuple(cut(text))
        return list(found)

    def _words(self, text: str) -> list[str]:
        out: list[str] = []
        for piece in self._pieces(text):
            if _LATIN.fullmatch(piece):
                out.append(piece.lower())
                continue
            out.extend(w for w in self._jieba.cut(piece, HMM=True) if _KEEP.search(w))
        return out

    def _tokens(self, text: str) -> list[str]:
        out: list[str] = []
        for piece in self._pieces(text):
            if _LATIN.fullmatch(piece):
                out.append(piece.lower())
                continue
            for w in self._jieba.cut_for_search(piece, HMM=True):
                if _KEEP.search(w) and w not in STOPWORDS:
                    out.append(w.lower())
        return out

    def content_words(self, text: str) -> list[str]:
        """Topic words of a question: segmented words minus stopwords and pure numbers."""
        return [w for w in self.words(text)
                if w not in STOPWORDS and not _NUMERIC.fullmatch(w) and (len(w) >= 2 or not _CJK.match(w))]

    def is_verb(self, word: str) -> bool:
        """Whether jieba's dictionary tags the word as a verb ("排放", "控制"): an action, not a subject."""
        return _word_tags().get(word, "").startswith("v")

    def tag(self, word: str) -> str:
        """jieba's part-of-speech tag of a dictionary word ("n" noun, "v" verb, "r" pronoun…), "" when unknown."""
        return _word_tags().get(word, "")

    def frequency(self, word: str) -> int:
        """How often jieba's general dictionary has seen the word (0 for words it does not know)."""
        return int(self._jieba.FREQ.get(word) or 0)

    def information(self, word: str) -> float:
        """How much a word tells in general Chinese: -log of its share of jieba's dictionary counts (rare = high).
        A word the dictionary lacks tells what its most telling dictionary piece does: "新开个", "飞着" are spoken
        phrases run together by the segmenter, not coinages, while a name's rare characters ("鑫达") still weigh."""
        if not self.frequency(word) and len(word) >= 2 and _CJK.match(word):
            # Without its HMM, jieba splits what it does not know into dictionary words and single characters.
            return max((self.information(piece) for piece in self._jieba.lcut(word, HMM=False) if piece != word),
                       default=math.log(self._jieba.total))
        return math.log(self._jieba.total / (self.frequency(word) + 1))

    def is_word(self, word: str) -> bool:
        """Whether jieba's dictionary knows the word (segmentation artefacts such as "区要" it does not)."""
        return bool(self._jieba.FREQ.get(word))

    @staticmethod
    def _pieces(text: str) -> list[str]:
        """Split into Latin terms and the text between them."""
        out: list[str] = []
        pos = 0
        for m in _LATIN.finditer(text):
            if m.start() > pos:
                out.append(text[pos : m.start()])
            out.append(m.group())
            pos = m.end()
        if pos < len(text):
            out.append(text[pos:])
        return out


# Colloquial forms mapped to the plan's written style for matching ("没评上" reads "未评定" in a plan).
_COLLOQUIAL = ((re.compile(r"没(?!有)"), "未"),)


def plan_style(text: str) -> str:
    """The question's colloquial words in the written style of a plan (used for matching only)."""
    for pattern, formal in _COLLOQUIAL:
        text = pattern.sub(formal, text)
    return text


def bigrams(text: str) -> list[str]:
    """Overlapping CJK character bigrams (robust to segmentation differences)."""
    out: list[str] = []
    for run in re.findall(r"[\u4e00-\u9fff]+", text):
        if len(run) == 1:
            continue
        out.extend(run[i : i + 2] for i in range(len(run) - 1))
    return out
