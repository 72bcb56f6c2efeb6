"""What a question asks beyond the words of the task or paragraph chosen to answer it: a step the task never names
("…做完了谁来验收", "咋验收"), who does a general requirement that names no one, the members of a group it does not
list ("南六县市是哪六个"), a thing or a later year its rule is stretched to ("渣土车也要…吗", "2024年…"), the rest
beyond a share it sets. Each is refused with the task as a pointer: `Scope.beyond` says the kind of fact missing."""

from __future__ import annotations

import re
from datetime import date
from itertools import pairwise, takewhile

from knowledge.model import Plan
from knowledge.qa import texts as msg
from knowledge.qa.compose import Composer
from knowledge.qa.corpus import Doc
from knowledge.qa.coverage import GENERAL_FREQ, Coverage, is_thing, topic_words
from knowledge.qa.figures import PARTICULAR_DOCS
from knowledge.qa.lexicon import place_sense
from knowledge.qa.periods import later_years
from knowledge.qa.places import Gazetteer
from knowledge.qa.question import Question
from knowledge.qa.retrieval import Retriever
from knowledge.qa.rules import ordinal_shape, other_grade
from knowledge.qa.tokenize import Tokenizer
from knowledge.qa.yesno import asks_yes_no

# Verbs that ask about a task as a whole — who is in charge of it ("谁负责", "哪个单位牵头"), how it goes in general
# ("咋处理", "怎么衔接") — rather than about one step of it ("谁来验收", "咋验收").
_WHOLE_TASK_VERBS = frozenset({
    "负责", "牵头", "配合", "参与", "主抓", "分管", "包抓", "落实", "推进", "开展", "完成", "组织",
    "实施", "管理", "推动", "协调", "对接", "监管", "督导", "督促", "指导", "帮扶", "承担", "处理",
    "处置", "办理", "操作", "执行", "进行", "应对", "解决", "安排", "理解", "回复", "回答", "规定",
    "要求", "管控", "治理", "整治", "改造", "联动", "衔接", "合作", "协作", "沟通", "联系", "处罚",
    "保证", "确保", "保障",
})
_WHO_DOES = re.compile(r"(?:谁|哪个(?:单位|部门|机构|科室)|哪家(?:单位|机构)?)(?:来|去|负责)?([\u4e00-\u9fff]{2,4})")
# A unit named in a general requirement though it leads no task ("局督查考核办"): by its kind of name.
_UNIT_NAME = re.compile(r"[\u4e00-\u9fff](?:办|局|科|站(?!点)|支队|中心|分局|小组|部门|单位)")
# A group named by its number ("南六县市", "四厂") and a question asking who or what is in it.
_NUMBERED_GROUP = re.compile(r"[\u4e00-\u9fff]?[一二三四五六七八九十两][\u4e00-\u9fff]{1,2}")
_ASKS_MEMBERS = re.compile(r"(?:是|指|包括|都有)(?:的是)?哪[一二三四五六七八九十几些]|都?包括(?:哪|啥|什么)|"
                           r"属于.{1,8}还是")
_HOW_DOES = re.compile(r"(?:咋|怎么|如何|怎样)(?:去|来|才能|才)?([\u4e00-\u9fff]{2,4})")
# A spoken verb with a directional or resultative complement ("提上去", "降下来").
_COMPLEMENTED = re.compile(r"^([\u4e00-\u9fff])(?:上去|下来|起来|出来|上来|下去|[上下到完好成掉起出过住])$")
_ALSO = re.compile(r"(?:是不是|是否)?也(?:要|得|需要|必须|按|是|能|可以|适用|算|在)")
# "渣土车要不要全部换新能源": a yes/no on whether a thing must, its subject before the modal.
_MODAL = re.compile(r"要不要|是不是要|是否要|需不需要|是不是得|必须")
_WHOM = re.compile(r"(?:面向|针对|对|给|向|帮|替|跟|和|与)谁")  # "面向谁": whom it is for, not who does it
_ASKS_UNIT = re.compile(r"单位|部门|科室|哪个科|牵头")
_DOER_WORDS = ("领导", "组长", "主任", "负责", "牵头", "专家")  # a sentence naming who does it
_KIND_FREQ = 2000  # a head noun this common in general Chinese ("系统", "数据", "企业") names no particular kind
_CLASS = re.compile(r"[一二三四五六七八九十\d]+(?:[类级档期]|号线)")  # by its ordinal ("三类汽修企业", "二号线")
_REMAINDER = re.compile(r"剩下|剩余|其余|余下")
_PART = re.compile(r"\d+(?:\.\d+)?\s*[%％]|百分之")
# "其他水泥厂…": things of a kind other than those the task names; the plan's own "其他县市区" covers them.
_OTHER = re.compile(r"(?:其他|其它|别的|其余|另外的?)的?([\u4e00-\u9fff]{2,6})")
_PLAN_OTHER = re.compile(r"其他|其它|其余|以外|之外|别的")
# How a firm's name ends ("海螺水泥", "兴化集团"): the word before it names a firm.
_FIRM = re.compile(r"有限公司|公司|集团|水泥|石化|化工|机械|热电|电厂|钢铁|焦化")
_FIRM_NAME_FREQ = 500  # a word before a firm's kind this rare is its name ("声威" 93, "海螺" 68; "外资" 2363)
_PROPER = ("ns", "nr", "nt")  # a place, a person or an organisation, as the tagger reads it
_BEFORE_FIRM = r"[\u4e00-\u9fff（）()]{0,8}?(?:" + _FIRM.pattern + ")"


class Scope:
    """The checks, over one plan's documents."""

    def __init__(self, plan: Plan, tokenizer: Tokenizer, retriever: Retriever, composer: Composer,
                 aliases: dict[str, str], places: Gazetteer) -> None:
        self.plan = plan
        self.places = places
        self.tokenizer = tokenizer
        self.retriever = retriever
        self.composer = composer
        self.aliases = aliases

    def beyond(self, q: Question, top: Doc, evidence: Coverage, kind: str | None, today: date) -> str | None:
        """The kind of fact the question asks that the document does not give ("由谁验收"), or None."""
        if self._unnamed_doer(q, top):
            # "执法大比武谁来组织": a general requirement whose sentence names no unit or person to do it.
            return msg.QA_KIND_WHO_DOES.plain(action="负责")
        if (other := self._another_kind(q, top)) is not None:
            # "生物质锅炉要不要搞深度治理": the task's rule is for its own kind (燃气锅炉), not for another one.
            return msg.QA_KIND_OTHER_KIND.plain(thing=other[0], own=other[1])
        if also := self._extended_to(q, top):
            # "渣土车是不是也要换成新能源": the rule is the task's for its own things, not for the one asked about.
            return msg.QA_KIND_ALSO.plain(things="、".join(also))
        if (named := self._other_named(q, top, evidence)) is not None:
            # "礼泉海螺水泥的SCR改造啥时候完成": the task's date is for the firm it names (冀东海德堡), not another.
            return msg.QA_KIND_OTHER_NAMED.plain(things="、".join(named[0]), named="、".join(named[1]))
        if (others := self._others(q, top)) is not None:
            # "其他水泥厂替代多少": the task's figure is for the works it names (冀东水泥), not for the rest.
            return msg.QA_KIND_OTHERS.plain(thing=others)
        if (group := unlisted_group(q.text, top.text)) is not None:
            # "南六县市是哪六个": the plan names the group without listing it (as it lists "四厂"（砂石厂…）).
            return msg.QA_KIND_MEMBERS.plain(group=group)
        if top.task is not None and (later := [y for y in later_years(q.text, today, self.plan.year)
                                               if all(d.date is None or d.date.year != y for d in top.task.deadlines)]):
            # "2024年禁燃区会扩大不": the task sets nothing in that year (another task's 2024 deadline does not count).
            return msg.QA_KIND_YEAR.plain(year=later[0])
        if kind is None and (step := self._unassigned_action(q, top)) is not None:
            # "清洁生产审核做完了谁来验收": the task has no such step, so its lead units or text would not answer
            # (a kind of fact asked, "怎么打分", is weighed by the engine against what the task states).
            return step
        if _REMAINDER.search(q.text) and any(_PART.search(s) and any(w.lower() in s.lower() for w in evidence.words)
                                             for s in top.sentences):
            # "剩下的运矿车什么时候换": the plan sets a share (30%) for now and says nothing of the rest.
            return msg.QA_KIND_REMAINDER.plain()
        return None

    def _another_kind(self, q: Question, top: Doc) -> tuple[str, str] | None:
        """A thing the question names by a modifier and a head the task uses only with modifiers of its own
        ("生物质锅炉" where the task says 燃气锅炉): the thing asked and the task's own, or None."""
        if top.task is None:
            return None
        text = f"{top.title}\n{top.text}"
        for modifier, head in pairwise(self.tokenizer.words(q.text)):
            if (len(modifier) < 2 or len(head) < 2 or modifier in text or head not in text or modifier in self.aliases
                    or self.tokenizer.tag(modifier) not in ("n", "nz")  # a kind, not a place or a name
                    or self.tokenizer.frequency(modifier) >= GENERAL_FREQ
                    # a particular kind of thing (锅炉), not a general one an everyday word may stand before
                    # ("刷卡系统" for 门禁系统, "测完数据")
                    or not self.tokenizer.tag(head).startswith("n") or self.tokenizer.frequency(head) >= _KIND_FREQ):
                continue
            own = [w for w in dict.fromkeys(self.tokenizer.words(text)) if w.endswith(head) and len(w) > len(head)]
            bare = text
            for word in own:
                bare = bare.replace(word, "")
            # Only where the task never uses the head alone: "锅炉" in a task of 燃气锅炉 only.
            if own and head not in bare and all(w not in q.text for w in own):
                return modifier + head, own[0]
        return None

    def _others(self, q: Question, top: Doc) -> str | None:
        """The thing a question asks of "其他/别的…" when the task names some of that kind and says nothing of the
        others (no "其他…" or "…以外" of its own before it), or None."""
        if top.task is None:
            return None
        text = f"{top.title}\n{top.text}"
        for m in _OTHER.finditer(q.text):
            words = self.tokenizer.words(m.group(1))
            nouns = list(takewhile(lambda w: self.tokenizer.tag(w).startswith(("n", "zg", "ng")), words))
            thing = "".join(nouns)  # the whole noun phrase as typed: "水泥厂" (水泥|厂)
            if len(thing) < 2 or thing[:2] not in text:
                continue
            # The task's own rest ("其他县市区各争创1-2家", "市区以外的其他区域") answers "别的县区".
            if not re.search(f"(?:{_PLAN_OTHER.pattern})[\u4e00-\u9fff]{{0,3}}{re.escape(thing[0])}", text):
                return thing
        return None

    def _other_named(self, q: Question, top: Doc, evidence: Coverage) -> tuple[list[str], list[str]] | None:
        """Names the question gives that the plan never uses (a firm, a place, another production line) where the
        task is about the particular firms or places it names and has no "其他…" for the rest: those names and the
        task's own, or None."""
        if top.task is None or _PLAN_OTHER.search(top.text):
            return None
        text = f"{top.title}\n{top.text}"
        lines = [w for w in evidence.missing if not asks_yes_no(q.text) and other_grade(w, text)]
        if lines:  # "二号线" where the task names 一号线
            return lines, [m.group(0) for m in re.finditer(ordinal_shape(lines[0]), text)][:1]
        names = [w for w in dict.fromkeys(self.tokenizer.words(top.text))
                 if self.tokenizer.tag(w).startswith(_PROPER) and place_sense(w) is not False
                 and not _UNIT_NAME.search(w)]
        # A task's own particular names: places, or names a firm's name follows ("海德堡（泾阳）水泥"), that few
        # documents use ("光催化", a process the tagger reads as a name, is neither).
        own = [w for w in names if sum(w in d.text for d in self.retriever.docs) <= PARTICULAR_DOCS and (
            w in self.places.codes or re.search(re.escape(w) + _BEFORE_FIRM, top.text))]
        if not own:
            return None
        roles = {*self.aliases, *self.aliases.values(), *self.plan.leaders}
        others = [w for w in evidence.missing if w not in roles and w in q.text and (
            (self.tokenizer.tag(w).startswith(_PROPER) and place_sense(w) is not False)
            or w in self.places.codes or _FIRM.match(q.text, q.text.index(w) + len(w)))]
        if any(w in q.text for w in names):
            # "泾阳那个外资水泥厂" names the task's firm by its place; "泾阳声威水泥" names another firm there (a name
            # rare in general Chinese right before the firm's kind, not a common word such as 外资).
            others = [w for w in others if _FIRM.match(q.text, q.text.index(w) + len(w))
                      and self.tokenizer.frequency(w) < _FIRM_NAME_FREQ]
        others += [n for n in self.places.named_in(q.text) if n.lower() not in self.retriever.corpus
                   and not any(n in w or w in n for w in others)]
        # Names the text writes together ("冀东海德堡") are one firm's name.
        joined: list[str] = []
        for w in sorted(own, key=top.text.find):
            if joined and joined[-1] + w in top.text:
                joined[-1] += w
            else:
                joined.append(w)
        return (others, joined) if others else None

    def _extended_to(self, q: Question, top: Doc) -> list[str]:
        """The things a question extends a task's rule to with 也 ("渣土车是不是也要…", "铜川…也是按30毫克管吗")
        that the task never names: the subject before 也, by its nouns."""
        m = _ALSO.search(q.text) or (_MODAL.search(q.text) if asks_yes_no(q.text) else None)
        if m is None or top.task is None:
            return []
        text = f"{top.title}\n{top.text}".lower()
        subject = q.text[:m.start()]
        # "三类汽修企业也要…吗" where the task names 一、二类: another class of the kind, by its ordinal.
        # (Asked without 也 — "三类汽修厂要不要改" — the rule's own classes answer it: 否.)
        if "也" in q.text[m.start():] and (classes := [
                c.group(0) + _longest_in(subject[c.end():], text) for c in _CLASS.finditer(subject)
                if c.group(0) not in text and other_grade(c.group(0), text)]):
            return classes
        roles = {*self.aliases, *self.aliases.values(), *self.plan.leaders}
        nouns = [w for w in topic_words(subject, self.tokenizer, self.retriever)
                 if is_thing(w, self.tokenizer) and w not in roles and self.tokenizer.frequency(w) < GENERAL_FREQ]
        absent = [w for w in nouns if w.lower() not in text]
        # Only where the subject is mostly another thing: "第三方运维公司也要追责吗" names the task's 第三方 too.
        return absent if len(absent) > len(nouns) - len(absent) else []

    def _unnamed_doer(self, q: Question, top: Doc) -> bool:
        """A who-question answered by a paragraph of the plan (no responsibility block) whose best sentence names
        no unit, leader or role."""
        if q.intent not in ("who", "unit") or top.task is not None or _WHOM.search(q.text):
            return False
        best = self.composer.best_sentences(q, top)[0]
        # "靠谁来做" is answered by a team the sentence brings in; "哪个单位牵头" only by a unit.
        doers = (*_DOER_WORDS, *(() if _ASKS_UNIT.search(q.text) else ("团队",)))
        return not (_UNIT_NAME.search(best) or any(name in best for name in (*self.aliases, *self.plan.leaders,
                                                                            *doers)))

    def _unassigned_action(self, q: Question, top: Doc) -> str | None:
        """What a question asks of a step the chosen task never names: who does it ("…做完了谁来验收", a verb of
        the plan's) or how ("门禁系统咋验收"); the kind of fact to refuse, or None."""
        if top.task is None:
            return None
        text = f"{top.title}\n{top.text}\n{top.fields_text()}".lower()
        # Only the verb the who- or how-word governs: the question's other verbs name the task.
        asks = [(msg.QA_KIND_WHO_DOES, m.group(1), True) for m in _WHO_DOES.finditer(q.text)
                if q.intent in ("who", "unit")]
        asks += [(msg.QA_KIND_HOW_DOES, m.group(1), False) for m in _HOW_DOES.finditer(q.text)]
        for template, words, plans_own in asks:
            verb = self.tokenizer.words(words)[0]
            if len(verb) < 2 or _COMPLEMENTED.match(verb):
                continue  # "提上去": a spoken verb with a complement names no step of its own
            if (self.tokenizer.is_verb(verb) and verb not in _WHOLE_TASK_VERBS and verb.lower() not in text
                    and (not plans_own or verb.lower() in self.retriever.corpus)):
                return template.plain(action=verb)
        return None


def _longest_in(words: str, text: str, most: int = 6) -> str:
    """The longest start of `words` (up to `most` characters) that the text holds ("汽修企业喷漆房" → "汽修企业")."""
    return next((words[:k] for k in range(min(most, len(words)), 1, -1) if words[:k] in text), "")


def unlisted_group(question: str, text: str) -> str | None:
    """A numbered group of the text ("南六县市") whose members the question asks ("是哪六个", "属于…还是…") and
    the text does not list right after it; typed short ("南六县") too."""
    if not _ASKS_MEMBERS.search(question):
        return None
    for m in _NUMBERED_GROUP.finditer(text):
        if m.group(0)[:3] in question:
            listed = text[m.end():m.end() + 2].lstrip("”\"")[:1] in ("（", "(", "：", ":")
            return None if listed else m.group(0)
    return None
