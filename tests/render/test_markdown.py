"""The kit in Markdown, for wikis: short headings, task-list boxes, the cover's guidance,
room to write, no ids unless asked, and nothing from the profile that renders as markup."""

from __future__ import annotations

import dataclasses
import re

import pytest
from markupsafe import escape

from kitgen import build_kit, render_formats
from kitgen.pipeline import PreparedKit
from kitgen.render.guidance import HOW_TO_RUN, NEVER_ASK
from kitgen.render.html import RenderOptions, render_html
from kitgen.render.markdown import kit_to_markdown
from kitgen.select.kit import Kit

from ..conftest import EXAMPLES

TRICKY = "Explain *this* and __that__: # not a heading, a | b, <b>bold</b>, [x](y) &amp; `z`"


def _markdown(prepared: PreparedKit, options: RenderOptions | None = None) -> str:
    return render_formats(prepared, ["md"], options or RenderOptions())[0]["md"].decode()


@pytest.fixture(scope="module")
def data_scientist() -> PreparedKit:
    return build_kit(EXAMPLES / "data-scientist.yaml")


def _with_text(kit: Kit, number: int, text: str) -> Kit:
    """The kit with question `number`'s text replaced."""
    questions = [
        dataclasses.replace(q, question=q.question.model_copy(update={"text": text}))
        if q.number == number
        else q
        for q in kit.questions
    ]
    return dataclasses.replace(kit, questions=questions)


def test_markdown_holds_every_question_under_a_short_heading(data_scientist: PreparedKit) -> None:
    kit = data_scientist.kit
    markdown = _markdown(data_scientist)
    assert markdown.startswith("# Interview kit: Data Scientist (Mid)\n")
    assert markdown.count("\n### Q") == len(kit.questions)
    lines = markdown.splitlines()
    headings = [line for line in lines if line.startswith("#")]
    assert max(len(line) for line in headings) <= 80, max(headings, key=len)
    for item in kit.questions:
        heading = f"### Q{item.number} · {item.category_title}"
        assert heading in lines
        # the question itself is the paragraph right below its heading, not in it
        below = lines[lines.index(heading) + 2]
        assert below == f"**{item.question.text}**", below
    assert "| Competency | Weight | Questions | Rating |" in markdown


def test_ratings_and_recommendation_are_task_list_boxes(data_scientist: PreparedKit) -> None:
    kit = data_scientist.kit
    markdown = _markdown(data_scientist)
    scale = len(kit.rating_scale)
    assert "☐" not in markdown
    assert markdown.count("\n- [ ] ") == len(kit.questions) * (scale + 1) + 4
    assert markdown.count("\n- [ ] N/A Not assessed\n") == len(kit.questions)
    for value, label in kit.rating_scale:
        assert markdown.count(f"\n- [ ] {value} {label}\n") == len(kit.questions)
    recommendation = markdown.split("### Overall recommendation\n\n", 1)[1]
    assert recommendation.startswith("- [ ] Strong No\n- [ ] No\n- [ ] Yes\n- [ ] Strong Yes\n")


def test_the_how_to_run_steps_and_never_ask_box_match_the_pdf(
    data_scientist: PreparedKit,
) -> None:
    markdown = _markdown(data_scientist)
    assert "\n## How to run this interview\n" in markdown
    for number, step in enumerate(HOW_TO_RUN, start=1):
        assert f"\n{number}. {step}\n" in markdown
    assert f"\n> **Never ask about**: {NEVER_ASK}\n" in markdown
    # the same wording as the PDF's cover, which is rendered from the template's HTML
    html = render_html(data_scientist.kit, data_scientist.template, RenderOptions())
    flat = " ".join(html.split())
    for text in (*HOW_TO_RUN, NEVER_ASK):
        assert str(escape(text)) in flat or text in flat, text


def test_each_area_shows_what_to_look_for(data_scientist: PreparedKit) -> None:
    kit = data_scientist.kit
    markdown = _markdown(data_scientist)
    assert markdown.count("**In this area, look for:**") == len(kit.plan)
    for category in kit.categories:
        assert category.look_for
        section = markdown.split(f"\n## {category.title}\n", 1)[1].split("\n### ", 1)[0]
        assert "**In this area, look for:**" in section
        for point in category.look_for:
            assert f"\n- {point}\n" in section, point


def test_a_combined_loop_names_the_area_of_each_look_for_list() -> None:
    prepared = build_kit(EXAMPLES / "senior-mlops-engineer-loop.yaml")
    kit = prepared.kit
    assert kit.loop is not None and kit.round is None  # the whole loop in one document
    markdown = kit_to_markdown(kit)
    for r in kit.loop.rounds:
        assert f"\n## {r.name}\n" in markdown
    for category in kit.categories:
        assert (
            f"**In {category.title}, look for:**" in markdown
            or f"\n## {category.title}\n" in markdown
        )
        for point in category.look_for:
            assert f"\n- {point}\n" in markdown
    assert markdown.count("\n### Q") == len(kit.questions)


def test_candidate_and_interviewer_fill_the_cover_or_leave_lines_to_write_on(
    data_scientist: PreparedKit,
) -> None:
    blank = _markdown(data_scientist)
    for label in ("Candidate", "Interviewer", "Date"):
        assert re.search(rf"^- {label}: _{{10,}}$", blank, re.MULTILINE), label
    filled = _markdown(
        data_scientist,
        RenderOptions(candidate="Ada Lovelace", interviewer="Grace\nHopper", date="2026-06-01"),
    )
    assert "\n- Candidate: Ada Lovelace\n" in filled
    assert "\n- Interviewer: Grace Hopper\n" in filled  # a name stays on one line
    assert "\n- Date: June 1, 2026\n" in filled  # an ISO date as the locale writes it


def test_a_packet_in_markdown_shows_its_loop_and_agenda() -> None:
    prepared = build_kit(EXAMPLES / "senior-mlops-engineer-loop.yaml")
    packet = prepared.packets()[1]
    markdown = _markdown(packet)
    loop = packet.kit.loop
    assert loop is not None
    assert f"loop `{loop.loop_id}`" in markdown
    for r in loop.rounds:
        assert f"`{r.kit_id}`" in markdown and r.interviewer in markdown  # type: ignore[operator]
    assert "| 2 | System design (this packet) | Lin Wei | 60 |" in markdown
    assert "| 0:00 | Opening" in markdown and "| 0:55 | The candidate's questions" in markdown
    assert markdown.count("\n### Q") == len(packet.kit.questions)


def test_a_packet_names_its_rounds_interviewer_when_no_value_is_given() -> None:
    packet = build_kit(EXAMPLES / "senior-mlops-engineer-loop.yaml").packets()[1]
    assert packet.kit.round is not None and packet.kit.loop is not None
    markdown = kit_to_markdown(packet.kit)
    assert f"\n- Interviewer: {packet.kit.interviewer}\n" in markdown
    rounds = len(packet.kit.loop.rounds)
    assert f"Round 2 of {rounds}: {packet.kit.round.name} · Kit `{packet.kit.kit_id}`" in markdown


def test_no_seed_or_question_ids_unless_verbose(data_scientist: PreparedKit) -> None:
    kit = data_scientist.kit
    plain = _markdown(data_scientist)
    assert "seed" not in plain.splitlines()[2]  # the line of kit facts
    assert f"seed {kit.seed}" not in plain
    for item in kit.questions:
        assert item.question.id not in plain
    assert f"Kit `{kit.kit_id}`" in plain  # the kit ID is on every kit
    verbose = _markdown(data_scientist, RenderOptions(verbose=True))
    assert f"seed {kit.seed}" in verbose
    for item in kit.questions:
        assert f"`{item.question.id}`" in verbose


def test_notes_takeaways_and_signature_leave_room_to_write(data_scientist: PreparedKit) -> None:
    kit = data_scientist.kit
    markdown = _markdown(data_scientist)
    assert "Notes:" not in markdown
    boxes = re.findall(r"\*\*Notes\*\*\n\n((?:> &nbsp;\n(?:>\n)?)+)", markdown)
    assert len(boxes) == len(kit.questions)
    for item, box in zip(kit.questions, boxes, strict=True):
        lines = box.count("&nbsp;")
        assert lines >= 3 and lines >= item.question.minutes // 2, (item.number, lines)
    takeaways = markdown.split("### Key takeaways\n\n", 1)[1]
    assert takeaways.count("> &nbsp;") >= 5
    assert re.search(r"^Signature: _{10,} · Date: _{10,}$", markdown, re.MULTILINE)


def test_question_and_profile_text_stays_literal(data_scientist: PreparedKit) -> None:
    kit = _with_text(data_scientist.kit, 1, TRICKY + "\n- a list?\n1. or a numbered one")
    markdown = kit_to_markdown(kit, RenderOptions(candidate="<script>x</script> | *me*"))
    text = markdown.split("### Q1 · ", 1)[1].splitlines()[2]  # the whole question, one line
    assert text.startswith("**Explain \\*this\\* and \\_\\_that\\_\\_: \\# not a heading")
    for literal in ("a \\| b", "\\<b\\>bold\\</b\\>", "\\[x\\](y)", "\\&amp;", "\\`z\\`"):
        assert literal in text
    assert text.endswith("`z\\` - a list? 1. or a numbered one**")  # one line, no list
    assert "- Candidate: \\<script\\>x\\</script\\> \\| \\*me\\*\n" in markdown
    leading = kit_to_markdown(_with_text(kit, 1, "- starts like a list"))
    assert "\n**\\- starts like a list**\n" in leading
    numbered = kit_to_markdown(_with_text(kit, 1, "1. starts like a numbered list"))
    assert "\n**1\\. starts like a numbered list**\n" in numbered


def test_markdown_renders_as_intended_in_a_commonmark_parser(data_scientist: PreparedKit) -> None:
    """The Markdown read by a CommonMark parser with task lists, as GitHub and wikis do."""
    import markdown_it
    import mdit_py_plugins.tasklists as tasklists

    kit = _with_text(data_scientist.kit, 1, TRICKY)
    parser = markdown_it.MarkdownIt("commonmark").enable("table").use(tasklists.tasklists_plugin)
    html = parser.render(kit_to_markdown(kit, RenderOptions(candidate="<i>Ada</i>")))
    scale = len(kit.rating_scale)
    assert html.count('type="checkbox"') == len(kit.questions) * (scale + 1) + 4
    assert html.count("<h3>") == len(kit.questions) + 2  # + recommendation, takeaways
    assert "<b>" not in html and "<i>" not in html
    assert "<li>Candidate: &lt;i&gt;Ada&lt;/i&gt;</li>" in html
    assert (
        "<strong>Explain *this* and __that__: # not a heading, a | b, &lt;b&gt;bold&lt;/b&gt;, "
        "[x](y) &amp;amp; `z`</strong>"
    ) in html
    assert html.count("<p>\xa0</p>") >= len(kit.questions) * 3  # room to write, not collapsed
