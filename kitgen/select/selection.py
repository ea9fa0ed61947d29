"""Choose a kit's questions from a role profile: pure and deterministic.

The algorithm, per round (a kit without rounds is one round): its budget is its slot less
the opening and closing minutes.
1. Each category's eligible questions are put in a weighted random order (weighted
   sampling without replacement, Efraimidis-Spirakis keys); `include`d ones go first.
2. Each category starts with its floor: its included questions, its `min`, and at least
   one question (coverage: a listed focus area is never dropped; `min: 0` opts out). A
   floor question is the next in weighted order that leaves time for the rest of the
   floor; when even the shortest questions cannot hold the floor, selection fails and
   says which categories need how many minutes.
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
    """One round of a kit, or the whole kit: what it asks for and the minutes it has."""

    name: str | None
    budget: int  # minutes for questions
    note: str  # where the budget comes from, for messages
    loc: tuple[str | int, ...]  # the profile's key that sets the budget
    categories: dict[str, CategoryRule]
    count: int | None  # an exact number of questions, or as many as fit


def default_seed(role: RoleProfile) -> int:
    """A seed derived from the profile's content: the same profile, the same questions."""
    # not the language: a German kit asks the same questions as the English one
    canonical = json.dumps(
        role.model_dump(mode="json", exclude={"seed", "language"}), sort_keys=True
    )
    return int(hashlib.sha256(canonical.encode()).hexdigest()[:8], 16)


def is_eligible(role: RoleProfile, question: Question) -> bool:
    return role.can_draw(question)


def effective_weight(role: RoleProfile, question: Question) -> float:
    """A question's draw weight: its own, doubled when it carries a preferred tag."""
    return question.weight * (2 if set(question.tags) & set(role.tags.prefer) else 1)


def select_questions(
    role: RoleProfile, questions: Mapping[str, Question], seed: int
) -> list[SelectedQuestion]:
    """The kit's questions in kit order: by round, then by the role's category order."""
    budget_note = f"{role.opening} to open and {role.closing} for the candidate's questions"
    parts = (
        [
            _Part(
                r.name,
                r.minutes - role.opening - role.closing,
                f"the {r.minutes}-minute round less {budget_note}",
                ("rounds", index, "minutes"),
                {c: role.categories[c] for c in r.categories},
                None,
            )
            for index, r in enumerate(role.rounds)
        ]
        if role.rounds
        else [
            _Part(
                None,
                role.question_minutes,
                f"the {role.slot}-minute slot less {budget_note}",
                ("duration",),
                dict(role.categories),
                role.questions,
            )
        ]
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
        chosen = _fill_part(role, part, pool, part_included, counted, f"{seed}:{index}")
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


def _shortest(queue: list[Question], count: int) -> int:
    """The fewest minutes `count` questions of `queue` can take."""
    return sum(sorted(q.minutes for q in queue)[:count]) if count > 0 else 0


def _fill_part(
    role: RoleProfile,
    part: _Part,
    pool: dict[str, list[Question]],
    included: list[Question],
    counted_before: dict[str, int],
    seed_key: str,
) -> list[Question]:
    where = f" in round {part.name!r}" if part.name else ""
    queues: dict[str, list[Question]] = {}
    chosen: dict[str, list[Question]] = {c: [] for c in part.categories}
    caps: dict[str, int] = {}
    needed: dict[str, int] = {}  # questions still owed to the floor, beyond the included
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
        # its `min` over the whole loop, and one question in every round that lists it
        floor = max(rule.floor - already, 1 if rule.covered else 0)
        if floor > available:
            asked = f"at least {rule.min} questions (min)" if rule.min else "a question (coverage)"
            left = " left after earlier rounds" if already else ""
            raise SelectionError(
                f"category {category!r} needs {asked}{where}, but only {available} are "
                f"eligible at level {role.level!r}{left}"
                + ("" if rule.min else "; add questions to it, or give it min: 0"),
                ("categories", category),
            )
        if floor > cap:  # loading refuses such profiles; kept as the rule's own guard
            raise SelectionError(
                f"category {category!r} needs {floor} more question(s){where}, but its max "
                f"{rule.max} allows {max(cap, 0)}",
                ("categories", category),
            )
        caps[category] = cap
        needed[category] = max(floor - len(forced), 0)
    used = sum(q.minutes for qs in chosen.values() for q in qs)
    floor_count = sum(len(qs) for qs in chosen.values()) + sum(needed.values())
    if part.count is not None and floor_count > part.count:
        raise SelectionError(
            f"included questions, category minimums and one question per listed category "
            f"need {floor_count} questions{where}, but the profile asks for exactly "
            f"{part.count}; raise `questions`, lower `min` or give a category min: 0",
            ("questions",),
        )
    least = {c: _shortest(queues[c], n) for c, n in needed.items()}
    if used + sum(least.values()) > part.budget:
        raise SelectionError(_too_short(part, used, least, needed), part.loc)
    # The floor's questions: each the category's next in weighted order that still leaves
    # time for the rest of the floor, so coverage never fails where it can be met.
    reserve = sum(least.values())
    for category, owed in needed.items():
        reserve -= least[category]
        for remaining in range(owed, 0, -1):
            queue = queues[category]
            pick = next(
                q
                for q in queue
                if used
                + q.minutes
                + _shortest([o for o in queue if o is not q], remaining - 1)
                + reserve
                <= part.budget
            )
            queue.remove(pick)
            chosen[category].append(pick)
            used += pick.minutes
    weights = {c: rule.weight for c, rule in part.categories.items()}
    total_weight = sum(weights.values())
    open_categories = [c for c in part.categories if weights[c] > 0]
    count = part.count
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
        fitting = next((q for q in queues[category] if q.minutes <= part.budget - used), None)
        if fitting is None:
            if count is not None:
                raise SelectionError(
                    f"{count} questions do not fit in {part.budget} minutes{where}: after "
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
            f"no question fits in {part.budget} minutes for questions{where}: {detail}",
            part.loc,
        )
    _mix_kinds(chosen, queues, included, part.budget - used)
    return [q for category in part.categories for q in chosen[category]]


def _mix_kinds(
    chosen: dict[str, list[Question]],
    queues: dict[str, list[Question]],
    included: list[Question],
    spare: int,
) -> None:
    """An interview of technical questions only gets one behavioral, hypothetical or case
    question where its categories have one that fits: the category's last technical pick
    gives way to its next such question in weighted order (counts per category, and so
    `min`, `max` and the weights' shares, stay as they were)."""
    if any(q.kind != "technical" for qs in chosen.values() for q in qs):
        return
    for category in sorted(chosen, key=lambda c: -len(chosen[c])):  # the most-drawn first
        picks = [q for q in chosen[category] if q not in included]
        if not picks:
            continue
        out = picks[-1]
        swap = next(
            (
                q
                for q in queues[category]
                if q.kind != "technical" and q.minutes <= out.minutes + spare
            ),
            None,
        )
        if swap is not None:
            chosen[category][chosen[category].index(out)] = swap
            queues[category].remove(swap)
            return


def _too_short(part: _Part, used: int, least: dict[str, int], needed: dict[str, int]) -> str:
    """Why the budget cannot hold the floor: each category's least minutes, and the sum."""
    owed = {c: m for c, m in least.items() if needed[c]}
    parts = [f"the included questions take {used}"] if used else []
    if owed:
        each = ", ".join(
            f"{c} {m} min" + (f" ({needed[c]} questions)" if needed[c] > 1 else "")
            for c, m in owed.items()
        )
        parts.append(f"the shortest eligible question of each listed category takes {each}")
    need = used + sum(owed.values())
    budget = f"{part.budget} minutes" if part.budget > 0 else "no time"
    where = f" in round {part.name!r}" if part.name else ""
    first_round = (
        " (a category's min is all asked in the first round that lists it)"
        if part.name and any(n > 1 for n in needed.values())
        else ""
    )
    return (
        f"{'; '.join(parts)}: {need} minutes in all, but there are {budget} for questions"
        f"{where} ({part.note}){first_round}; lengthen the slot, lower opening or closing, "
        "include less, or give a category min: 0"
    )


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
