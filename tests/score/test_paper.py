"""Paper kits: ratings typed from printed kits score like filled PDFs (SPEC "Scoring")."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from kitgen import RenderOptions, build_kit, render_formats
from kitgen.cli import main

from ..conftest import EXAMPLES
from ..engines import pypdf_form


@pytest.fixture(scope="module")
def kit_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, Any]]:
    prepared = build_kit(EXAMPLES / "nlp-engineer.yaml")
    rendered, _ = render_formats(prepared, ["pdf", "json"], RenderOptions(fillable=False))
    folder = tmp_path_factory.mktemp("paper")
    (folder / "kit.pdf").write_bytes(rendered["pdf"])
    (folder / "kit.json").write_bytes(rendered["json"])
    return folder / "kit.pdf", folder / "kit.json", prepared.kit.to_json()


def _score(*args: str | Path) -> Result:
    return CliRunner().invoke(main, ["score", *map(str, args)])


def test_paper_ratings_score_like_the_same_marks_in_a_pdf(
    kit_files: tuple[Path, Path, dict[str, Any]], tmp_path: Path
) -> None:
    flat_pdf, kit_json, kit = kit_files
    ids = [q["id"] for q in kit["questions"]]
    rows = ["interviewer,question,rating,notes"]
    rows += [f"Ada,{i + 1},{i % 4 + 1},note {i}" for i in range(len(ids) - 2)]
    rows += [f"Ada,{ids[-2]},na,", "Ada,recommendation,Strong Yes,"]
    rows += ['Ada,takeaways,"Line one\nLine two",', "Grace,Q1,2,", "Grace,recommendation,no,"]
    ratings = tmp_path / "ratings.csv"
    ratings.write_text("\n".join(rows) + "\n", encoding="utf-8")
    from_pdf = _score("--ratings", ratings, "--kit", flat_pdf, "--format", "json")
    from_json = _score("--ratings", ratings, "--kit", kit_json, "--format", "json")
    assert from_pdf.exit_code == 0, from_pdf.output
    assert json.loads(from_pdf.output)["panel"] == json.loads(from_json.output)["panel"]
    ada, grace = json.loads(from_pdf.output)["scorecards"]
    assert ada["ratings"] == {ids[i]: i % 4 + 1 for i in range(len(ids) - 2)}
    assert ada["not_assessed"] == [ids[-2]] and ada["unrated"] == [ids[-1]]
    assert ada["notes"][ids[0]] == "note 0"
    assert ada["recommendation"] == "strong-yes" and ada["takeaways"] == "Line one\nLine two"
    assert grace["ratings"] == {ids[0]: 2} and grace["recommendation"] == "no"

    # the same marks given on screen in a fillable kit score the same
    fillable = tmp_path / "fillable.pdf"
    prepared = build_kit(EXAMPLES / "nlp-engineer.yaml")
    fillable.write_bytes(render_formats(prepared, ["pdf"], RenderOptions())[0]["pdf"])
    on_screen = tmp_path / "ada.pdf"
    choices = {f"rating:{ids[i]}": str(i % 4 + 1) for i in range(len(ids) - 2)}
    choices |= {f"rating:{ids[-2]}": "na", "recommendation": "strong-yes"}
    text = {"interviewer": "Ada", "takeaways": "Line one\nLine two"}
    text |= {f"notes:{ids[i]}": f"note {i}" for i in range(len(ids) - 2)}
    pypdf_form.fill(fillable, on_screen, text, choices)
    screen = json.loads(_score(on_screen, "--format", "json").output)["scorecards"][0]
    for key in ("ratings", "not_assessed", "unrated", "notes", "categories", "overall"):
        assert screen[key] == ada[key], key


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ("Ada,nlp-positional-informaton,3", ":2:5: unknown question 'nlp-positional-informaton'"),
        ("Ada,99,3", ":2:5: unknown question '99'; use a question id, a number from 1 to"),
        ("Ada,1,7", ":2:7: rating '7' is off the scale (1-4 or na)"),
        ("Ada,1,3\nAda,Q1,4", ":3:5: 'Ada' marks "),
        ("Ada,recommendation,maybe", ":2:20: recommendation 'maybe' is not one of"),
        (",1,3", ":2:1: no interviewer named"),
        ("Ada,takeaways,fine", ":2:1: 'Ada' rates no question"),
    ],
)
def test_bad_rows_are_located(
    rows: str, expected: str, kit_files: tuple[Path, Path, dict[str, Any]], tmp_path: Path
) -> None:
    ratings = tmp_path / "ratings.csv"
    ratings.write_text("interviewer,question,rating\n" + rows + "\n", encoding="utf-8")
    result = _score("--ratings", ratings, "--kit", kit_files[1])
    assert result.exit_code == 1
    assert f"{ratings}{expected}" in result.output
    assert "Traceback" not in result.output


def test_bad_headers_and_files_are_refused(
    kit_files: tuple[Path, Path, dict[str, Any]], tmp_path: Path
) -> None:
    cases = {
        "interviewer,question,score\nAda,1,3\n": ":1:22: unknown column 'score'",
        "interviewer,question\nAda,1\n": ":1:1: missing column rating",
        "": "the file is empty",
    }
    for content, expected in cases.items():
        ratings = tmp_path / "ratings.csv"
        ratings.write_text(content, encoding="utf-8")
        result = _score("--ratings", ratings, "--kit", kit_files[1])
        assert result.exit_code == 1 and expected in result.output, (content, result.output)
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes("interviewer,question,rating\nJos\xe9,1,3\n".encode("latin-1"))
    result = _score("--ratings", latin1, "--kit", kit_files[1])
    assert result.exit_code == 1 and "not UTF-8" in result.output
    assert _score("--ratings", latin1).exit_code == 2  # --ratings needs --kit


def test_an_altered_kit_json_is_refused(
    kit_files: tuple[Path, Path, dict[str, Any]], tmp_path: Path
) -> None:
    kit = dict(kit_files[2])
    kit["categories"] = [dict(c, weight=c["weight"] * 10) for c in kit["categories"]]
    altered = tmp_path / "kit.json"
    altered.write_text(json.dumps(kit), encoding="utf-8")
    ratings = tmp_path / "ratings.csv"
    ratings.write_text("interviewer,question,rating\nAda,1,3\n", encoding="utf-8")
    result = _score("--ratings", ratings, "--kit", altered)
    assert result.exit_code == 1
    assert f"does not match kit ID {kit['kit_id']}" in result.output


def test_ratings_with_cr_line_ends_are_read(
    kit_files: tuple[Path, Path, dict[str, Any]], tmp_path: Path
) -> None:
    ratings = tmp_path / "cr.csv"
    ratings.write_bytes(b"interviewer,question,rating\rAda,1,3\rAda,2,9\r")
    result = _score("--ratings", ratings, "--kit", kit_files[1])
    assert result.exit_code == 1 and f"{ratings}:3:7: rating '9' is off the scale" in result.output
