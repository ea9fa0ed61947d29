"""A kit: the selected questions of one role, with everything a template or JSON needs."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from kitgen.schema.models import Category, Question, RoleProfile
from kitgen.select.selection import SelectedQuestion

KIT_DATA_NAME = "kitgen-kit.json"
# the scorecard's overall recommendation: export value and label, in the order printed
RECOMMENDATIONS: tuple[tuple[str, str], ...] = (
    ("strong-no", "Strong No"),
    ("no", "No"),
    ("yes", "Yes"),
    ("strong-yes", "Strong Yes"),
)  # the kit's JSON, embedded in every PDF of it


def kit_id_of(data: Mapping[str, Any]) -> str:
    """The kit ID: a short hash of the kit's JSON (the role as asked, the seed and every
    selected question), so a scorer can recompute it from the data embedded in a PDF."""
    content = {key: value for key, value in data.items() if key != "kit_id"}
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:10]


@dataclass(frozen=True)
class KitCategory:
    id: str
    title: str
    weight: float
    look_for: list[str]
    questions: int
    minutes: int


@dataclass(frozen=True)
class KitQuestion:
    number: int
    question: Question
    category_title: str
    round: str | None


@dataclass(frozen=True)
class PlanSection:
    """A line of the interview plan on the cover: a round, or a category without rounds."""

    title: str
    minutes: int
    questions: int
    first: int
    last: int
    categories: list[str]  # titles
    category_ids: list[str]


@dataclass(frozen=True)
class Kit:
    kit_id: str
    role: RoleProfile
    seed: int
    categories: list[KitCategory]
    questions: list[KitQuestion]
    plan: list[PlanSection]

    @property
    def total_minutes(self) -> int:
        return sum(q.question.minutes for q in self.questions)

    @property
    def rating_scale(self) -> list[tuple[int, str]]:
        return list(enumerate(self.role.rating_scale, start=1))

    def to_json(self) -> dict[str, Any]:
        """The kit as SPEC "Machine-readable outputs"; stable key order for byte-equal output."""
        role = self.role
        data: dict[str, Any] = {
            "kit_id": self.kit_id,
            "role": role.role,
            "level": role.level,
            "summary": role.summary,
            "seed": self.seed,
            "duration": role.duration,
            "total_minutes": self.total_minutes,
            "rating_scale": [{"value": v, "label": label} for v, label in self.rating_scale],
            "categories": [
                {
                    "id": c.id,
                    "title": c.title,
                    "weight": c.weight,
                    "questions": c.questions,
                    "minutes": c.minutes,
                }
                for c in self.categories
            ],
            "rounds": [
                {"name": r.name, "minutes": r.minutes, "categories": r.categories}
                for r in role.rounds
            ],
            "questions": [],
        }
        for item in self.questions:
            q = item.question
            entry: dict[str, Any] = {
                "number": item.number,
                "id": q.id,
                "category": q.category,
                "kind": q.kind,
                "minutes": q.minutes,
                "weight": q.weight,
                "text": q.text,
                "tags": q.tags,
                "look_for": q.look_for,
                "follow_ups": q.follow_ups,
                "red_flags": q.red_flags,
                "rubric": {str(k): v for k, v in sorted(q.rubric.items())},
            }
            if item.round is not None:
                entry["round"] = item.round
            data["questions"].append(entry)
        return data


def assemble_kit(
    role: RoleProfile,
    categories: dict[str, Category],
    selected: list[SelectedQuestion],
    seed: int,
) -> Kit:
    titles = {cid: categories[cid].title for cid in role.categories}
    questions = [
        KitQuestion(number, s.question, titles[s.question.category], s.round)
        for number, s in enumerate(selected, start=1)
    ]
    kit_categories = [
        KitCategory(
            id=cid,
            title=titles[cid],
            weight=rule.weight,
            look_for=list(categories[cid].look_for),
            questions=sum(1 for q in questions if q.question.category == cid),
            minutes=sum(q.question.minutes for q in questions if q.question.category == cid),
        )
        for cid, rule in role.categories.items()
    ]
    kit = Kit(
        "",
        role,
        seed,
        [c for c in kit_categories if c.questions],
        questions,
        _plan(questions),
    )
    return replace(kit, kit_id=kit_id_of(kit.to_json()))


def _plan(questions: list[KitQuestion]) -> list[PlanSection]:
    """Sections in kit order: one per round, or one per category (by id: two banks may
    give categories the same title, and each keeps its own section)."""
    groups: dict[str, list[KitQuestion]] = {}
    for item in questions:
        key = f"round:{item.round}" if item.round is not None else item.question.category
        groups.setdefault(key, []).append(item)
    return [
        PlanSection(
            title=items[0].round if items[0].round is not None else items[0].category_title,
            minutes=sum(i.question.minutes for i in items),
            questions=len(items),
            first=items[0].number,
            last=items[-1].number,
            categories=list(dict.fromkeys(i.category_title for i in items)),
            category_ids=list(dict.fromkeys(i.question.category for i in items)),
        )
        for items in groups.values()
    ]
