"""A kit: the selected questions of one role, with everything a template or JSON needs."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from kitgen.i18n import N_
from kitgen.schema.models import DEFAULT_RATING_SCALE, Category, Question, RoleProfile
from kitgen.select.selection import SelectedQuestion

KIT_DATA_NAME = "kitgen-kit.json"
# the scorecard's overall recommendation: export value and label, in the order printed
RECOMMENDATIONS: tuple[tuple[str, str], ...] = (
    ("strong-no", N_("Strong No")),
    ("no", N_("No")),
    ("yes", N_("Yes")),
    ("strong-yes", N_("Strong Yes")),
)  # the kit's JSON, embedded in every PDF of it


def kit_id_of(data: Mapping[str, Any]) -> str:
    """The kit ID: a short hash of the kit's JSON (the role as asked, the seed and every
    selected question), so a scorer can recompute it from the data embedded in a PDF."""
    # not the ID itself, nor the build hash a written JSON file records (kitgen.output.builds)
    content = {key: value for key, value in data.items() if key not in ("kit_id", "build")}
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
class AgendaItem:
    """A line of the agenda on the cover: what happens from which minute of the slot."""

    start: int  # minutes from the start of the slot
    minutes: int
    title: str
    questions: str = ""  # "Q1-Q3", for a section of questions

    @property
    def clock(self) -> str:
        """The start as a clock offset: 0:05, 1:10."""
        return f"{self.start // 60}:{self.start % 60:02d}"


@dataclass(frozen=True)
class Agenda:
    """One interview's slot from opening to closing; `title` names the round, if any."""

    title: str | None
    slot: int
    items: list[AgendaItem]

    @property
    def spare(self) -> int:
        """Minutes of the slot no question takes: slack for answers that run long."""
        return self.slot - sum(item.minutes for item in self.items)


@dataclass(frozen=True)
class LoopRound:
    """A round of an interview loop as every packet's cover shows it."""

    number: int
    name: str
    slug: str
    interviewer: str | None
    minutes: int
    category_ids: list[str]  # as the profile lists them
    assessed: list[str]  # the categories its questions ask about
    questions: int
    kit_id: str = ""  # its packet's kit ID (set once the packets are made)


@dataclass(frozen=True)
class Loop:
    """An interview loop: its rounds, and which round assesses which category."""

    loop_id: str
    rounds: list[LoopRound]
    categories: list[KitCategory]  # every category of the loop, in the profile's order

    def assessed_in(self, category_id: str) -> list[LoopRound]:
        return [r for r in self.rounds if category_id in r.assessed]

    @property
    def coverage(self) -> dict[str, list[int]]:
        """Category id -> the numbers of the rounds that assess it (a value, not a method,
        so sandboxed user templates can read it)."""
        return {c.id: [r.number for r in self.assessed_in(c.id)] for c in self.categories}

    def to_json(self) -> dict[str, Any]:
        return {
            "loop_id": self.loop_id,
            "rounds": [
                {
                    "number": r.number,
                    "name": r.name,
                    "slug": r.slug,
                    "interviewer": r.interviewer,
                    "minutes": r.minutes,
                    "categories": r.assessed,
                    "questions": r.questions,
                }
                for r in self.rounds
            ],
            "categories": [
                {"id": c.id, "title": c.title, "weight": c.weight} for c in self.categories
            ],
        }


@dataclass(frozen=True)
class Kit:
    """A kit to render: one interview, a packet (one round of a loop, with `round` and
    `loop`), or a whole loop in one document (`loop` without `round`)."""

    kit_id: str
    role: RoleProfile
    seed: int
    categories: list[KitCategory]
    questions: list[KitQuestion]
    plan: list[PlanSection]
    loop: Loop | None = None
    round: LoopRound | None = None

    @property
    def total_minutes(self) -> int:
        return sum(q.question.minutes for q in self.questions)

    @property
    def slot(self) -> int:
        """The booked minutes of this document's interview (or of the whole loop)."""
        return self.round.minutes if self.round is not None else self.role.slot

    @property
    def interviewer(self) -> str:
        """The interviewer the profile names for this packet, or ''."""
        return (self.round.interviewer or "") if self.round is not None else ""

    @property
    def agendas(self) -> list[Agenda]:
        """The cover's agenda: one per interview (a combined loop document has several)."""
        role = self.role
        if self.loop is not None and self.round is None:
            return [
                _agenda(
                    r.name,
                    r.minutes,
                    role.opening,
                    role.closing,
                    _plan([q for q in self.questions if q.round == r.name], by_round=False),
                )
                for r in self.loop.rounds
            ]
        return [_agenda(None, self.slot, role.opening, role.closing, self.plan)]

    @property
    def language(self) -> str:
        """The language of the labels kitgen prints (bank text stays as written)."""
        return self.role.language or "en"

    @property
    def rating_scale(self) -> list[tuple[int, str]]:
        return list(enumerate(self.role.rating_scale, start=1))

    def rating_scale_in(self, gettext: Callable[[str], str]) -> list[tuple[int, str]]:
        """The scale as printed: kitgen's default labels in the kit's language, a
        profile's own labels as written."""
        if tuple(self.role.rating_scale) != DEFAULT_RATING_SCALE:
            return self.rating_scale
        return [(value, gettext(label)) for value, label in self.rating_scale]

    def to_json(self) -> dict[str, Any]:
        """The kit as SPEC "Machine-readable outputs"; stable key order for byte-equal output."""
        role = self.role
        data: dict[str, Any] = {
            "kit_id": self.kit_id,
            "role": role.role,
            "level": role.level,
            "summary": role.summary,
            "seed": self.seed,
            "duration": self.slot,
            "opening": role.opening,
            "closing": role.closing,
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
            "questions": [],
        }
        if self.loop is not None:
            data["loop"] = self.loop.to_json()
        if self.round is not None:
            data["round"] = {"number": self.round.number, "name": self.round.name}
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
                "bar": q.bar.get(role.level),  # the rating a hire at the role's level shows
                "answer": q.answer,
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
    """The kit of a role; for a loop, the whole loop in one document (see `packets`)."""
    titles = {cid: categories[cid].title for cid in role.categories}
    questions = [
        KitQuestion(number, s.question, titles[s.question.category], s.round)
        for number, s in enumerate(selected, start=1)
    ]
    looks = {cid: list(categories[cid].look_for) for cid in role.categories}
    kit = Kit("", role, seed, _categories(role, titles, looks, questions), questions, [])
    kit = replace(kit, plan=_plan(questions))
    if role.rounds:
        loop_id = kit_id_of(kit.to_json())  # the loop's questions, profile and seed
        rounds = [
            LoopRound(
                number=index,
                name=r.name,
                slug=r.slug,
                interviewer=r.interviewer,
                minutes=r.minutes,
                category_ids=list(r.categories),
                assessed=list(
                    dict.fromkeys(q.question.category for q in questions if q.round == r.name)
                ),
                questions=sum(1 for q in questions if q.round == r.name),
            )
            for index, r in enumerate(role.rounds, start=1)
        ]
        every = _categories(role, titles, looks, questions, keep_empty=True)
        kit = replace(kit, loop=Loop(loop_id, rounds, every))
    return replace(kit, kit_id=kit_id_of(kit.to_json()))


def packets(kit: Kit) -> list[Kit]:
    """A loop's packets: one kit per round with only its questions and categories, each
    with its own kit ID and the loop (its rounds carrying every packet's kit ID)."""
    loop = kit.loop
    if loop is None:
        return [kit]
    made = []
    for r in loop.rounds:
        questions = [
            replace(q, number=number)
            for number, q in enumerate((q for q in kit.questions if q.round == r.name), start=1)
        ]
        titles = {c.id: c.title for c in loop.categories}
        looks = {c.id: c.look_for for c in loop.categories}
        packet = Kit(
            "",
            kit.role,
            kit.seed,
            _categories(kit.role, titles, looks, questions),
            questions,
            _plan(questions, by_round=False),
            loop,
            r,
        )
        made.append(replace(packet, kit_id=kit_id_of(packet.to_json())))
    rounds = [replace(r, kit_id=p.kit_id) for r, p in zip(loop.rounds, made, strict=True)]
    # every cover lists the packets' kit IDs; a packet's own ID does not depend on them
    return [
        replace(p, loop=replace(loop, rounds=rounds), round=rounds[i]) for i, p in enumerate(made)
    ]


def loop_json(kit: Kit) -> dict[str, Any]:
    """A loop as one JSON document: the loop, its rounds and every packet's kit."""
    made = packets(kit)
    assert kit.loop is not None
    return {
        "loop_id": kit.loop.loop_id,
        "role": kit.role.role,
        "level": kit.role.level,
        "summary": kit.role.summary,
        "seed": kit.seed,
        "duration": kit.slot,
        "opening": kit.role.opening,
        "closing": kit.role.closing,
        "categories": kit.loop.to_json()["categories"],
        "rounds": [
            {
                "number": p.round.number,
                "name": p.round.name,
                "interviewer": p.round.interviewer,
                "minutes": p.round.minutes,
                "categories": p.round.assessed,
                "kit_id": p.kit_id,
            }
            for p in made
            if p.round is not None
        ],
        "packets": [p.to_json() for p in made],
    }


def _categories(
    role: RoleProfile,
    titles: dict[str, str],
    looks: dict[str, list[str]],
    questions: list[KitQuestion],
    *,
    keep_empty: bool = False,
) -> list[KitCategory]:
    every = [
        KitCategory(
            id=cid,
            title=titles[cid],
            weight=rule.weight,
            look_for=looks[cid],
            questions=sum(1 for q in questions if q.question.category == cid),
            minutes=sum(q.question.minutes for q in questions if q.question.category == cid),
        )
        for cid, rule in role.categories.items()
    ]
    return [c for c in every if c.questions or keep_empty]


def _agenda(
    title: str | None,
    slot: int,
    opening: int,
    closing: int,
    sections: list[PlanSection],
) -> Agenda:
    items = []
    if opening:  # `opening: 0` has no row of its own
        opens = N_("Opening: introductions and how the interview runs")
        items.append(AgendaItem(0, opening, opens))
    start = opening
    for section in sections:
        span = f"Q{section.first}" + (f"-Q{section.last}" if section.last != section.first else "")
        items.append(AgendaItem(start, section.minutes, section.title, span))
        start += section.minutes
    if closing:
        items.append(AgendaItem(slot - closing, closing, N_("The candidate's questions and close")))
    return Agenda(title, slot, items)


def _plan(questions: list[KitQuestion], *, by_round: bool = True) -> list[PlanSection]:
    """Sections in kit order: one per round, or one per category (by id: two banks may
    give categories the same title, and each keeps its own section)."""
    groups: dict[str, list[KitQuestion]] = {}
    for item in questions:
        key = (
            f"round:{item.round}"
            if item.round is not None and by_round
            else f"category:{item.question.category}"
        )
        groups.setdefault(key, []).append(item)
    return [
        PlanSection(
            title=items[0].round
            if items[0].round is not None and by_round
            else items[0].category_title,
            minutes=sum(i.question.minutes for i in items),
            questions=len(items),
            first=items[0].number,
            last=items[-1].number,
            categories=list(dict.fromkeys(i.category_title for i in items)),
            category_ids=list(dict.fromkeys(i.question.category for i in items)),
        )
        for items in groups.values()
    ]
