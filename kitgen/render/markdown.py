"""The kit as Markdown, for wikis and applicant-tracking notes.

Written to paste well into GitHub, Confluence and Notion and to print from there: short
headings (`### Q1 · <category>`, the question below as a paragraph), `- [ ]` task-list
boxes for ratings and the recommendation, quoted boxes of empty lines as room to write.
Every piece of user text goes through `_escape`, so none of it turns into markup.
"""

from __future__ import annotations

import re

from kitgen.i18n import KIND_NAMES, LEVEL_NAMES, labels
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
    t = labels(kit.language)
    _, ngettext = t.gettext, t.ngettext
    facts = [
        _("Kit") + f" `{kit.kit_id}`",
        _("%(minutes)s-minute slot", minutes=kit.slot),
        ngettext("%(num)s question", "%(num)s questions", len(kit.questions))
        + ", "
        + _("%(minutes)s minutes", minutes=kit.total_minutes),
    ]
    if kit.round is not None and kit.loop is not None:
        number = _(
            "Round %(number)s of %(rounds)s", number=kit.round.number, rounds=len(kit.loop.rounds)
        )
        facts.insert(0, t.pair(number, _escape(kit.round.name)))
    if options.verbose:
        facts.append(_("seed %(seed)s", seed=kit.seed))
    level = _(LEVEL_NAMES[role.level])
    title = _("Interview kit: %(role)s (%(level)s)", role=_escape(role.role), level=level)
    lines = [f"# {title}", "", " · ".join(facts), ""]
    if role.summary:
        lines += [_escape(role.summary), ""]
    interviewer = options.interviewer or kit.interviewer
    for label, value in (
        (_("Candidate"), options.candidate),
        (_("Interviewer"), interviewer),
        (_("Date"), t.date(options.date)),
    ):
        lines.append("- " + t.pair(label, _escape(value) if value.strip() else BLANK))
    lines.append("")
    if kit.loop is not None:
        header = [_("Round"), _("Interviewer"), _("Minutes"), _("Kit"), _("Assesses")]
        lines += [
            "## "
            + _("The interview loop")
            + " ("
            + _("loop %(loop)s", loop=f"`{kit.loop.loop_id}`")
            + ")",
            "",
            "| # | " + " | ".join(header) + " |",
            "|---:|---|---|---:|---|---|",
        ]
        titles = {c.id: c.title for c in kit.loop.categories}
        for r in kit.loop.rounds:
            here = (
                " (" + _("this packet") + ")"
                if kit.round is not None and kit.round.number == r.number
                else ""
            )
            areas = ", ".join(titles[c] for c in r.assessed)
            lines.append(
                f"| {r.number} | {_escape(r.name)}{here} | {_escape(r.interviewer or '-')} | "
                f"{r.minutes} | `{r.kit_id}` | {_escape(areas)} |"
            )
        lines.append("")
    for agenda in kit.agendas:
        title = (
            "## " + t.pair(_("Agenda"), _escape(agenda.title))
            if agenda.title
            else "## " + _("Agenda")
        )
        header = [_("Time"), _("Section"), _("Questions"), _("Minutes")]
        lines += [title, "", "| " + " | ".join(header) + " |", "|---|---|---|---:|"]
        for step in agenda.items:
            name = _escape(step.title if step.questions else _(step.title))
            lines.append(f"| {step.clock} | {name} | {step.questions} | {step.minutes} |")
        booked = (
            ngettext(
                "The slot as booked, with %(num)s minute spare for answers that run long",
                "The slot as booked, with %(num)s minutes spare for answers that run long",
                agenda.spare,
            )
            if agenda.spare > 0
            else _("The slot as booked")
        )
        lines += ["", t.pair(booked, _("%(minutes)s minutes", minutes=agenda.slot)) + ".", ""]
    scale = [f"{value} {_escape(label)}" for value, label in kit.rating_scale_in(_)]
    na = _("N/A") + " " + _("Not assessed")
    lines += [t.pair("**" + _("Rating scale") + "**", f"{' · '.join(scale)} · {na}"), ""]
    lines += [f"## {_(HOW_TO_RUN_TITLE)}", ""]
    lines += [f"{number}. {_(step)}" for number, step in enumerate(HOW_TO_RUN, start=1)]
    lines += ["", "> " + t.pair("**" + _(NEVER_ASK_TITLE) + "**", _(NEVER_ASK)), ""]
    for section in kit.plan:
        lines += _section(kit, section, options.verbose)
    header = [_("Competency"), _("Weight"), _("Questions"), _("Rating")]
    lines += [
        "## " + _("Scorecard"),
        "",
        "| " + " | ".join(header) + " |",
        "|---|---:|---:|---|",
    ]
    for c in kit.categories:
        lines.append(f"| {_escape(c.title)} | {c.weight:g} | {c.questions} |  |")
    lines += ["", "### " + _("Overall recommendation") + "", ""]
    lines += _boxes([_(label) for _value, label in RECOMMENDATIONS])
    lines += ["### " + _("Key takeaways") + "", "", *_room(TAKEAWAYS_LINES)]
    lines += [t.pair(_("Signature"), BLANK) + " · " + t.pair(_("Date"), BLANK), ""]
    return "\n".join(lines)


def _section(kit: Kit, section: PlanSection, verbose: bool) -> list[str]:
    """A section of the kit (a category, or a round of a combined loop) and its questions."""
    _ = labels(kit.language).gettext
    lines = [f"## {_escape(section.title)}", ""]
    areas = [c for c in kit.categories if c.id in section.category_ids and c.look_for]
    for area in areas:
        alone = len(areas) == 1 and area.title == section.title  # a round names its areas
        lead = (
            _("In this area, look for:")
            if alone
            else _("In %(area)s, look for:", area=_escape(area.title))
        )
        lines += [f"**{lead}**", ""]
        lines += [f"- {_escape(point)}" for point in area.look_for]
        lines.append("")
    for item in kit.questions:
        if section.first <= item.number <= section.last:
            lines += _question(kit, item, verbose)
    return lines


def _question(kit: Kit, item: KitQuestion, verbose: bool) -> list[str]:
    q = item.question
    _ = labels(kit.language).gettext
    about = _(KIND_NAMES[q.kind]) + " · " + _("%(minutes)s min", minutes=q.minutes)
    about += f" · `{q.id}`" if verbose else ""
    lines = [
        f"### Q{item.number} · {_escape(item.category_title)}",
        "",
        *_blocks(q.text, bold=True),  # what the interviewer reads out; escaped, so it cannot close
        "",
        f"*{about}*",
        "",
        "**" + _("Look for") + "**",
        "",
    ]
    lines += [f"- {_escape(point)}" for point in q.look_for]
    if q.follow_ups:
        follow_ups = [f"- {_escape(p)}" for p in q.follow_ups]
        lines += ["", "**" + _("Follow-ups") + "**", "", *follow_ups]
    if q.answer:
        lines += ["", "**" + _("Key") + "**", "", *_blocks(q.answer)]
    if q.red_flags:
        lines += ["", "**" + _("Red flags") + "**", ""] + [f"- {_escape(p)}" for p in q.red_flags]
    scale_labels = dict(kit.rating_scale_in(_))
    if q.rubric:
        header = "| " + _("Rating") + " | " + _("What the answer shows") + " |"
        lines += ["", header, "|---|---|"]
        bar = q.bar.get(kit.role.level)
        level = _(LEVEL_NAMES[kit.role.level])
        for value, anchor in sorted(q.rubric.items()):
            mark = " (" + _("bar for %(level)s", level=level) + ")" if value == bar else ""
            label = _escape(scale_labels.get(value, ""))
            lines.append(f"| {value} {label}{mark} | {_escape(anchor)} |")
    lines += ["", "**" + _("Rating") + "**", ""]
    scale = [f"{value} {_escape(label)}" for value, label in kit.rating_scale_in(_)]
    lines += _boxes([*scale, _("N/A") + " " + _("Not assessed")])
    lines += ["**" + _("Notes") + "**", "", *_room(_notes_lines(q.minutes))]
    return lines


def brief_to_markdown(kit: Kit, contact: str | None = None) -> str:
    """The candidate's brief as Markdown: the format and focus areas, no question."""
    brief = candidate_brief(kit, contact)
    _ = labels(kit.language).gettext
    level = _(LEVEL_NAMES[brief.level])
    lines = [
        "# " + _("Your interview: %(role)s (%(level)s)", role=_escape(brief.role), level=level),
        "",
    ]
    if brief.summary:
        lines += [_escape(brief.summary), ""]
    header = [_("Interview") if brief.is_loop else _("Part"), _("With"), _("Focus"), _("Minutes")]
    lines += [
        "## " + _("The format") + "",
        "",
        "| " + " | ".join(header) + " |",
        "|---|---|---|---:|",
    ]
    for r in brief.rounds:
        who = _escape(r.interviewer) if r.interviewer else _("An interviewer from the team")
        focus = _escape(", ".join(r.focus))
        name = _escape(r.name if brief.is_loop else _(r.name))
        lines.append(f"| {name} | {who} | {focus} | {r.minutes} |")
    lines += [
        "",
        _(
            "Each interview opens with about %(opening)s minutes of introductions and keeps "
            "the last %(closing)s for your questions to us.",
            opening=brief.opening,
            closing=brief.closing,
        ),
        "",
        "## " + _("What we will talk about"),
        "",
        _("For each area, what the interviewers listen for in your answers."),
        "",
    ]
    for area in brief.focus_areas:
        lines += [f"**{_escape(area.title)}**", ""]
        lines += [f"- {_escape(point)}" for point in area.look_for]
        lines.append("")
    lines += ["## " + _("How to prepare") + "", ""]
    lines += [f"- {_escape(_(tip))}" for tip in brief.preparation]
    contact = _escape(brief.contact) if brief.contact else _("your recruiting contact")
    lines += [
        "",
        "## " + _("Adjustments and accommodations"),
        "",
        _(
            "If anything would help you do your best, such as more time, a different format, "
            "breaks, captioning or a screen reader, tell %(contact)s before the interview. It "
            "will not count against you, and interviewers are told only what they need to "
            "know to make the change.",
            contact=contact,
        ),
        "",
    ]
    return "\n".join(lines)
