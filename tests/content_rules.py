"""Rules the bundled content keeps, as plain functions: the content tests assert them, and
an author checks a bank file against them while writing (see CONTRIBUTING in the README)."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence

from kitgen.schema.models import LEVELS, Question

SIMILAR = 0.5  # word-bigram Jaccard at which two question texts are rewordings of one
# the fewest questions every category offers each level: three times a draw of three
PER_LEVEL = 9
PER_CATEGORY = 20
# live exercises run 15-25 minutes; talk-through questions fit in 3-15
EXERCISE_MINUTES = range(15, 26)
TALK_MINUTES = range(3, 16)


def bigrams(text: str) -> set[tuple[str, str]]:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return set(itertools.pairwise(words))


def similar_pairs(questions: Sequence[Question]) -> list[tuple[str, str, float]]:
    """Pairs of questions whose texts share half or more of their word bigrams."""
    grams = [(q.id, bigrams(q.text)) for q in questions]
    pairs = []
    for (id_a, a), (id_b, b) in itertools.combinations(grams, 2):
        share = len(a & b) / max(1, len(a | b))
        if share >= SIMILAR:
            pairs.append((id_a, id_b, round(share, 2)))
    return pairs


def level_counts(questions: Iterable[Question], category: str) -> dict[str, int]:
    pool = [q for q in questions if q.category == category]
    return {level: sum(level in q.levels for q in pool) for level in LEVELS}


def question_problems(q: Question) -> list[str]:
    """What one question lacks, beyond what `kitgen lint` reports."""
    problems = []
    # coding also has talk-through questions: 3 minutes up to an exercise's 25
    top = EXERCISE_MINUTES.stop if q.category == "coding" else TALK_MINUTES.stop
    if not TALK_MINUTES.start <= q.minutes < top:
        problems.append(f"{q.minutes} minutes is outside {TALK_MINUTES.start}-{top - 1}")
    if not q.id.startswith(q.category + "-"):
        problems.append("id does not start with its category")
    if sorted(q.rubric) != [1, 2, 3, 4]:
        problems.append("rubric does not anchor exactly 1-4")
    if not q.tags:
        problems.append("no tags")
    if q.kind == "technical" and not q.answer:
        problems.append("a technical question with no answer key")
    if q.category == "coding" and (not q.answer or "```" not in q.answer) and q.minutes >= 15:
        problems.append("a live exercise with no reference solution (a ``` block) in answer")
    return problems
