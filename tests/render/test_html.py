"""Rendered documents: HTML against a reference file, Markdown and JSON by content."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from kitgen import build_kit
from kitgen.errors import RenderError
from kitgen.render.html import RenderOptions, render_html, resolve_template

from ..conftest import EXAMPLES

REFERENCE = Path(__file__).parent.parent / "testdata" / "nlp-engineer.html"


def test_html_matches_the_reference(update_reference: bool) -> None:
    """Run `pytest --update-reference` after an intended change to the template or bank."""
    prepared = build_kit(EXAMPLES / "nlp-engineer.yaml")
    html = render_html(
        prepared.kit,
        prepared.template,
        RenderOptions(candidate="Sam Doe", interviewer="Ada", date="2026-12-01"),
    )
    if update_reference:
        REFERENCE.write_text(html, encoding="utf-8")
    assert html == REFERENCE.read_text(encoding="utf-8"), (
        "HTML differs from tests/testdata/nlp-engineer.html; if intended, run "
        "pytest --update-reference"
    )


def test_html_is_standalone_with_fields_named_as_the_spec() -> None:
    prepared = build_kit(EXAMPLES / "nlp-engineer.yaml")
    html = render_html(prepared.kit, prepared.template, RenderOptions(candidate="Sam"))
    assert "<style>" in html and "<link" not in html
    assert 'name="candidate"' in html and 'value="Sam"' in html
    for item in prepared.kit.questions:
        assert f'name="rating:{item.question.id}" value="na"' in html
        assert f'name="notes:{item.question.id}"' in html
    for category in prepared.kit.categories:
        assert f'name="category:{category.id}" value="1"' in html
    assert 'name="recommendation" value="strong-yes"' in html
    assert 'name="takeaways"' in html


def test_user_template_runs_in_the_sandbox(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "kit.html").write_text("{{ kit.__class__.__mro__ }}\n")
    template = resolve_template(str(folder))
    prepared = build_kit(EXAMPLES / "nlp-engineer.yaml")
    with pytest.raises(RenderError, match="unsafe template"):
        render_html(prepared.kit, template, RenderOptions())


def test_undefined_template_value_names_the_line(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "kit.html").write_text("<p>ok</p>\n<p>{{ candidte }}</p>\n")
    prepared = build_kit(EXAMPLES / "nlp-engineer.yaml")
    with pytest.raises(RenderError) as info:
        render_html(prepared.kit, resolve_template(str(folder)), RenderOptions())
    assert f"{folder / 'kit.html'}:2:1: template uses an undefined value: 'candidte'" in str(
        str(info.value)
    )


def test_a_fractional_weight_prints_as_written(
    write: Callable[[str, str], Path], small_bank: Path
) -> None:
    role = write(
        "roles/r.yaml",
        """
        role: R
        level: mid
        duration: 30
        banks: [../banks/small.yaml]
        categories: {alpha: 1.05, beta: 2}
        """,
    )
    prepared = build_kit(role)
    html = render_html(prepared.kit, prepared.template, RenderOptions())
    weights = re.findall(r'<td class="num">([0-9.]+)</td>\s*<td class="num">\d+</td>', html)
    assert weights == ["1.05", "2"]


def test_categories_with_one_title_keep_their_own_questions(
    write: Callable[[str, str], Path], small_bank: Path
) -> None:
    write(
        "banks/other.yaml",
        """
        bank: other
        title: Another bank
        categories:
          - id: gamma
            title: Alpha area
        questions:
          - id: gamma-one
            category: gamma
            text: "What is gamma one?"
            look_for: ["Explains gamma"]
            rubric: {1: "a", 2: "b", 3: "c", 4: "d"}
        """,
    )
    role = write(
        "roles/r.yaml",
        """
        role: R
        level: mid
        duration: 40
        banks: [../banks/small.yaml, ../banks/other.yaml]
        categories: {alpha: 1, beta: 1, gamma: 1}
        """,
    )
    prepared = build_kit(role)
    html = render_html(prepared.kit, prepared.template, RenderOptions())
    for item in prepared.kit.questions:
        assert html.count(f'id="q-{item.question.id}"') == 1
        assert html.count(f'name="notes:{item.question.id}"') == 1
    assert [s.category_ids for s in prepared.kit.plan] == [["alpha"], ["beta"], ["gamma"]]
