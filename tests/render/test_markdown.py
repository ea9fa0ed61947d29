"""The kit in Markdown, for wikis: every question, nothing that renders as markup."""

from __future__ import annotations

from kitgen import build_kit, render_formats
from kitgen.render.html import RenderOptions

from ..conftest import EXAMPLES


def test_markdown_holds_every_question_and_escapes_markup() -> None:
    prepared = build_kit(EXAMPLES / "data-scientist.yaml")
    markdown = render_formats(prepared, ["md"], RenderOptions())[0]["md"].decode()
    assert markdown.startswith("# Interview kit: Data Scientist (mid)")
    assert markdown.count("\n### Q") == len(prepared.kit.questions)
    for item in prepared.kit.questions:
        assert f"`{item.question.id}`" in markdown
    assert "| Competency | Weight | Questions | Rating |" in markdown
