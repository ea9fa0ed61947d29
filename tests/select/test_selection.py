"""Every rule of SPEC "Selection rules" as a property over random banks and profiles."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kitgen.errors import SelectionError
from kitgen.schema.models import LEVELS, Category, Question, RoleProfile
from kitgen.select.kit import assemble_kit
from kitgen.select.selection import (
    default_seed,
    effective_weight,
    is_eligible,
    select_questions,
)

CATEGORIES = ["alpha", "beta", "gamma", "delta"]
TAGS = ["red", "green", "blue"]
RUBRIC = {1: "weak", 2: "partial", 3: "sound", 4: "complete"}


@st.composite
def banks(draw: st.DrawFn) -> dict[str, Question]:
    questions = {}
    for category in CATEGORIES:
        for index in range(draw(st.integers(0, 12))):
            qid = f"{category}-{index}"
            questions[qid] = Question(
                id=qid,
                category=category,
                text=f"Question {qid}?",
                minutes=draw(st.integers(1, 15)),
                weight=draw(st.sampled_from([0, 0.5, 1, 1, 2, 3])),
                levels=draw(st.lists(st.sampled_from(LEVELS), min_size=1, max_size=4, unique=True)),
                tags=draw(st.lists(st.sampled_from(TAGS), max_size=2, unique=True)),
                look_for=["something"],
                rubric=RUBRIC,
            )
    return questions


@st.composite
def profiles(draw: st.DrawFn, questions: dict[str, Question]) -> RoleProfile:
    chosen = draw(st.lists(st.sampled_from(CATEGORIES), min_size=1, max_size=4, unique=True))
    categories: dict[str, Any] = {}
    for category in chosen:
        rule: dict[str, Any] = {"weight": draw(st.sampled_from([0, 1, 1, 2, 3, 5]))}
        if draw(st.booleans()):
            rule["min"] = draw(st.integers(0, 3))
        if draw(st.booleans()):
            rule["max"] = draw(st.integers(rule.get("min", 0), 6))
            if rule["max"] == 0:
                rule["min"] = 0  # a weighted category's one question needs room
        categories[category] = rule
    assume(any(r["weight"] > 0 or r.get("min", 0) > 0 for r in categories.values()))
    in_role = sorted(q for q in questions if questions[q].category in chosen)
    include = draw(st.lists(st.sampled_from(in_role), max_size=2, unique=True)) if in_role else []
    exclude_pool = [q for q in sorted(questions) if q not in include]
    exclude = (
        draw(st.lists(st.sampled_from(exclude_pool), max_size=3, unique=True))
        if exclude_pool
        else []
    )
    prefer = draw(st.lists(st.sampled_from(TAGS), max_size=1, unique=True))
    avoid = draw(st.lists(st.sampled_from([t for t in TAGS if t not in prefer]), max_size=1))
    return RoleProfile(
        role="Tester",
        level=draw(st.sampled_from(LEVELS)),
        duration=draw(st.integers(11, 120)),
        opening=draw(st.integers(0, 5)),
        closing=draw(st.integers(0, 5)),
        questions=draw(st.one_of(st.none(), st.integers(1, 12))),
        categories=categories,
        include=include,
        exclude=exclude,
        tags={"prefer": prefer, "avoid": avoid},
    )


@st.composite
def cases(draw: st.DrawFn) -> tuple[dict[str, Question], RoleProfile, int]:
    questions = draw(banks())
    return questions, draw(profiles(questions)), draw(st.integers(0, 2**32))


SETTINGS = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
)


def _select(questions: dict[str, Question], role: RoleProfile, seed: int) -> list[Question]:
    try:
        return [s.question for s in select_questions(role, questions, seed)]
    except SelectionError as exc:
        message = str(exc)
        assert any(word in message for word in ("category", "question", "minutes")), message
        assert any(ch.isdigit() for ch in message), f"no numbers in: {message}"
        assume(False)
        raise


@SETTINGS
@given(cases())
def test_same_inputs_give_the_same_kit(case: tuple[dict[str, Question], RoleProfile, int]) -> None:
    questions, role, seed = case
    first = _select(questions, role, seed)
    reordered = dict(reversed(questions.items()))
    assert [s.question.id for s in select_questions(role, reordered, seed)] == [
        q.id for q in first
    ], "bank order must not change the kit"


@SETTINGS
@given(cases())
def test_no_question_twice_and_every_include_present(
    case: tuple[dict[str, Question], RoleProfile, int],
) -> None:
    questions, role, seed = case
    ids = [q.id for q in _select(questions, role, seed)]
    assert len(ids) == len(set(ids))
    assert set(role.include) <= set(ids)


@SETTINGS
@given(cases())
def test_only_eligible_questions_are_drawn(
    case: tuple[dict[str, Question], RoleProfile, int],
) -> None:
    questions, role, seed = case
    for question in _select(questions, role, seed):
        if question.id not in role.include:
            assert is_eligible(role, question)
            assert question.weight > 0
            assert role.level in question.levels
            assert question.id not in role.exclude
            assert not set(question.tags) & set(role.tags.avoid)


@SETTINGS
@given(cases())
def test_min_max_duration_and_count_hold(
    case: tuple[dict[str, Question], RoleProfile, int],
) -> None:
    questions, role, seed = case
    chosen = _select(questions, role, seed)
    counts = Counter(q.category for q in chosen)
    for category, rule in role.categories.items():
        assert counts[category] >= rule.floor  # its min, else one when weighted (coverage)
        if rule.weight > 0 and rule.min is None:
            assert counts[category] >= 1, f"listed category {category} was dropped"
        if rule.max is not None:
            assert counts[category] <= rule.max
    assert sum(q.minutes for q in chosen) <= role.question_minutes
    if role.questions is not None:
        assert len(chosen) == role.questions


# More questions per category than any duration up to 240 minutes can use.
PLENTY = {
    f"{c}-{i}": Question(
        id=f"{c}-{i}", category=c, text="Q?", minutes=1 + (i % 4), look_for=["x"], rubric=RUBRIC
    )
    for c in CATEGORIES
    for i in range(250)
}


@settings(max_examples=150, deadline=None)
@given(
    weights=st.lists(st.sampled_from([1, 2, 3, 5, 0.5]), min_size=1, max_size=4),
    duration=st.integers(11, 250),
    count=st.one_of(st.none(), st.integers(1, 30)),
    seed=st.integers(0, 2**32),
)
def test_category_counts_follow_the_weights(
    weights: list[float], duration: int, count: int | None, seed: int
) -> None:
    # Plenty of eligible questions and no min/max/include: only coverage (one question for
    # every listed category) may force a category off its share n x weight / total weight.
    categories = CATEGORIES[: len(weights)]
    questions = {qid: q for qid, q in PLENTY.items() if q.category in categories}
    role = RoleProfile(
        role="R",
        level="mid",
        duration=duration,
        questions=count,
        categories=dict(zip(categories, weights, strict=True)),
    )
    chosen = _select(questions, role, seed)
    n, total = len(chosen), sum(weights)
    counts = Counter(q.category for q in chosen)
    shares = {c: n * w / total for c, w in zip(categories, weights, strict=True)}
    forced = sum(1 for share in shares.values() if share < 1)  # seats coverage hands out
    for category, share in shares.items():
        assert counts[category] >= 1, (counts, n, weights)
        if forced == 0:
            assert abs(counts[category] - share) < 1, (counts, n, weights)
        else:  # no category above its share but a covered one; none short by more than
            assert counts[category] - share < 1, (counts, n, weights)  # the seats covered
            assert share - counts[category] < 1 + forced, (counts, n, weights)


def test_no_time_left_idle_when_short_questions_remain() -> None:
    questions = {
        f"alpha-{i}": Question(
            id=f"alpha-{i}", category="alpha", text="Q?", minutes=5, look_for=["x"], rubric=RUBRIC
        )
        for i in range(30)
    }
    role = RoleProfile(role="R", level="mid", duration=70, categories={"alpha": 1})
    assert len(_select(questions, role, 1)) == 12  # 60 minutes for questions, all used


def test_weighted_sampling_favours_heavier_questions() -> None:
    questions = {
        "alpha-heavy": Question(
            id="alpha-heavy", category="alpha", text="Q?", weight=3, look_for=["x"], rubric=RUBRIC
        ),
        **{
            f"alpha-{i}": Question(
                id=f"alpha-{i}", category="alpha", text="Q?", look_for=["x"], rubric=RUBRIC
            )
            for i in range(5)
        },
    }
    role = RoleProfile(role="R", level="mid", duration=60, questions=1, categories={"alpha": 1})
    picks = Counter(_select(questions, role, seed)[0].id for seed in range(3000))
    # P(heavy first) = 3 / (3 + 5) = 0.375; each light one 0.125
    assert 0.33 < picks["alpha-heavy"] / 3000 < 0.42
    assert all(0.09 < picks[f"alpha-{i}"] / 3000 < 0.16 for i in range(5))


def test_prefer_doubles_and_avoid_removes() -> None:
    tagged = Question(
        id="alpha-t",
        category="alpha",
        text="Q?",
        weight=1.5,
        tags=["red"],
        look_for=["x"],
        rubric=RUBRIC,
    )
    plain = Question(id="alpha-p", category="alpha", text="Q?", look_for=["x"], rubric=RUBRIC)
    role = RoleProfile(
        role="R", level="mid", duration=60, categories={"alpha": 1}, tags={"prefer": ["red"]}
    )
    assert effective_weight(role, tagged) == 3
    assert effective_weight(role, plain) == 1
    avoiding = role.model_copy(
        update={"tags": role.tags.model_copy(update={"prefer": [], "avoid": ["red"]})}
    )
    assert not is_eligible(avoiding, tagged)
    questions = {q.id: q for q in (tagged, plain)}
    one = role.model_copy(update={"questions": 1})
    picks = Counter(_select(questions, one, seed)[0].id for seed in range(2000))
    assert 0.70 < picks["alpha-t"] / 2000 < 0.80  # 3 / (3 + 1)


def test_default_seed_comes_from_the_content() -> None:
    role = RoleProfile(role="R", level="mid", duration=60, categories={"alpha": 1})
    same = RoleProfile(role="R", level="mid", duration=60, categories={"alpha": 1})
    other = RoleProfile(role="R", level="mid", duration=45, categories={"alpha": 1})
    assert default_seed(role) == default_seed(same) != default_seed(other)
    assert default_seed(role) == default_seed(role.model_copy(update={"seed": 99}))


def test_seed_rotates_the_questions_and_the_kit_id() -> None:
    questions = {
        f"alpha-{i}": Question(
            id=f"alpha-{i}", category="alpha", text="Q?", look_for=["x"], rubric=RUBRIC
        )
        for i in range(30)
    }
    role = RoleProfile(role="R", level="mid", duration=30, categories={"alpha": 1})
    kits = {tuple(q.id for q in _select(questions, role, seed)) for seed in range(5)}
    assert len(kits) == 5
    categories = {"alpha": Category(id="alpha", title="Alpha")}

    def kit_for(seed: int) -> str:
        return assemble_kit(role, categories, select_questions(role, questions, seed), seed).kit_id

    assert kit_for(1) != kit_for(2)
    assert kit_for(1) == kit_for(1)


@pytest.mark.parametrize(
    ("rule", "duration", "include", "expected"),
    [
        ({"alpha": {"weight": 1, "min": 5}}, 60, [], "'alpha' needs at least 5 questions"),
        (
            {"alpha": 1},
            19,
            ["alpha-0", "alpha-1"],
            "included questions take 10: 10 minutes in all, but there are 9 minutes",
        ),
        ({"alpha": {"weight": 1, "max": 1}}, 60, ["alpha-0", "alpha-1"], "max 1"),
    ],
)
def test_infeasible_profiles_name_the_category_and_numbers(
    rule: dict[str, Any], duration: int, include: list[str], expected: str
) -> None:
    questions = {
        f"alpha-{i}": Question(
            id=f"alpha-{i}", category="alpha", text="Q?", minutes=5, look_for=["x"], rubric=RUBRIC
        )
        for i in range(3)
    }
    role = RoleProfile(role="R", level="mid", duration=duration, categories=rule, include=include)
    with pytest.raises(SelectionError, match=expected):
        select_questions(role, questions, 1)


def test_exact_count_that_cannot_be_met_is_an_error() -> None:
    questions = {
        f"alpha-{i}": Question(
            id=f"alpha-{i}", category="alpha", text="Q?", minutes=5, look_for=["x"], rubric=RUBRIC
        )
        for i in range(3)
    }
    role = RoleProfile(role="R", level="mid", duration=60, questions=5, categories={"alpha": 1})
    with pytest.raises(SelectionError, match=r"asks for 5 questions.*only 3"):
        select_questions(role, questions, 1)
    tight = role.model_copy(update={"questions": 3, "duration": 22})
    with pytest.raises(SelectionError, match="3 questions do not fit in 12 minutes"):
        select_questions(tight, questions, 1)


@SETTINGS
@given(cases(), st.integers(1, 3))
def test_rounds_fit_their_minutes_and_never_repeat(
    case: tuple[dict[str, Question], RoleProfile, int], split: int
) -> None:
    questions, role, seed = case
    names = list(role.categories)
    rounds = [
        {
            "name": f"Round {i}",
            "minutes": max(role.duration // split, 1),
            "categories": names[i % len(names) :] or names,
        }
        for i in range(split)
    ]
    role = RoleProfile(**{**role.model_dump(), "questions": None, "rounds": rounds})
    try:
        selected = select_questions(role, questions, seed)
    except SelectionError:
        assume(False)
        raise
    ids = [s.question.id for s in selected]
    assert len(ids) == len(set(ids))
    for spec in rounds:
        mine = [s.question for s in selected if s.round == spec["name"]]
        assert sum(q.minutes for q in mine) <= spec["minutes"]
        assert all(q.category in spec["categories"] for q in mine)


@SETTINGS
@given(cases())
def test_every_listed_category_is_covered_or_the_profile_is_infeasible(
    case: tuple[dict[str, Question], RoleProfile, int],
) -> None:
    # SPEC "Coverage": a weighted category without `min: 0` always gets a question; when
    # it cannot, selection fails, and only when even the shortest questions do not fit.
    questions, role, seed = case
    role = role.model_copy(update={"questions": None})
    try:
        chosen = [s.question for s in select_questions(role, questions, seed)]
    except SelectionError as exc:
        included = [questions[q] for q in role.include]
        need = sum(q.minutes for q in included)
        short_of_questions = False
        for category, rule in role.categories.items():
            owed = rule.floor - sum(1 for q in included if q.category == category)
            eligible = sorted(
                q.minutes
                for q in questions.values()
                if q.category == category and q.id not in role.include and is_eligible(role, q)
            )
            short_of_questions |= owed > len(eligible)
            need += sum(eligible[: max(owed, 0)])
        cap_broken = any(
            r.max is not None and sum(1 for q in included if q.category == c) > r.max
            for c, r in role.categories.items()
        )
        nothing_fits = "no question fits" in str(exc)
        assert short_of_questions or cap_broken or nothing_fits or need > role.question_minutes, (
            f"feasible profile refused ({need} of {role.question_minutes} minutes): {exc}"
        )
        if not (short_of_questions or cap_broken or nothing_fits):
            assert f"{need} minutes in all" in str(exc)
            assert f"{role.question_minutes} minutes for questions" in str(exc) or (
                role.question_minutes <= 0 and "no time" in str(exc)
            )
        return
    counts = Counter(q.category for q in chosen)
    for category, rule in role.categories.items():
        if rule.weight > 0 and rule.min != 0:
            assert counts[category] >= 1, f"listed category {category!r} silently dropped"
    assert sum(q.minutes for q in chosen) <= role.question_minutes
