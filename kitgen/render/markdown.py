"""The kit as Markdown, for wikis and applicant-tracking notes."""

from __future__ import annotations

from kitgen.render.templates import RenderOptions
from kitgen.select.brief import candidate_brief
from kitgen.select.kit import Kit


def _escape(text: str) -> str:
    # Markdown would otherwise turn `*`, `_`, `<` or a leading `#` of question text into markup.
    for char in "\\`*_[]<>#|":
        text = text.replace(char, "\\" + char)
    return text


def kit_to_markdown(kit: Kit, options: RenderOptions | None = None) -> str:
    role = kit.role
    lines = [
        f"# Interview kit: {_escape(role.role)} ({role.level})",
        "",
        f"Kit `{kit.kit_id}` · {kit.total_minutes} minutes of questions · "
        f"{len(kit.questions)} questions · seed {kit.seed}",
        "",
    ]
    if role.summary:
        lines += [_escape(role.summary), ""]
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
    scale = ", ".join(f"{value} {label}" for value, label in kit.rating_scale)
    lines += [f"Rating scale: {_escape(scale)}, N/A not assessed.", ""]
    current = None
    for item in kit.questions:
        q = item.question
        heading = item.round if item.round is not None else item.category_title
        if heading != current:
            lines += [f"## {_escape(heading)}", ""]
            current = heading
        lines += [
            f"### Q{item.number}. {_escape(q.text)}",
            "",
            f"*{_escape(item.category_title)} · {q.kind} · {q.minutes} min · `{q.id}`*",
            "",
            "**Look for**",
            "",
        ]
        lines += [f"- {_escape(point)}" for point in q.look_for]
        if q.follow_ups:
            lines += ["", "**Follow-ups**", ""] + [f"- {_escape(p)}" for p in q.follow_ups]
        if q.red_flags:
            lines += ["", "**Red flags**", ""] + [f"- {_escape(p)}" for p in q.red_flags]
        if q.rubric:
            lines += ["", "| Rating | What the answer shows |", "|---|---|"]
            labels = dict(kit.rating_scale)
            for value, anchor in sorted(q.rubric.items()):
                label = labels.get(value, "")
                lines.append(f"| {value} {_escape(label)} | {_escape(anchor)} |")
        boxes = " ".join(f"☐ {value}" for value, _ in kit.rating_scale)
        lines += ["", f"Rating: {boxes} ☐ N/A", "", "Notes:", ""]
    lines += [
        "## Scorecard",
        "",
        "| Competency | Weight | Questions | Rating |",
        "|---|---:|---:|---|",
    ]
    for c in kit.categories:
        lines.append(f"| {_escape(c.title)} | {c.weight:g} | {c.questions} |  |")
    lines += ["", "Overall recommendation: ☐ Strong No ☐ No ☐ Yes ☐ Strong Yes", ""]
    return "\n".join(lines)


def brief_to_markdown(kit: Kit) -> str:
    """The candidate's brief as Markdown: the format and focus areas, no question."""
    brief = candidate_brief(kit)
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
