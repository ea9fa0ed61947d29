"""`kitgen score` outputs: a terminal table, JSON, CSV, Markdown and the debrief PDF."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

from kitgen._text import CONTROL, table
from kitgen.errors import KitgenError
from kitgen.i18n import DEFAULT_LANGUAGE, Labels, labels
from kitgen.score.panel import Debrief
from kitgen.score.scoring import RECOMMENDATIONS
from kitgen.select.kit import RECOMMENDATIONS as KIT_RECOMMENDATIONS

DEBRIEF_FILE = "debrief.html"
BAR_COLOURS = ("#1e4e8c", "#d97706", "#0f766e", "#9333ea", "#be123c", "#4b5563")


def terminal_text(text: str) -> str:
    """Untrusted text made safe for a terminal: no escape sequences, no control or
    direction-changing characters (each shows as U+FFFD); line breaks stay."""
    return CONTROL.sub("\ufffd", text.replace("\r\n", "\n").replace("\t", " "))


def csv_cell(value: object) -> str:
    """A CSV cell a spreadsheet will not run: a leading = + - @ tab or CR gets an apostrophe
    (checked before control characters are masked, so a leading tab still counts)."""
    text = "" if value is None else str(value)
    guarded = "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
    return CONTROL.sub("\ufffd", guarded)


_MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]|~!])")  # emphasis, code, links, images, cells
_MARKDOWN_LINE_START = re.compile(r"^(\s*\d*)([#>+.)=-])")  # headings, quotes, lists


def markdown_text(text: str) -> str:
    """Untrusted text as inert Markdown: HTML escaped, Markdown punctuation and table pipes
    backslashed, each line break a hard break."""
    escaped = html.escape(CONTROL.sub("\ufffd", text), quote=False)
    lines = [
        _MARKDOWN_LINE_START.sub(r"\1\\\2", _MARKDOWN_INLINE.sub(r"\\\1", line))
        for line in escaped.splitlines()
    ]
    return "\\\n".join(lines)


def markdown_cell(text: str) -> str:
    """Untrusted text for one Markdown table cell or heading: one line, inert."""
    return markdown_text(" ".join(text.split()))


def _titles(panel: Debrief) -> dict[str, str]:
    return {c["id"]: c["title"] for c in panel.kit["categories"]}


def _weights(panel: Debrief) -> dict[str, float]:
    return {c["id"]: float(c["weight"]) for c in panel.kit["categories"]}


def _numbers(panel: Debrief) -> dict[str, str]:
    """Question id -> its label as printed: "Q3", or "R2 Q3" (round 2) in a loop's debrief."""
    return {q["id"]: str(q.get("label") or f"Q{q['number']}") for q in panel.kit["questions"]}


def _which(panel: Debrief, t: Labels, code: str = "") -> str:
    """ "kit 1a2b3c" or, for a loop's debrief, "loop 1a2b3c (3 rounds)"."""
    if panel.loop is not None:
        rounds = len(panel.loop["rounds"])
        loop_id = f"{code}{panel.loop['loop_id']}{code}"
        return t.ngettext(
            "loop %(loop)s (%(num)s round)", "loop %(loop)s (%(num)s rounds)", rounds, loop=loop_id
        )
    return t.gettext("kit %(kit)s", kit=f"{code}{panel.kit['kit_id']}{code}")


def _indented(text: str, prefix: str = "    ") -> list[str]:
    return [prefix + line for line in terminal_text(text).split("\n")]


def as_table(panel: Debrief, language: str = DEFAULT_LANGUAGE) -> str:
    t = labels(language)
    _ = t.gettext
    titles, weights, numbers = _titles(panel), _weights(panel), _numbers(panel)
    candidate = panel.candidate or _("(not filled in)")
    head = f"{panel.kit['role']} · {_which(panel, t)} · " + _("candidate %(name)s", name=candidate)
    out = [head, ""]
    for r in panel.rounds:
        who = ", ".join(r["interviewers"]) or _("no packet given")
        kit = _("kit %(kit)s", kit=r["kit_id"]) if r["kit_id"] else "-"
        round_name = _("Round %(number)s", number=r["number"]) + f" {r['name']}"
        out.append(t.pair(round_name, f"{who} ({kit})"))
    if panel.rounds:
        out.append("")
    if len(panel.cards) == 1:
        card = panel.cards[0]

        def mark(qid: str) -> str:
            if qid in card.ratings:
                return str(card.ratings[qid])
            return _("N/A") if qid in card.not_assessed else _("blank")

        rows = [
            [
                numbers[q["id"]],
                q["id"],
                titles.get(q["category"], q["category"]),
                mark(q["id"]),
            ]
            for q in panel.kit["questions"]
        ]
        out += [
            t.pair(_("Interviewer"), card.interviewer),
            "",
            table(rows, ["#", _("question"), _("category"), _("rating")]),
            "",
        ]
    spreads = panel.categories
    interviewers = [c.interviewer for c in panel.cards]
    rows = []
    for cid, title in titles.items():
        scores = [t.number(c.categories.get(cid)) for c in panel.cards]
        spread = spreads.get(cid)
        row = [title, f"{weights[cid]:g}", *scores]
        if len(panel.cards) > 1:
            row += [
                t.number(spread.mean if spread else None),
                f"{t.number(spread.low)}–{t.number(spread.high)}" if spread else "-",
                _("DIFFER") if spread and spread.disagreement else "",
            ]
        rows.append(row)
    header = [_("category"), _("weight"), *interviewers]
    if len(panel.cards) > 1:
        header += [_("mean"), _("range"), _("flag")]
    out.append(table(rows, header))
    percent = t.percent(panel.percent)
    overall = _("Overall: %(score)s of %(top)s", score=t.number(panel.overall), top=panel.scale_max)
    out += ["", f"{overall}  ({percent})"]
    if len(panel.cards) == 1:
        card = panel.cards[0]
        label = RECOMMENDATIONS.get(card.recommendation or "")
        out.append(_("Recommendation: %(label)s", label=_(label) if label else _("(none)")))
        if card.not_assessed:
            out.append(
                _("Not assessed (N/A): %(questions)s", questions=", ".join(card.not_assessed))
            )
        if card.unrated:
            out.append(_("Unrated (left blank): %(questions)s", questions=", ".join(card.unrated)))
    else:
        tally = ", ".join(f"{_(label)} {n}" for label, n in panel.recommendations.items())
        out.append(_("Recommendations: %(tally)s", tally=tally))
        flagged = [titles[c] for c, s in spreads.items() if s.disagreement]
        if flagged:
            out.append(
                _("Interviewers differ by 2 or more points on: %(areas)s", areas=", ".join(flagged))
            )
    if panel.unassessed_categories:
        missing = ", ".join(titles[c] for c in panel.unassessed_categories)
        out.append(_("Assessed by nobody: %(areas)s", areas=missing))
    bar = panel.bar
    if bar:  # questions whose bank says what a hire at this level shows
        met = sum(b["met"] for b in bar.values())
        short = ", ".join(numbers[q] for q, b in bar.items() if not b["met"])
        line = t.ngettext(
            "Bar for the level met on %(met)s of %(num)s rated question",
            "Bar for the level met on %(met)s of %(num)s rated questions",
            len(bar),
            met=met,
        )
        out.append(line + (" " + _("(not on %(questions)s)", questions=short) if short else ""))
    notes = panel.notes
    if notes:
        out += ["", _("Notes:")]
        for qid, written in notes.items():
            for who, text in written.items():
                out.append(f"  {numbers[qid]} ({who}):")
                out += _indented(text)
    takeaways = [(c.interviewer, c.takeaways) for c in panel.cards if c.takeaways]
    if takeaways:
        out += ["", _("Key takeaways:")]
        for who, text in takeaways:
            out.append(f"  {who}:")
            out += _indented(text)
    return "\n".join(terminal_text(line) for line in out)


def as_json(panel: Debrief) -> str:
    data: dict[str, object] = {"scorecards": [c.to_json() for c in panel.cards]}
    if len(panel.cards) > 1 or panel.loop is not None:  # a loop's gaps show even for one
        data["panel"] = panel.to_json()
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    # JSON escapes C0 controls itself; escape C1 and direction controls too (terminal-safe).
    return CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def as_csv(panel: Debrief) -> str:
    """Long format, one score per row: easy to pivot in a spreadsheet."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")

    def row(*cells: object) -> None:
        writer.writerow([csv_cell(c) for c in cells])

    row("kit_id", "candidate", "interviewer", "level", "id", "weight", "score")
    weights = _weights(panel)
    for card in panel.cards:
        base = [card.kit_id, card.candidate, card.interviewer]
        for question in card.kit["questions"]:  # only what this interviewer was given
            qid = question["id"]
            mark = card.ratings.get(qid, "na" if qid in card.not_assessed else "")
            row(*base, "question", qid, "", mark)
        for cid, score in card.categories.items():
            row(*base, "category", cid, f"{weights[cid]:g}", f"{score:.2f}")
        overall = card.overall
        row(*base, "overall", "", "", "" if overall is None else f"{overall:.2f}")
        row(*base, "percent", "", "", "" if card.percent is None else card.percent)
        row(*base, "recommendation", "", "", card.recommendation or "")
        for qid, text in card.notes.items():
            row(*base, "notes", qid, "", text)
        row(*base, "takeaways", "", "", card.takeaways)
    return buffer.getvalue()


def as_markdown(panel: Debrief, language: str = DEFAULT_LANGUAGE) -> str:
    titles, weights, numbers = _titles(panel), _weights(panel), _numbers(panel)
    md = markdown_cell  # names and titles: one line each
    names = [md(c.interviewer) for c in panel.cards]
    spreads = panel.categories
    t = labels(language)
    _ = t.gettext
    candidate = md(panel.candidate or _("candidate"))
    head = [_("Category"), _("Weight"), *names, _("Mean"), _("Assessed by"), _("Flag")]
    lines = [
        "# "
        + _("Debrief: %(candidate)s for %(role)s", candidate=candidate, role=md(panel.kit["role"])),
        "",
        f"{_which(panel, t, code='`')} · "
        + t.ngettext("%(num)s interviewer", "%(num)s interviewers", len(panel.cards)),
        "",
        *(
            "- "
            + t.pair(
                _("Round %(number)s", number=r["number"]) + f" {md(r['name'])}",
                ", ".join(md(n) for n in r["interviewers"]) or _("no packet given"),
            )
            for r in panel.rounds
        ),
        *([""] if panel.rounds else []),
        "| " + " | ".join(head) + " |",
        "|---|---:|" + "---:|" * len(names) + "---:|---|---|",
    ]
    for cid, title in titles.items():
        spread = spreads.get(cid)
        cells = [t.number(c.categories.get(cid)) for c in panel.cards]
        flag = _("differ by 2+") if spread and spread.disagreement else ""
        who = ", ".join(md(n) for n in spread.assessed_by) if spread else _("nobody")
        lines.append(
            f"| {md(title)} | {weights[cid]:g} | "
            + " | ".join(cells)
            + f" | {t.number(spread.mean if spread else None)} | {who} | {flag} |"
        )
    percent = t.percent(panel.percent)
    lines += [
        "",
        t.pair("**" + _("Overall") + "**", f"{t.number(panel.overall)} ({percent})"),
        "",
        t.pair(
            "**" + _("Recommendations") + "**",
            ", ".join(f"{_(label)} {n}" for label, n in panel.recommendations.items()),
        ),
        "",
    ]
    takeaways = [c for c in panel.cards if c.takeaways]
    if takeaways:
        lines += ["## " + _("Key takeaways") + "", ""]
        for card in takeaways:
            lines += [f"**{md(card.interviewer)}**:\\", markdown_text(card.takeaways), ""]
    notes = panel.notes
    if notes:
        lines += ["## " + _("Notes") + "", ""]
        for qid, written in notes.items():
            lines += [f"### {numbers[qid]} `{qid}`", ""]
            for who, text in written.items():
                lines += [f"**{md(who)}**:\\", markdown_text(text), ""]
    return "\n".join(lines)


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    label: str


@dataclass(frozen=True)
class Chart:
    """Geometry of the grouped bar chart: a group per category, a bar per interviewer."""

    width: float
    height: float
    label_width: float
    scale_max: int
    bars: list[Bar]
    groups: list[tuple[str, float]]  # category title, y of the group's centre
    ticks: list[tuple[int, float]]  # value, x
    legend: list[tuple[str, str]]  # interviewer, colour


def bar_chart(panel: Debrief, language: str = DEFAULT_LANGUAGE) -> Chart:
    label_width, plot_width, bar_height, gap = 150.0, 330.0, 9.0, 10.0
    scale_max = panel.cards[0].scale_max
    colours = {c.interviewer: BAR_COLOURS[i % len(BAR_COLOURS)] for i, c in enumerate(panel.cards)}
    bars, groups = [], []
    y = 4.0
    for cid, title in _titles(panel).items():
        top = y
        for card in panel.cards:
            score = card.categories.get(cid)
            if score is not None:
                bars.append(
                    Bar(
                        label_width,
                        y,
                        plot_width * score / scale_max,
                        bar_height,
                        colours[card.interviewer],
                        labels(language).number(score, 1),
                    )
                )
            y += bar_height + 1
        groups.append((title, (top + y) / 2))
        y += gap
    ticks = [(v, label_width + plot_width * v / scale_max) for v in range(scale_max + 1)]
    return Chart(
        label_width + plot_width + 30,
        y + 14,
        label_width,
        scale_max,
        bars,
        groups,
        ticks,
        list(colours.items()),
    )


DEBRIEF_FORMATS = ("table", "json", "csv", "md")


def debrief_text(panel: Debrief, fmt: str, language: str = DEFAULT_LANGUAGE) -> str:
    """The debrief as a terminal table, JSON, CSV (one score per row) or Markdown; the
    table and Markdown print their labels in `language` (JSON and CSV are data)."""
    writers = {"table": as_table, "md": as_markdown}
    data = {"json": as_json, "csv": as_csv}
    if fmt in data:
        return data[fmt](panel)
    if fmt not in writers:
        known = ", ".join([*writers, *data])
        raise KitgenError(f"unknown debrief format {fmt!r}; choose one of {known}")
    return writers[fmt](panel, language)


def debrief_pdf(
    panel: Debrief,
    template: str = "classic",
    *,
    tagged: bool = True,
    language: str = DEFAULT_LANGUAGE,
) -> bytes:
    """Render debrief.html of a template (a bundled name, or a folder relative to the
    current folder; the bundled `classic` has one)."""
    from kitgen.config import config_for, template_context
    from kitgen.render.html import render_template
    from kitgen.render.pdf import html_to_pdf
    from kitgen.render.templates import resolve_template

    source = resolve_template(template, Path.cwd())
    brand = template_context(config_for(Path.cwd()))  # the workspace kitgen runs in
    html = render_template(
        source,
        DEBRIEF_FILE,
        language,
        brand=brand,
        panel=panel,
        kit_data=panel.kit,
        labels=_numbers(panel),
        chart=bar_chart(panel, language),
        titles=_titles(panel),
        weights=_weights(panel),
        recommendations=KIT_RECOMMENDATIONS,
    )
    return html_to_pdf(html, source.folder, missing_glyphs_fail=False, tagged=tagged)[0]
