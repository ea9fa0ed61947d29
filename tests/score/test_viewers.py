"""A kit filled in any viewer is scored exactly: PDFium (Chrome), pdf.js (Firefox), MuPDF,
poppler (Evince, Okular) and pypdf's form API each fill the same kit as their users do,
and `kitgen score` must read back every choice and every typed line."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from statistics import mean
from types import ModuleType
from typing import Any

import pytest
from click.testing import CliRunner
from PIL import Image

from kitgen import RenderOptions, build_kit, render_formats
from kitgen.cli import main

from ..conftest import EXAMPLES
from ..engines import mupdf, pdfium, pdfjs, poppler, pypdf_form

ENGINES: dict[str, ModuleType] = {
    "pdfium": pdfium,
    "pdfjs": pdfjs,
    "mupdf": mupdf,
    "poppler": poppler,
    "pypdf": pypdf_form,
}
NOTES = "Zoë explained masking — Δ of 0.3 ✓, 中文 too"
LATIN_NOTES = "Clear on tokenisation and cost per request"
TAKEAWAYS = "Strong on retrieval.\nNeeds depth on evaluation.\nWould hire: naïve café test"


@pytest.fixture(scope="module")
def blank(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    prepared = build_kit(EXAMPLES / "nlp-engineer.yaml")
    rendered, _ = render_formats(prepared, ["pdf"], RenderOptions(candidate="Sam Doe"))
    path = tmp_path_factory.mktemp("viewers") / "kit.pdf"
    path.write_bytes(rendered["pdf"])
    return path, prepared.kit.to_json()


def _plan(kit: dict[str, Any], engine: str) -> tuple[dict[str, str], dict[str, str]]:
    """What an interviewer fills in: ratings of several values, one N/A, one left blank,
    a category rating, a recommendation, Unicode notes and multi-line takeaways."""
    ids = [q["id"] for q in kit["questions"]]
    offset = list(ENGINES).index(engine)
    choices = {f"rating:{qid}": str((i + offset) % 4 + 1) for i, qid in enumerate(ids[:-2])}
    choices[f"rating:{ids[-2]}"] = "na"  # the last question stays blank
    choices[f"category:{kit['categories'][0]['id']}"] = "4"
    choices["recommendation"] = ("strong-yes", "yes", "no", "strong-no", "yes")[offset]
    text = {
        "interviewer": f"Interviewer {engine}",
        f"notes:{ids[0]}": NOTES,
        f"notes:{ids[1]}": LATIN_NOTES,
        "takeaways": TAKEAWAYS,
    }
    return text, choices


@pytest.fixture(scope="module")
def filled(
    blank: tuple[Path, dict[str, Any]], tmp_path_factory: pytest.TempPathFactory
) -> Callable[[str], Path]:
    folder = tmp_path_factory.mktemp("filled")
    done: dict[str, Path] = {}

    def _filled(engine: str) -> Path:
        if engine not in done:
            target = folder / f"{engine}.pdf"
            ENGINES[engine].fill(blank[0], target, *_plan(blank[1], engine))
            done[engine] = target
        return done[engine]

    return _filled


def _score_json(*args: str | Path) -> dict[str, Any]:
    result = CliRunner().invoke(main, ["score", "--format", "json", *map(str, args)])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.output)
    return data


def _expected_scores(
    kit: dict[str, Any], choices: dict[str, str]
) -> tuple[dict[str, float], float]:
    """SPEC's formula, written out independently of kitgen.score.scoring."""
    by_category: dict[str, list[int]] = {}
    for q in kit["questions"]:
        value = choices.get(f"rating:{q['id']}", "")
        if value.isdigit():
            by_category.setdefault(q["category"], []).append(int(value))
    scores = {c: mean(v) for c, v in by_category.items()}
    weights = {c["id"]: c["weight"] for c in kit["categories"]}
    overall = sum(scores[c] * weights[c] for c in scores) / sum(weights[c] for c in scores)
    return scores, overall


@pytest.mark.parametrize("engine", list(ENGINES))
def test_every_mark_reads_back_exactly(
    engine: str, blank: tuple[Path, dict[str, Any]], filled: Callable[[str], Path]
) -> None:
    kit = blank[1]
    text, choices = _plan(kit, engine)
    card = _score_json(filled(engine))["scorecards"][0]
    ids = [q["id"] for q in kit["questions"]]
    assert card["kit_id"] == kit["kit_id"]
    assert card["candidate"] == "Sam Doe"
    assert card["interviewer"] == text["interviewer"]
    assert card["ratings"] == {
        qid: int(choices[f"rating:{qid}"])
        for qid in ids
        if choices.get(f"rating:{qid}", "na") != "na"
    }
    assert card["not_assessed"] == [ids[-2]]
    assert card["unrated"] == [ids[-1]]
    category = kit["categories"][0]["id"]
    assert card["category_ratings"][category] == 4
    assert all(v is None for c, v in card["category_ratings"].items() if c != category)
    assert card["recommendation"] == choices["recommendation"]
    assert card["notes"] == {ids[0]: NOTES, ids[1]: LATIN_NOTES}
    assert card["takeaways"] == TAKEAWAYS
    scores, overall = _expected_scores(kit, choices)
    assert card["categories"] == pytest.approx(scores, abs=0.005)
    assert card["overall"] == pytest.approx(overall, abs=0.005)
    assert card["percent"] == round((overall - 1) / 3 * 100, 1)


def test_a_panel_from_three_engines_gives_the_debrief(
    blank: tuple[Path, dict[str, Any]], filled: Callable[[str], Path]
) -> None:
    kit = blank[1]
    engines = ["pdfium", "pdfjs", "mupdf"]
    panel = _score_json(*(filled(e) for e in engines))["panel"]
    names = [f"Interviewer {e}" for e in engines]
    assert panel["interviewer"] == names
    per_engine = {e: _expected_scores(kit, _plan(kit, e)[1])[0] for e in engines}
    weights = {c["id"]: c["weight"] for c in kit["categories"]}
    means = {}
    for category in weights:
        given = [per_engine[e][category] for e in engines if category in per_engine[e]]
        if not given:
            assert category in panel["unassessed_categories"]
            continue
        spread = panel["category_spread"][category]
        assert spread["mean"] == pytest.approx(mean(given), abs=0.005)
        assert spread["assessed_by"] == names
        means[category] = mean(given)
    overall = sum(means[c] * weights[c] for c in means) / sum(weights[c] for c in means)
    assert panel["overall"] == pytest.approx(overall, abs=0.01)
    assert panel["recommendation"] == {"Strong No": 0, "No": 1, "Yes": 1, "Strong Yes": 1}
    assert panel["notes"][kit["questions"][0]["id"]] == dict.fromkeys(names, NOTES)
    assert panel["takeaways"] == dict.fromkeys(names, TAKEAWAYS)
    assert panel["unrated"] == [kit["questions"][-1]["id"]]


def _ink(image: Image.Image, box: tuple[float, float, float, float]) -> float:
    """The share of dark pixels inside `box` (pixels, left/top/right/bottom)."""
    crop = image.convert("L").crop(tuple(round(v) for v in box))
    histogram = crop.histogram()
    return sum(histogram[:128]) / max(sum(histogram), 1)


def _circle_box(
    rect: tuple[float, float, float, float], page_height: float, scale: float
) -> tuple[float, float, float, float]:
    left, bottom, right, top = rect
    inset = (right - left) * 0.25  # the middle of the circle, away from its ring
    return (
        (left + inset) * scale,
        (page_height - top + inset) * scale,
        (right - inset) * scale,
        (page_height - bottom - inset) * scale,
    )


def _pdftoppm(path: Path, page: int, dpi: int, out: Path) -> Image.Image:
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            str(dpi),
            "-png",
            "-f",
            str(page + 1),
            "-l",
            str(page + 1),
            "-singlefile",
            str(path),
            str(out),
        ],
        check=True,
    )
    return Image.open(out.with_suffix(".png"))


@pytest.mark.parametrize("engine", ["pdfium", "pdfjs", "mupdf", "poppler", "pypdf"])
@pytest.mark.parametrize("renderer", ["pdftoppm", "pdfium"])
def test_chosen_circles_are_drawn(
    engine: str,
    renderer: str,
    blank: tuple[Path, dict[str, Any]],
    filled: Callable[[str], Path],
    tmp_path: Path,
) -> None:
    """Every chosen circle is inked in print and on screen; its siblings stay empty."""
    path = filled(engine)
    rects = pdfium.widget_rects(path)
    _, choices = _plan(blank[1], engine)
    scale = 2.0
    pages: dict[int, Image.Image] = {}

    def ink(page: int, rect: tuple[float, float, float, float]) -> float:
        if page not in pages:
            if renderer == "pdfium":
                pages[page] = pdfium.render(path, page, scale)
            else:
                pages[page] = _pdftoppm(path, page, 144, tmp_path / f"page{page}")
        image = pages[page]
        return _ink(image, _circle_box(rect, image.height / scale, scale))

    for name, chosen in choices.items():
        # viewers draw the choice as a dot or a filled disc: either inks the middle
        page, rect = rects[(name, chosen)]
        assert ink(page, rect) > 0.3, (engine, renderer, name, chosen)
        for (group, value), (other_page, other) in rects.items():
            if group == name and value != chosen:
                assert ink(other_page, other) < 0.05, (engine, renderer, name, value)


def _qpdf(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["qpdf", *map(str, args)], capture_output=True, text=True)


@pytest.mark.parametrize("engine", [None, *ENGINES])
def test_qpdf_finds_no_fault_in_the_form(
    engine: str | None, blank: tuple[Path, dict[str, Any]], filled: Callable[[str], Path]
) -> None:
    path = blank[0] if engine is None else filled(engine)
    check = _qpdf("--check", path)
    assert check.returncode == 0 and "WARNING" not in check.stdout + check.stderr, check
    form = _qpdf("--json", "--json-key=acroform", path)
    assert form.returncode == 0 and not form.stderr, form.stderr[:500]
    fields = json.loads(form.stdout)["acroform"]["fields"]
    names = [f["fullname"] for f in fields]
    ids = [q["id"] for q in blank[1]["questions"]]
    # each radio widget reports its group's name; no name gains a ".kid" suffix
    assert all("." not in name for name in names)
    assert {f"rating:{q}" for q in ids} <= set(names)


# Not poppler: it marks the text widgets it fills with an /AS state of "/N", which makes
# qpdf's flattener find no appearance for them (viewers ignore it and draw the text).
@pytest.mark.parametrize("engine", ["pdfium", "pdfjs", "mupdf", "pypdf"])
def test_a_flattened_kit_keeps_latin_notes_legible(
    engine: str, filled: Callable[[str], Path], tmp_path: Path
) -> None:
    flat = tmp_path / "flat.pdf"
    done = _qpdf("--generate-appearances", "--flatten-annotations=all", filled(engine), flat)
    assert done.returncode == 0, done.stderr
    text = subprocess.run(
        ["pdftotext", str(flat), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert LATIN_NOTES in text
    assert "Interviewer " + engine in text
    assert "Strong on retrieval." in text


def test_the_form_has_the_spec_structure(blank: tuple[Path, dict[str, Any]]) -> None:
    import pikepdf

    kit = blank[1]
    with pikepdf.open(blank[0]) as pdf:
        form = pdf.Root.AcroForm
        listed = [str(f.T) for f in form.Fields]
        assert len(listed) == len(set(listed))  # each field once
        radios = {str(f.T): f for f in form.Fields if "/Kids" in f}
        expected = {f"rating:{q['id']}" for q in kit["questions"]}
        expected |= {f"category:{c['id']}" for c in kit["categories"]} | {"recommendation"}
        assert set(radios) == expected
        for name, group in radios.items():
            assert "/Opt" not in group
            states = []
            for kid in group.Kids:
                assert "/T" not in kid and "/TU" not in kid
                on = [str(k) for k in kid.AP.N if k != "/Off"]
                assert len(on) == 1 and "/Off" in kid.AP.N
                states.append(on[0].removeprefix("/"))
            if name == "recommendation":
                assert states == ["strong-no", "no", "yes", "strong-yes"]
            else:
                assert states == ["1", "2", "3", "4", "na"]
        labels = {str(f.T): str(f.get("/TU", "")) for f in form.Fields}
        first, area = kit["questions"][0]["id"], kit["categories"][0]
        # what a screen reader says on entering the field
        assert labels[f"rating:{first}"] == f"Rating for question 1, {area['title']}"
        assert labels[f"notes:{first}"] == f"Notes on question 1, {area['title']}"
        assert labels[f"category:{area['id']}"] == f"Rating for the area {area['title']}"
        assert labels["recommendation"] == "Overall recommendation"


def test_a_prefilled_name_is_drawn_once_by_its_field(
    blank: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    import pikepdf

    def text_of(path: Path) -> str:
        return subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout

    assert text_of(blank[0]).count("Sam Doe") == 1
    with pikepdf.open(blank[0]) as pdf:  # the page without its form fields
        for page in pdf.pages:
            if "/Annots" in page:
                del page["/Annots"]
        bare = tmp_path / "bare.pdf"
        pdf.save(bare)
    assert "Sam Doe" not in text_of(bare)


@pytest.mark.parametrize("how", ["--candidate", "--candidates"])
def test_prefilled_names_beyond_latin_1_are_drawn_by_their_fields(how: str, tmp_path: Path) -> None:
    """Łukasz and Δήμητρα are drawn with the embedded field font, in print (poppler) and on
    screen (PDFium), and read back as text once a tool flattens the form."""
    import pikepdf

    names = {"candidate": "Łukasz Żółć", "interviewer": "Δήμητρα Παππά", "date": "1 груд."}
    role = EXAMPLES / "nlp-engineer.yaml"
    if how == "--candidate":
        args = ["--candidate", names["candidate"], "--interviewer", names["interviewer"]]
        args += ["--date", names["date"], "-o", tmp_path / "kit.pdf"]
    else:
        listing = tmp_path / "candidates.csv"
        listing.write_text(
            "name,interviewer,date\n" + ",".join(names.values()) + "\nAnn Lee,Bo,\n",
            encoding="utf-8",
        )
        args = ["--candidates", listing, "-o", tmp_path]
    result = CliRunner().invoke(main, ["generate", str(role), *map(str, args)])
    assert result.exit_code == 0, result.output
    kit = next(p for p in tmp_path.glob("*.pdf") if "ann-lee" not in p.name)
    with pikepdf.open(kit) as pdf:
        assert "/NeedAppearances" not in pdf.Root.AcroForm  # every field draws itself
        fields = {str(f.T): f for f in pdf.Root.AcroForm.Fields}
        for name, value in names.items():
            assert str(fields[name].V) == value
            assert b"/KitF" in fields[name].AP.N.read_bytes()
    flat = tmp_path / "flat.pdf"
    assert _qpdf("--flatten-annotations=all", kit, flat).returncode == 0
    text = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", str(flat), "-"], capture_output=True, text=True
    ).stdout
    assert all(value in text for value in names.values()), text
    with pikepdf.open(kit) as pdf:
        rects = {str(a.T): [float(v) for v in a.Rect] for a in pdf.pages[0].Annots if "/T" in a}
    for image in (pdfium.render(kit, 0, 2.0), _pdftoppm(kit, 0, 144, tmp_path / "page")):
        height = image.height / 2.0
        for name in names:
            left, y1, _, y2 = rects[name]  # the first 60 points of the field, where text starts
            box = (
                left * 2,
                (height - max(y1, y2)) * 2,
                (left + 60) * 2,
                (height - min(y1, y2)) * 2,
            )
            assert _ink(image, box) > 0.02, name
