"""Scores from filled kits or paper ratings (SPEC "Scoring"), and the panel debrief.

category score = mean of its rated questions; overall = mean of the category scores
weighted by the role's category weights, over rated categories; percent =
(overall - 1) / (scale max - 1) x 100, one decimal. A question marked N/A is
`not_assessed`, one left empty is `unrated`; both are left out and listed. The panel's
category score is the mean of the interviewers' category scores, and the panel's overall
comes from those by the same weighted formula.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from statistics import mean
from typing import Any

from kitgen._files import resolved
from kitgen._text import clean_text, excerpt
from kitgen.errors import Problem, ScoreError
from kitgen.select.kit import RECOMMENDATIONS as KIT_RECOMMENDATIONS

RECOMMENDATIONS = dict(KIT_RECOMMENDATIONS)  # export value -> label
DISAGREEMENT = 2  # points between the highest and lowest interviewer that deserve a talk
NOT_ASSESSED = "na"
LOOP_DEBRIEF = "loop_debrief"  # marks the merged kit data of a loop's debrief


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
            "overall": _round(self.overall),
            "percent": self.percent,
            "recommendation": self.recommendation,
            "takeaways": self.takeaways,
            "category_ratings": self.category_ratings,
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


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


@dataclass(frozen=True)
class CategorySpread:
    """One category across the panel: the interviewers who scored it, and how they differ."""

    scores: dict[str, float]  # interviewer -> category score

    @property
    def mean(self) -> float:
        return mean(self.scores.values())

    @property
    def low(self) -> float:
        return min(self.scores.values())

    @property
    def high(self) -> float:
        return max(self.scores.values())

    @property
    def assessed_by(self) -> list[str]:
        return list(self.scores)

    @property
    def disagreement(self) -> bool:
        return self.high - self.low >= DISAGREEMENT


@dataclass(frozen=True)
class Debrief:
    """The panel: several interviewers' scorecards for one candidate and kit."""

    kit: dict[str, Any]
    cards: list[Scorecard]

    @property
    def candidate(self) -> str:
        return next((c.candidate for c in self.cards if c.candidate), "")

    @property
    def scale_max(self) -> int:
        return self.cards[0].scale_max

    @property
    def categories(self) -> dict[str, CategorySpread]:
        spreads = {}
        for category in self.kit["categories"]:
            scores = {
                c.interviewer: c.categories[category["id"]]
                for c in self.cards
                if category["id"] in c.categories
            }
            if scores:
                spreads[category["id"]] = CategorySpread(scores)
        return spreads

    @property
    def unassessed_categories(self) -> list[str]:
        """Categories no interviewer scored: a gap to close before deciding."""
        scored = self.categories
        return [c["id"] for c in self.kit["categories"] if c["id"] not in scored]

    @property
    def overall(self) -> float | None:
        return weighted_overall(self.kit, {c: s.mean for c, s in self.categories.items()})

    @property
    def percent(self) -> float | None:
        return percent_of(self.overall, self.scale_max)

    @property
    def recommendations(self) -> dict[str, int]:
        tally = Counter(c.recommendation for c in self.cards if c.recommendation)
        return {label: tally[value] for value, label in RECOMMENDATIONS.items()}

    @property
    def ratings(self) -> dict[str, float | None]:
        """Question id -> the panel's mean rating; None where nobody rated it."""
        result: dict[str, float | None] = {}
        for question in self.kit["questions"]:
            rated = [c.ratings[question["id"]] for c in self.cards if question["id"] in c.ratings]
            result[question["id"]] = round(mean(rated), 2) if rated else None
        return result

    @property
    def unrated(self) -> list[str]:
        """Questions nobody rated and nobody marked N/A (of those whose kit had them)."""
        return [
            q["id"]
            for q in self.kit["questions"]
            if all(q["id"] in c.unrated for c in self.cards if q["id"] in c.asked)
        ]

    @property
    def loop(self) -> dict[str, Any] | None:
        """The loop the packets came from, for a loop's debrief (not for a --combined
        document: that one kit covers every round by itself)."""
        loop = self.kit.get("loop")
        if isinstance(loop, dict) and self.kit.get(LOOP_DEBRIEF):
            return loop
        return None

    @property
    def rounds(self) -> list[dict[str, Any]]:
        """A loop's rounds: each with its packet's kit ID and who filled it in; rounds no
        packet was given for have no interviewers (their categories may go unassessed)."""
        if self.loop is None:
            return []
        result = []
        for r in self.loop["rounds"]:
            cards = [c for c in self.cards if _round_number(c.kit) == r["number"]]
            result.append(
                {
                    "number": r["number"],
                    "name": r["name"],
                    "kit_id": cards[0].kit_id if cards else None,
                    "interviewers": [c.interviewer for c in cards],
                }
            )
        return result

    @property
    def not_assessed(self) -> list[str]:
        """Questions nobody rated that at least one interviewer marked N/A."""
        ratings = self.ratings
        marked = set().union(*(c.not_assessed for c in self.cards))
        return [
            q["id"] for q in self.kit["questions"] if ratings[q["id"]] is None and q["id"] in marked
        ]

    @property
    def notes(self) -> dict[str, dict[str, str]]:
        """Question id -> interviewer -> notes, for questions with any notes."""
        result: dict[str, dict[str, str]] = {}
        for question in self.kit["questions"]:
            written = {
                c.interviewer: c.notes[question["id"]]
                for c in self.cards
                if question["id"] in c.notes
            }
            if written:
                result[question["id"]] = written
        return result

    def to_json(self) -> dict[str, Any]:
        spreads = self.categories
        loop = (
            {"loop_id": self.loop["loop_id"], "rounds": self.rounds}
            if self.loop is not None
            else {}
        )
        return {
            "kit_id": self.kit["kit_id"],
            **loop,
            "role": self.kit["role"],
            "candidate": self.candidate,
            "interviewer": [c.interviewer for c in self.cards],
            "ratings": self.ratings,
            "unrated": self.unrated,
            "not_assessed": self.not_assessed,
            "notes": self.notes,
            "categories": {c: round(s.mean, 2) for c, s in spreads.items()},
            "category_spread": {
                c: {
                    "mean": round(s.mean, 2),
                    "min": s.low,
                    "max": s.high,
                    "disagreement": s.disagreement,
                    "assessed_by": s.assessed_by,
                    "by_interviewer": s.scores,
                }
                for c, s in spreads.items()
            },
            "unassessed_categories": self.unassessed_categories,
            "overall": _round(self.overall),
            "percent": self.percent,
            "recommendation": self.recommendations,
            "takeaways": {c.interviewer: c.takeaways for c in self.cards},
        }


MAX_PANEL = 50  # interviewers in one debrief


def debrief(cards: list[Scorecard]) -> Debrief:
    """The panel debrief: the scorecards of one kit, or of one loop's packets; different
    kits, loops or candidates are refused."""
    if len(cards) > MAX_PANEL:
        raise ScoreError(
            [Problem(None, 0, 0, f"{len(cards)} interviewers; a panel has at most {MAX_PANEL}")]
        )
    first = cards[0]
    if _round_number(first.kit) is not None:  # packets: the loop's debrief, gaps and all
        return _loop_debrief(cards)
    problems = []
    for card in cards[1:]:
        if card.kit_id != first.kit_id:
            message = (
                f"is kit {card.kit_id}, not {first.kit_id} like {first.source.name}; "
                "score one kit's PDFs together (or the packets of one loop)"
            )
        elif card.kit != first.kit:
            message = (
                f"claims kit {card.kit_id} but its kit data differs from "
                f"{first.source.name}'s; one of them was altered"
            )
        elif _different_people(card.candidate, first.candidate):
            message = (
                f"is for candidate {excerpt(card.candidate)}, not "
                f"{excerpt(first.candidate)} like {first.source.name}"
            )
        else:
            continue
        problems.append(Problem(str(card.source), 0, 0, message))
    if problems:
        raise ScoreError(problems)
    return Debrief(first.kit, _distinct_names(cards))


def _loop_id(kit: Mapping[str, Any]) -> str | None:
    loop = kit.get("loop")
    if isinstance(loop, dict) and isinstance(loop.get("loop_id"), str):
        return str(loop["loop_id"])
    return None


def _round_number(kit: Mapping[str, Any]) -> int | None:
    round_ = kit.get("round")
    if isinstance(round_, dict) and isinstance(round_.get("number"), int):
        return int(round_["number"])
    return None


def _loop_debrief(cards: list[Scorecard]) -> Debrief:
    """One debrief for the packets of one candidate's loop (SPEC "Interview loops")."""
    first = cards[0]
    loop_id = _loop_id(first.kit)
    problems = []
    by_kit: dict[str, Scorecard] = {}
    for card in cards:
        other = by_kit.setdefault(card.kit_id, card)
        if _loop_id(card.kit) != loop_id:
            theirs = _loop_id(card.kit)
            message = (
                f"is from loop {theirs}, not {loop_id} like {first.source.name}; "
                "score the packets of one loop together"
                if theirs
                else f"is kit {card.kit_id}, not a packet of loop {loop_id} like "
                f"{first.source.name}"
            )
        elif _round_number(card.kit) is None:
            message = (
                "is the whole loop in one document (--combined); score it alone or with "
                "copies of it, not with the loop's packets"
            )
        elif card.kit.get("loop") != first.kit.get("loop") or card.kit != other.kit:
            message = f"claims loop {loop_id} but its loop data differs; one PDF was altered"
        elif _different_people(card.candidate, first.candidate):
            message = (
                f"is for candidate {excerpt(card.candidate)}, not "
                f"{excerpt(first.candidate)} like {first.source.name}; score one "
                "candidate's packets together"
            )
        else:
            continue
        problems.append(Problem(str(card.source), 0, 0, message))
    if problems:
        raise ScoreError(problems)
    packets = sorted(by_kit.values(), key=lambda c: _round_number(c.kit) or 0)
    loop = first.kit["loop"]
    questions = [
        {**q, "label": f"R{_round_number(card.kit)} Q{q['number']}"}
        for card in packets
        for q in card.kit["questions"]
    ]
    merged = {
        LOOP_DEBRIEF: True,  # kit data of no one PDF: the loop that its packets make
        "kit_id": loop_id,
        "role": first.kit["role"],
        "level": first.kit["level"],
        "rating_scale": first.kit["rating_scale"],
        "categories": loop["categories"],  # every category of the loop, assessed or not
        "questions": questions,
        "loop": loop,
    }
    in_loop_order = sorted(cards, key=lambda c: _round_number(c.kit) or 0)  # stable
    return Debrief(merged, _distinct_names(in_loop_order))


def _distinct_names(cards: list[Scorecard]) -> list[Scorecard]:
    """Two interviewers with one name (or two blank names) stay two columns: "Bob (2)"."""
    used: set[str] = set()
    distinct = []
    for card in cards:
        name, number = card.interviewer, 1
        while name in used:  # "Bob (2)" may itself be a name given: count on until free
            number += 1
            name = f"{card.interviewer} ({number})"
        used.add(name)
        distinct.append(card if name == card.interviewer else replace(card, interviewer=name))
    return distinct


def _different_people(one: str, other: str) -> bool:
    """Two candidate names that cannot be one person; a blank name (not filled in) can."""
    a, b = (" ".join(name.casefold().split()) for name in (one, other))
    return bool(a and b and a != b)


def score(paths: Sequence[Path], paper: tuple[Path, Path] | None = None) -> Debrief:
    """Read and score every PDF (and `paper`: a ratings CSV and the kit it was given on),
    reporting all unreadable ones together, then the panel."""
    from kitgen.score.filled import read_filled_kit, read_kit_file

    cards: list[Scorecard] = []
    problems: list[Problem] = []
    contents: dict[str, Path] = {}
    if paper is not None:
        from kitgen.score.paper import read_paper_ratings

        try:
            cards += read_paper_ratings(paper[0], read_kit_file(paper[1]))
        except ScoreError as exc:
            problems.extend(exc.problems)
    seen: set[Path] = set()
    for path in paths:
        full = resolved(path, ScoreError)
        if full in seen:
            problems.append(
                Problem(str(path), 0, 0, "is given twice; each interviewer's PDF counts once")
            )
            continue
        seen.add(full)
        try:
            filled = read_filled_kit(path)
            card = scorecard_from_values(filled.kit, filled.values, path)
        except ScoreError as exc:
            problems.extend(exc.problems)
            continue
        if filled.digest in contents:  # a copy or a hard link of one interviewer's PDF
            message = f"is the same file as {contents[filled.digest]}; each PDF counts once"
            problems.append(Problem(str(path), 0, 0, message))
            continue
        contents[filled.digest] = path
        if not card.ratings and not card.not_assessed:
            problems.append(
                Problem(
                    str(path),
                    0,
                    0,
                    "no question is rated: this kit was not filled in, or not saved after "
                    "filling (in a browser use Save or Download, see README, Scoring)",
                )
            )
            continue
        cards.append(card)
    if problems:
        raise ScoreError(problems)
    return debrief(cards)
