"""The candidates file of --candidates: rows, header, located problems."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from kitgen.cli import main
from kitgen.errors import InputError
from kitgen.output.candidates import Candidate, read_candidates

from ..conftest import EXAMPLES

ROLE = EXAMPLES / "nlp-engineer.yaml"


def test_candidates_file_problems_are_located(tmp_path: Path) -> None:
    rows = tmp_path / "drive.csv"
    rows.write_text("Sam Doe,Ada,2026-12-01\nsam doe,Grace,2026-12-02\n,Alan,\n")
    result = CliRunner().invoke(
        main, ["generate", str(ROLE), "--candidates", str(rows), "-o", str(tmp_path / "out")]
    )
    assert result.exit_code == 1
    assert f"{rows}:2:1: 'sam doe' would share a file name with line 1" in result.output
    assert f"{rows}:3:1: expected: name, interviewer, date" in result.output
    assert not (tmp_path / "out").exists()


def test_rows_become_candidates_and_a_header_is_skipped(tmp_path: Path) -> None:
    rows = tmp_path / "c.csv"
    rows.write_text("name,interviewer,date\nJosé Núñez,Ada,2026-12-01\n\nLi Wei,,\n", "utf-8")
    assert read_candidates(rows) == [
        Candidate("José Núñez", "Ada", "2026-12-01"),
        Candidate("Li Wei", "", ""),
    ]
    assert [c.slug for c in read_candidates(rows)] == ["josé-núñez", "li-wei"]


def test_bad_candidate_files_are_refused_with_their_place(tmp_path: Path) -> None:
    cases = {
        "a,b,c,d\n": ":1:1: expected: name, interviewer, date",
        "name\n": "no candidates in the file",
        "Ann\nann\n": ":2:1: 'ann' would share a file name with line 1",
        'Ann,Bo,\n"Cy,Dee,\nEve,,\n': ":2:1: a quote opened here is closed only at line 3",
        "A" * 200_000 + ",x,\n": ":1:1: not a readable CSV row (field larger than field limit",
        "Ann,,\n" + "Z" * 300 + ",,\n": ":2:1: a value is longer than 200 characters",
    }
    for text, expected in cases.items():
        rows = tmp_path / "c.csv"
        rows.write_text(text, encoding="utf-8")
        try:
            read_candidates(rows)
        except InputError as exc:
            assert expected in str(exc), (text, str(exc))
        else:
            raise AssertionError(f"accepted {text!r}")
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes("Jos\xe9\n".encode("latin-1"))
    try:
        read_candidates(latin1)
    except InputError as exc:
        assert "not UTF-8" in str(exc)
    else:
        raise AssertionError("accepted Latin-1")


def test_old_mac_line_ends_read_like_any_other(tmp_path: Path) -> None:
    rows = tmp_path / "c.csv"
    rows.write_bytes(b"Ann Lee,Bo,\rCy Dee,,2026-12-01\r")
    assert [c.name for c in read_candidates(rows)] == ["Ann Lee", "Cy Dee"]
