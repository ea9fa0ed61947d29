"""One interviewer's scores, from a filled kit or paper ratings (SPEC "Scoring").

category score = mean of its rated questions; overall = mean of the category scores
weighted by the role's category weights, over rated categories; percent =
(overall - 1) / (scale max - 1) x 100, one decimal. A question marked N/A is
`not_assessed`, one left empty is `unrated`; both are left out and listed. Several
interviewers make a panel: `kitgen.score.panel`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from statistics import mean
from typing import Any

from kitgen._text import clean_text, excerpt
from kitgen.errors import Problem, ScoreError
from kitgen.select.kit import RECOMMENDATIONS as KIT_RECOMMENDATIONS

RECOMMENDATIONS = dict(KIT_RECOMMENDATIONS)  # export value -> label
NOT_ASSESSED = "na"


@dataclass(frozen=True)
class Scorecard:
    """One interviewer's marks on one kit: from a filled PDF or from rows of paper ratings."""

    source: Path
    kit: dict[str, Any] = field(repr=False)
    candidate: str
    interviewer: str
    date: str
    ratings: dict[str, int]  # question id -> rating, rated questions only
    not_assessed: list[str]  # marked N/A
    unrated: list[str]  # left empty
    notes: dict[str, str]  # question id -> the interviewer's notes, where written
    recommendation: str | None
    takeaways: str
    category_ratings: dict[str, int | None] = field(default_factory=dict)  # the scorecard's own

    @property
    def kit_id(self) -> str:
        return str(self.kit["kit_id"])

    @cached_property
    def asked(self) -> set[str]:
        """The ids of the questions in this interviewer's kit."""
        return {q["id"] for q in self.kit["questions"]}

    @property
    def scale_max(self) -> int:
        return len(self.kit["rating_scale"])

    @cached_property  # a debrief asks for it once per category
    def categories(self) -> dict[str, float]:
        """Category id -> mean of its rated questions, rated categories only."""
        scores: dict[str, list[int]] = {}
        for question in self.kit["questions"]:
            if question["id"] in self.ratings:
                scores.setdefault(question["category"], []).append(self.ratings[question["id"]])
        return {c["id"]: mean(scores[c["id"]]) for c in self.kit["categories"] if c["id"] in scores}

    @property
    def overall(self) -> float | None:
        return weighted_overall(self.kit, self.categories)

    @property
    def bar(self) -> dict[str, dict[str, Any]]:
        """Question id -> its bar, the rating given and whether it meets the bar, for the
        rated questions that have a bar at the role's level."""
        return {
            q["id"]: {"bar": q["bar"], "rating": rating, "met": rating >= q["bar"]}
            for q in self.kit["questions"]
            if q.get("bar") and (rating := self.ratings.get(q["id"])) is not None
        }

    @property
    def bar_met(self) -> float | None:
        """The share of those questions whose bar was met (None: no rated question has one)."""
        return met_share(self.bar)

    @property
    def percent(self) -> float | None:
        return percent_of(self.overall, self.scale_max)

    def to_json(self) -> dict[str, Any]:
        return {
            "file": str(self.source),
            "kit_id": self.kit_id,
            "role": self.kit["role"],
            "candidate": self.candidate,
            "interviewer": self.interviewer,
            "date": self.date,
            "ratings": self.ratings,
            "unrated": self.unrated,
            "not_assessed": self.not_assessed,
            "notes": self.notes,
            "categories": {c: round(s, 2) for c, s in self.categories.items()},
            "overall": rounded(self.overall),
            "percent": self.percent,
            "recommendation": self.recommendation,
            "takeaways": self.takeaways,
            "category_ratings": self.category_ratings,
            "bar": self.bar,
            "bar_met": self.bar_met,
        }


def scorecard_from_values(
    kit: dict[str, Any], values: Mapping[str, str], source: Path, *, interviewer: str = ""
) -> Scorecard:
    """One interviewer's scorecard from form values by SPEC field name (`rating:<id>` ...).

    A value off the scale is refused, naming the field; `interviewer` is the name to use
    when the form's own interviewer field is empty.
    """
    scale_max = len(kit["rating_scale"])
    problems = []
    ratings: dict[str, int] = {}
    not_assessed: list[str] = []
    unrated: list[str] = []
    for question in kit["questions"]:
        name = f"rating:{question['id']}"
        raw = values.get(name, "").strip()
        try:
            rating = parse_rating(raw, scale_max)
        except OffScale:
            message = f"{name}: score {excerpt(raw)} out of range (1-{scale_max} or na)"
            problems.append(Problem(str(source), 0, 0, message))
            continue
        if rating is not None:
            ratings[question["id"]] = rating
        else:
            (unrated if not raw else not_assessed).append(question["id"])
    recommendation = values.get("recommendation", "").strip() or None
    if recommendation is not None and recommendation not in RECOMMENDATIONS:
        problems.append(
            Problem(
                str(source),
                0,
                0,
                f"recommendation {excerpt(recommendation)} is not one of "
                f"{', '.join(RECOMMENDATIONS)}",
            )
        )
    if problems:
        raise ScoreError(problems)
    notes = {
        q["id"]: text
        for q in kit["questions"]
        if (text := clean_text(values.get(f"notes:{q['id']}", ""), multiline=True))
    }
    category_ratings: dict[str, int | None] = {}
    for category in kit["categories"]:
        name = f"category:{category['id']}"
        try:
            category_ratings[category["id"]] = parse_rating(values.get(name, ""), scale_max)
        except OffScale:
            raw = values.get(name, "")
            message = f"{name}: score {excerpt(raw)} out of range (1-{scale_max} or na)"
            problems.append(Problem(str(source), 0, 0, message))
    if problems:
        raise ScoreError(problems)

    def line(name: str) -> str:
        return clean_text(values.get(name, ""), multiline=False)

    return Scorecard(
        source=source,
        kit=kit,
        candidate=line("candidate"),
        interviewer=line("interviewer") or interviewer or source.stem,
        date=line("date"),
        ratings=ratings,
        not_assessed=not_assessed,
        unrated=unrated,
        notes=notes,
        recommendation=recommendation,
        takeaways=clean_text(values.get("takeaways", ""), multiline=True),
        category_ratings=category_ratings,
    )


class OffScale(ValueError):
    """A rating that is not on the kit's scale."""


def parse_rating(raw: str, scale_max: int) -> int | None:
    """The rating as a number, or None for not assessed or empty; OffScale otherwise."""
    text = raw.strip().lower()
    if text in (NOT_ASSESSED, "n/a", ""):
        return None
    if re.fullmatch(r"[0-9]{1,2}", text) and 1 <= int(text) <= scale_max:
        return int(text)
    raise OffScale(text)


def met_share(judged: Mapping[str, Mapping[str, Any]]) -> float | None:
    """The share of questions judged against their bar that met it (None: none judged)."""
    return round(sum(b["met"] for b in judged.values()) / len(judged), 2) if judged else None


def weighted_overall(kit: Mapping[str, Any], categories: Mapping[str, float]) -> float | None:
    """The weighted mean of category scores over the categories that have one."""
    if not categories:
        return None
    weights = {c["id"]: float(c["weight"]) for c in kit["categories"]}
    total = sum(weights[c] for c in categories)
    if total == 0:  # only weight-0 categories (drawn through `min`) were rated
        return mean(categories.values())
    return sum(score * weights[c] for c, score in categories.items()) / total


def percent_of(overall: float | None, scale_max: int) -> float | None:
    if overall is None or scale_max < 2:
        return None
    return round((overall - 1) / (scale_max - 1) * 100, 1)


def rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)
