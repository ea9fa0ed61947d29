"""The panel: several scorecards of one candidate become one debrief (SPEC "Scoring").

A panel is the interviewers of one kit, or the packets of one loop (SPEC "Interview
loops"): then the packets' kit data merge into the loop's, and categories no packet
assessed are listed. The category score of a panel is the mean of the interviewers'
category scores; the overall comes from those by the weighted formula of `scoring`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from statistics import mean
from typing import Any

from kitgen._files import resolved
from kitgen._text import excerpt
from kitgen.errors import Problem, ScoreError
from kitgen.score.scoring import (
    RECOMMENDATIONS,
    Scorecard,
    met_share,
    percent_of,
    rounded,
    scorecard_from_values,
    weighted_overall,
)

DISAGREEMENT = 2  # points between the highest and lowest interviewer that deserve a talk
LOOP_DEBRIEF = "loop_debrief"  # marks the merged kit data of a loop's debrief


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
    def bar(self) -> dict[str, dict[str, Any]]:
        """Question id -> its bar, the panel's mean rating and whether the mean meets it."""
        means = self.ratings
        return {
            q["id"]: {"bar": q["bar"], "mean": means[q["id"]], "met": means[q["id"]] >= q["bar"]}
            for q in self.kit["questions"]
            if q.get("bar") and means.get(q["id"]) is not None
        }

    @property
    def bar_met(self) -> float | None:
        """The share of rated questions with a bar whose panel mean meets it."""
        return met_share(self.bar)

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
            "overall": rounded(self.overall),
            "percent": self.percent,
            "recommendation": self.recommendations,
            "takeaways": {c.interviewer: c.takeaways for c in self.cards},
            "bar": self.bar,
            "bar_met": self.bar_met,
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
