"""Does the plan cover a question? Evidence from the question's own topic words, not a list of topics."""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.qa.corpus import Doc
from knowledge.qa.retrieval import Retriever
from knowledge.qa.tokenize import STOPWORDS, Tokenizer, word_set

# Words that frame a question about the plan rather than name its topic ("哪些任务", "牵头单位", "标准是多少").
FRAME_WORDS = word_set(
    "包括 包含 地方 哪些地方 什么地方 意思 什么意思 含义 指什么 干嘛 干什么 为什么 原因 情况如何",
    "任务 工作 事项 事情 负责 牵头 完成 到期 单位 部门 领导 责任 责任单位 牵头单位",
    "责任领导 标准 限值 要求 内容 方面 规定 措施 方法 办法 开展 落实 推进 怎么 如何",
    "哪些 什么 多少 几家 几号 几项 几次 几年 哪天前 谁来 谁来管 谁管 不在 最终 开始",
    "能不能 可不可以 有没有 是不是 处理 管理 负责人 分别 目前 现在",
    "归 归谁 归谁管 归哪 归口 谁家 管不管 弄完 搞完 干完 做完 装完 咋办 咋弄 咋整 啥样 这块 这事 这项",
    "最晚 最迟 最早 最后 节点 时间节点 每天 每月 每年 哪几个 哪几 做 干 搞 弄 级别 等级 不让 不许 不准",
    "分管 包抓 主抓 还有 还剩 剩下 偷偷 换成 变成 改成 到底 究竟 全市 全县 全区 所有 百分之 百分比 百分之几",
)
GENERIC_SHARE = 0.3  # a word found in this share of the documents or more does not show which topic is meant
MISSING_WEIGHT = 1.2  # a word the plan never uses weighs more than its rarest word: it is the unknown topic
SINGLE_CHARACTER_SHARE = 0.6
SCATTERED_SHARE = 0.5
MIN_COVERAGE = 0.5  # below this share of the question's topic weight (with unknown words) the plan does not cover it
MIN_COVERAGE_KNOWN = 0.2  # even with only known words, a document matching this little is no answer
_CJK = re.compile(r"[\u4e00-\u9fff]")
_NEAR_TIME = re.compile(r"^(?:[今明后昨][天日晚]|[本这下上]个?(?:周|星期|礼拜)|今晚|今早|近期)$")


@dataclass(frozen=True)
class Coverage:
    """The topic words of a question, those the plan never uses, and the matched share of their weight."""

    words: tuple[str, ...]
    missing: tuple[str, ...]
    share: float

    @property
    def covered(self) -> bool:
        """Whether the top document is evidence enough to answer."""
        if not self.words:
            return True
        if self.missing:
            return self.share >= MIN_COVERAGE
        return self.share >= MIN_COVERAGE_KNOWN


def topic_words(text: str, tokenizer: Tokenizer, retriever: Retriever) -> list[str]:
    """Content words of the question minus framing words and words common to many documents."""
    words = [w for w in dict.fromkeys(tokenizer.content_words(text)) if w not in FRAME_WORDS]
    # A single character the plan never uses ("税") is a topic too; known single characters say little.
    words += [w for w in dict.fromkeys(tokenizer.words(text))
              if len(w) == 1 and _CJK.match(w) and w not in retriever.chars and w not in STOPWORDS | FRAME_WORDS]
    limit = GENERIC_SHARE * len(retriever.docs)
    return [w for w in words if sum(1 for tf in retriever.words.tfs if w.lower() in tf) < limit]


def unknown_words(words: list[str], tokenizer: Tokenizer, retriever: Retriever) -> list[str]:
    """Words the plan never uses; a two-character non-dictionary word made of the plan's characters is a
    segmentation artefact ("区要"), not a new topic."""
    out = []
    for w in words:
        lw = w.lower()
        if lw in retriever.corpus:
            continue
        if _NEAR_TIME.match(lw):  # "下周", "明天": a plan of a year says nothing about a given day or week
            out.append(w)
            continue
        if len(lw) == 2 and _CJK.match(lw) and all(ch in retriever.chars for ch in lw) and not tokenizer.is_word(w):
            continue
        if _frame_plus_known(lw, retriever.corpus):
            continue
        if len(lw) == 3 and _CJK.match(lw) and lw[:2] in retriever.corpus and lw[2] in retriever.chars:
            continue  # a plan word with one more character ("汽修厂", "升级成") is a variant, not a new topic
        out.append(w)
    return out


def _frame_plus_known(word: str, corpus: str) -> bool:
    """"目标值" is a framing word plus a word of the plan ("值"), not a new topic."""
    framing = STOPWORDS | FRAME_WORDS
    for i in range(1, len(word)):
        head, tail = word[:i], word[i:]
        if (head in framing and tail in corpus) or (tail in framing and head in corpus):
            return True
    return False


def assess(text: str, doc: Doc | None, tokenizer: Tokenizer, retriever: Retriever) -> Coverage:
    """How much of the question's topic weight the document covers (unknown words count against it)."""
    words = topic_words(text, tokenizer, retriever)
    missing = unknown_words(words, tokenizer, retriever)
    if not words:
        return Coverage((), (), 1.0 if doc is not None else 0.0)
    idf = retriever.words.idf
    top = max(idf.values(), default=1.0)

    doc_text = f"{doc.title}\n{doc.text}".lower() if doc is not None else ""

    def weight(w: str) -> float:
        if w in missing:  # a lone new character ("税", "归") is weaker evidence than a new word
            share = SINGLE_CHARACTER_SHARE if len(w) == 1 else 1.0
            if len(w) == 2 and all(ch in doc_text for ch in w):
                share = SCATTERED_SHARE  # "烧煤" beside "燃煤…复烧": the document's own words, recombined
            return top * MISSING_WEIGHT * share
        return idf.get(w.lower(), top)

    total = sum(weight(w) for w in words)
    matched = retriever.matched([w for w in words if w not in missing], doc) if doc is not None else []
    if missing and doc is not None and doc.sentences:
        # Next to a word the plan never uses, the known words must meet in one sentence (or the task's own
        # title and fields): "交通…超标" gathered from two sentences is not "交通噪声超标".
        fixed = f"{doc.title}\n{doc.fields_text()}".lower()
        matched = max(([w for w in matched if w.lower() in fixed or w.lower() in s.lower()] for s in doc.sentences),
                      key=lambda ws: sum(weight(w) for w in ws))
    share = sum(weight(w) for w in matched) / total if total else 0.0
    return Coverage(tuple(words), tuple(missing), share)
