"""Answers about figures and times: a yes/no on a limit or a month, a place's share of a figure, the document
stating an asked amount, and a plan term's thesaurus siblings (another gas than the one a figure is about)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from itertools import pairwise

from knowledge.model import Plan
from knowledge.qa import texts as msg
from knowledge.qa.answer import Answer, cite, quote, source_of, task_answer
from knowledge.qa.bans import exception_verdict
from knowledge.qa.compose import Composer
from knowledge.qa.corpus import Doc
from knowledge.qa.coverage import Coverage, assess, is_thing, topic_words
from knowledge.qa.lexicon import place_sense, sense_classes
from knowledge.qa.question import Question, question_clauses
from knowledge.qa.retrieval import Retriever
from knowledge.qa.roles import asks_role, role_head
from knowledge.qa.rules import asks_all_of_a_share, meets_grade, rule_verdict
from knowledge.qa.tokenize import Tokenizer
from knowledge.qa.yesno import asked_amounts, asks_only_yes_no, asks_yes_no, compare, goal_limits

PARTICULAR_DOCS = 2  # a name in this many documents or fewer is a particular project or firm
PARTICULAR_INFORMATION = 9.0  # jieba's information of a word: "任务" 8.3 and "目标" 8.6 are general, "考核" 10.3 is not
AMOUNT_CANDIDATES = 3  # "how many" looks this far down the ranking for a document that states the figure
# Words that ask for an amount rather than name its subject ("降尘量上限是多少").
_CLAUSE_ASKS = re.compile(r"多少|几|什么|啥|吗|呢|[？?]")  # the clause a question asks in
_AMOUNT_WORD = re.compile(r"上限|下限|限值|最高|最低|标准|数量|指标|数字|数值|比例|百分比|占比")
# Whether doing it by a month would be in time ("10月底改完来得及不"), as against what the time limit is.
_IN_TIME_ASK = re.compile(r"来得及|来不及|行不行|行吗|可以吗|可不可以|赶得上|赶不上|能不能|中不中|成不成|晚不晚|晚了|"
                          r"按时|算不算")
_NAME_TAGS = ("nr", "ns", "nt", "nz")  # people, places, organisations, other proper names
LATIN_TERM = re.compile(r"[A-Za-z][A-Za-z0-9.]*")  # "SCR", "PM2.5": a term written in Latin letters
_BRANCH = "分局"  # a district's branch of the bureau: the unit a place name stands for
# Every district at once ("要求各县市区降尘量不高于5吨"): a figure that holds for the one asked too.
_ALL_PLACES = re.compile(r"各(?:县市区|县区|区县|县市|区|县|分局)|县市区")
# Dates and months ("6到9月", "2023年10月"): times, not amounts.
_DATES = re.compile(r"\d{1,4}\s*(?:[—–\-~～至到]\s*\d{1,2}\s*)?[年月日号]")
# How a place's name may end after the short form a question types ("秦都" → "秦都区", "高新" → "高新区").
_PLACE_SUFFIX = "(?:区|县|市|新区)?"


class Figures:
    """Figure and time answers over one plan's documents; `doc_answer` composes the usual answer from a document."""

    def __init__(self, plan: Plan, composer: Composer, tokenizer: Tokenizer, retriever: Retriever,
                 aliases: Mapping[str, str], doc_answer: Callable[[Question, Doc], Answer]) -> None:
        self.plan = plan
        self.plan_title = plan.title.lower()
        self.composer = composer
        self.tokenizer = tokenizer
        self.retriever = retriever
        self.aliases = aliases
        self.doc_answer = doc_answer
        self.doc_classes: dict[str, set[str]] = {}  # thesaurus classes of each document's words, filled on use

    def stating_amount(self, q: Question, query: str, docs: list[Doc], evidence: Coverage) -> Doc | None:
        """The best-ranked of the first few documents that covers the question (a runner-up at least as well as the
        best) and states the asked amount."""
        names = self._particular_names(q)
        for doc in docs[:AMOUNT_CANDIDATES]:
            found = evidence if doc is docs[0] else assess(query, doc, self.tokenizer, self.retriever)
            # The words naming the plan itself ("这个细化方案") or the amount asked ("上限") need not stand in the
            # sentence holding the figure.
            # Nor a word of place inside a firm ("场内"): it frames the thing, it does not pick its figure.
            subject = {w.lower() for w in found.words if w not in found.missing and w.lower() not in self.plan_title
                       and not _AMOUNT_WORD.fullmatch(w) and not self.tokenizer.tag(w).startswith(("s", "f"))}
            # The figure's task must hold the names the question gives ("冀东水泥SCR…多少毫克": not 燃气锅炉's).
            if (found.covered and found.share >= evidence.share and all(w in doc.text.lower() for w in names)
                    and self.composer.states_amount(q, doc, subject)):
                return doc
        return None

    def yes_no(self, q: Question, docs: list[Doc]) -> Answer | None:
        """A yes/no question with a number: 是/否 from the first candidate task holding a limit in the asked unit,
        then the sentence that sets it."""
        for doc in docs:
            if doc.task is not None:
                verdict = compare(q.text, doc.task.limits)
            else:  # the general requirements hold the plan's overall targets ("PM2.5年均浓度不超过49")
                verdict = compare(q.text, [g for g in goal_limits(self.plan.goals) if g.text in doc.text])
            if verdict is None:
                continue
            sentence = next((s for s in doc.sentences if verdict.limit.text in s), "")
            headline = verdict.headline
            if verdict.inside is not None and (
                    ruled := exception_verdict(q.text, sentence, verdict.limit.text, verdict.inside)) is not None:
                # "40蒸吨的锅炉还能烧煤不": within the ban's exception, so 是 — said before the scope, named as the
                # exception it is (not "方案规定的范围", which reads as the ban's own reach).
                headline = msg.QA_YESNO_CLAUSE.plain(answer=msg.QA_YES if ruled else msg.QA_NO, clause=(
                    msg.QA_YESNO_EXCEPTION.plain(words=verdict.words, plan=verdict.limit.text,
                                                 verdict=msg.QA_INSIDE if verdict.inside else msg.QA_OUTSIDE)))
            elif verdict.inside is not None and (
                    graded := grade_verdict(q.text, sentence, verdict.limit.text, verdict.inside)) is not None:
                # "城区边上20公里新建涉气企业b级能批不": inside the scope, whose rule asks for another grade (and
                # "25公里以外…B级可以吗": outside it, where the plan's "其他区域" grade rules).
                meets, required = graded
                # "40公里…是不是也得A级": a better grade than the floor meets the rule but is not what it asks for.
                asked = _LETTER_GRADE.findall(q.text)
                if meets and _MUST_BE.search(q.text) and asked and asked[0].upper() != required[0].upper():
                    meets = False
                headline = msg.QA_YESNO_GRADE.plain(answer=msg.QA_YES if meets else msg.QA_NO, scope=headline,
                                                    grade=required)
            elif verdict.inside is not None:
                # "一天进出8辆货车的也得装门禁吗": the rule holds within its scope, so outside it 否 — unless the
                # question asks to be spared ("可以不装吗").
                yes = verdict.inside != bool(_SPARED.search(q.text))
                headline = msg.QA_YESNO_CLAUSE.plain(answer=msg.QA_YES if yes else msg.QA_NO, clause=headline)
            if doc.task is None:
                where = doc.paragraph.heading if doc.paragraph is not None and doc.paragraph.heading else ""
                return Answer(msg.QA_PARAGRAPH.plain(text=headline, where=where or msg.QA_PREAMBLE),
                              sources=[source_of(doc)], intent="yesno")
            lines = [msg.QA_FACT_CITED.plain(fact=headline, cite=cite(doc.task))]
            if sentence:
                lines.append(quote([sentence]))
            return Answer("\n".join(lines), [doc.task.number], sources=[source_of(doc)], intent="yesno")
        return None

    def place_figure(self, q: Question, docs: list[Doc]) -> tuple[Answer, Doc] | None:
        """A figure the plan breaks down by place ("…（秦都区4家、乾县4家…）"), asked for the place a question
        names ("乾县要创几家"): that place's figure first, not the total."""
        typed = [a for a, unit in self.aliases.items() if unit in q.units and a in q.text and len(a) >= 2]
        for doc in docs:
            if doc.task is None:
                continue
            for alias in sorted(typed, key=len, reverse=True):
                # The plan's limits already carry their subject ("乾县4家": 乾县); the place asked is its end.
                lim = next((lim for lim in doc.task.limits if lim.text.startswith(lim.subject)
                            and re.fullmatch(f".*{re.escape(alias)}{_PLACE_SUFFIX}", lim.subject)), None)
                if lim is None:
                    continue
                end = len(lim.subject)
                place = lim.text[lim.text.rindex(alias, 0, end):end]  # as the plan writes it ("高新区" for "高新")
                sentence = next((s for s in doc.sentences if lim.text in s), lim.text)
                if not self._about(q, sentence, alias):
                    continue  # "秦都区PM2.5目标": the place's figure is of something else
                text = task_answer(doc.task, msg.QA_PLACE_FIGURE.plain(place=place, figure=lim.text[end:]), [sentence])
                return Answer(text, [doc.task.number], sources=[source_of(doc)], intent=q.intent), doc
        return None

    def place_not_covered(self, q: Question, doc: Doc) -> str | None:
        """A district the question asks a figure for ("秦都区…多少") that the stating document neither names nor
        covers with a group ("各县市区"): its figure is another area's."""
        for alias, unit in sorted(self.aliases.items(), key=lambda item: -len(item[0])):  # as typed: "秦都区"
            if unit in q.units and unit.endswith(_BRANCH) and len(alias) >= 2 and alias in q.text:
                stem = re.sub(_PLACE_SUFFIX + "$", "", alias.removesuffix(_BRANCH)) or alias
                if stem not in doc.text and not _ALL_PLACES.search(doc.text):
                    typed = re.search(re.escape(alias) + _PLACE_SUFFIX, q.text)
                    return typed.group(0) if typed else alias  # "秦都区" as typed, not the alias "秦都"
        return None

    def _particular_names(self, q: Question) -> list[str]:
        """The names the question gives (an organisation, a place, a Latin-letter term such as "SCR"), lower-cased,
        that the plan uses for a particular project or firm, not for a field it names throughout ("VOCs")."""
        names = [w.lower() for w in topic_words(q.rest or q.text, self.tokenizer, self.retriever)
                 if w.lower() in self.retriever.corpus and (LATIN_TERM.fullmatch(w) or (
                     self.tokenizer.tag(w).startswith(_NAME_TAGS) and place_sense(w) is not False))]  # not 新建
        return [w for w in names if sum(w in d.text.lower() for d in self.retriever.docs) <= PARTICULAR_DOCS]

    def _about(self, q: Question, sentence: str, place: str) -> bool:
        """Whether every particular thing the question names besides the place (a word the plan uses, rarer in
        general Chinese than "任务" or "企业") is in the text."""
        low = sentence.lower()
        things = [w for w in topic_words(q.rest or q.text, self.tokenizer, self.retriever)
                  if is_thing(w, self.tokenizer) and w.lower() in self.retriever.corpus and w not in place
                  and self.tokenizer.information(w) >= PARTICULAR_INFORMATION
                  and not _AMOUNT_WORD.fullmatch(w)]  # "指标", "上限" ask the amount, they do not name its subject
        return all(w.lower() in low for w in things)

    def siblings_of_plan_terms(self, missing: tuple[str, ...], doc: Doc) -> list[str]:
        """Words the plan never uses that are of the same thesaurus kind as a word of the document ("二氧化硫" and
        "臭氧" are both gases): other members of the kind, not other names for the plan's."""
        own = self.doc_classes.get(doc.key)
        if own is None:
            words = {w for w in self.tokenizer.words(f"{doc.title}\n{doc.text}") if len(w) >= 2}
            own = self.doc_classes[doc.key] = {c for w in words for c in sense_classes(w)}
        return [w for w in missing if is_thing(w, self.tokenizer) and sense_classes(w) & own]

    def unnamed_subjects(self, q: Question, missing: list[str], doc: Doc) -> list[str]:
        """Things the plan never names that qualify a word of the document ("二氧化氮|年均" beside "PM2.5年均浓度"):
        the figure there is of another subject. Words that ask the amount ("红线是多少") qualify nothing."""
        text = (q.rest or q.text).lower()
        low, absent = doc.text.lower(), {w.lower() for w in missing}
        # A limit asked in its unit ("…二氧化硫要控到多少毫克") whose own subject (氮氧化物) the question never names.
        other_limit = doc.task is not None and any(
            lim.kind == "limit" and lim.subject.lower() not in text and re.split(r"[/·]", lim.unit)[0] in text
            for lim in doc.task.limits)
        return [w for w, after in pairwise(self.tokenizer.words(text))
                if w.lower() in absent and self._plain_thing(w) and (other_limit or (
                    len(after) >= 2 and after.lower() in low and (w + after).lower() in text))]  # not "区县，其他…"

    def _plain_thing(self, word: str) -> bool:
        """A thing named by a word of the dictionary (not a slip left unread, "低蛋"), and not a place ("区县", which
        the plan's own "县市区" may cover)."""
        return is_thing(word, self.tokenizer) and bool(self.tokenizer.tag(word)) and not place_sense(word)

    def contrasted_subjects(self, q: Question, doc: Doc) -> list[str]:
        """Things the asking clause names, after a clause stating the document's figure, that the document never
        names ("工业涂装审核30%，包装印刷企业要审核多少", "燃气锅炉是30毫克，那燃煤锅炉限值是多少"): its figure
        is for its own subject, not theirs."""
        parts = question_clauses(q.text)
        asking = next((p for p in reversed(parts) if _CLAUSE_ASKS.search(p)), None)
        if len(parts) < 2 or asking is None or asking is parts[0]:
            return []
        if not any(re.search(r"\d", p) for p in parts[:parts.index(asking)]):
            return []  # no figure stated first: "…落下来的灰，红线是多少" is one ask, not a contrast
        low = f"{doc.title}\n{doc.text}".lower()
        things = [w for w in topic_words(asking, self.tokenizer, self.retriever)
                  if self._plain_thing(w) and w.lower() not in low and not _AMOUNT_WORD.fullmatch(w)]
        if not things:
            return []
        # Named as typed: the run of words around it that the document does not hold either ("包装印刷", "燃煤锅炉").
        runs: list[list[str]] = [[]]
        for word in self.tokenizer.words(asking):
            outside = len(word) >= 2 and word.lower() not in low and self.tokenizer.tag(word).startswith(("n", "v"))
            if outside:
                runs[-1].append(word)
            elif runs[-1]:
                if self.tokenizer.tag(word).startswith("n") and len(word) >= 2:
                    runs[-1].append(word)  # the head it qualifies ("燃煤|锅炉", "包装印刷|企业")
                runs.append([])
        return list(dict.fromkeys("".join(r) for r in runs if any(w in r for w in things)))

    def in_time(self, q: Question, doc: Doc) -> Answer | None:
        """A yes/no question on a month ("11月中旬改完来得及不"): 是/否 first, by the task's time limit asked about,
        then the usual "when" answer."""
        if q.period is None or doc.task is None or not asks_only_yes_no(q.text):
            return None
        due = self.composer.asked_time(q, doc)
        if due is None or due.kind != "due" or due.date is None:
            return None
        if asks_all_of_a_share(q.text, next((s for s in doc.sentences if due.text in s), "")):
            return None  # "年底前要全部完成吗" where 30% is due then: the share answers it (否), not the date
        asked = q.period.source or q.period.label  # as the question wrote it ("11月"): no year the user did not say
        if not _IN_TIME_ASK.search(q.text):
            if (q.period.start.month, q.period.start.day, q.period.end.month, q.period.end.day) == (1, 1, 12, 31):
                return None  # "今年要专门整一整不" asks whether, not when: a whole year bounds no time limit
            # "是9月底前划定吗" asks what the time limit is, not whether 9月 would be in time.
            same = q.period.start <= due.date <= q.period.end
            head = (msg.QA_YESNO_SAME_TIME if same else msg.QA_YESNO_OTHER_TIME).plain(asked=asked, due=due.text)
        elif q.period.end <= due.date:
            head = msg.QA_YESNO_IN_TIME.plain(asked=asked, due=due.text)
        elif q.period.start > due.date:
            head = msg.QA_YESNO_LATE.plain(asked=asked, due=due.text)
        else:
            return None  # the month asked straddles the limit: the limit itself answers
        when = self.doc_answer(replace(q, intent="when"), doc)
        return replace(when, text=f"{head}\n{when.text}", intent=q.intent)

    def verdict_first(self, q: Question, doc: Doc, evidence: Coverage, answer: Answer, typed: str) -> Answer:
        """A yes/no question on who takes part or on a rule ("是不是大气办牵头", "还能批吗"): 是/否 first when the
        plan's words settle it, else the answer as it is."""
        if answer.refused:
            return answer
        if not asks_only_yes_no(q.text):
            # "…是不是要停产？现场核查几月底前搞完": the yes/no part gets its 是/否 before the answer to the other ask.
            if (part := _yes_no_part(q.text)) is None:
                return answer
            q, two_asks = replace(q, text=part, rest=""), True
            if (amount := self.yes_no(q, [doc])) is not None:  # "每天进出12辆…要装门禁不，最晚啥时候"
                return replace(answer, text=f"{amount.text.splitlines()[0]}\n{answer.text}")
        else:
            two_asks = False
        if any(number[0].isdigit() for _, number, _ in asked_amounts(_DATES.sub(" ", q.text))):
            return answer  # an amount no limit could be compared with (above): no verdict is safe
        # Who takes part ("是不是大气办牵头", "高新分局要划禁燃区吗"): the responsibility fields settle it.
        if (head := role_head(q, doc.task, self.aliases)) is not None:
            return replace(answer, text=f"{head}\n{answer.text}")
        if asks_role(q):
            return answer
        # "县里那种…的厂子": where the asker works frames the question; the rule's words decide.
        terms = [t for t in topic_words(q.rest or q.text, self.tokenizer, self.retriever)
                 if not _OWN_GROUND.fullmatch(t)]
        verdict = rule_verdict(q.text, terms, doc.task.text if doc.task else doc.text, typed=typed,
                               words=self.tokenizer.content_words(q.text),
                               complete=not any(is_thing(w, self.tokenizer) for w in evidence.missing),
                               # not the pieces of a slip segmentation split ("十月份起商混站": 起商, 混站)
                               things=[t for t in terms if is_thing(t, self.tokenizer) and self.tokenizer.tag(t)])
        if verdict is None:
            return answer
        yes = msg.QA_YES if verdict.yes else msg.QA_NO
        if verdict.clause in answer.text.split("\n", 1)[0] and not two_asks:  # the headline holds the clause
            return replace(answer, text=msg.QA_YESNO_CLAUSE.plain(answer=yes, clause=answer.text))
        return replace(answer, text=f"{msg.QA_YESNO_CLAUSE.plain(answer=yes, clause=verdict.clause)}\n{answer.text}")


def _yes_no_part(text: str) -> str | None:
    """The question up to the end of its first yes/no clause, when that part asks nothing else and another ask
    follows ("橡胶企业达不到A级是不是要停产？现场核查几月底前搞完"); else None."""
    end = 0
    for clause in question_clauses(text):
        end = text.index(clause, end) + len(clause)
        if asks_yes_no(clause):
            head, rest = text[:end], text[end:]
            return head if asks_only_yes_no(head) and re.search(_CJK, rest) else None
    return None


_CJK = r"[\u4e00-\u9fff]"
_MUST_BE = re.compile(r"(?:一定|必须|非得|也得|得是|得要|要求)[^，。？?]{0,4}[A-Da-d]级")  # a grade asked as required
_LETTER_GRADE = re.compile(r"(?<![A-Za-z])([A-Da-d])级")
_REQUIRED_GRADE = re.compile(r"([A-Da-d])级(及以上)?")


# One's own administrative level as a place ("县里", "市上", "咱们区"): where the asker is, not a topic.
_OWN_GROUND = re.compile(r"(?:咱们?|我们?|本)?[省市县区镇乡村][里上内]?")
# Asking to be spared a rule rather than whether it holds ("可以不装吗", "不用接吧").
_SPARED = re.compile(r"可以不|能不(?!能)|不用|不必|不需要|用不着|免于?|豁免")


def grade_verdict(question: str, sentence: str, scope: str, inside: bool = True) -> tuple[bool, str] | None:
    """Whether the one letter grade a question names ("B级能批不") meets the grade the sentence requires within a
    scope ("25公里范围内…应达到环保绩效A级"), or outside it (its "其他区域…B级"), and that grade as written; None
    when either names none. A is the best grade."""
    asked = {g.upper() for g in _LETTER_GRADE.findall(question)}
    at = sentence.find(scope)
    if len(asked) != 1 or at < 0:
        return None
    after = sentence[at + len(scope):]
    if not inside:
        other = re.search(r"其他|其余", after)
        if other is None:
            return None
        after = after[other.end():]
    # The rule runs to the end of its clause group; inside the scope, "其他区域…B级" is another area's.
    rule = re.split(r"[；。]|其他|其余", after)[0]
    required = _REQUIRED_GRADE.search(rule)
    if required is None:
        return None
    return meets_grade(asked.pop(), required.group(1), floor=bool(required.group(2))), required.group(0)

