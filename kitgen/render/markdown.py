"""The kit as Markdown, for wikis and applicant-tracking notes.

Written to paste well into GitHub, Confluence and Notion and to print from there: short
headings (`### Q1 · <category>`, the question below as a paragraph), `- [ ]` task-list
boxes for ratings and the recommendation, quoted boxes of empty lines as room to write.
Every piece of user text goes through `_escape`, so none of it turns into markup.
"""

from __future__ import annotations

import re

from kitgen.render.blocks import text_blocks
from kitgen.render.guidance import HOW_TO_RUN, HOW_TO_RUN_TITLE, NEVER_ASK, NEVER_ASK_TITLE
from kitgen.render.templates import RenderOptions
from kitgen.select.brief import candidate_brief
from kitgen.select.kit import RECOMMENDATIONS, Kit, KitQuestion, PlanSection

_PUNCTUATION = "\\`*_[]<>#|~"  # the backslash first, so later escapes stay single
_ENTITY = re.compile(r"&(?=#?\w+;)")  # `&amp;` would otherwise show as `&`
# at the start of a paragraph or a list item these begin a (nested) list: `- x`, `1. x`
_LIST_MARKER = re.compile(r"^(?:[-+](?=\s|$)|\d{1,9}(?=[.)](?:\s|$)))")
BLANK = "____________________"  # a line to write on: literal, neither emphasis nor a rule
TAKEAWAYS_LINES = 6


def _escape(text: str) -> str:
    """User text as literal Markdown on one line: no markup, no HTML, no table-cell break."""
    text = " ".join(text.split())  # a newline could start a list, a quote or a heading
    for char in _PUNCTUATION:
        text = text.replace(char, "\\" + char)
    text = _ENTITY.sub(r"\\&", text)
    marker = _LIST_MARKER.match(text)
    if marker is not None:  # `- x` -> `\- x`, `1. x` -> `1\. x`
        end = marker.end()
        text = "\\" + text if text[0] in "-+" else text[:end] + "\\" + text[end:]
    return text


def _blocks(text: str, *, bold: bool = False) -> list[str]:
    """Paragraphs escaped as above; code in a fence longer than any run of backticks in
    it, so the code cannot close the fence and turn into markup."""
    lines: list[str] = []
    for block in text_blocks(text):
        if block.code:
            longest = max((len(run) for run in re.findall(r"`+", block.text)), default=0)
            fence = "`" * max(3, longest + 1)
            lines += [f"{fence}{block.language}", *block.text.split("\n"), fence, ""]
        else:
            lines += [f"**{_escape(block.text)}**" if bold else _escape(block.text), ""]
    return lines[:-1]


def _room(lines: int) -> list[str]:
    """A quoted box of empty lines: space to write when printed, a box to type into on a
    wiki (`&nbsp;` keeps each line from collapsing)."""
    box: list[str] = []
    for index in range(lines):
        box += [">"] if index else []
        box.append("> &nbsp;")
    return [*box, ""]


def _notes_lines(minutes: int) -> int:
    """Room for notes in proportion to the question: a line per two minutes, at least 3."""
    return max(3, (minutes + 1) // 2)


def _boxes(labels: list[str]) -> list[str]:
    return [*(f"- [ ] {label}" for label in labels), ""]


def kit_to_markdown(kit: Kit, options: RenderOptions | None = None) -> str:
    options = options or RenderOptions()
    role = kit.role
    facts = [
        f"Kit `{kit.kit_id}`",
        f"{kit.slot}-minute slot",
        f"{len(kit.questions)} questions, {kit.total_minutes} minutes",
    ]
    if kit.round is not None and kit.loop is not None:
        number = f"Round {kit.round.number} of {len(kit.loop.rounds)}"
        facts.insert(0, f"{number}: {_escape(kit.round.name)}")
    if options.verbose:
        facts.append(f"seed {kit.seed}")
    lines = [f"# Interview kit: {_escape(role.role)} ({role.level})", "", " · ".join(facts), ""]
    if role.summary:
        lines += [_escape(role.summary), ""]
    interviewer = options.interviewer or kit.interviewer
    for label, value in (
        ("Candidate", options.candidate),
        ("Interviewer", interviewer),
        ("Date", options.date),
    ):
        lines.append(f"- {label}: {_escape(value) if value.strip() else BLANK}")
    lines.append("")
    if kit.loop is not None:
        lines += [
            f"## The interview loop (loop `{kit.loop.loop_id}`)",
            "",
            "| # | Round | Interviewer | Minutes | Kit | Assesses |",
            "|---:|---|---|---:|---|---|",
        ]
        titles = {c.id: c.title for c in kit.loop.categories}
        for r in kit.loop.rounds:
            here = (
                " (this packet)" if kit.round is not None and kit.round.number == r.number else ""
            )
            areas = ", ".join(titles[c] for c in r.assessed)
            lines.append(
                f"| {r.number} | {_escape(r.name)}{here} | {_escape(r.interviewer or '-')} | "
                f"{r.minutes} | `{r.kit_id}` | {_escape(areas)} |"
            )
        lines.append("")
    for agenda in kit.agendas:
        title = f"## Agenda: {_escape(agenda.title)}" if agenda.title else "## Agenda"
        lines += [title, "", "| Time | Section | Questions | Minutes |", "|---|---|---|---:|"]
        for step in agenda.items:
            lines.append(
                f"| {step.clock} | {_escape(step.title)} | {step.questions} | {step.minutes} |"
            )
        spare = f", {agenda.spare} minutes spare" if agenda.spare > 0 else ""
        lines += ["", f"The slot as booked: {agenda.slot} minutes{spare}.", ""]
    scale = [f"{value} {_escape(label)}" for value, label in kit.rating_scale]
    lines += [f"**Rating scale:** {' · '.join(scale)} · N/A not assessed", ""]
    lines += [f"## {HOW_TO_RUN_TITLE}", ""]
    lines += [f"{number}. {step}" for number, step in enumerate(HOW_TO_RUN, start=1)]
    lines += ["", f"> **{NEVER_ASK_TITLE}:** {NEVER_ASK}", ""]
    for section in kit.plan:
        lines += _section(kit, section, options.verbose)
    lines += [
        "## Scorecard",
        "",
        "| Competency | Weight | Questions | Rating |",
        "|---|---:|---:|---|",
    ]
    for c in kit.categories:
        lines.append(f"| {_escape(c.title)} | {c.weight:g} | {c.questions} |  |")
    lines += ["", "### Overall recommendation", ""]
    lines += _boxes([label for _, label in RECOMMENDATIONS])
    lines += ["### Key takeaways", "", *_room(TAKEAWAYS_LINES)]
    lines += [f"Signature: {BLANK} · Date: {BLANK}", ""]
    return "\n".join(lines)


def _section(kit: Kit, section: PlanSection, verbose: bool) -> list[str]:
    """A section of the kit (a category, or a round of a combined loop) and its questions."""
    lines = [f"## {_escape(section.title)}", ""]
    areas = [c for c in kit.categories if c.id in section.category_ids and c.look_for]
    for area in areas:
        alone = len(areas) == 1 and area.title == section.title  # a round names its areas
        lead = "In this area" if alone else f"In {_escape(area.title)}"
        lines += [f"**{lead}, look for:**", ""]
        lines += [f"- {_escape(point)}" for point in area.look_for]
        lines.append("")
    for item in kit.questions:
        if section.first <= item.number <= section.last:
            lines += _question(kit, item, verbose)
    return lines


def _question(kit: Kit, item: KitQuestion, verbose: bool) -> list[str]:
    q = item.question
    about = f"{q.kind.title()} · {q.minutes} min" + (f" · `{q.id}`" if verbose else "")
    lines = [
        f"### Q{item.number} · {_escape(item.category_title)}",
        "",
        *_blocks(q.text, bold=True),  # what the interviewer reads out; escaped, so it cannot close
        "",
        f"*{about}*",
        "",
        "**Look for**",
        "",
    ]
    lines += [f"- {_escape(point)}" for point in q.look_for]
    if q.follow_ups:
        lines += ["", "**Follow-ups**", ""] + [f"- {_escape(p)}" for p in q.follow_ups]
    if q.answer:
        lines += ["", "**Key**", "", *_blocks(q.answer)]
    if q.red_flags:
        lines += ["", "**Red flags**", ""] + [f"- {_escape(p)}" for p in q.red_flags]
    labels = dict(kit.rating_scale)
    if q.rubric:
        lines += ["", "| Rating | What the answer shows |", "|---|---|"]
        bar = q.bar.get(kit.role.level)
        for value, anchor in sorted(q.rubric.items()):
            mark = f" (bar for {kit.role.level})" if value == bar else ""
            lines.append(f"| {value} {_escape(labels.get(value, ''))}{mark} | {_escape(anchor)} |")
    lines += ["", "**Rating**", ""]
    scale = [f"{value} {_escape(label)}" for value, label in kit.rating_scale]
    lines += _boxes([*scale, "N/A not assessed"])
    lines += ["**Notes**", "", *_room(_notes_lines(q.minutes))]
    return lines


def brief_to_markdown(kit: Kit, contact: str | None = None) -> str:
    """The candidate's brief as Markdown: the format and focus areas, no question."""
    brief = candidate_brief(kit, contact)
    lines = [f"# Your interview: {_escape(brief.role)} ({brief.level})", ""]
    if brief.summary:
        lines += [_escape(brief.summary), ""]
    lines += ["## The format", "", "| Interview | With | Focus | Minutes |", "|---|---|---|---:|"]
    for r in brief.rounds:
        who = _escape(r.interviewer) if r.interviewer else "An interviewer from the team"
        focus = _escape(", ".join(r.focus))
        lines.append(f"| {_escape(r.name)} | {who} | {focus} | {r.minutes} |")
    lines += [
        "",
        f"Each interview opens with about {brief.opening} minutes of introductions and keeps "
        f"the last {brief.closing} for your questions to us.",
        "",
        "## What we will talk about",
        "",
        "For each area, what the interviewers listen for in your answers.",
        "",
    ]
    for area in brief.focus_areas:
        lines += [f"**{_escape(area.title)}**", ""]
        lines += [f"- {_escape(point)}" for point in area.look_for]
        lines.append("")
    lines += ["## How to prepare", ""]
    lines += [f"- {_escape(tip)}" for tip in brief.preparation]
    contact = _escape(brief.contact) if brief.contact else "your recruiting contact"
    lines += [
        "",
        "## Adjustments and accommodations",
        "",
        "If anything would help you do your best, such as more time, a different format, "
        f"breaks, captioning or a screen reader, tell {contact} before the interview. It will "
        "not count against you.",
        "",
    ]
    return "\n".join(lines)
