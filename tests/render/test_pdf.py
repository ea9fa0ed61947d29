"""Real WeasyPrint PDFs, read back with pypdf."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from kitgen import PreparedKit, RenderOptions, build_kit, render_formats

from ..conftest import EXAMPLES


def _squash(text: str) -> str:
    # Text extraction breaks lines and may split words; compare letters only.
    return re.sub(r"[^a-z0-9]", "", text.lower())


@pytest.fixture(scope="module")
def nlp_kit() -> PreparedKit:
    return build_kit(EXAMPLES / "nlp-engineer.yaml")


@pytest.fixture(scope="module")
def nlp_pdf(nlp_kit: PreparedKit, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    rendered, pages = render_formats(nlp_kit, ["pdf"], RenderOptions(interviewer="Ada Lovelace"))
    path = tmp_path_factory.mktemp("pdf") / "kit.pdf"
    path.write_bytes(rendered["pdf"])
    return path, pages


def test_every_page_has_the_footer(nlp_kit: PreparedKit, nlp_pdf: tuple[Path, int]) -> None:
    path, pages = nlp_pdf
    reader = PdfReader(path)
    assert len(reader.pages) == pages >= 4
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert f"Page {number} of {pages}" in text
        assert f"Kit {nlp_kit.kit.kit_id}" in text
        assert "NLP Engineer · Senior" in text


def test_every_question_and_its_rubric_is_printed(
    nlp_kit: PreparedKit, nlp_pdf: tuple[Path, int]
) -> None:
    reader = PdfReader(nlp_pdf[0])
    text = _squash("".join(page.extract_text() for page in reader.pages))
    for item in nlp_kit.kit.questions:
        question = item.question
        assert _squash(question.text) in text, question.id
        assert _squash(question.look_for[0]) in text
        for anchor in question.rubric.values():
            assert _squash(anchor) in text
    for title in (
        "Agenda",
        "How to run this interview",
        "Never ask about",
        "Scorecard",
        "Overall recommendation",
        "Key takeaways",
    ):
        assert _squash(title) in text


def test_question_blocks_do_not_split_across_pages(
    nlp_kit: PreparedKit, nlp_pdf: tuple[Path, int]
) -> None:
    reader = PdfReader(nlp_pdf[0])
    pages = [_squash(page.extract_text()) for page in reader.pages]
    for item in nlp_kit.kit.questions:
        q = item.question
        start = _squash(q.text)[:60]
        end = _squash(q.rubric[max(q.rubric)])[-60:]
        holding = [i for i, page in enumerate(pages) if start in page]
        assert len(holding) >= 1
        # the cover lists questions too; the block's own page holds both ends
        assert any(end in pages[i] for i in holding), q.id


def test_metadata_and_bookmarks(nlp_kit: PreparedKit, nlp_pdf: tuple[Path, int]) -> None:
    reader = PdfReader(nlp_pdf[0])
    meta = reader.metadata
    assert meta is not None
    assert meta.title == "Interview kit: NLP Engineer (Senior)"
    assert meta.author == "Ada Lovelace"
    assert "NLP Engineer" in str(meta["/Keywords"])
    titles = [entry.title for entry in reader.outline if not isinstance(entry, list)]
    assert titles[0] == "Cover and plan"
    assert titles[-1] == "Scorecard"
    for section in nlp_kit.kit.plan:
        assert any(title.startswith(section.title) for title in titles)


@pytest.mark.parametrize(("paper", "width", "height"), [("a4", 595, 842), ("letter", 612, 792)])
def test_paper_size(
    nlp_kit: PreparedKit, tmp_path: Path, paper: str, width: int, height: int
) -> None:
    rendered, _ = render_formats(nlp_kit, ["pdf"], RenderOptions(paper=paper, fillable=False))
    path = tmp_path / "kit.pdf"
    path.write_bytes(rendered["pdf"])
    box = PdfReader(path).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (width, height)


def test_question_text_is_escaped(nlp_kit: PreparedKit, tmp_path: Path) -> None:
    item = nlp_kit.kit.questions[0]
    hostile = item.question.model_copy(update={"text": "<script>alert(1)</script> & <b>x</b>"})
    questions = [
        q if q is not item else type(item)(item.number, hostile, item.category_title, None)
        for q in nlp_kit.kit.questions
    ]
    kit = type(nlp_kit.kit)(
        nlp_kit.kit.kit_id,
        nlp_kit.kit.role,
        nlp_kit.kit.seed,
        nlp_kit.kit.categories,
        questions,
        nlp_kit.kit.plan,
    )
    prepared = PreparedKit(nlp_kit.source, kit, nlp_kit.template)
    rendered, _ = render_formats(prepared, ["html", "pdf"], RenderOptions())
    assert b"&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;x&lt;/b&gt;" in rendered["html"]
    path = tmp_path / "kit.pdf"
    path.write_bytes(rendered["pdf"])
    text = "".join(page.extract_text() for page in PdfReader(path).pages)
    assert "<script>alert(1)</script>" in text.replace("\n", " ")
