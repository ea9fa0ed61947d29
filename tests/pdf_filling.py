"""Fill a kit's form the way a PDF viewer does, with pypdf (not kitgen's own code)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, TextStringObject


def fill_pdf(source: Path, target: Path, text: dict[str, str], choices: dict[str, str]) -> None:
    """`text`: text field -> value; `choices`: radio group -> export value ("3", "na", "yes").

    Text fields get values and generated appearance streams. For a radio group a viewer
    sets the parent's /V to the chosen kid's on-state and each kid's /AS (pypdf's own
    update_page_form_field_values leaves radio groups as they were).
    """
    writer = PdfWriter(clone_from=PdfReader(source))
    for page in writer.pages:
        names = {_name(a) for a in _widgets(page)}
        mine = {k: v for k, v in text.items() if k in names}
        if mine:
            writer.update_page_form_field_values(page, mine, auto_regenerate=False)
    seen = set()
    for page in writer.pages:
        for widget in _widgets(page):
            parent = widget.get("/Parent")
            if parent is None:
                continue
            parent = parent.get_object()
            name = str(parent.get("/T"))
            if name not in choices:
                continue
            options = [str(o) for o in parent["/Opt"]]
            state = f"/{options.index(choices[name])}"
            kid_states = [k for k in widget["/AP"]["/N"] if k != "/Off"]
            widget[NameObject("/AS")] = NameObject(
                kid_states[0] if kid_states[0] == state else "/Off"
            )
            parent[NameObject("/V")] = NameObject(state)
            seen.add(name)
    missing = set(choices) - seen
    assert not missing, f"no such radio groups: {missing}"
    writer.set_need_appearances_writer(True)
    with target.open("wb") as handle:
        writer.write(handle)


def _widgets(page: Any) -> list[Any]:
    return [
        a.get_object()
        for a in page.get("/Annots", []) or []
        if a.get_object().get("/Subtype") == "/Widget"
    ]


def _name(widget: Any) -> str:
    if "/T" in widget:
        return str(widget["/T"])
    parent = widget.get("/Parent")
    return str(parent.get_object().get("/T")) if parent is not None else ""


__all__ = ["TextStringObject", "fill_pdf"]
