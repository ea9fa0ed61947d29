"""The round trip: generate a kit, fill it with pypdf's documented form API, score it.

The same round trip through PDFium, pdf.js, MuPDF and poppler is in test_viewers.py."""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from statistics import mean
from typing import Any

import pytest
from click.testing import CliRunner, Result
from pypdf import PdfReader, PdfWriter

from kitgen import RenderOptions, build_kit, render_formats
from kitgen.cli import main

from ..conftest import EXAMPLES
from ..engines import pypdf_form

ROLE = EXAMPLES / "nlp-engineer.yaml"


def _score(*args: str | Path) -> Result:
    return CliRunner().invoke(main, ["score", *map(str, args)])


@pytest.fixture(scope="module")
def blank(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    prepared = build_kit(ROLE)
    rendered, _ = render_formats(prepared, ["pdf"], RenderOptions(candidate="Sam Doe"))
    path = tmp_path_factory.mktemp("blank") / "kit.pdf"
    path.write_bytes(rendered["pdf"])
    return path, prepared.kit.to_json()


Filler = Callable[..., Path]


@pytest.fixture
def filled(blank: tuple[Path, dict[str, Any]], tmp_path: Path) -> Filler:
    def _fill(
        name: str,
        ratings: dict[str, str],
        interviewer: str,
        recommendation: str,
        takeaways: str = "",
        candidate: str | None = None,
    ) -> Path:
        text = {"interviewer": interviewer, "takeaways": takeaways}
        if candidate is not None:
            text["candidate"] = candidate
        choices = {f"rating:{q}": r for q, r in ratings.items()}
        choices["recommendation"] = recommendation
        target = tmp_path / f"{name}.pdf"
        pypdf_form.fill(blank[0], target, text, choices)
        return target

    return _fill


def _by_hand(kit: dict[str, Any], ratings: dict[str, str]) -> tuple[dict[str, float], float]:
    """SPEC's formula, written out independently of kitgen.score.scoring."""
    weights = {c["id"]: c["weight"] for c in kit["categories"]}
    per_category: dict[str, list[int]] = {}
    for q in kit["questions"]:
        value = ratings.get(q["id"], "na")
        if value != "na":
            per_category.setdefault(q["category"], []).append(int(value))
    scores = {c: mean(v) for c, v in per_category.items()}
    overall = sum(scores[c] * weights[c] for c in scores) / sum(weights[c] for c in scores)
    return scores, overall


def test_one_filled_kit_scores_by_the_formula(
    blank: tuple[Path, dict[str, Any]], filled: Filler
) -> None:
    kit = blank[1]
    ids = [q["id"] for q in kit["questions"]]
    ratings = {qid: str(i % 4 + 1) for i, qid in enumerate(ids)}
    ratings[ids[-1]] = "na"
    pdf = filled("ada", ratings, "Ada Lovelace", "yes", "Clear on retrieval.")
    result = _score(pdf, "--format", "json")
    assert result.exit_code == 0, result.output
    card = json.loads(result.output)["scorecards"][0]
    scores, overall = _by_hand(kit, ratings)
    assert card["kit_id"] == kit["kit_id"]
    assert card["candidate"] == "Sam Doe" and card["interviewer"] == "Ada Lovelace"
    assert card["ratings"] == {q: int(r) for q, r in ratings.items() if r != "na"}
    assert card["not_assessed"] == [ids[-1]] and card["unrated"] == []
    assert card["categories"] == pytest.approx(scores, abs=0.005)
    assert card["overall"] == pytest.approx(overall, abs=0.005)
    assert card["percent"] == round((overall - 1) / 3 * 100, 1)
    assert card["recommendation"] == "yes"
    table = _score(pdf).output
    assert "Ada Lovelace" in table and "Not assessed (N/A): " + ids[-1] in table
    assert "Recommendation: Yes" in table


def test_a_panel_of_three_gives_the_debrief(
    blank: tuple[Path, dict[str, Any]], filled: Filler, tmp_path: Path
) -> None:
    kit = blank[1]
    ids = [q["id"] for q in kit["questions"]]
    panel = {
        "Ada": ({q: "4" for q in ids}, "strong-yes", "Deep on transformers."),
        "Grace": ({q: "3" for q in ids}, "yes", "Good judgement."),
        "Alan": ({q: "1" for q in ids} | {ids[-1]: "na"}, "no", "Unsure about costs."),
    }
    pdfs = [filled(name, r, name, rec, note) for name, (r, rec, note) in panel.items()]
    result = _score(*pdfs, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert len(data["scorecards"]) == 3
    debrief = data["panel"]
    assert debrief["interviewer"] == ["Ada", "Grace", "Alan"]
    hand = {name: _by_hand(kit, r) for name, (r, _, _) in panel.items()}
    for category, spread in debrief["category_spread"].items():
        values = [hand[name][0][category] for name in panel if category in hand[name][0]]
        assert spread["mean"] == pytest.approx(mean(values), abs=0.005)
        assert (spread["min"], spread["max"]) == (min(values), max(values))
        assert spread["disagreement"] == (max(values) - min(values) >= 2)
    weights = {c["id"]: c["weight"] for c in kit["categories"]}
    means = {c: s["mean"] for c, s in debrief["category_spread"].items()}
    panel_overall = sum(means[c] * weights[c] for c in means) / sum(weights[c] for c in means)
    assert debrief["overall"] == pytest.approx(panel_overall, abs=0.01)
    for category, spread in debrief["category_spread"].items():
        assert spread["assessed_by"] == [n for n in panel if category in hand[n][0]]
    assert debrief["recommendation"] == {"Strong No": 0, "No": 1, "Yes": 1, "Strong Yes": 1}
    assert debrief["takeaways"]["Alan"] == "Unsure about costs."
    table = _score(*pdfs).output
    assert "DIFFER" in table and "Recommendations: Strong No 0, No 1, Yes 1, Strong Yes 1" in table

    csv_text = _score(*pdfs, "--format", "csv").output
    assert csv_text.splitlines()[0] == "kit_id,candidate,interviewer,level,id,weight,score"
    assert f"{kit['kit_id']},Sam Doe,Alan,question,{ids[-1]},,na" in csv_text
    assert (
        "| Category | Weight | Ada | Grace | Alan | Mean | Assessed by | Flag |"
        in _score(*pdfs, "--format", "md").output
    )

    out = tmp_path / "debrief.pdf"
    result = _score(*pdfs, "-o", out)
    assert result.exit_code == 0, result.output
    text = " ".join(page.extract_text() for page in PdfReader(out).pages)
    for expected in (
        "PANEL DEBRIEF",
        "Sam Doe",
        "Ada",
        "Grace",
        "Alan",
        "Key takeaways",
        "Deep on transformers.",
        "differ by 2+",
    ):
        assert expected in text
    assert "4.0" in text and "1.0" in text  # the bars' value labels of the SVG chart


def test_different_kits_or_candidates_are_refused(
    blank: tuple[Path, dict[str, Any]], filled: Filler, tmp_path: Path
) -> None:
    ids = [q["id"] for q in blank[1]["questions"]]
    first = filled("a", {ids[0]: "3"}, "Ada", "yes")
    other_candidate = filled("b", {ids[0]: "3"}, "Bob", "no", candidate="Someone Else")
    result = _score(first, other_candidate)
    assert result.exit_code == 1
    assert "is for candidate 'Someone Else', not 'Sam Doe'" in result.output
    other_blank = tmp_path / "other-blank.pdf"
    prepared = build_kit(EXAMPLES / "data-scientist.yaml")
    other_blank.write_bytes(
        render_formats(prepared, ["pdf"], RenderOptions(candidate="Sam Doe"))[0]["pdf"]
    )
    other_kit = tmp_path / "other.pdf"
    first_question = prepared.kit.questions[0].question.id
    pypdf_form.fill(other_blank, other_kit, {}, {f"rating:{first_question}": "2"})
    result = _score(first, other_kit)
    assert result.exit_code == 1
    assert f"is kit {prepared.kit.kit_id}, not {blank[1]['kit_id']}" in result.output


def test_filled_values_show_in_a_real_reader(
    blank: tuple[Path, dict[str, Any]], filled: Filler
) -> None:
    ids = [q["id"] for q in blank[1]["questions"]]
    pdf = filled(
        "shown",
        {ids[0]: "2"},
        "Margaret Hamilton",
        "strong-yes",
        "Would hire for the platform team.",
    )
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Margaret Hamilton" in text
    assert "Would hire for the platform team." in text


def test_fields_are_named_and_prefilled_and_flat_has_none(
    blank: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    fields = PdfReader(blank[0]).get_fields() or {}
    names = {n for n in fields if "." not in n}
    ids = [q["id"] for q in blank[1]["questions"]]
    expected = {"candidate", "interviewer", "date", "recommendation", "takeaways"}
    expected |= {f"rating:{q}" for q in ids} | {f"notes:{q}" for q in ids}
    expected |= {f"category:{c['id']}" for c in blank[1]["categories"]}
    assert names == expected
    assert fields["candidate"]["/V"] == "Sam Doe"
    assert "/Opt" not in fields[f"rating:{ids[0]}"]
    assert sorted(str(s) for s in fields[f"rating:{ids[0]}"]["/_States_"]) == [
        "/1",
        "/2",
        "/3",
        "/4",
        "/na",
    ]
    flat = render_formats(build_kit(ROLE), ["pdf"], RenderOptions(fillable=False))[0]["pdf"]
    flat_path = tmp_path / "flat.pdf"
    flat_path.write_bytes(flat)
    assert not PdfReader(flat_path).get_fields()
    # the form costs its fields, not an embedded font (fields use Helvetica)
    assert blank[0].stat().st_size - len(flat) < 40_000


def _bad_pdfs(blank: Path, tmp_path: Path) -> dict[str, tuple[Path, str]]:
    data = blank.read_bytes()
    cases: dict[str, tuple[Path, str]] = {}
    (tmp_path / "notes.pdf").write_text("these are my notes, not a PDF")
    cases["not a pdf"] = (tmp_path / "notes.pdf", "not a PDF file")
    (tmp_path / "truncated.pdf").write_bytes(data[: len(data) // 3])
    cases["truncated"] = (tmp_path / "truncated.pdf", "")
    writer = PdfWriter(clone_from=PdfReader(blank))
    writer.encrypt("secret")
    with (tmp_path / "locked.pdf").open("wb") as handle:
        writer.write(handle)
    cases["encrypted"] = (tmp_path / "locked.pdf", "the PDF is encrypted")
    plain = PdfWriter()
    plain.add_blank_page(200, 200)
    with (tmp_path / "plain.pdf").open("wb") as handle:
        plain.write(handle)
    cases["no kit data"] = (tmp_path / "plain.pdf", "no kitgen data in this PDF")
    big = tmp_path / "big.pdf"
    with big.open("wb") as handle:
        handle.write(b"%PDF-1.7\n")
        handle.truncate(21 * 1024 * 1024)
    cases["too large"] = (big, "file too large")
    cases["missing"] = (tmp_path / "absent.pdf", "cannot read: No such file")
    return cases


def test_untrusted_pdfs_are_refused_quickly(
    blank: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    for name, (path, message) in _bad_pdfs(blank[0], tmp_path).items():
        started = time.perf_counter()
        result = _score(path)
        assert time.perf_counter() - started < 10, name
        assert result.exit_code == 1, (name, result.output)
        assert result.output.startswith(f"{path}: "), (name, result.output)
        assert message in result.output, (name, result.output)
        assert len(result.output.strip().splitlines()) == 1, (name, result.output)
        assert "Traceback" not in result.output


def test_a_rating_outside_the_scale_is_refused(
    blank: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    qid = blank[1]["questions"][0]["id"]
    writer = PdfWriter(clone_from=PdfReader(blank[0]))
    from pypdf.generic import NameObject

    for field in writer._root_object["/AcroForm"]["/Fields"]:
        field = field.get_object()
        if field.get("/T") == f"rating:{qid}":
            field[NameObject("/V")] = NameObject("/7")
    target = tmp_path / "seven.pdf"
    with target.open("wb") as handle:
        writer.write(handle)
    result = _score(target)
    assert result.exit_code == 1
    assert f"rating:{qid}: score '7' out of range (1-4 or na)" in result.output


def test_interviewers_with_one_name_stay_apart_and_a_file_counts_once(
    blank: tuple[Path, dict[str, Any]], filled: Filler
) -> None:
    ids = [q["id"] for q in blank[1]["questions"]]
    high = filled("bob1", {q: "4" for q in ids}, "Bob", "yes", "First Bob.")
    low = filled("bob2", {q: "1" for q in ids}, "Bob", "no", "Second Bob.")
    data = json.loads(_score(high, low, "--format", "json").output)["panel"]
    assert data["interviewer"] == ["Bob", "Bob (2)"]
    assert data["takeaways"] == {"Bob": "First Bob.", "Bob (2)": "Second Bob."}
    assert all(s["disagreement"] for s in data["category_spread"].values())
    twice = _score(high, high)
    assert twice.exit_code == 1 and "is given twice" in twice.output


def test_output_file_is_kept_and_its_suffix_picks_the_format(
    blank: tuple[Path, dict[str, Any]], filled: Filler, tmp_path: Path
) -> None:
    ids = [q["id"] for q in blank[1]["questions"]]
    pdf = filled("one", {ids[0]: "3"}, "Ada", "yes")
    keep = tmp_path / "scores"
    keep.write_text("precious")
    result = _score(pdf, "-o", keep)
    assert result.exit_code == 1 and "already exists; use --force" in result.output
    assert keep.read_text() == "precious"
    as_json = tmp_path / "scores.json"
    assert _score(pdf, "-o", as_json).exit_code == 0
    assert json.loads(as_json.read_text())["scorecards"][0]["interviewer"] == "Ada"


def test_tampered_kit_data_is_refused(blank: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    kit = dict(blank[1])
    for name, change in (
        ("scale", {"rating_scale": 5}),
        ("weight", {"categories": [dict(kit["categories"][0], weight="inf")]}),
        ("id", {"kit_id": "../../etc"}),
    ):
        writer = PdfWriter()
        writer.add_blank_page(200, 200)
        writer.add_attachment("kitgen-kit.json", json.dumps(kit | change).encode())
        path = tmp_path / f"{name}.pdf"
        with path.open("wb") as handle:
            writer.write(handle)
        result = _score(path)
        assert result.exit_code == 1, (name, result.output)
        assert "the kit data is damaged" in result.output, (name, result.output)
        assert len(result.output.strip().splitlines()) == 1


def test_a_flat_kit_cannot_be_scored(tmp_path: Path) -> None:
    flat = tmp_path / "flat.pdf"
    flat.write_bytes(
        render_formats(build_kit(ROLE), ["pdf"], RenderOptions(fillable=False))[0]["pdf"]
    )
    result = _score(flat)
    assert result.exit_code == 1 and "has no form fields" in result.output


def test_a_user_debrief_template_cannot_touch_files(
    blank: tuple[Path, dict[str, Any]], filled: Filler, tmp_path: Path
) -> None:
    ids = [q["id"] for q in blank[1]["questions"]]
    pdf = filled("one", {ids[0]: "3"}, "Ada", "yes")
    folder = tmp_path / "evil"
    folder.mkdir()
    (folder / "kit.html").write_text("<p>{{ kit.kit_id }}</p>")
    (folder / "debrief.html").write_text(
        "<p>{{ panel.cards[0].source.parent.joinpath('/etc/hostname').read_text() }}</p>"
    )
    result = _score(pdf, "--template", folder, "-o", tmp_path / "debrief.pdf")
    assert result.exit_code == 1
    assert "unsafe template: access to attribute 'joinpath'" in result.output
    assert not (tmp_path / "debrief.pdf").exists()


def test_an_unfilled_or_unsaved_kit_is_not_a_score(blank: tuple[Path, dict[str, Any]]) -> None:
    result = _score(blank[0])
    assert result.exit_code == 1
    assert f"{blank[0]}: no question is rated" in result.output
    assert "not saved after filling" in result.output


def test_raised_weights_under_the_same_kit_id_are_refused(
    blank: tuple[Path, dict[str, Any]], filled: Filler, tmp_path: Path
) -> None:
    import pikepdf

    ids = [q["id"] for q in blank[1]["questions"]]
    honest = filled("honest", {q: "3" for q in ids}, "Ada", "yes")
    altered = tmp_path / "altered.pdf"
    kit = dict(blank[1])
    kit["categories"] = [dict(c, weight=c["weight"] * 5) for c in kit["categories"]]
    with pikepdf.open(honest) as pdf:
        pdf.attachments["kitgen-kit.json"] = pikepdf.AttachedFileSpec(
            pdf, json.dumps(kit).encode(), mime_type="application/json"
        )
        pdf.save(altered)
    result = _score(altered)
    assert result.exit_code == 1
    assert f"does not match kit ID {kit['kit_id']}" in result.output


def test_untrusted_values_cannot_run_in_a_spreadsheet_terminal_or_markdown(
    blank: tuple[Path, dict[str, Any]], filled: Filler
) -> None:
    ids = [q["id"] for q in blank[1]["questions"]]
    formula = '=HYPERLINK("http://evil.example","x")'
    pdf = filled(
        "evil",
        {ids[0]: "3"},
        formula,
        "no",
        "\x1b[2K\rRecommendation: Strong Yes\u202e <img src=x onerror=alert(1)> | a |",
    )
    csv_text = _score(pdf, "--format", "csv").output
    assert "'=HYPERLINK" in csv_text and ",=HYPERLINK" not in csv_text.replace('"', "")
    for line in csv_text.splitlines():
        for cell in line.split(","):
            assert cell.strip('"')[:1] not in ("=", "+", "@", "\t", "\r") or cell == "", cell
    table = _score(pdf).output
    assert "\x1b" not in table and "\u202e" not in table and "\r" not in table
    assert "Recommendation: No" in table
    as_json = _score(pdf, "--format", "json").output
    assert "\x1b" not in as_json and "\u202e" not in as_json
    # masked where it is read, so no output (CSV, PDF debrief) ever carries it
    assert json.loads(as_json)["scorecards"][0]["takeaways"].startswith("\ufffd[2K\n")
    assert "\x1b" not in csv_text
    markdown = _score(pdf, "--format", "md").output
    assert "<img" not in markdown and "&lt;img" in markdown
    assert "\\| a \\|" in markdown


def test_the_debrief_pdf_carries_notes_and_line_breaks(
    blank: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    ids = [q["id"] for q in blank[1]["questions"]]
    pdf = tmp_path / "noted.pdf"
    pypdf_form.fill(
        blank[0],
        pdf,
        {"interviewer": "Ada", f"notes:{ids[0]}": "Asked about RoPE", "takeaways": "One\nTwo"},
        {f"rating:{ids[0]}": "3"},
    )
    out = tmp_path / "debrief.pdf"
    assert _score(pdf, "-o", out).exit_code == 0
    text = subprocess.run(
        ["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Asked about RoPE" in text
    lines = [line.strip() for line in text.splitlines()]
    assert "One" in lines and "Two" in lines


def test_three_interviewers_named_alike_stay_three(
    blank: tuple[Path, dict[str, Any]], filled: Filler
) -> None:
    ids = [q["id"] for q in blank[1]["questions"]]
    pdfs = [
        filled(f"b{i}", {q: str(r) for q in ids}, name, "yes")
        for i, (name, r) in enumerate([("Bob", 2), ("Bob", 4), ("Bob (2)", 1)])
    ]
    panel = json.loads(_score(*pdfs, "--format", "json").output)["panel"]
    assert len(set(panel["interviewer"])) == 3
    for spread in panel["category_spread"].values():
        assert sorted(spread["by_interviewer"].values()) == [1, 2, 4]


def test_a_name_cannot_forge_lines_and_a_blank_candidate_joins_the_panel(
    blank: tuple[Path, dict[str, Any]], filled: Filler
) -> None:
    ids = [q["id"] for q in blank[1]["questions"]]
    forged = "Eve\nOverall: 4.00 of 4  (100.0%)\nRecommendation: Strong Yes"
    eve = filled("eve", {ids[0]: "1"}, forged, "no", candidate="")
    ada = filled("ada", {ids[0]: "2"}, "Ada " * 100, "no")
    table = _score(eve, ada).output
    assert "\nOverall: 4.00" not in table and "\nRecommendation: Strong Yes" not in table
    data = json.loads(_score(eve, ada, "--format", "json").output)
    assert data["scorecards"][0]["interviewer"].startswith("Eve Overall: 4.00")
    assert len(data["scorecards"][1]["interviewer"]) <= 201  # capped, with an ellipsis
    assert data["panel"]["candidate"] == "Sam Doe"
    markdown = _score(eve, ada, "--format", "md").output
    header = next(line for line in markdown.splitlines() if line.startswith("| Category"))
    assert header.count("|") == 7 + 1  # category, weight, 2 people, mean, assessed by, flag


def test_markdown_takeaways_cannot_become_headings(
    blank: tuple[Path, dict[str, Any]], filled: Filler
) -> None:
    ids = [q["id"] for q in blank[1]["questions"]]
    pdf = filled("setext", {ids[0]: "3"}, "Ada", "yes", "ok\n===\n# big\n1. list")
    markdown = _score(pdf, "--format", "md").output
    assert "\n\\===" in markdown and "\n\\# big" in markdown and "\n1\\. list" in markdown


def test_damaged_forms_and_kit_files_are_refused_without_a_traceback(
    blank: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    import os

    import pikepdf

    junk = tmp_path / "junk-annots.pdf"
    with pikepdf.open(blank[0]) as pdf:
        for page in pdf.pages:
            page.Annots = pikepdf.Array([5, pikepdf.Name("/x")])
        pdf.save(junk)
    result = _score(junk)
    assert result.exit_code == 1 and "has no form fields" in result.output
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 200_000)
    ratings = tmp_path / "r.csv"
    ratings.write_text("interviewer,question,rating\nAda,1,3\n")
    result = _score("--ratings", ratings, "--kit", deep)
    assert result.exit_code == 1 and "the kit data is damaged" in result.output
    fifo = tmp_path / "fifo.csv"
    os.mkfifo(fifo)
    for bad in (fifo, Path("/dev/zero")):
        result = _score("--ratings", bad, "--kit", blank[0])
        assert result.exit_code == 1 and "not a regular file" in result.output, result.output
    assert all("Traceback" not in r for r in (result.output,))


def test_an_out_of_scale_category_rating_is_refused(
    blank: tuple[Path, dict[str, Any]], filled: Filler, tmp_path: Path
) -> None:
    import pikepdf

    ids = [q["id"] for q in blank[1]["questions"]]
    category = blank[1]["categories"][0]["id"]
    pdf = filled("cat", {ids[0]: "3"}, "Ada", "yes")
    with pikepdf.open(pdf) as document:
        for field in document.Root.AcroForm.Fields:
            if str(field.get("/T")) == f"category:{category}":
                field.V = pikepdf.Name("/7")
        document.save(tmp_path / "seven.pdf")
    result = _score(tmp_path / "seven.pdf")
    assert result.exit_code == 1
    assert f"category:{category}: score '7' out of range (1-4 or na)" in result.output
