"""`kitgen lint`: interview-quality findings with codes, located in the file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner

from kitgen.cli import main

from ..conftest import EXAMPLES, REPO

BANK = """
bank: weak
title: A weak bank
categories:
  - id: weak
    title: Weak area
questions:
  - id: weak-one
    category: weak
    text: "Do you know what overfitting is?"
    look_for: ["Says yes"]
    rubric: {1: "Bad", 2: "OK", 3: "Good", 4: "Explains it with a worked example and a fix"}
  - id: weak-two
    category: weak
    text: "How old were you when you started programming, and what did you build?"
    look_for: ["a", "b", "c"]
    follow_ups: ["Why?"]
    rubric: {1: "Cannot name anything they built", 2: "Names a project vaguely",
             3: "Describes a project and their part"}
"""


def test_findings_are_coded_and_located(write: Callable[[str, str], Path]) -> None:
    bank = write("banks/weak.yaml", BANK)
    result = CliRunner().invoke(main, ["lint", str(bank)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    expected = [
        f"{bank}:10:15: KG101 fewer than 3 look_for points",
        f"{bank}:11:17: KG103 rubric anchor 1 grades instead of describing an answer",
        f"{bank}:11:27: KG103 rubric anchor 2 grades",
        f"{bank}:11:36: KG103 rubric anchor 3 grades",
        f"{bank}:7:9: KG104 no follow-up question",
        f"{bank}:9:11: KG106 leading or yes/no question",
        f"{bank}:14:11: KG105 question text touches a protected characteristic ('How old')",
        f"{bank}:17:13: KG102 the rubric anchors ratings 1-3, not the default",
    ]
    for needle in expected:
        assert any(line.startswith(needle) for line in lines), (needle, result.output)
    # "vaguely" in weak-two grades too, and neither question says what a hire shows (KG111)
    assert "11 findings" in result.output
    ignored = CliRunner().invoke(
        main, ["lint", str(bank), "--ignore", "KG103", "--ignore", "kg101"]
    )
    assert "KG103" not in ignored.output and "6 findings" in ignored.output


def test_role_findings(write: Callable[[str, str], Path]) -> None:
    role = write(
        "role.yaml",
        """
        role: Narrow
        level: junior
        duration: 120
        banks: [ai-ml]
        categories:
          mathematics: 1
        tags: {avoid: [probability, statistics, optimization]}
    """,
    )
    result = CliRunner().invoke(main, ["lint", str(role)])
    assert result.exit_code == 1, result.output
    assert f"{role}:6:3: KG201 category 'mathematics' draws" in result.output
    assert f"{role}:3:11: KG202 the questions fill 19 of the 110 minutes" in result.output


def test_bundled_content_and_examples_are_clean() -> None:
    result = CliRunner().invoke(
        main,
        [
            "lint",
            str(REPO / "banks"),
            str(EXAMPLES),
            str(REPO / "examples" / "workspace" / "banks"),
            str(REPO / "examples" / "workspace" / "roles"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "0 findings" in result.output


def test_grading_words_in_an_anchor_are_findings(write: Callable[[str, str], Path]) -> None:
    bank = write(
        "banks/graded.yaml",
        """
bank: graded
title: Graded
categories:
  - id: area
    title: Area
questions:
  - id: area-one
    category: area
    text: "Walk me through how you would split this data for testing."
    look_for: ["Splits by time", "Keeps the test set untouched", "Names leakage"]
    follow_ups: ["Why?"]
    rubric:
      1: "Names no way to split the data at all"
      2: "Gives a vague split with no reason for it"
      3: "Proposes a sensible split and a reasonable test size"
      4: "Splits by time and explains the leakage a random split lets in, as well as the cost"
""",
    )
    result = CliRunner().invoke(main, ["lint", str(bank)])
    graded = [line for line in result.output.splitlines() if "KG103" in line]
    assert [line.split("KG103 rubric anchor ")[1][0] for line in graded] == ["2", "3"], graded


ANCHORED = """
bank: anchored
title: Anchored
categories:
  - id: area
    title: Area
questions:
  - id: area-story
    category: area
    kind: behavioral
    levels: [junior, mid]
    minutes: 4
    text: "Tell me about a time a model you trained did worse in use than in testing."
    look_for: ["Names the gap, its size and the cause, the fix, the check, the lesson",
               "Says what they changed in their process", "Says who they told"]
    follow_ups: ["What would you do differently?"]
    rubric:
      1: "Has no example to offer"
      2: "Names a gap but no cause for it"
      3: "Names the gap, a cause and a fix that they checked"
      4: "All of 3, plus the process change that stops it happening again"
    bar: {junior: 2}
  - id: area-story-fixed
    category: area
    kind: behavioral
    levels: [junior, mid]
    minutes: 6
    text: "Tell me about a time a model did worse in use than in testing, or, if you have not
      seen that, how you would find out why it might."
    look_for: ["Names the gap and its size", "Names a cause and a check for it",
               "Says what they changed in their process"]
    follow_ups: ["What would you do differently?"]
    rubric:
      1: "Names a gap without a cause, or a cause without any check"
      2: "Names a gap and one cause, with no check of it"
      3: "Names the gap, a cause and a fix that they checked"
      4: "Names the gap, ranks two causes by evidence, and changes the process that let it in"
    bar: {junior: 2, mid: 3}
"""


def test_anchors_fallbacks_density_and_bars_are_findings(
    write: Callable[[str, str], Path],
) -> None:
    bank = write("banks/anchored.yaml", ANCHORED)
    result = CliRunner().invoke(main, ["lint", str(bank)])
    findings = sorted(line.split(": ", 1)[1][:5] for line in result.output.splitlines()[:-1])
    # the first question: a level-4 anchor that leans on 3, 7 points in 4 minutes, no
    # fallback, a level 1 that punishes having no story, no bar for mid; the second is clean
    assert findings == ["KG107", "KG108", "KG109", "KG110", "KG111"], result.output
    assert f"{bank}:20:10: KG107 rubric anchor 4 leans on another anchor ('All of 3')" in (
        result.output
    )
    assert "KG108 about 7 points to listen for in 4 minutes (at most 6)" in result.output
    assert f"{bank}:7:9: KG111 no bar for mid" in result.output
