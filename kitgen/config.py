"""`kitgen.toml`: what a company sets once for its workspace (SPEC "Workspace configuration").

It is found in a role file's folder or the nearest folder above it, as ruff and pytest
find theirs. Command-line options override it; a role profile's own keys override its
defaults. Every problem is located at its line, as in YAML.

    [brand]
    company = "Northwind Analytics"
    logo = "logo.png"            # a file beside kitgen.toml
    accent = "#0f766e"           # a CSS colour

    [defaults]
    template = "classic"         # a bundled name, or a folder relative to kitgen.toml
    paper = "letter"             # a4 | letter
    opening = 5
    closing = 10
    output = "out"               # where kits go when -o is not given

    [candidate]
    contact = "talent@northwind.example"   # whom the brief names for accommodations
"""

from __future__ import annotations

import base64
import re
import tomllib
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
)

from kitgen._files import read_capped
from kitgen._text import CONTROL
from kitgen.errors import InputError, Problem
from kitgen.schema.models import LabelLanguage

CONFIG_FILE = "kitgen.toml"
MAX_CONFIG_BYTES = 256 * 1024
MAX_LOGO_BYTES = 2 * 1024 * 1024
LOGO_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".svg": "image/svg+xml",
}
# A CSS colour, and nothing that could close the declaration it is written into.
_COLOUR = re.compile(
    r"#[0-9a-fA-F]{3}|#[0-9a-fA-F]{6}|rgb\(\s*\d{1,3}\s*,\s*\d{1,3}\s*,\s*\d{1,3}\s*\)"
)


def _plain(value: str) -> str:
    if CONTROL.search(value):
        raise ValueError("control, escape or direction characters are not allowed")
    return value


Line = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    AfterValidator(_plain),
]


Company = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Brand(_Strict):
    company: Annotated[Company, AfterValidator(_plain)] | None = None  # fits the footer
    logo: Line | None = None
    accent: Line | None = None


class Defaults(_Strict):
    template: Line | None = None
    paper: Literal["a4", "letter"] | None = None
    opening: int | None = Field(default=None, ge=0, le=120, strict=True)
    closing: int | None = Field(default=None, ge=0, le=120, strict=True)
    language: LabelLanguage | None = None  # the kit's labels where a profile sets none
    output: Line | None = None


class Candidate(_Strict):
    contact: Line | None = None


class _ConfigFile(_Strict):
    brand: Brand = Brand()
    defaults: Defaults = Defaults()
    candidate: Candidate = Candidate()


@dataclass(frozen=True)
class WorkspaceConfig:
    """A loaded kitgen.toml (or none: `path` is None and everything is unset)."""

    path: Path | None
    brand: Brand
    defaults: Defaults
    candidate: Candidate
    logo_data_url: str = ""  # the logo, read and checked, ready for a template
    logo_path: Path | None = None

    @property
    def folder(self) -> Path | None:
        return self.path.parent if self.path is not None else None

    def output_folder(self) -> Path | None:
        """Where kits go without -o: `[defaults] output` (default out/) beside the file."""
        if self.folder is None:
            return None
        return self.folder / (self.defaults.output or "out")


NO_CONFIG = WorkspaceConfig(None, Brand(), Defaults(), Candidate())


def find_config(start: Path) -> Path | None:
    """kitgen.toml in `start` (a folder, or a file's folder) or the nearest folder above."""
    folder = start if start.is_dir() else start.parent
    for candidate in [folder.resolve(), *folder.resolve().parents]:
        path = candidate / CONFIG_FILE
        if path.is_file():
            return path
    return None


def config_for(start: Path) -> WorkspaceConfig:
    """The configuration that governs `start` (a role file or a folder)."""
    path = find_config(start)
    return load_config(path) if path is not None else NO_CONFIG


def load_config(path: Path) -> WorkspaceConfig:
    """Load and check a kitgen.toml (once per version of the file in a process)."""
    try:
        stat = path.stat()
    except OSError:
        return _load(path, 0, 0)  # reports the file as unreadable
    return _load(path.resolve(), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=32)
def _load(path: Path, _mtime: int, _size: int) -> WorkspaceConfig:
    config = _parse(path)
    if config.brand.logo is not None:  # the logo is read each time: it may have changed
        try:
            logo = _logo(path.parent, config.brand.logo)
        except InputError as exc:
            line, column = _Locator(path.read_text(encoding="utf-8-sig"))(("brand", "logo"))
            raise InputError(
                [Problem(str(path), line, column, p.message) for p in exc.problems]
            ) from None
        config = replace(config, logo_data_url=logo[1], logo_path=logo[0])
    return config


def _parse(path: Path) -> WorkspaceConfig:
    raw = read_capped(path, MAX_CONFIG_BYTES, InputError)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError([Problem(str(path), 1, 1, "not valid UTF-8")]) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line, column = _position(str(exc))
        message = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", str(exc))
        raise InputError([Problem(str(path), line, column, f"TOML: {message}")]) from None
    locate = _Locator(text)
    try:
        parsed = _ConfigFile.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors(include_url=False):
            loc = tuple(str(part) for part in error["loc"])
            line, column = locate(loc)
            if error["type"] == "extra_forbidden":
                message = f"unknown key {'.'.join(loc)!r}" + _known(loc)
            else:
                message = f"{'.'.join(loc)}: {error['msg']}"
            problems.append(Problem(str(path), line, column, message))
        raise InputError(sorted(problems, key=Problem.sort_key)) from None
    problems = []
    brand = parsed.brand
    if brand.accent is not None:
        problem = _accent_problem(brand.accent)
        if problem:
            line, column = locate(("brand", "accent"))
            problems.append(Problem(str(path), line, column, problem))
    template = parsed.defaults.template
    if template is not None:
        problem = _template_problem(path.parent, template)
        if problem:
            line, column = locate(("defaults", "template"))
            problems.append(Problem(str(path), line, column, problem))
    if problems:
        raise InputError(problems)
    return WorkspaceConfig(path, brand, parsed.defaults, parsed.candidate)


def _template_problem(folder: Path, template: str) -> str | None:
    from kitgen.errors import KitgenError
    from kitgen.render.templates import resolve_template

    try:
        source = resolve_template(template, folder)
    except KitgenError as exc:
        return f"defaults.template: {exc.problems[0].message}"
    if not source.bundled and not source.folder.is_relative_to(folder.resolve()):
        return "defaults.template is outside the folder of kitgen.toml; copy it in"
    return None


def _logo(folder: Path, name: str) -> tuple[Path, str]:
    """The logo file and its data: URL: a picture inside the workspace's folder, whose
    content is what its name says (an SVG refers to nothing outside itself)."""
    logo = (folder / name).resolve()
    if not logo.is_relative_to(folder.resolve()):
        raise InputError(f"brand.logo {name!r} is outside the folder of kitgen.toml")
    kind = LOGO_TYPES.get(logo.suffix.lower())
    if kind is None:
        raise InputError(f"brand.logo must be a {', '.join(LOGO_TYPES)} file")
    if not logo.is_file():
        raise InputError(f"brand.logo {name!r} not found beside kitgen.toml")
    data = read_capped(logo, MAX_LOGO_BYTES, InputError)
    problem = _picture_problem(data, kind)
    if problem:
        raise InputError(f"brand.logo {name!r} {problem}")
    return logo, f"data:{kind};base64,{base64.b64encode(data).decode()}"


def _picture_problem(data: bytes, kind: str) -> str | None:
    if kind == "image/png":
        return None if data.startswith(b"\x89PNG\r\n\x1a\n") else "is not a PNG picture"
    if kind == "image/jpeg":
        return None if data.startswith(b"\xff\xd8\xff") else "is not a JPEG picture"
    import xml.etree.ElementTree as ElementTree

    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        return "declares a DOCTYPE or entities; save it as a plain SVG"
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError:
        return "is not a well-formed SVG file"
    if not root.tag.endswith("svg"):
        return "is not an SVG picture"
    for element in root.iter():
        if element.tag.rsplit("}", 1)[-1] in ("script", "foreignObject"):
            return "holds a script or foreign content; a logo is a plain picture"
        for key, value in element.attrib.items():
            if key.rsplit("}", 1)[-1] == "href" and not value.startswith(("#", "data:")):
                return f"refers to {value[:40]!r}; a logo may refer to nothing outside it"
    return None


def _accent_problem(accent: str) -> str | None:
    """A colour the kit can draw white text on: #rgb, #rrggbb or rgb(r, g, b), dark
    enough (contrast of at least 3 to white, as WCAG asks of large text)."""
    if not _COLOUR.fullmatch(accent):
        return "brand.accent must be a colour written #0f766e, #0a7 or rgb(15, 118, 110)"
    if accent.startswith("#"):
        digits = accent[1:]
        if len(digits) == 3:
            digits = "".join(d * 2 for d in digits)
        rgb = [int(digits[i : i + 2], 16) for i in (0, 2, 4)]
    else:
        rgb = [int(n) for n in re.findall(r"\d+", accent)]
    if any(channel > 255 for channel in rgb):
        return "brand.accent: rgb() channels go from 0 to 255"

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    luminance = 0.2126 * linear(rgb[0]) + 0.7152 * linear(rgb[1]) + 0.0722 * linear(rgb[2])
    contrast = 1.05 / (luminance + 0.05)
    if contrast < 3:
        return (
            f"brand.accent {accent!r} is too light for the white headings drawn on it "
            f"(contrast {contrast:.1f}, at least 3); choose a darker colour"
        )
    return None


def _position(message: str) -> tuple[int, int]:
    found = re.search(r"line (\d+), column (\d+)", message)
    return (int(found[1]), int(found[2])) if found else (1, 1)


def _known(loc: tuple[str, ...]) -> str:
    models: dict[str, type[BaseModel]] = {
        "brand": Brand,
        "defaults": Defaults,
        "candidate": Candidate,
    }
    if len(loc) == 1:
        return f"; known tables: {', '.join(models)}"
    model = models.get(loc[0])
    return f"; known keys: {', '.join(model.model_fields)}" if model else ""


class _Locator:
    """Line and column of a key in TOML text: `[table]` headers and `key =` lines (and
    `table.key =` at the top level), as kitgen.toml is written."""

    def __init__(self, text: str) -> None:
        self.places: dict[tuple[str, ...], tuple[int, int]] = {}
        table: tuple[str, ...] = ()
        for number, line in enumerate(text.splitlines(), start=1):
            stripped = line.strip()
            header = re.fullmatch(r"\[\s*([A-Za-z0-9_.\- ]+?)\s*\]\s*(#.*)?", stripped)
            if header:
                table = tuple(part.strip() for part in header[1].split("."))
                self.places.setdefault(table, (number, line.index("[") + 1))
                continue
            key = re.match(r"\s*([A-Za-z0-9_.\-]+)\s*=", line)
            if key:
                path = table + tuple(part.strip() for part in key[1].split("."))
                self.places.setdefault(path, (number, line.index(key[1]) + 1))

    def __call__(self, loc: tuple[str, ...]) -> tuple[int, int]:
        while loc:
            if loc in self.places:
                return self.places[loc]
            loc = loc[:-1]
        return (1, 1)


def template_context(config: WorkspaceConfig) -> dict[str, Any]:
    """What templates get as `brand`: company, logo (a data: URL or ''), accent."""
    brand = config.brand
    return {
        "company": brand.company or "",
        "logo": config.logo_data_url,
        "accent": brand.accent or "",
    }
