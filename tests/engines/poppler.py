"""Fill a kit with poppler-glib, run as `/usr/bin/python3 tests/engines/poppler_fill.py`.

poppler-glib is reached through GObject introspection, which is installed for the system
python only, so the filling happens in a subprocess that gets its spec as JSON on stdin.

poppler-glib (22.12 here) cannot tell which radio widget has which on-state: a
PopplerFormField offers name, partial name, mapping name (/TM), tooltip (/TU) and on/off
state, no export value. A user of Evince picks a circle by where it is, so this side reads
each radio widget's on-state name and /Rect with pypdf (reading only) and hands
poppler_fill.py the centre of the chosen widget; there poppler's own hit areas decide
which widget gets `button_set_state(True)`.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from pypdf import PdfReader

SYSTEM_PYTHON = "/usr/bin/python3"
FILLER = Path(__file__).with_name("poppler_fill.py")


def fill(source: Path, target: Path, text: dict[str, str], choices: dict[str, str]) -> None:
    """Type `text` and click `choices` in `source` with poppler-glib; save to `target`."""
    clicks = [
        {"name": name, "value": value, "page": page, "x": x, "y": y}
        for (name, value), (page, x, y) in _radio_centres(source).items()
        if choices.get(name) == value
    ]
    found = {c["name"] for c in clicks}
    missing = [f"{k}={v}" for k, v in choices.items() if k not in found]
    assert not missing, f"no such radio widgets: {missing}"
    spec = {"source": str(source), "target": str(target), "text": text, "clicks": clicks}
    run = subprocess.run(
        [SYSTEM_PYTHON, str(FILLER)],
        input=json.dumps(spec),
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, f"poppler_fill.py failed ({run.returncode}): {run.stderr}"


def _radio_centres(path: Path) -> dict[tuple[str, str], tuple[int, float, float]]:
    """(group name, on-state) of each radio widget -> (page index, centre x, centre y)."""
    centres: dict[tuple[str, str], tuple[int, float, float]] = {}
    for index, page in enumerate(PdfReader(path).pages):
        for ref in page.get("/Annots") or []:
            widget: Any = ref.get_object()
            parent = widget.get("/Parent")
            if widget.get("/Subtype") != "/Widget" or parent is None or "/AP" not in widget:
                continue
            parent = parent.get_object()
            states = [str(s)[1:] for s in widget["/AP"]["/N"] if s != "/Off"]
            if parent.get("/FT") != "/Btn" or len(states) != 1:
                continue
            left, bottom, right, top = (float(v) for v in widget["/Rect"])
            centres[(str(parent["/T"]), states[0])] = (
                index,
                (left + right) / 2,
                (bottom + top) / 2,
            )
    return centres
