"""Fill a PDF form with poppler-glib (the library under Evince and other GNOME viewers).

Run by tests/engines/poppler.py with the SYSTEM python, which has python3-gi and
gir1.2-poppler-0.18 (the test venv has neither); so only the standard library and gi here.

    /usr/bin/python3 poppler_fill.py < spec.json

spec: {"source": path, "target": path, "text": {name: text},
       "clicks": [{"name": group, "value": export value, "page": index, "x": x, "y": y}]}

Text fields get `Poppler.FormField.text_set_text`, as Evince does when its entry loses
focus. poppler-glib has no call that tells a radio widget's on-state (export value), so a
radio choice is a click, as in Evince: the caller gives a point inside the chosen widget
(PDF points, origin at the page's lower left), and the filler calls `button_set_state(True)`
on the form field mapping of that name whose area contains the point. Then
`Document.save(target uri)`. Any field or click that finds nothing exits with status 1.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import gi  # type: ignore[import-not-found]

gi.require_version("Poppler", "0.18")
from gi.repository import Poppler  # type: ignore[import-not-found]  # noqa: E402


def main() -> None:
    spec: dict[str, Any] = json.load(sys.stdin)
    text: dict[str, str] = spec["text"]
    clicks: list[dict[str, Any]] = spec["clicks"]
    document = Poppler.Document.new_from_file(Path(spec["source"]).resolve().as_uri(), None)
    typed: set[str] = set()
    clicked: set[int] = set()
    for index in range(document.get_n_pages()):
        page = document.get_page(index)
        for mapping in page.get_form_field_mapping():
            field, area = mapping.field, mapping.area
            name = str(field.get_name())
            kind = field.get_field_type()
            if kind == Poppler.FormFieldType.TEXT and name in text:
                field.text_set_text(text[name])
                typed.add(name)
            elif kind == Poppler.FormFieldType.BUTTON:
                for number, click in enumerate(clicks):
                    inside = area.x1 <= click["x"] <= area.x2 and area.y1 <= click["y"] <= area.y2
                    if click["page"] == index and click["name"] == name and inside:
                        assert field.button_get_button_type() == Poppler.FormButtonType.RADIO
                        field.button_set_state(True)
                        clicked.add(number)
    missing = sorted(set(text) - typed)
    missed = [f"{c['name']}={c['value']}" for n, c in enumerate(clicks) if n not in clicked]
    if missing or missed:
        sys.exit(f"poppler found no text field {missing}, no radio widget {missed}")
    assert document.save(Path(spec["target"]).resolve().as_uri())


if __name__ == "__main__":
    main()
