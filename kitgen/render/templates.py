"""Template folders: which one a kit renders with. No Jinja here, so loading stays light."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from kitgen._files import looks_like_path, resolved
from kitgen._resources import bundled_dir, bundled_template_names
from kitgen.errors import RenderError
from kitgen.schema.messages import did_you_mean

TEMPLATE_FILE = "kit.html"
BRIEF_FILE = "brief.html"


@dataclass(frozen=True)
class TemplateSource:
    """A template folder holding kit.html; bundled ones are trusted, others sandboxed."""

    folder: Path
    bundled: bool


@dataclass(frozen=True)
class RenderOptions:
    candidate: str = ""
    interviewer: str = ""
    date: str = ""
    paper: str = ""  # a4 | letter; "" for the workspace's default (kitgen.toml), else a4
    fillable: bool = True
    tagged: bool = True  # PDF/UA-1: a structure tree for screen readers
    verbose: bool = False  # Markdown: also the seed and question ids
    unicode_field_font: bool = False  # keep a font for values beyond Windows-1252, filled later

    def field_values(self) -> dict[str, str]:
        """The cover's pre-filled form fields, by their SPEC names."""
        return {"candidate": self.candidate, "interviewer": self.interviewer, "date": self.date}

    def without_values(self) -> RenderOptions:
        return replace(self, candidate="", interviewer="", date="")


def resolve_template(name_or_path: str, relative_to: Path | None = None) -> TemplateSource:
    """A bundled template by name, or a folder path (relative to `relative_to`)."""
    if not looks_like_path(name_or_path):
        names = bundled_template_names()
        if name_or_path in names:
            return TemplateSource(bundled_dir("templates") / name_or_path, bundled=True)
        raise RenderError(
            f"unknown template {name_or_path!r}"
            + (did_you_mean(name_or_path, names) or f"; bundled templates: {', '.join(names)}")
            + "; a folder of your own is given as a path, e.g. ./my-template"
        )
    folder = Path(name_or_path)  # no ~ expansion: a role file names paths, not homes
    if relative_to is not None and not folder.is_absolute():
        folder = relative_to / folder
    folder = resolved(folder, RenderError)
    if not (folder / TEMPLATE_FILE).is_file():
        raise RenderError(f"template folder {folder} has no {TEMPLATE_FILE}")
    return TemplateSource(folder, bundled=False)


def brief_template(template: TemplateSource) -> TemplateSource:
    """The template folder a brief renders from: the kit's, or, when it has no
    brief.html, the bundled classic (whose files the PDF then fetches too)."""
    if (template.folder / BRIEF_FILE).is_file():
        return template
    return resolve_template("classic")
