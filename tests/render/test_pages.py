"""Paper (SPEC "The kit", pages used well): the examples' pages measured by poppler.

Before issue 13 the ten examples took 116 A4 pages (14 documents with the loops'
packets) and most question pages were 30-55% blank; the figures asserted here are the
ones the layout reaches (benchmarks/pages.py prints them per kit).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner

from kitgen.cli import main

from ..conftest import EXAMPLES
from ..engines.paper import blank_shares

MM = 72 / 25.4  # PDF points per millimetre


@pytest.fixture(scope="module")
def kits(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("kits")
    result = CliRunner().invoke(main, ["generate", str(EXAMPLES), "-o", str(out), "--jobs", "2"])
    assert result.exit_code == 0, result.output
    return out


def test_no_question_page_is_more_than_a_fifth_blank(kits: Path) -> None:
    # the cover ends where its content does (the first question may not fit under it);
    # every page after it but the last is filled to within a fifth of its foot
    shares = {pdf.name: blank_shares(pdf) for pdf in sorted(kits.glob("*.pdf"))}
    assert len(shares) == len(list(EXAMPLES.glob("*.yaml"))) + 3  # two loops: 2 and 3 packets
    worst = {name: max(pages[1:-1], default=0.0) for name, pages in shares.items()}
    assert max(worst.values()) <= 0.21, {k: round(v, 2) for k, v in worst.items() if v > 0.21}
    covers = {name: pages[0] for name, pages in shares.items()}
    assert max(covers.values()) <= 0.3, covers


def test_a_loops_cover_fits_one_letter_page(tmp_path: Path) -> None:
    # letter is 18 mm shorter than A4: the loop's cover (loop, coverage, agenda) still fits
    out = tmp_path / "letter"
    role = EXAMPLES / "senior-mlops-engineer-loop.yaml"
    result = CliRunner().invoke(main, ["generate", str(role), "-o", str(out), "--paper", "letter"])
    assert result.exit_code == 0, result.output
    for pdf in sorted(out.glob("*.pdf")):
        pages = blank_shares(pdf)
        assert max(pages[1:-1]) <= 0.21 and pages[0] <= 0.3, (pdf.name, pages)


def test_a_question_takes_at_most_two_pages(kits: Path) -> None:
    # A question's block (its text, look-for points, follow-ups, key, four written anchors
    # and a notes box) fills most of a page; a block taller than a page leaves its notes
    # box a page of its own (room to write for a long case). Before issue 13 the examples
    # took 116 pages for 74 questions; `benchmarks/pages.py` measures them now.
    for pdf in kits.glob("*.pdf"):
        with pikepdf.open(pdf) as document:
            kit = json.loads(document.attachments["kitgen-kit.json"].get_file().read_bytes())
            assert len(document.pages) <= 1 + 2 * len(kit["questions"]), pdf.name


def test_notes_room_grows_with_the_minutes_and_fills_the_page(kits: Path) -> None:
    # every notes field is at least 4 mm a minute high (about a ruled line a minute), and
    # a page's blank foot goes to its notes: the last notes field on a question page
    # reaches down to about the page's bottom margin
    import json

    for pdf_path in sorted(kits.glob("*.pdf")):
        with pikepdf.open(pdf_path) as pdf:
            data = json.loads(pdf.attachments["kitgen-kit.json"].get_file().read_bytes())
            minutes = {q["id"]: q["minutes"] for q in data["questions"]}
            for page in pdf.pages:
                bottom_margin = float(page.mediabox[1]) + 15 * MM
                lowest: tuple[float, str] | None = None
                for annot in page.get("/Annots", []):
                    name = str(annot.get("/T", "") or annot.get("/Parent", {}).get("/T", ""))
                    _, ya, _, yb = (float(v) for v in annot["/Rect"])
                    y1, y2 = min(ya, yb), max(ya, yb)
                    if lowest is None or y1 < lowest[0]:
                        lowest = (y1, name)
                    if name.startswith("notes:"):
                        qid = name.removeprefix("notes:")
                        # (a block longer than a page may split: its notes then run short)
                        height = (y2 - y1) / MM
                        assert height >= 3.5 * minutes[qid], (pdf_path.name, qid, height)
                if lowest is not None and lowest[1].startswith("notes:"):
                    # the page's last box takes the page's blank foot
                    assert lowest[0] - bottom_margin < 12 * MM, (pdf_path.name, lowest)


def test_the_scorecard_follows_the_last_question_when_it_fits(tmp_path: Path) -> None:
    (tmp_path / "banks").mkdir()
    questions = "".join(
        f"  - id: tiny-{n}\n    category: tiny\n    text: What is baseline {n}?\n"
        "    look_for: [Names one]\n    rubric: {1: None, 2: Vague, 3: One, 4: Two with a reason}\n"
        for n in range(1, 9)
    )
    (tmp_path / "banks" / "tiny.yaml").write_text(
        "bank: tiny\ntitle: Tiny\ncategories:\n  - {id: tiny, title: Tiny area}\n"
        "questions:\n" + questions
    )
    role = tmp_path / "roles" / "short.yaml"
    role.parent.mkdir()
    role.write_text(
        "role: Short\nlevel: mid\nduration: 40\nbanks: [../banks/tiny.yaml]\n"
        "categories: {tiny: 1}\nquestions: 5\n"
    )
    out = tmp_path / "short.pdf"
    result = CliRunner().invoke(main, ["generate", str(role), "-o", str(out)])
    assert result.exit_code == 0, result.output
    pages = subprocess.run(
        ["pdftotext", "-layout", out, "-"], capture_output=True, text=True, check=True
    ).stdout.split("\f")
    pages = [page for page in pages if page.strip()]
    # two of these short questions to a page: the fifth leaves room for the scorecard
    last_question = max(i for i, page in enumerate(pages) if "Q5" in page and "NOTES" in page)
    scorecard = min(i for i, page in enumerate(pages) if "Overall recommendation" in page)
    assert scorecard == last_question == len(pages) - 1
