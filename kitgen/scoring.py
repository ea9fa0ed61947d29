"""Scores from filled kits (SPEC "Commands", scoring), and the panel debrief across them.

category score = mean of its rated questions; overall = mean of the category scores
weighted by the role's category weights, over rated categories; percent =
(overall - 1) / (scale max - 1) x 100, one decimal. Unrated questions are left out.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from statistics import mean
from typing import Any

from kitgen.errors import Problem, ScoreError
from kitgen.filled import FilledKit

RECOMMENDATIONS = {"strong-no": "Strong No", "no": "No", "yes": "Yes", "strong-yes": "Strong Yes"}
DISAGREEMENT = 2  # points between the highest and lowest interviewer that deserve a talk


@dataclass(frozen=True)
class Scorecard:
    """One interviewer's scores."""

    path: Path
    kit_id: str
    role: str
    candidate: str
    interviewer: str
    date: str
    scale_max: int
    ratings: dict[str, int | None]  # question id -> rating, None = not assessed
    categories: dict[str, float]  # category id -> score, rated categories only
    overall: float | None
    percent: float | None
    recommendation: str | None
    takeaways: str
    category_ratings: dict[str, int | None] = field(default_factory=dict)  # the scorecard's own

    @property
    def unrated(self) -> list[str]:
        return [qid for qid, rating in self.ratings.items() if rating is None]

    def to_json(self) -> dict[str, Any]:
        return {
            "file": str(self.path),
            "kit_id": self.kit_id,
            "role": self.role,
            "candidate": self.candidate,
            "interviewer": self.interviewer,
            "date": self.date,
            "ratings": self.ratings,
            "unrated": self.unrated,
            "categories": {c: round(s, 2) for c, s in self.categories.items()},
            "overall": _round(self.overall),
            "percent": self.percent,
            "recommendation": self.recommendation,
            "takeaways": self.takeaways,
            "category_ratings": self.category_ratings,
        }


@dataclass(frozen=True)
class CategorySpread:
    mean: float
    low: float
    high: float
    scores: dict[str, float]  # interviewer -> score

    @property
    def disagreement(self) -> bool:
        return self.high - self.low >= DISAGREEMENT


@dataclass(frozen=True)
class Debrief:
    """The panel: several interviewers' scorecards for one candidate and kit."""

    kit: dict[str, Any]
    cards: list[Scorecard]
    categories: dict[str, CategorySpread] = field(default_factory=dict)

    @property
    def candidate(self) -> str:
        return self.cards[0].candidate

    @property
    def overall(self) -> float | None:
        scores = [c.overall for c in self.cards if c.overall is not None]
        return mean(scores) if scores else None

    @property
    def percent(self) -> float | None:
        return _percent(self.overall, self.cards[0].scale_max)

    @property
    def recommendations(self) -> dict[str, int]:
        tally = Counter(c.recommendation for c in self.cards if c.recommendation)
        return {label: tally[value] for value, label in RECOMMENDATIONS.items()}

    @property
    def ratings(self) -> dict[str, float | None]:
        result: dict[str, float | None] = {}
        for question in self.kit["questions"]:
            given = [c.ratings[question["id"]] for c in self.cards]
            rated = [r for r in given if r is not None]
            result[question["id"]] = round(mean(rated), 2) if rated else None
        return result

    @property
    def unrated(self) -> list[str]:
        """Questions no interviewer rated."""
        return [qid for qid, rating in self.ratings.items() if rating is None]

    def to_json(self) -> dict[str, Any]:
        ratings = self.ratings
        return {
            "kit_id": self.kit["kit_id"],
            "role": self.kit["role"],
            "candidate": self.candidate,
            "interviewer": [c.interviewer for c in self.cards],
            "ratings": ratings,
            "unrated": [q for q, r in ratings.items() if r is None],
            "categories": {c: round(s.mean, 2) for c, s in self.categories.items()},
            "category_spread": {
                c: {
                    "mean": round(s.mean, 2),
                    "min": s.low,
                    "max": s.high,
                    "disagreement": s.disagreement,
                    "by_interviewer": s.scores,
                }
                for c, s in self.categories.items()
            },
            "overall": _round(self.overall),
            "percent": self.percent,
            "recommendation": self.recommendations,
            "takeaways": {c.interviewer: c.takeaways for c in self.cards},
        }


def score_kit(filled: FilledKit) -> Scorecard:
    kit, values = filled.kit, filled.values
    scale_max = len(kit["rating_scale"])
    problems = []
    ratings: dict[str, int | None] = {}
    for question in kit["questions"]:
        name = f"rating:{question['id']}"
        raw = values.get(name, "na")
        rating = _rating(raw, scale_max)
        if rating is False:
            problems.append(
                Problem(
                    str(filled.path),
                    0,
                    0,
                    f"{name}: score {raw!r} out of range (1-{scale_max} or na)",
                )
            )
            continue
        ratings[question["id"]] = rating if isinstance(rating, int) else None
    recommendation = values.get("recommendation")
    if recommendation is not None and recommendation not in RECOMMENDATIONS:
        problems.append(
            Problem(
                str(filled.path),
                0,
                0,
                f"recommendation {recommendation!r} is not one of {', '.join(RECOMMENDATIONS)}",
            )
        )
    if problems:
        raise ScoreError(problems)
    categories = _category_scores(kit, ratings)
    overall = _weighted_overall(kit, categories)
    return Scorecard(
        path=filled.path,
        kit_id=str(kit["kit_id"]),
        role=str(kit["role"]),
        candidate=values.get("candidate", "").strip(),
        interviewer=values.get("interviewer", "").strip() or filled.path.stem,
        date=values.get("date", "").strip(),
        scale_max=scale_max,
        ratings=ratings,
        categories=categories,
        overall=overall,
        percent=_percent(overall, scale_max),
        recommendation=recommendation,
        takeaways=values.get("takeaways", "").strip(),
        category_ratings=_category_ratings(kit, values, scale_max),
    )


def _category_ratings(
    kit: dict[str, Any], values: dict[str, str], scale_max: int
) -> dict[str, int | None]:
    """The interviewer's own rating of each competency on the scorecard (not in the score)."""
    ratings: dict[str, int | None] = {}
    for category in kit["categories"]:
        rating = _rating(values.get(f"category:{category['id']}", "na"), scale_max)
        ratings[category["id"]] = None if rating is False else rating  # out of range: none
    return ratings


def _rating(raw: str, scale_max: int) -> int | bool | None:
    """The rating as a number, None for not assessed, False when out of range."""
    if raw.strip().lower() in ("na", "n/a", ""):
        return None
    if re.fullmatch(r"[0-9]{1,2}", raw.strip()) and 1 <= int(raw) <= scale_max:
        return int(raw)
    return False


def _category_scores(kit: dict[str, Any], ratings: dict[str, int | None]) -> dict[str, float]:
    scores = {}
    for category in kit["categories"]:
        rated = [
            r
            for q in kit["questions"]
            if q["category"] == category["id"] and (r := ratings.get(q["id"])) is not None
        ]
        if rated:
            scores[category["id"]] = mean(rated)
    return scores


def _weighted_overall(kit: dict[str, Any], categories: dict[str, float]) -> float | None:
    weights = {c["id"]: float(c["weight"]) for c in kit["categories"]}
    total = sum(weights[c] for c in categories)
    if not categories:
        return None
    if total == 0:  # only weight-0 categories (drawn through `min`) were rated
        return mean(categories.values())
    return sum(score * weights[c] for c, score in categories.items()) / total


def _percent(overall: float | None, scale_max: int) -> float | None:
    if overall is None or scale_max < 2:
        return None
    return round((overall - 1) / (scale_max - 1) * 100, 1)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def debrief(cards: list[Scorecard], kits: list[dict[str, Any]]) -> Debrief:
    """The panel debrief; PDFs of different kits or candidates are refused."""
    first = cards[0]
    kit_of = {card.path: kit for card, kit in zip(cards, kits, strict=True)}
    problems = []
    for card in cards[1:]:
        if card.kit_id == first.kit_id and kit_of[card.path] != kit_of[first.path]:
            problems.append(
                Problem(
                    str(card.path),
                    0,
                    0,
                    f"claims kit {card.kit_id} but its kit data differs from "
                    f"{first.path.name}'s; one of them was altered",
                )
            )
        elif card.kit_id != first.kit_id:
            problems.append(
                Problem(
                    str(card.path),
                    0,
                    0,
                    f"is kit {card.kit_id}, not {first.kit_id} like "
                    f"{first.path.name}; score one kit's PDFs together",
                )
            )
        elif _same_person(card.candidate) != _same_person(first.candidate):
            problems.append(
                Problem(
                    str(card.path),
                    0,
                    0,
                    f"is for candidate {card.candidate!r}, not "
                    f"{first.candidate!r} like {first.path.name}",
                )
            )
    if problems:
        raise ScoreError(problems)
    cards = _distinct_names(cards)
    spreads = {}
    for category in kits[0]["categories"]:
        scores = {
            c.interviewer: c.categories[category["id"]]
            for c in cards
            if category["id"] in c.categories
        }
        if scores:
            spreads[category["id"]] = CategorySpread(
                mean(scores.values()), min(scores.values()), max(scores.values()), scores
            )
    return Debrief(kits[0], cards, spreads)


def _distinct_names(cards: list[Scorecard]) -> list[Scorecard]:
    """Two interviewers with one name (or two blank names) stay two columns: "Bob (2)"."""
    seen: Counter[str] = Counter()
    distinct = []
    for card in cards:
        seen[card.interviewer] += 1
        if seen[card.interviewer] > 1:
            card = replace(card, interviewer=f"{card.interviewer} ({seen[card.interviewer]})")
        distinct.append(card)
    return distinct


def _same_person(name: str) -> str:
    return " ".join(name.lower().split())


def score_files(paths: list[Path]) -> Debrief:
    """Read and score every PDF, reporting all unreadable ones together, then the panel."""
    from kitgen.filled import read_filled_kit

    cards, kits, problems = [], [], []
    seen: set[Path] = set()
    for path in paths:
        if path.resolve() in seen:
            problems.append(
                Problem(str(path), 0, 0, "is given twice; each interviewer's PDF counts once")
            )
            continue
        seen.add(path.resolve())
        try:
            filled = read_filled_kit(path)
            cards.append(score_kit(filled))
            kits.append(filled.kit)
        except ScoreError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ScoreError(problems)
    return debrief(cards, kits)
