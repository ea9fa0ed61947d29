"""Tagged PDFs, checked with tools nobody here wrote: poppler's structure dump for the
headings and their order, pikepdf for field labels and where widgets sit in the tree,
and the pdfua checker for the machine-checkable PDF/UA-1 rules."""

from __future__ import annotations

import itertools
import re
import subprocess
from pathlib import Path

import pdfua  # type: ignore[import-untyped]
import pikepdf
import pytest
from click.testing import CliRunner

from kitgen.cli import main

from ..conftest import EXAMPLES
from ..engines import pdfium

# WeasyPrint ties a data cell to its header cells by /Headers on the data cell (and /ID on
# the header), which PDF/UA allows; pdfua 0.1.3 looks for /Headers or /Scope only on the
# header cells and so warns on every table. We check that association ourselves below.
UNREAD_ASSOCIATION = "UA-15-003"


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A kit, a loop packet, a candidate brief and a debrief of a kit filled in PDFium."""
    out = tmp_path_factory.mktemp("tagged")
    run = CliRunner().invoke
    for role in ("nlp-engineer", "ml-engineering-lead"):
        result = run(main, ["generate", str(EXAMPLES / f"{role}.yaml"), "-o", str(out), "--brief"])
        assert result.exit_code == 0, result.output
    kit = out / "nlp-engineer.pdf"
    filled = out / "filled.pdf"
    with pikepdf.open(kit) as pdf:
        names = [str(f.T) for f in pdf.Root.AcroForm.Fields]
    ratings = {name: "3" for name in names if name.startswith(("rating:", "category:"))}
    pdfium.fill(kit, filled, {"interviewer": "Ada", "takeaways": "Clear"}, ratings)
    debrief = out / "debrief.pdf"
    result = run(main, ["score", str(filled), "-o", str(debrief)])
    assert result.exit_code == 0, result.output
    return {
        "kit": kit,
        "packet": out / "ml-engineering-lead-system-design.pdf",
        "brief": out / "nlp-engineer-candidate-brief.pdf",
        "debrief": debrief,
    }


def _headings(pdf: Path) -> list[tuple[int, str]]:
    """(level, text) of every heading, in the tree's reading order, from poppler."""
    dump = subprocess.run(
        ["pdfinfo", "-struct-text", str(pdf)], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    headings: list[tuple[int, str]] = []
    depth = None
    for line in dump:
        indent = len(line) - len(line.lstrip())
        tag = re.match(r"\s*H([1-6]) \(block\)", line)
        if tag:
            headings.append((int(tag[1]), ""))
            depth = indent
        elif depth is not None and indent > depth and line.strip().startswith('"'):
            level, text = headings[-1]
            headings[-1] = (level, f"{text} {line.strip()[1:-1]}".strip())
        elif depth is not None and indent <= depth:
            depth = None
    return headings


@pytest.mark.parametrize("name", ["kit", "packet", "brief", "debrief"])
def test_pdf_ua_machine_checks_pass(documents: dict[str, Path], name: str) -> None:
    report = pdfua.validate(str(documents[name]))
    problems = [
        f"{f.rule_id} p{f.location.page}: {f.message}"
        for f in report.findings
        if f.rule_id != UNREAD_ASSOCIATION or f.severity == pdfua.Severity.ERROR
    ]
    assert problems == []
    assert not report.skipped or all("UA-14" in str(s) for s in report.skipped), report.skipped


@pytest.mark.parametrize("name", ["kit", "packet", "brief", "debrief"])
def test_the_document_declares_language_title_and_tags(
    documents: dict[str, Path], name: str
) -> None:
    with pikepdf.open(documents[name]) as pdf:
        assert str(pdf.Root.Lang) == "en"
        assert pdf.Root.MarkInfo.Marked is True
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        assert str(pdf.docinfo.Title)
        with pdf.open_metadata() as xmp:
            assert xmp.get("pdfuaid:part") == "1"
    headings = _headings(documents[name])
    assert headings[0][0] == 1, headings[:3]
    levels = [level for level, _ in headings]
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, headings  # no level skipped on the way down
    assert all(text for _, text in headings), headings


def test_kit_headings_are_role_sections_and_questions(documents: dict[str, Path]) -> None:
    headings = _headings(documents["kit"])
    assert headings[0] == (1, "NLP Engineer")
    questions = [text for level, text in headings if level == 3 and re.match(r"Q\d+ ", text)]
    with pikepdf.open(documents["kit"]) as pdf:
        fields = {str(f.T) for f in pdf.Root.AcroForm.Fields}
    rated = [name for name in fields if name.startswith("rating:")]
    assert len(questions) == len(rated) >= 3
    assert questions[0].startswith("Q1 NLP, transformers and LLMs")
    sections = [text for level, text in headings if level == 2]
    assert "Agenda" in sections and any(text.startswith("Scorecard") for text in sections)


@pytest.mark.parametrize("name", ["kit", "packet"])
def test_every_field_has_a_spoken_label_and_a_place_in_the_tree(
    documents: dict[str, Path], name: str
) -> None:
    with pikepdf.open(documents[name]) as pdf:
        parents = pikepdf.NumberTree(pdf.Root.StructTreeRoot.ParentTree)
        labels = {}
        for page in pdf.pages:
            for annot in page.get("/Annots", []):
                if annot.get("/Subtype") != "/Widget":
                    continue
                element = parents[int(annot.StructParent)]
                assert element.S == "/Form"
                kids = element.K if isinstance(element.K, pikepdf.Array) else [element.K]
                assert any(
                    isinstance(k, pikepdf.Dictionary) and k.get("/Obj") == annot for k in kids
                )
                field = annot if "/T" in annot else annot.Parent
                labels[str(field.T)] = str(field.get("/TU", ""))
    assert all(labels.values()), [n for n, label in labels.items() if not label]
    first_rating = next(label for n, label in labels.items() if n.startswith("rating:"))
    assert re.fullmatch(r"Rating for question 1, .+", first_rating), first_rating
    assert labels["recommendation"] == "Overall recommendation"


@pytest.mark.parametrize("name", ["kit", "packet", "brief", "debrief"])
def test_tables_have_header_cells_that_data_cells_point_to(
    documents: dict[str, Path], name: str
) -> None:
    with pikepdf.open(documents[name]) as pdf:
        tables = 0
        stack = [pdf.Root.StructTreeRoot]
        while stack:
            node = stack.pop()
            kids = node.get("/K")
            kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
            elements = [k for k in kids if isinstance(k, pikepdf.Dictionary) and "/S" in k]
            stack += elements
            if node.get("/S") != "/Table":
                continue
            tables += 1
            cells = _cells(node)
            ids = {str(c.ID) for c in cells if c.S == "/TH" and "/ID" in c}
            assert ids, "a table without header cells"
            for cell in cells:
                if cell.S == "/TD":
                    headers = [str(h) for h in cell.A.Headers]
                    assert headers and set(headers) <= ids, headers
        assert tables >= 1


def _cells(table: pikepdf.Dictionary) -> list[pikepdf.Dictionary]:
    found, stack = [], [table]
    while stack:
        node = stack.pop()
        kids = node.get("/K")
        for kid in list(kids) if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                (found if kid.S in ("/TH", "/TD") else stack).append(kid)
    return found


def test_no_tags_opts_out(tmp_path: Path) -> None:
    out = tmp_path / "flat.pdf"
    role = EXAMPLES / "nlp-engineer.yaml"
    result = CliRunner().invoke(main, ["generate", str(role), "-o", str(out), "--no-tags"])
    assert result.exit_code == 0, result.output
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout
    assert re.search(r"^Tagged:\s+no$", info, re.MULTILINE), info
