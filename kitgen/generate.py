"""Render prepared kits to files in the requested formats."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kitgen.build import PreparedKit
from kitgen.errors import KitgenError, Problem, RenderError
from kitgen.render.markdown import kit_to_markdown
from kitgen.output.files import OutputTarget, write_atomic
from kitgen.render.templates import RenderOptions


@dataclass(frozen=True)
class WrittenKit:
    source: Path
    kit_id: str
    paths: list[Path]
    pages: int


def kit_json(prepared: PreparedKit) -> str:
    return json.dumps(prepared.kit.to_json(), indent=2, ensure_ascii=False) + "\n"


def render_formats(
    prepared: PreparedKit, formats: Sequence[str], options: RenderOptions
) -> tuple[dict[str, bytes], int]:
    """Every requested format as bytes, and the PDF's page count (0 without a PDF).

    A failure that names no file of its own is reported on the role it was rendering.
    """
    try:
        return _render_formats(prepared, formats, options)
    except KitgenError as exc:
        if all(p.path != "kitgen" for p in exc.problems):
            raise
        raise RenderError(
            [
                p
                if p.path != "kitgen"
                else Problem(str(prepared.source), 0, 0, f"cannot render the kit: {p.message}")
                for p in exc.problems
            ]
        ) from None


def _render_formats(
    prepared: PreparedKit, formats: Sequence[str], options: RenderOptions
) -> tuple[dict[str, bytes], int]:
    out: dict[str, bytes] = {}
    pages = 0
    if "html" in formats or "pdf" in formats:
        from kitgen.render.html import render_html  # Jinja only when a document is rendered

        html = render_html(prepared.kit, prepared.template, options)
        if "html" in formats:
            out["html"] = html.encode()
        if "pdf" in formats:
            from kitgen.render.pdf import html_to_pdf  # WeasyPrint is imported only to write a PDF
            from kitgen.render.forms import finish_form

            if options.fillable:  # values go into the fields, never also into the page
                html = render_html(
                    prepared.kit,
                    prepared.template,
                    options.without_values(),
                    author=options.interviewer,
                )
            pdf, pages = html_to_pdf(html, prepared.template.folder, kit_json(prepared).encode())
            if options.fillable:
                pdf = finish_form(
                    pdf, options.field_values(), unicode_font=options.unicode_field_font
                )
            out["pdf"] = pdf
    if "md" in formats:
        out["md"] = kit_to_markdown(prepared.kit).encode()
    if "json" in formats:
        out["json"] = kit_json(prepared).encode()
    return out, pages


def write_kit(prepared: PreparedKit, target: OutputTarget, options: RenderOptions) -> WrittenKit:
    rendered, pages = render_formats(prepared, list(target.paths), options)
    for fmt, path in target.paths.items():
        write_atomic(path, rendered[fmt])
    return WrittenKit(prepared.source, prepared.kit.kit_id, list(target.paths.values()), pages)
