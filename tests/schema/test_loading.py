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
