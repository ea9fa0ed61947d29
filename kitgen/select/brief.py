"""The candidate's brief: what a candidate may know before the interview, and nothing more.

A brief is built from a kit but keeps none of its questions: no question text, rubric,
follow-up, red flag or a question's own look-for points. Templates get only this object,
so a brief template cannot leak what it never receives.
"""

from __future__ import annotations

from dataclasses import dataclass

from kitgen.i18n import N_
from kitgen.select.kit import Kit

# What to expect from each kind of question, in the candidate's terms.
_KIND_ADVICE = {
    "technical": N_(
        "Technical questions ask you to explain how something works and why you would "
        "choose it. Thinking aloud helps: interviewers rate your reasoning and the "
        "trade-offs you name, not only the final answer."
    ),
    "behavioral": N_(
        "Questions about your experience ask what you did in a real situation. Have two "
        "or three recent pieces of work in mind, and be ready to say what the situation "
        "was, what you yourself did, and what came of it."
    ),
    "hypothetical": N_(
        "Scenario questions describe a situation you may not have met. There is rarely "
        "one right answer: say what you would find out first, what you would do, and "
        "what could go wrong."
    ),
    "case": N_(
        "Design and case questions are open problems worked through in conversation. "
        "Ask clarifying questions, state your assumptions, and sketch a simple version "
        "before refining it."
    ),
}


@dataclass(frozen=True)
class BriefRound:
    name: str
    minutes: int
    interviewer: str | None
    focus: list[str]  # category titles


@dataclass(frozen=True)
class FocusArea:
    title: str
    look_for: list[str]  # the area's own points (from the bank's category), not a question's


@dataclass(frozen=True)
class CandidateBrief:
    role: str
    level: str
    summary: str | None
    minutes: int  # the whole time booked
    rounds: list[BriefRound]
    focus_areas: list[FocusArea]
    preparation: list[str]
    contact: str | None  # whom to ask for accommodations; None: the recruiting contact
    opening: int
    closing: int

    @property
    def is_loop(self) -> bool:
        return len(self.rounds) > 1


def candidate_brief(kit: Kit, contact: str | None = None) -> CandidateBrief:
    """The brief of a kit (a single interview or a whole loop)."""
    role = kit.role
    titles = {c.id: c.title for c in (kit.loop.categories if kit.loop else kit.categories)}
    if kit.loop is not None:
        rounds = [
            BriefRound(r.name, r.minutes, r.interviewer, [titles[c] for c in r.assessed])
            for r in kit.loop.rounds
        ]
        areas = [c for c in kit.loop.categories if kit.loop.assessed_in(c.id)]
    else:
        rounds = [BriefRound(N_("Interview"), kit.slot, None, [c.title for c in kit.categories])]
        areas = list(kit.categories)
    kinds = {item.question.kind for item in kit.questions}
    preparation = [_KIND_ADVICE[kind] for kind in _KIND_ADVICE if kind in kinds]
    preparation.append(
        N_(
            "Every candidate for this role is asked the same questions in the same order and "
            "rated against the same written standard, so there is nothing to gain from "
            "guessing the questions: prepare by revisiting your own work in these areas."
        )
    )
    return CandidateBrief(
        role=role.role,
        level=role.level,
        summary=role.summary,
        minutes=kit.slot,
        rounds=rounds,
        focus_areas=[FocusArea(c.title, list(c.look_for)) for c in areas],
        preparation=preparation,
        contact=contact,
        opening=role.opening,
        closing=role.closing,
    )
