"""`kitgen score` outputs: a terminal table, JSON, CSV, Markdown and the debrief PDF."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass

from kitgen.browse import table
from kitgen.scoring import RECOMMENDATIONS, Debrief
from kitgen.templates import TemplateSource

DEBRIEF_FILE = "debrief.html"
BAR_COLOURS = ("#1e4e8c", "#d97706", "#0f766e", "#9333ea", "#be123c", "#4b5563")


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _titles(panel: Debrief) -> dict[str, str]:
    return {c["id"]: c["title"] for c in panel.kit["categories"]}


def _weights(panel: Debrief) -> dict[str, float]:
    return {c["id"]: float(c["weight"]) for c in panel.kit["categories"]}


def as_table(panel: Debrief) -> str:
    titles, weights = _titles(panel), _weights(panel)
    head = (
        f"{panel.kit['role']} · kit {panel.kit['kit_id']} · candidate "
        f"{panel.candidate or '(not filled in)'}"
    )
    out = [head, ""]
    if len(panel.cards) == 1:
        card = panel.cards[0]
        numbers = {q["id"]: q.get("number", i + 1) for i, q in enumerate(panel.kit["questions"])}
        rows = [
            [
                f"Q{numbers[q['id']]}",
                q["id"],
                titles.get(q["category"], q["category"]),
                "n/a" if card.ratings[q["id"]] is None else str(card.ratings[q["id"]]),
            ]
            for q in panel.kit["questions"]
        ]
        out += [
            f"Interviewer: {card.interviewer}",
            "",
            table(rows, ["#", "question", "category", "rating"]),
            "",
        ]
    interviewers = [c.interviewer for c in panel.cards]
    rows = []
    for cid, title in titles.items():
        scores = [_fmt(c.categories.get(cid)) for c in panel.cards]
        spread = panel.categories.get(cid)
        row = [title, f"{weights[cid]:g}", *scores]
        if len(panel.cards) > 1:
            row += [
                _fmt(spread.mean if spread else None),
                f"{spread.low:g}-{spread.high:g}" if spread else "-",
                "DIFFER" if spread and spread.disagreement else "",
            ]
        rows.append(row)
    header = ["category", "weight", *interviewers]
    if len(panel.cards) > 1:
        header += ["mean", "range", "flag"]
    out.append(table(rows, header))
    out += [
        "",
        f"Overall: {_fmt(panel.overall)} of {panel.cards[0].scale_max}"
        f"  ({'-' if panel.percent is None else f'{panel.percent:.1f}%'})",
    ]
    if len(panel.cards) == 1:
        card = panel.cards[0]
        out.append("Recommendation: " + RECOMMENDATIONS.get(card.recommendation or "", "(none)"))
        if card.unrated:
            out.append(f"Unrated: {', '.join(card.unrated)}")
    else:
        tally = ", ".join(f"{label} {n}" for label, n in panel.recommendations.items())
        out.append(f"Recommendations: {tally}")
        flagged = [titles[c] for c, s in panel.categories.items() if s.disagreement]
        if flagged:
            out.append(f"Interviewers differ by 2 or more points on: {', '.join(flagged)}")
    takeaways = [(c.interviewer, c.takeaways) for c in panel.cards if c.takeaways]
    if takeaways:
        out += ["", "Key takeaways:"] + [f"  {who}: {text}" for who, text in takeaways]
    return "\n".join(out)


def as_json(panel: Debrief) -> str:
    data: dict[str, object] = {"scorecards": [c.to_json() for c in panel.cards]}
    if len(panel.cards) > 1:
        data["panel"] = panel.to_json()
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def as_csv(panel: Debrief) -> str:
    """Long format, one score per row: easy to pivot in a spreadsheet."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["kit_id", "candidate", "interviewer", "level", "id", "weight", "score"])
    weights = _weights(panel)
    for card in panel.cards:
        base = [card.kit_id, card.candidate, card.interviewer]
        for qid, rating in card.ratings.items():
            writer.writerow([*base, "question", qid, "", "na" if rating is None else rating])
        for cid, score in card.categories.items():
            writer.writerow([*base, "category", cid, f"{weights[cid]:g}", f"{score:.2f}"])
        writer.writerow([*base, "overall", "", "", _fmt(card.overall)])
        writer.writerow([*base, "percent", "", "", "" if card.percent is None else card.percent])
        writer.writerow([*base, "recommendation", "", "", card.recommendation or ""])
    return buffer.getvalue()


def as_markdown(panel: Debrief) -> str:
    titles, weights = _titles(panel), _weights(panel)
    names = [c.interviewer for c in panel.cards]
    lines = [
        f"# Debrief: {panel.candidate or 'candidate'} for {panel.kit['role']}",
        "",
        f"Kit `{panel.kit['kit_id']}` · {len(panel.cards)} interviewer(s)",
        "",
        "| Category | Weight | " + " | ".join(names) + " | Mean | Flag |",
        "|---|---:|" + "---:|" * len(names) + "---:|---|",
    ]
    for cid, title in titles.items():
        spread = panel.categories.get(cid)
        cells = [_fmt(c.categories.get(cid)) for c in panel.cards]
        flag = "differ by 2+" if spread and spread.disagreement else ""
        lines.append(
            f"| {title} | {weights[cid]:g} | "
            + " | ".join(cells)
            + f" | {_fmt(spread.mean if spread else None)} | {flag} |"
        )
    percent = "-" if panel.percent is None else f"{panel.percent:.1f}%"
    lines += [
        "",
        f"**Overall**: {_fmt(panel.overall)} ({percent})",
        "",
        "**Recommendations**: "
        + ", ".join(f"{label} {n}" for label, n in panel.recommendations.items()),
        "",
    ]
    for card in panel.cards:
        if card.takeaways:
            lines += [f"**{card.interviewer}**: {card.takeaways}", ""]
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


def bar_chart(panel: Debrief) -> Chart:
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
                        f"{score:.1f}",
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


def debrief_pdf(panel: Debrief, template: TemplateSource) -> bytes:
    """Render the template folder's debrief.html (the bundled `classic` has one)."""
    from kitgen.pdf import html_to_pdf
    from kitgen.render import render_template

    html = render_template(
        template,
        DEBRIEF_FILE,
        panel=panel,
        chart=bar_chart(panel),
        titles=_titles(panel),
        weights=_weights(panel),
        recommendations=RECOMMENDATIONS,
    )
    return html_to_pdf(html, template.folder)[0]
