"""The bar (the rating a hire at the role's level shows) and the interviewer's key: in the
bank, on the kit as poppler reads it, and in the scores of a kit filled in PDFium."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from kitgen.cli import main

from ..engines import pdfium

BANK = """\
bank: barred
title: Barred
categories:
  - {id: tiny, title: Tiny area}
questions:
  - id: tiny-one
    category: tiny
    text: What does a baseline tell you?
    look_for: [Names one]
    rubric: {1: Names none, 2: Names one loosely, 3: Names one and its use, 4: Two with their uses}
    bar: {junior: 2, mid: 3, senior: 3, staff: 4}
    answer: A floor any model must beat, such as predicting the mean or the majority class.
  - id: tiny-two
    category: tiny
    text: Why hold data out?
    look_for: [Says why]
    rubric: {1: Cannot say, 2: Says it is usual, 3: Names overfitting, 4: Names leakage too}
    bar: {senior: 4}
    levels: [senior, staff]
"""
ROLE = (
    "role: Tester\nlevel: senior\nduration: 30\nbanks: [../banks/barred.yaml]\n"
    "categories: {tiny: 1}\n"
)


def _run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def role(write: Callable[[str, str], Path]) -> Path:
    write("banks/barred.yaml", BANK)
    return write("roles/tester.yaml", ROLE)


def test_the_kit_prints_the_levels_bar_and_the_key(role: Path, tmp_path: Path) -> None:
    out = tmp_path / "kit.pdf"
    assert _run("generate", role, "-o", out, "--format", "pdf,json,md,html").exit_code == 0
    data = json.loads(out.with_suffix(".json").read_text())
    assert {q["id"]: q["bar"] for q in data["questions"]} == {"tiny-one": 3, "tiny-two": 4}
    text = " ".join(
        subprocess.run(["pdftotext", out, "-"], capture_output=True, text=True).stdout.split()
    )
    assert text.count("BAR FOR SENIOR") == 2
    html = out.with_suffix(".html").read_text()  # the mark is on the bar's own row
    assert (
        '<tr class="bar"><th scope="row"><span class="dot">3</span> Good<div class="bar-mark">'
        in html
    )
    assert "A floor any model must beat, such as predicting the mean" in text
    markdown = out.with_suffix(".md").read_text()
    assert "| 3 Good (bar for Senior) |" in markdown and "**Key**\n\nA floor" in markdown


def test_scores_say_whether_the_bar_was_met(role: Path, tmp_path: Path) -> None:
    out = tmp_path / "kit.pdf"
    assert _run("generate", role, "-o", out, "--format", "pdf,json").exit_code == 0
    data = json.loads(out.with_suffix(".json").read_text())
    ids = [q["id"] for q in data["questions"]]
    filled = []
    for name, marks in (("ada", {"tiny-one": "4", "tiny-two": "3"}), ("bo", {"tiny-one": "2"})):
        target = tmp_path / f"{name}.pdf"
        pdfium.fill(
            out, target, {"interviewer": name}, {f"rating:{q}": r for q, r in marks.items()}
        )
        filled.append(target)
    result = _run("score", *filled, "--format", "json")
    assert result.exit_code == 0, result.output
    scored = json.loads(result.output)
    ada, bo = scored["scorecards"]
    assert ada["bar"] == {
        "tiny-one": {"bar": 3, "rating": 4, "met": True},
        "tiny-two": {"bar": 4, "rating": 3, "met": False},
    }
    assert ada["bar_met"] == 0.5 and bo["bar_met"] == 0.0
    panel = scored["panel"]  # tiny-one: mean of 4 and 2 is 3, the bar: met
    assert panel["bar"]["tiny-one"] == {"bar": 3, "mean": 3.0, "met": True}
    assert panel["bar"]["tiny-two"]["met"] is False and panel["bar_met"] == 0.5
    assert set(panel["bar"]) == set(ids)
    table = _run("score", *filled).output
    assert "Bar for the level met on 1 of 2 rated questions (not on Q2)" in table


@pytest.mark.parametrize(
    ("bar", "expected"),
    [
        ("{junior: 3, mid: 2}", "bar falls from 3 at junior to 2 at mid"),
        ("{staff: 4}", "bar names level 'staff', which the question is not for"),
        ("{senior: 5}", ":11:19: bar 5 at senior is above the rubric's top rating (4)"),
    ],
)
def test_a_bar_that_cannot_be_is_refused(
    write: Callable[[str, str], Path], bar: str, expected: str
) -> None:
    bank = BANK.split("  - id: tiny-two")[0].replace(
        "    bar: {junior: 2, mid: 3, senior: 3, staff: 4}\n",
        f"    bar: {bar}\n    levels: [junior, mid, senior]\n",
    )
    path = write("banks/bad.yaml", bank)
    result = _run("validate", path)
    assert result.exit_code == 1 and expected in result.output, result.output
