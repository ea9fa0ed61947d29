"""Fill a kit with pypdf's documented form API, as a script author would.

`PdfWriter.update_page_form_field_values` takes text for text fields and, for a button,
one of the state names `get_fields()` lists under `/_States_`: for a kit these are the
SPEC values themselves ("/3", "/na", "/strong-yes"), because a radio widget's on-state
name is its export value. (With WeasyPrint's `/Opt` indirection the states were "/0",
"/1", ... and a script setting "3" silently did nothing.)
"""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader, PdfWriter


def fill(source: Path, target: Path, text: dict[str, str], choices: dict[str, str]) -> None:
    writer = PdfWriter(clone_from=PdfReader(source))
    wanted = {**text, **choices}
    fields = writer.get_fields() or {}
    missing = [name for name in wanted if name not in fields]
    assert not missing, f"no such fields: {missing}"
    for name, value in choices.items():
        states = [str(s) for s in fields[name].get("/_States_", [])]
        assert f"/{value}" in states, f"{name}: no state {value!r} in {states}"
    wanted |= {name: f"/{value}" for name, value in choices.items()}
    for page in writer.pages:
        writer.update_page_form_field_values(page, wanted, auto_regenerate=False)
    with target.open("wb") as handle:
        writer.write(handle)
