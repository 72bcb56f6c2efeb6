"""Yes/no on who takes part ("是不是大气办牵头", "高新分局要划禁燃区吗"): 是/否 for the people and units a question
names, read against a task's responsibility fields and the groups that cover a unit ("各分局")."""

from __future__ import annotations

import re
from collections.abc import Mapping

from knowledge import texts as kn_msg
from knowledge.model import Task
from knowledge.qa import texts as msg
from knowledge.qa.answer import group_of, role_of, wants_role
from knowledge.qa.bans import asked
from knowledge.qa.lexicon import GROUP_UNIT
from knowledge.qa.question import Question

# Asking who takes part ("是刘鲲管吗", "是不是大气办牵头"), not naming a place ("泾阳的矿车要换吗").
_ROLE_ASK = re.compile(r"管|负责|牵头|配合|参与|主抓|包抓|责任|涉及")
_WE = re.compile(r"^(?:我们|咱们|俺们|咱|我)")
_UNIT_END = re.compile(r"(?:办|局|科|站|队|中心)$")
# A role question put the other way round ("不用管…吧", "不参与吧"): 是 means it takes no part.
_ASKS_SPARED = re.compile(r"不用|不需要|不必|不管|不参与|不负责|不涉及|没(?:有)?(?:份|事)")
# "Alone" ("是薛扬一个人负责吗", "大气办一家牵头吗"): the others named beside them answer 否.
_ALONE = re.compile(r"一个人|一家|一个单位|自己|只有|只是|就他|单独|独自")
_OPEN_GROUP = re.compile(r"^(?:相关|有关)")


def asks_role(q: Question) -> bool:
    """Whether a question names people or units and asks who does it ("是不是大气办牵头", "刘鲲管吗")."""
    return bool(q.persons or q.units) and (q.intent in ("who", "unit") or bool(_ROLE_ASK.search(q.text)))


def role_head(q: Question, task: Task | None, aliases: Mapping[str, str]) -> str | None:
    """The 是/否 line for a yes/no on who takes part in the task, turned round when asked the other way
    ("不用管…吧"); None when the question asks no such thing or the plan does not settle it."""
    if task is None or not (asks_role(q) or _unit_first(q, aliases)):
        return None
    head = _role_head(q, task)
    if head is not None and _ASKS_SPARED.search(asked(q.text)):  # "管不管" asks, it does not say 不管
        # "高新分局不用管禁燃区吧": 是 when it takes no part, the verdict turned round.
        head = (msg.QA_NO if head.startswith(msg.QA_YES.plain()) else msg.QA_YES).plain() + head[1:]
    return head


def _unit_first(q: Question, aliases: Mapping[str, str]) -> bool:
    """Whether the question opens with a unit it names ("高新分局要划禁燃区吗"): then it asks whether that unit
    takes part."""
    # By a unit's own name ("高新分局", "大气办"), not a place standing for its branch ("泾阳冀东水泥…").
    text = _WE.sub("", q.text)  # "我们武功分局要去…吗"
    return any(text.startswith(alias) and _UNIT_END.search(alias)
               for alias, unit in aliases.items() if unit in q.units)


def _role_head(q: Question, task: Task) -> str | None:
    """"是：大气办是第3项的牵头单位" / "否：…不是…" for the people and units a question names."""
    label = msg.QA_TASK_LABEL.plain(number=task.number)
    for person in q.persons:
        if person not in task.leaders:
            return msg.QA_YESNO_ROLE_NO.plain(name=person, label=label, role=kn_msg.PARSE_FIELD_LEADERS)
    others = [p for p in task.leaders if p not in q.persons]
    if q.persons and others and _ALONE.search(q.text):  # "是薛扬一个人负责吗": 马芳林 too
        return msg.QA_YESNO_ROLE_ALSO.plain(label=label, role=kn_msg.PARSE_FIELD_LEADERS,
                                            names="、".join(task.leaders))
    for unit in q.units:
        if unit_role(task, unit) is None and (group := _unsaid_group(task, unit)) is not None:
            # "各相关分局": which branches the plan does not say, so neither 是 nor 否.
            return msg.QA_YESNO_ROLE_UNSAID.plain(label=label, role=kn_msg.PARSE_FIELD_UNITS, group=group,
                                                  name=unit)
        if not wants_role(q.role, unit_role(task, unit)):
            asked = {"lead": kn_msg.PARSE_FIELD_LEAD_UNITS, "responsible": kn_msg.PARSE_FIELD_UNITS}.get(
                q.role, msg.QA_ROLE_EITHER)
            return msg.QA_YESNO_ROLE_NO.plain(name=unit, label=label, role=asked)
    co_leads = [u for u in task.lead_units if u not in q.units]
    if q.units and q.role == "lead" and co_leads and _ALONE.search(q.text):  # "是大气办一家牵头吗": 执法支队 too
        return msg.QA_YESNO_ROLE_ALSO.plain(label=label, role=kn_msg.PARSE_FIELD_LEAD_UNITS,
                                            names="、".join(task.lead_units))
    if not (q.persons or q.units) or q.role in ("none", "not_lead"):
        return None
    names = "、".join((*q.persons, *q.units))
    roles = [kn_msg.PARSE_FIELD_LEADERS] if q.persons else []
    roles += [kn_msg.PARSE_FIELD_LEAD_UNITS if unit_role(task, u) == msg.QA_ROLE_LEAD
              else kn_msg.PARSE_FIELD_UNITS for u in q.units]
    return msg.QA_YESNO_ROLE_YES.plain(name=names, label=label, role="、".join(dict.fromkeys(roles)))


def unit_role(task: Task, unit: str) -> str | None:
    """A unit's role in a task, counting a group that covers it ("各分局" for 兴平分局) unless the plan leaves it out
    ("各分局（不涉及高新、经开）" for 高新分局)."""
    if (role := role_of(task, unit)) is not None:
        return role
    covering = group_of(task, unit)
    return None if covering is None else covering[1]


def _unsaid_group(task: Task, unit: str) -> str | None:
    """A group of the unit's kind whose members the plan leaves open ("各相关分局" for 武功分局), or None."""
    for group in (*task.lead_units, *task.units):
        kind = GROUP_UNIT.sub("", group).split("（")[0]
        if GROUP_UNIT.match(group) and _OPEN_GROUP.match(kind) and unit.endswith(_OPEN_GROUP.sub("", kind)):
            return group
    return None
