"""Fill a kit with MuPDF through PyMuPDF's widget API, the documented way to fill a form.

For a text widget the filler sets `widget.field_value` to the text and calls
`widget.update()`, which makes MuPDF store the value and draw a new appearance stream. For a
radio group it picks the widget whose `on_state()` is the chosen export value and sets
`field_value = widget.on_state()` (what PyMuPDF's Widget docs recommend for radio buttons),
then `update()`; MuPDF switches the group's other widgets off itself. PyMuPDF's update()
ignores an empty text value, so clearing a field is `widget.reset()` first (MuPDF's
pdf_field_reset: /V back to /DV, or removed). `doc.save(target)` writes a full copy.
"""

from __future__ import annotations

from pathlib import Path

import pymupdf


def fill(source: Path, target: Path, text: dict[str, str], choices: dict[str, str]) -> None:
    """Set `text` and `choices` on the form of `source` with PyMuPDF; save to `target`."""
    typed: set[str] = set()
    chosen: set[str] = set()
    with pymupdf.open(source) as doc:  # type: ignore[no-untyped-call]
        for page in doc:
            for widget in page.widgets():
                name = str(widget.field_name)
                kind = widget.field_type_string
                if kind == "RadioButton" and name in choices:
                    if widget.on_state() == choices[name]:
                        widget.field_value = widget.on_state()
                        widget.update()
                        chosen.add(name)
                elif kind == "Text" and name in text:
                    if not text[name]:  # update() skips an empty value; clearing is reset()
                        widget.reset()
                    widget.field_value = text[name]
                    widget.update()
                    typed.add(name)
        assert not set(text) - typed, f"no such text fields: {sorted(set(text) - typed)}"
        missing = {f"{k}={v}" for k, v in choices.items() if k not in chosen}
        assert not missing, f"no such radio widgets: {sorted(missing)}"
        doc.save(target)
