"""Models and loading: every bad input is located as file:line:col with a plain message."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from kitgen import build_kit
from kitgen.errors import InputError
from kitgen.schema.loading import load_bank, load_role

ROLE = """
role: Tester
level: mid
duration: 30
banks: [./banks/small.yaml]
categories:
  alpha: 2
  beta: {weight: 1, min: 1}
"""


def _error(func: Callable[[], object]) -> str:
    with pytest.raises(InputError) as info:
        func()
    return str(str(info.value))


def test_valid_role_and_bank_load(write: Callable[[str, str], Path], small_bank: Path) -> None:
    role = load_role(write("role.yaml", ROLE)).role
    assert role.categories["alpha"].weight == 2
    assert role.categories["beta"].min == 1
    assert role.rating_scale == ["Poor", "Mixed", "Good", "Excellent"]
    bank = load_bank(small_bank).bank
    assert [q.id for q in bank.questions][:2] == ["alpha-one", "alpha-two"]
    assert bank.questions[2].levels == ["junior", "mid", "senior", "staff"]
    assert bank.questions[0].rubric[4] == "All"


@pytest.mark.parametrize(
    ("replace", "by", "expected"),
    [
        (
            "duration: 30",
            "duraton: 30",
            "role.yaml:3:1: unknown key 'duraton' (did you mean 'duration'?)",
        ),
        ("level: mid", "level: no", "role.yaml:2:8: level must be one of"),
        ("role: Tester", "role: 1.10", "role.yaml:1:7: role must be text; put it in quotes"),
        ("duration: 30", "duration: -5", "role.yaml:3:11: duration must be greater than 0"),
        (
            "  beta: {weight: 1, min: 1}",
            "  beta: {wieght: 1}",
            "role.yaml:7:10: unknown key 'wieght' (did you mean 'weight'?)",
        ),
        (
            "  beta: {weight: 1, min: 1}",
            "  beta: {weight: 1, min: 3, max: 2}",
            "role.yaml:7:9: beta: min (3) is greater than max (2)",
        ),
        ("level: mid\n", "", "role.yaml:1:1: missing required key 'level'"),
        (
            "duration: 30\n",
            "duration: 30\nduration: 40\n",
            "role.yaml:4:1: duplicate key 'duration' (first at line 3)",
        ),
    ],
)
def test_role_errors_are_located(
    write: Callable[[str, str], Path], replace: str, by: str, expected: str
) -> None:
    path = write("role.yaml", ROLE.replace(replace, by, 1))
    message = _error(lambda: load_role(path))
    assert message.startswith(str(path.parent / expected.split(":")[0]))
    assert expected in message.replace(str(path.parent) + "/", "")


def test_bank_errors_are_all_listed_at_once(write: Callable[[str, str], Path]) -> None:
    path = write(
        "bank.yaml",
        """
        bank: broken
        title: Broken
        categories:
          - id: alpha
            title: Alpha
        questions:
          - id: alpha-one
            category: alpha
            text: "Q?"
            minutes: 0
            look_for: ["x"]
          - id: Alpha_Two
            category: alpha
            text: "Q?"
            look_for: []
            kind: quiz
    """,
    )
    lines = _error(lambda: load_bank(path)).splitlines()
    assert len(lines) == 6
    assert sum(":5: missing required key 'rubric'" in line for line in lines) == 2
    assert any(":10:14: minutes must be greater than 0" in line for line in lines)
    assert any(":12:9: id 'Alpha_Two' may use only lowercase" in line for line in lines)
    assert any(":15:15: look_for must not be empty" in line for line in lines)
    assert any(":16:11: kind must be one of" in line for line in lines)


def test_cross_file_problems_name_the_place(
    write: Callable[[str, str], Path], small_bank: Path
) -> None:
    path = write("role.yaml", ROLE.replace("  alpha: 2", "  alpah: 2") + "include: [alpha-onne]\n")
    message = _error(lambda: build_kit(path))
    assert "role.yaml:6:3: unknown category 'alpah' (did you mean 'alpha'?)" in message
    assert "role.yaml:8:11: unknown question 'alpha-onne' (did you mean 'alpha-one'?)" in message


def test_unknown_bank_and_missing_bank_file(write: Callable[[str, str], Path]) -> None:
    path = write("role.yaml", ROLE.replace("[./banks/small.yaml]", "[ai-m, ./nope.yaml]"))
    message = _error(lambda: build_kit(path))
    assert "role.yaml:4:9: unknown bank 'ai-m' (did you mean 'ai-ml'?)" in message
    assert "role.yaml:4:15: bank file './nope.yaml' not found" in message


def test_question_ids_must_be_unique_across_banks(
    write: Callable[[str, str], Path], small_bank: Path
) -> None:
    write(
        "banks/other.yaml",
        """
        bank: other
        title: Other
        questions:
          - id: alpha-one
            category: alpha
            text: "Again?"
            look_for: ["x"]
            rubric: {1: "a", 2: "b", 3: "c", 4: "d"}
    """,
    )
    path = write(
        "role.yaml",
        ROLE.replace("[./banks/small.yaml]", "[./banks/small.yaml, ./banks/other.yaml]"),
    )
    message = _error(lambda: build_kit(path))
    assert "other.yaml:4:9: question id 'alpha-one' is also used in" in message
    assert "small.yaml:10;" in message


def test_infeasible_profile_is_reported_on_the_role(
    write: Callable[[str, str], Path], small_bank: Path
) -> None:
    path = write("role.yaml", ROLE.replace("min: 1", "min: 3"))
    message = _error(lambda: build_kit(path))
    assert "role.yaml:7:3: cannot build the kit" in message
    assert "category 'beta' needs at least 3 questions (min), but only 1 are eligible" in message


def test_own_bank_may_add_questions_to_a_category_of_another(
    write: Callable[[str, str], Path], small_bank: Path
) -> None:
    write(
        "banks/extra.yaml",
        """
        bank: extra
        title: Extra
        questions:
          - id: alpha-extra
            category: alpha
            text: "Extra?"
            look_for: ["x"]
            rubric: {1: "a", 2: "b", 3: "c", 4: "d"}
    """,
    )
    path = write(
        "role.yaml",
        ROLE.replace("[./banks/small.yaml]", "[./banks/small.yaml, ./banks/extra.yaml]")
        + "include: [alpha-extra]\n",
    )
    kit = build_kit(path).kit
    assert "alpha-extra" in [q.question.id for q in kit.questions]


def test_rubric_with_a_gap_or_off_any_scale_is_refused(write: Callable[[str, str], Path]) -> None:
    path = write(
        "bank.yaml",
        """
        bank: gaps
        title: Gaps
        categories:
          - id: alpha
            title: Alpha
        questions:
          - id: alpha-gap
            category: alpha
            text: "Q?"
            look_for: ["x"]
            rubric: {1: "a", 2: "b", 4: "d"}
          - id: alpha-zero
            category: alpha
            text: "Q?"
            look_for: ["x"]
            rubric: {0: "z", 1: "a", 2: "b"}
    """,
    )
    message = _error(lambda: load_bank(path))
    assert "bank.yaml:11:13: rubric has no anchor for rating 3 of a scale from 1" in message
    assert "bank.yaml:16:13: rubric anchor 0 is outside a scale from 1" in message
    missing = write(
        "none.yaml",
        "bank: none\ntitle: N\nquestions:\n  - {id: a, category: a, text: Q, look_for: [x]}\n",
    )
    assert "none.yaml:4:5: missing required key 'rubric'" in _error(lambda: load_bank(missing))


def test_rubric_must_anchor_exactly_the_roles_scale(
    write: Callable[[str, str], Path], small_bank: Path, cli: Callable[..., object]
) -> None:
    # the small bank anchors 1-4; a 5-point scale leaves rating 5 unanchored, a 3-point one
    # has an anchor (4) no box can record: both fail, at the role's rating_scale line (the
    # banks may be bundled ones), naming the first question at its bank's line
    five = write("five.yaml", ROLE + 'rating_scale: ["a", "b", "c", "d", "e"]\n')
    message = _error(lambda: build_kit(five))
    assert "five.yaml:8:15: rating_scale has 5 ratings, but 3 questions the role can draw" in (
        message
    )
    assert "small.yaml:18: rubric has no anchor for rating 5 of the rating scale 1-5" in message
    three = write("three.yaml", ROLE + 'rating_scale: ["a", "b", "c"]\n')
    message = _error(lambda: build_kit(three))
    assert "small.yaml:18: rubric anchor 4 is outside the rating scale 1-3 (a, b, c)" in message
    # with the default scale, the bank is at fault: each question at its rubric's line
    short = small_bank.read_text().replace(
        '{1: "Nothing", 2: "Some", 3: "Most", 4: "All"}', '{1: "Nothing", 2: "Some", 3: "Most"}', 1
    )
    small_bank.write_text(short)
    message = _error(lambda: build_kit(write("plain.yaml", ROLE)))
    assert "small.yaml:18:13: rubric has no anchor for rating 4 of the rating scale 1-4" in message
    for command in ("validate", "generate"):
        result = cli(command, five) if command == "validate" else cli(command, five, "-o", "x.pdf")
        assert result.exit_code == 1  # type: ignore[attr-defined]
        assert "five.yaml:8:15: rating_scale has 5 ratings" in result.output  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("duration: 30", "duration: 10"),
            ":3:11: a 10-minute slot leaves no time for questions after 5 minutes to open",
        ),
        (
            ("duration: 30", "duration: 30\nopening: 10\nclosing: 20"),
            ":3:11: a 30-minute slot leaves no time",
        ),
        (("duration: 30\n", ""), ":1:1: missing required key 'duration' (the slot in minutes)"),
        (
            ("  alpha: 2\n", "  alpha: {weight: 2, max: 0}\n"),
            ":6:10: alpha: max 0 leaves no room for the one question every weighted category gets",
        ),
    ],
)
def test_the_slot_holds_opening_and_closing(
    write: Callable[[str, str], Path], small_bank: Path, change: tuple[str, str], expected: str
) -> None:
    path = write("role.yaml", ROLE.replace(*change))
    assert expected in _error(lambda: load_role(path))


def test_rounds_are_slots_of_their_own(write: Callable[[str, str], Path], small_bank: Path) -> None:
    loop = ROLE.replace("duration: 30\n", "") + (
        "rounds:\n"
        "  - {name: One, minutes: 20, categories: [alpha]}\n"
        "  - {name: Two!, minutes: 25, categories: [beta, beta]}\n"
        "  - {name: two, minutes: 10, categories: [alpha]}\n"
    )
    message = _error(lambda: load_role(write("loop.yaml", loop)))
    assert "loop.yaml:10:12: round 'two' would share its packet's file name with round" in message
    assert "loop.yaml:9:50: round 'Two!' lists category 'beta' twice" in message
    assert "loop.yaml:10:26: round 'two' is 10 minutes, no time for questions" in message
    wrong_total = write(
        "total.yaml", ROLE + "rounds:\n  - {name: A, minutes: 40, categories: [alpha, beta]}\n"
    )
    assert ":3:11: duration is 30 minutes, but the rounds add up to 40" in _error(
        lambda: load_role(wrong_total)
    )
    fine = write(
        "fine.yaml",
        ROLE.replace("duration: 30\n", "")
        + (
            "rounds:\n  - {name: A, minutes: 20, categories: [alpha]}\n"
            "  - {name: B, minutes: 20, categories: [beta]}\n"
        ),
    )
    assert load_role(fine).role.slot == 40


def test_infeasible_coverage_names_the_categories_and_minutes(
    write: Callable[[str, str], Path], small_bank: Path
) -> None:
    # alpha's shortest eligible question takes 5 minutes, beta's 5: 10 in all, 9 available
    path = write("role.yaml", ROLE.replace("duration: 30", "duration: 19"))
    message = _error(lambda: build_kit(path))
    assert "role.yaml:3:11: cannot build the kit: the shortest eligible question of each" in message
    assert (
        "alpha 5 min, beta 5 min: 10 minutes in all, but there are 9 minutes for questions"
        in message
    )
    opted_out = write(
        "out.yaml",
        ROLE.replace("duration: 30", "duration: 19").replace(
            "beta: {weight: 1, min: 1}", "beta: {weight: 1, min: 0}"
        ),
    )
    assert [q.question.category for q in build_kit(opted_out).kit.questions] == ["alpha"]


def test_a_loop_cannot_ask_past_max_or_hold_a_round_with_nothing_to_ask(
    write: Callable[[str, str], Path], small_bank: Path
) -> None:
    loop = ROLE.replace("duration: 30\n", "").replace(
        "  alpha: 2\n", "  alpha: {weight: 2, max: 1}\n"
    )
    loop += (
        "  gamma: 0\n"
        "rounds:\n"
        "  - {name: One, minutes: 20, categories: [alpha, beta]}\n"
        "  - {name: Two, minutes: 20, categories: [alpha]}\n"
        "  - {name: Three, minutes: 20, categories: [gamma]}\n"
    )
    message = _error(lambda: load_role(write("loop.yaml", loop)))
    assert (
        "loop.yaml:5:3: category 'alpha' has max 1, but 2 rounds list it and each asks at "
        "least one of its questions"
    ) in message
    assert "loop.yaml:11:44: round 'Three' has nothing to ask" in message
