"""Who asked, said or sent the asker ("老板问…", "厂里说…", "领导让我汇报…"): not the question's subject, left out
before the question is read."""

from __future__ import annotations

import re

from knowledge.qa.tokenize import Tokenizer

ASKS = re.compile(r"什么|啥|哪|几|多少|怎|谁|吗")  # a question word
_ASK_VERBS = frozenset({"问", "咨询", "打听", "说"})  # "老板问…": a question retold with who asked it
_ASKERS_MAX = 3  # "厂里说…，老板问…": each retelling
# Who sent the asker and on what errand ("领导让我汇报", "局里叫我们统计一下"), before the question proper.
_TASKED = re.compile(r"(?:(?<=^)|(?<=[，,。；;\s]))(?:领导|局里|上级|上面|主任|科长|处长|局长)(?:让|叫|要|安排)"
                     r"(?:我们|咱们|我|咱)(?:[去来]?(?:汇报|汇总|整理|统计|准备|了解|核实|对接|问问|问|报|写|查|看看))?(?:一下|下)?")
_MANNER_MAX = 3  # "打电话": how the speaker asked
_AFTER_ASK = re.compile(r"(?:我们|咱们|我|咱)?(?:一下|了)?[，,：:]?")


def without_asker(text: str, tokenizer: Tokenizer) -> str:
    """The question without who asked or said it ("喷漆厂老板问夏天…" → "喷漆厂夏天…", "老板打电话问…"): the
    speaker named right before a verb of asking or telling is not its subject, though the firm or place before
    the speaker stays."""
    text = _TASKED.sub("", text)  # "领导让我汇报…": the errand, not the question
    for _ in range(_ASKERS_MAX):
        shorter = _without_one_asker(text, tokenizer)
        if shorter == text:
            break
        text = shorter
    return text


def _without_one_asker(text: str, tokenizer: Tokenizer) -> str:
    """The text without its first speaker and verb of asking or telling."""
    words, spans, pos = tokenizer.words(text), [], 0
    for word in words:  # where each word stands (the segmenter leaves punctuation out)
        at = text.find(word, pos)
        spans.append((at, at + len(word)))
        pos = at + len(word) if at >= 0 else pos

    def speaker(j: int) -> bool:
        return j >= 0 and tokenizer.tag(words[j]).startswith(("n", "r")) and words[j] not in _ASK_VERBS

    for k in range(1, len(words) - 1):
        if words[k] not in _ASK_VERBS or ASKS.match(words[k + 1]) or spans[k - 1][1] != spans[k][0]:
            continue
        # the speaker, or the speaker and one word of how they asked ("老板打电话问")
        first = k - 1 if speaker(k - 1) else k - 2 if (
            speaker(k - 2) and len(words[k - 1]) <= _MANNER_MAX and spans[k - 2][1] == spans[k - 1][0]) else None
        if first is None:
            continue
        end = spans[k][1]
        if (after := _AFTER_ASK.match(text, end)) is not None:
            end = after.end()
        return text[:spans[first][0]] + text[end:]
    return text
