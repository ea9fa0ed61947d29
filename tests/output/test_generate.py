"""Batches: one render for many candidates, a process pool, and the bank cache."""

from __future__ import annotations

import subprocess
from pathlib import Path

from click.testing import CliRunner
from pypdf import PdfReader

from kitgen.cli import main

from ..conftest import EXAMPLES

ROLE = EXAMPLES / "nlp-engineer.yaml"


def test_candidates_get_one_prefilled_kit_each(tmp_path: Path) -> None:
    rows = tmp_path / "drive.csv"
    rows.write_text(
        "name,interviewer,date\nSam Doe,Ada,2026-12-01\nLee Chen,,2026-12-02\nZoë Brontë,Alan,\n",
        encoding="utf-8",
    )
    out = tmp_path / "kits"
    result = CliRunner().invoke(
        main,
        [
            "generate",
            str(ROLE),
            "--candidates",
            str(rows),
            "-o",
            str(out),
            "--interviewer",
            "Panel",
        ],
    )
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in out.iterdir())
    assert files == [
        "nlp-engineer-lee-chen.pdf",
        "nlp-engineer-sam-doe.pdf",
        "nlp-engineer-zoë-brontë.pdf",
    ]
    expected = {
        "nlp-engineer-sam-doe.pdf": ("Sam Doe", "Ada", "2026-12-01"),
        "nlp-engineer-lee-chen.pdf": ("Lee Chen", "Panel", "2026-12-02"),
        "nlp-engineer-zoë-brontë.pdf": ("Zoë Brontë", "Alan", ""),
    }
    kit_ids = set()
    for name, (candidate, interviewer, date) in expected.items():
        reader = PdfReader(out / name)
        fields = reader.get_fields() or {}
        assert fields["candidate"]["/V"] == candidate
        assert fields["interviewer"]["/V"] == interviewer
        assert fields.get("date", {}).get("/V", "") == date
        kit_ids.add(reader.pages[0].extract_text().split("Kit ")[1][:10])
    assert len(kit_ids) == 1  # the same questions for every candidate


def test_jobs_render_the_same_kits_as_one_process(tmp_path: Path) -> None:
    roles = [EXAMPLES / "data-scientist.yaml", ROLE, EXAMPLES / "mlops-engineer.yaml"]
    for jobs in ("1", "2"):
        result = CliRunner().invoke(
            main,
            [
                "generate",
                *map(str, roles),
                "-o",
                str(tmp_path / jobs),
                "--format",
                "pdf,json",
                "--jobs",
                jobs,
            ],
        )
        assert result.exit_code == 0, result.output
        assert "3 kits, " in result.output
    for role in roles:
        one = (tmp_path / "1" / f"{role.stem}.json").read_bytes()
        assert one == (tmp_path / "2" / f"{role.stem}.json").read_bytes()
        assert len(PdfReader(tmp_path / "2" / f"{role.stem}.pdf").pages) >= 4


def test_prefilled_names_are_drawn_by_a_real_reader(tmp_path: Path) -> None:
    rows = tmp_path / "drive.csv"
    rows.write_text("Ann Lee,Ada,2026-12-01\nBo Chen,Ada,2026-12-01\n")
    out = tmp_path / "kits"
    result = CliRunner().invoke(
        main, ["generate", str(ROLE), "--candidates", str(rows), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    pages = []
    for name in ("ann-lee", "bo-chen"):
        prefix = tmp_path / name
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                "40",
                "-gray",
                "-f",
                "1",
                "-l",
                "1",
                str(out / f"nlp-engineer-{name}.pdf"),
                str(prefix),
            ],
            check=True,
        )
        pages.append(next(tmp_path.glob(f"{name}*.pgm")).read_bytes())
    # the files differ only in the candidate's name: the pages must too, so it is drawn
    assert pages[0] != pages[1]
