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


def test_a_packet_in_markdown_shows_its_loop_and_agenda() -> None:
    prepared = build_kit(EXAMPLES / "senior-mlops-engineer-loop.yaml")
    packet = prepared.packets()[1]
    markdown = render_formats(packet, ["md"], RenderOptions())[0]["md"].decode()
    loop = packet.kit.loop
    assert loop is not None
    assert f"loop `{loop.loop_id}`" in markdown
    for r in loop.rounds:
        assert f"`{r.kit_id}`" in markdown and r.interviewer in markdown  # type: ignore[operator]
    assert "| 2 | System design (this packet) | Lin Wei | 60 |" in markdown
    assert "| 0:00 | Opening" in markdown and "| 0:55 | The candidate's questions" in markdown
    assert markdown.count("\n### Q") == len(packet.kit.questions)
