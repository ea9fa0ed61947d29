"""Choose a kit's questions from a role profile: pure and deterministic.

The algorithm, per round (a kit without rounds is one round of `duration` minutes):
1. Each category's eligible questions are put in a weighted random order (weighted
   sampling without replacement, Efraimidis-Spirakis keys); `include`d ones go first.
2. Each category starts with its floor: max(`min`, its included questions).
3. Further questions go one at a time, by Balinski and Young's quota method: among the
   categories that would not exceed their share rounded up (share = n x weight / total
   weight), the one with the highest weight / (count + 1). This keeps every category
   within one question of its share, and never takes a question back, so the kit for
   n + 1 questions extends the kit for n.
4. The seat takes the category's next question that still fits the time left. Without
   an exact `questions:` count the kit stops growing at the first seat that cannot be
   filled in time, which keeps the proportions intact.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
from collections.abc import Mapping
from dataclasses import dataclass

from kitgen.errors import SelectionError
from kitgen.schema.models import CategoryRule, Question, RoleProfile


@dataclass(frozen=True)
class SelectedQuestion:
    question: Question
    round: str | None = None
    included: bool = False


@dataclass(frozen=True)
class _Part:
    """One round of a kit, or the whole kit."""

    name: str | None
    minutes: int
    categories: dict[str, CategoryRule]


def default_seed(role: RoleProfile) -> int:
    """A seed derived from the profile's content: the same profile, the same questions."""
    canonical = json.dumps(role.model_dump(mode="json", exclude={"seed"}), sort_keys=True)
    return int(hashlib.sha256(canonical.encode()).hexdigest()[:8], 16)


def is_eligible(role: RoleProfile, question: Question) -> bool:
    return (
        question.category in role.categories
        and role.level in question.levels
        and question.weight > 0
        and question.id not in role.exclude
        and not set(question.tags) & set(role.tags.avoid)
    )


def effective_weight(role: RoleProfile, question: Question) -> float:
    """A question's draw weight: its own, doubled when it carries a preferred tag."""
    return question.weight * (2 if set(question.tags) & set(role.tags.prefer) else 1)


def select_questions(
    role: RoleProfile, questions: Mapping[str, Question], seed: int
) -> list[SelectedQuestion]:
    """The kit's questions in kit order: by round, then by the role's category order."""
    parts = (
        [
            _Part(r.name, r.minutes, {c: role.categories[c] for c in r.categories})
            for r in role.rounds
        ]
        if role.rounds
        else [_Part(None, role.duration, dict(role.categories))]
    )
    included = [questions[qid] for qid in role.include]
    taken: set[str] = set()
    counted: dict[str, int] = dict.fromkeys(role.categories, 0)
    result: list[SelectedQuestion] = []
    for index, part in enumerate(parts):
        part_included = [q for q in included if q.category in part.categories and q.id not in taken]
        pool = {
            category: [
                q
                for q in questions.values()
                if q.category == category
                and q.id not in taken
                and q.id not in role.include
                and is_eligible(role, q)
            ]
            for category in part.categories
        }
        count = role.questions if not role.rounds else None
        chosen = _fill_part(role, part, pool, part_included, counted, count, f"{seed}:{index}")
        for question in chosen:
            taken.add(question.id)
            counted[question.category] += 1
            result.append(SelectedQuestion(question, part.name, question.id in role.include))
    missing = [qid for qid in role.include if qid not in taken]
    if missing:
        raise SelectionError(
            f"included question {missing[0]!r} is in category "
            f"{questions[missing[0]].category!r}, which no round covers",
            ("include", role.include.index(missing[0])),
        )
    return result


def _weighted_order(role: RoleProfile, pool: list[Question], rng: random.Random) -> list[Question]:
    # Efraimidis-Spirakis: sorting by u ** (1 / w) is weighted sampling without replacement.
    keyed = [
        (rng.random() ** (1 / effective_weight(role, q)), q.id, q)
        for q in sorted(pool, key=lambda q: q.id)
    ]
    keyed.sort(key=lambda item: (-item[0], item[1]))
    return [q for _, _, q in keyed]


def _fill_part(
    role: RoleProfile,
    part: _Part,
    pool: dict[str, list[Question]],
    included: list[Question],
    counted_before: dict[str, int],
    count: int | None,
    seed_key: str,
) -> list[Question]:
    where = f" in round {part.name!r}" if part.name else ""
    queues: dict[str, list[Question]] = {}
    chosen: dict[str, list[Question]] = {c: [] for c in part.categories}
    caps: dict[str, int] = {}
    for category, rule in part.categories.items():
        rng = random.Random(f"{seed_key}:{category}")
        queues[category] = _weighted_order(role, pool[category], rng)
        forced = [q for q in included if q.category == category]
        chosen[category].extend(forced)
        already = counted_before[category]
        available = len(forced) + len(queues[category])
        cap = available if rule.max is None else min(available, rule.max - already)
        if rule.max is not None and len(forced) + already > rule.max:
            raise SelectionError(
                f"category {category!r} has max {rule.max}, but "
                f"{len(forced) + already} of its questions are included",
                ("categories", category),
            )
        floor = max(rule.min - already, 0)
        if floor > available:
            raise SelectionError(
                f"category {category!r} needs at least {rule.min} questions (min){where}, "
                f"but only {available} are eligible at level {role.level!r}",
                ("categories", category),
            )
        while len(chosen[category]) < floor:
            chosen[category].append(queues[category].pop(0))
        caps[category] = cap
    used = sum(q.minutes for qs in chosen.values() for q in qs)
    floor_count = sum(len(qs) for qs in chosen.values())
    if count is not None and floor_count > count:
        raise SelectionError(
            f"included questions and category minimums need {floor_count} questions{where}, "
            f"but the profile asks for exactly {count}; raise `questions` or lower `min`",
            ("questions",),
        )
    if used > part.minutes:
        raise SelectionError(
            f"included questions and category minimums need {used} minutes{where}, "
            f"but only {part.minutes} are available; raise the duration or include less",
            ("duration",),
        )
    weights = {c: rule.weight for c, rule in part.categories.items()}
    total_weight = sum(weights.values())
    open_categories = [c for c in part.categories if weights[c] > 0]
    while True:
        n = sum(len(qs) for qs in chosen.values())
        if count is not None and n >= count:
            break
        candidates = [c for c in open_categories if len(chosen[c]) < caps[c]]
        if not candidates:
            if count is not None:
                raise SelectionError(
                    f"the profile asks for {count} questions{where}, but only {n} eligible "
                    f"questions exist at level {role.level!r} in "
                    f"{', '.join(repr(c) for c in part.categories)}",
                    ("questions",),
                )
            break
        category = _next_category(candidates, weights, total_weight, chosen, n)
        fitting = next((q for q in queues[category] if q.minutes <= part.minutes - used), None)
        if fitting is None:
            if count is not None:
                raise SelectionError(
                    f"{count} questions do not fit in {part.minutes} minutes{where}: after "
                    f"{n} questions ({used} minutes) no {category!r} question fits; raise "
                    "the duration or lower `questions`",
                    ("questions",),
                )
            break
        queues[category].remove(fitting)
        chosen[category].append(fitting)
        used += fitting.minutes
    if not any(chosen.values()):
        shortest = min((q.minutes for qs in queues.values() for q in qs), default=None)
        detail = (
            f"the shortest eligible question takes {shortest} minutes"
            if shortest is not None
            else f"no question is eligible at level {role.level!r}"
        )
        raise SelectionError(
            f"no question fits in {part.minutes} minutes{where}: {detail}", ("duration",)
        )
    return [q for category in part.categories for q in chosen[category]]


def _next_category(
    candidates: list[str],
    weights: dict[str, float],
    total_weight: float,
    chosen: dict[str, list[Question]],
    n: int,
) -> str:
    """Balinski-Young quota method; ties go to the category listed first in the profile."""
    within_quota = [
        c
        for c in candidates
        if len(chosen[c]) + 1 <= math.ceil(weights[c] * (n + 1) / total_weight - 1e-9)
    ]
    return max(within_quota or candidates, key=lambda c: weights[c] / (len(chosen[c]) + 1))
