"""Fill a kit with PDFium (Chrome's PDF engine, via pypdfium2) the way Chrome's viewer does.

A form fill environment is opened and every page is loaded through it, so PDFium runs
FORM_OnAfterLoadPage as a viewer does. Then the filler acts like a user: it clicks
(FORM_OnMouseMove, FORM_OnLButtonDown, FORM_OnLButtonUp, in page coordinates) at the centre
of the radio widget whose export value is the choice, and for a text field clicks into it,
selects what is there (FORM_SelectAllText), types each UTF-16 code unit with FORM_OnChar
(a line break is the Enter key, "\\r") and leaves the field (FORM_ForceToKillFocus). PDFium
itself then sets values and appearances; the copy is saved with FPDF_SaveAsCopy. Fields are
found with the raw annotation API, so nothing here reads or writes PDF dictionaries.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pypdfium2.raw as raw  # type: ignore[import-untyped]
from PIL import Image

Rect = tuple[float, float, float, float]  # left, bottom, right, top in PDF points


def fill(source: Path, target: Path, text: dict[str, str], choices: dict[str, str]) -> None:
    """Click the chosen radio widgets and type `text` into its fields; save to `target`."""
    typed: set[str] = set()
    chosen: set[str] = set()
    with _open(source) as (pdf, pages):
        form = pdf.formenv
        for page in pages:
            for annot in _annots(page):
                name, kind = _name(form, annot), raw.FPDFAnnot_GetFormFieldType(form, annot)
                if kind == raw.FPDF_FORMFIELD_RADIOBUTTON and name in choices:
                    if _export_value(form, annot) == choices[name]:
                        _click(form, page, _rect(annot))
                        chosen.add(name)
                elif kind == raw.FPDF_FORMFIELD_TEXTFIELD and name in text and name not in typed:
                    flags = raw.FPDFAnnot_GetFormFieldFlags(form, annot)
                    _type(
                        form,
                        page,
                        _rect(annot),
                        text[name],
                        bool(flags & raw.FPDF_FORMFLAG_TEXT_MULTILINE),
                    )
                    typed.add(name)
        assert not set(text) - typed, f"no such text fields: {sorted(set(text) - typed)}"
        missing = {f"{k}={v}" for k, v in choices.items() if k not in chosen}
        assert not missing, f"no such radio widgets: {sorted(missing)}"
        pdf.save(target)


def render(path: Path, page_index: int, scale: float) -> Image.Image:
    """Page `page_index` rendered at `scale` pixels per point, form fields drawn by PDFium."""
    with _open(path, only=page_index) as (_pdf, pages):
        bitmap = pages[0].render(scale=scale, may_draw_forms=True)
        image: Image.Image = bitmap.to_pil().copy()  # to_pil may share the bitmap buffer
        return image


def widget_rects(path: Path) -> dict[tuple[str, str], tuple[int, Rect]]:
    """(group name, export value) of every radio widget -> (page index, rect in PDF points)."""
    found: dict[tuple[str, str], tuple[int, Rect]] = {}
    with _open(path) as (pdf, pages):
        for index, page in enumerate(pages):
            for annot in _annots(page):
                if (
                    raw.FPDFAnnot_GetFormFieldType(pdf.formenv, annot)
                    == raw.FPDF_FORMFIELD_RADIOBUTTON
                ):
                    key = (_name(pdf.formenv, annot), _export_value(pdf.formenv, annot))
                    found[key] = (index, _rect(annot))
    return found


@contextmanager
def _open(path: Path, only: int | None = None) -> Iterator[tuple[Any, list[Any]]]:
    """The document with a form env and its pages loaded; all closed in order afterwards."""
    pdf = pdfium.PdfDocument(path)
    pages: list[Any] = []
    try:
        assert pdf.init_forms(), f"{path} has no form"
        indices = range(len(pdf)) if only is None else [only]
        pages = [pdf.get_page(i) for i in indices]  # get_page runs FORM_OnAfterLoadPage
        yield pdf, pages
    finally:
        for page in pages:
            page.close()  # FORM_OnBeforeClosePage, then FPDF_ClosePage
        pdf.close_forms()
        pdf.close()


def _annots(page: Any) -> Iterator[Any]:
    for i in range(raw.FPDFPage_GetAnnotCount(page)):
        annot = raw.FPDFPage_GetAnnot(page, i)
        try:
            yield annot
        finally:
            raw.FPDFPage_CloseAnnot(annot)


def _utf16(getter: Callable[..., int], form: Any, annot: Any) -> str:
    size = getter(form, annot, None, 0)
    buffer = ctypes.create_string_buffer(size)
    getter(form, annot, ctypes.cast(buffer, ctypes.POINTER(raw.FPDF_WCHAR)), size)
    return buffer.raw[: size - 2].decode("utf-16-le")


def _name(form: Any, annot: Any) -> str:
    return _utf16(raw.FPDFAnnot_GetFormFieldName, form, annot)


def _export_value(form: Any, annot: Any) -> str:
    # PDFium answers the widget's on-state name (for a field with /Opt, which kits no
    # longer have, it would answer the /Opt entry of the widget's index instead).
    return _utf16(raw.FPDFAnnot_GetFormFieldExportValue, form, annot)


def _rect(annot: Any) -> Rect:
    box = raw.FS_RECTF()
    assert raw.FPDFAnnot_GetRect(annot, box)
    left, right = sorted((box.left, box.right))
    bottom, top = sorted((box.bottom, box.top))
    return (left, bottom, right, top)


def _click(form: Any, page: Any, rect: Rect) -> None:
    x, y = (rect[0] + rect[2]) / 2, (rect[1] + rect[3]) / 2
    raw.FORM_OnMouseMove(form, page, 0, x, y)
    assert raw.FORM_OnLButtonDown(form, page, 0, x, y), f"click at {x:.1f},{y:.1f} missed"
    raw.FORM_OnLButtonUp(form, page, 0, x, y)


def _type(form: Any, page: Any, rect: Rect, value: str, multiline: bool) -> None:
    _click(form, page, rect)
    raw.FORM_SelectAllText(form, page)
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    assert multiline or "\n" not in value, "a line break cannot be typed in a one-line field"
    if not value:  # clearing a field: the Delete key on the selection
        raw.FORM_OnKeyDown(form, page, raw.FWL_VKEY_Delete, 0)
    keys = value.replace("\n", "\r").encode("utf-16-le")
    for i in range(0, len(keys), 2):
        raw.FORM_OnChar(form, page, int.from_bytes(keys[i : i + 2], "little"), 0)
    assert raw.FORM_ForceToKillFocus(form)
