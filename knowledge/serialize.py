"""Lossless dict form of a Plan (JSON-safe), used by the ledger to store and reload parsed plans (pure)."""

from __future__ import annotations

from datetime import date
from typing import Any

from knowledge.model import Goal, Limit, Paragraph, Plan, Section, Task, TimeExpr

FORMAT_VERSION = 1


def _date(value: str | None) -> date | None:
    """An ISO date or None."""
    return date.fromisoformat(value) if value else None


def time_to_dict(expr: TimeExpr) -> dict[str, Any]:
    """A time expression as a dict (always with `end`, unlike the display form)."""
    return {"kind": expr.kind, "text": expr.text, "date": expr.date.isoformat() if expr.date else None,
            "end": expr.end.isoformat() if expr.end else None}


def time_from_dict(data: dict[str, Any]) -> TimeExpr:
    """Inverse of time_to_dict."""
    return TimeExpr(data["kind"], data["text"], _date(data.get("date")), _date(data.get("end")))


def limit_to_dict(limit: Limit) -> dict[str, Any]:
    """A limit as a dict."""
    return {"value": limit.value, "unit": limit.unit, "subject": limit.subject, "text": limit.text,
            "comparator": limit.comparator, "upper": limit.upper, "kind": limit.kind}


def limit_from_dict(data: dict[str, Any]) -> Limit:
    """Inverse of limit_to_dict."""
    upper = data.get("upper")
    comparator = data.get("comparator")
    # Ledgers written before kinds existed: a ceiling is a limit, anything else a target.
    kind = data.get("kind") or ("limit" if comparator == "<=" else "target")
    return Limit(float(data["value"]), data["unit"], data["subject"], data["text"], comparator,
                 float(upper) if upper is not None else None, kind)


def task_to_dict(task: Task) -> dict[str, Any]:
    """A task as a dict, every field included."""
    return {
        "number": task.number, "title": task.title, "text": task.text, "section": task.section,
        "chapter": task.chapter, "leaders": list(task.leaders), "lead_units": list(task.lead_units),
        "units": list(task.units), "notes": list(task.notes), "inherited": task.inherited,
        "responsibility_text": task.responsibility_text,
        "deadlines": [time_to_dict(d) for d in task.deadlines],
        "limits": [limit_to_dict(lim) for lim in task.limits],
    }


def task_from_dict(data: dict[str, Any]) -> Task:
    """Inverse of task_to_dict."""
    return Task(
        number=int(data["number"]), title=data["title"], text=data["text"], section=data["section"],
        chapter=data.get("chapter", ""), leaders=tuple(data.get("leaders", ())),
        lead_units=tuple(data.get("lead_units", ())), units=tuple(data.get("units", ())),
        notes=tuple(data.get("notes", ())), inherited=bool(data.get("inherited", False)),
        responsibility_text=data.get("responsibility_text", ""),
        deadlines=tuple(time_from_dict(d) for d in data.get("deadlines", ())),
        limits=tuple(limit_from_dict(lim) for lim in data.get("limits", ())),
    )


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    """The whole plan as a JSON-safe dict; plan_from_dict(plan_to_dict(p)) == p."""
    return {
        "format": FORMAT_VERSION,
        "title": plan.title,
        "year": plan.year,
        "tasks": [task_to_dict(t) for t in plan.tasks],
        "sections": [{"chapter": s.chapter, "label": s.label, "title": s.title} for s in plan.sections],
        "chapters": list(plan.chapters),
        "paragraphs": [{"kind": p.kind, "heading": p.heading, "text": p.text, "key": p.key} for p in plan.paragraphs],
        "goals": [{"name": g.name, "value": g.value, "unit": g.unit, "comparator": g.comparator, "text": g.text}
                  for g in plan.goals],
        "warnings": list(plan.warnings),
        "inherited_blocks": plan.inherited_blocks,
        "meta": dict(plan.meta),
    }


def plan_from_dict(data: dict[str, Any]) -> Plan:
    """Inverse of plan_to_dict."""
    return Plan(
        title=data["title"],
        year=int(data["year"]),
        tasks=tuple(task_from_dict(t) for t in data.get("tasks", ())),
        sections=tuple(Section(s["chapter"], s["label"], s["title"]) for s in data.get("sections", ())),
        chapters=tuple(data.get("chapters", ())),
        paragraphs=tuple(Paragraph(p["kind"], p["heading"], p["text"], p["key"]) for p in data.get("paragraphs", ())),
        goals=tuple(Goal(g["name"], float(g["value"]), g["unit"], g["comparator"], g["text"])
                    for g in data.get("goals", ())),
        warnings=tuple(data.get("warnings", ())),
        inherited_blocks=int(data.get("inherited_blocks", 0)),
        meta={str(k): str(v) for k, v in (data.get("meta") or {}).items()},
    )
