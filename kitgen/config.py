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
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from kitgen._files import read_capped
from kitgen.errors import InputError, Problem

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
    r"#[0-9a-fA-F]{3}|#[0-9a-fA-F]{6}|[a-zA-Z]{3,20}"
    r"|rgb\(\s*\d{1,3}\s*,\s*\d{1,3}\s*,\s*\d{1,3}\s*\)"
)

Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Brand(_Strict):
    company: Line | None = None
    logo: Line | None = None
    accent: Line | None = None


class Defaults(_Strict):
    template: Line | None = None
    paper: Literal["a4", "letter"] | None = None
    opening: int | None = Field(default=None, ge=0, le=120, strict=True)
    closing: int | None = Field(default=None, ge=0, le=120, strict=True)
    language: Line | None = None
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
    if brand.accent is not None and not _COLOUR.fullmatch(brand.accent):
        line, column = locate(("brand", "accent"))
        message = "brand.accent must be a CSS colour such as '#0f766e' or 'teal'"
        problems.append(Problem(str(path), line, column, message))
    logo = ""
    if brand.logo is not None:
        try:
            logo = _logo_data_url(path.parent, brand.logo)
        except InputError as exc:
            line, column = locate(("brand", "logo"))
            problems += [Problem(str(path), line, column, p.message) for p in exc.problems]
    if problems:
        raise InputError(problems)
    return WorkspaceConfig(path, brand, parsed.defaults, parsed.candidate, logo)


def _logo_data_url(folder: Path, name: str) -> str:
    """The logo as a data: URL; it must be a picture file inside the workspace's folder."""
    logo = (folder / name).resolve()
    if not logo.is_relative_to(folder.resolve()):
        raise InputError(f"brand.logo {name!r} is outside the folder of kitgen.toml")
    kind = LOGO_TYPES.get(logo.suffix.lower())
    if kind is None:
        raise InputError(f"brand.logo must be a {', '.join(LOGO_TYPES)} file")
    if not logo.is_file():
        raise InputError(f"brand.logo {name!r} not found beside kitgen.toml")
    data = read_capped(logo, MAX_LOGO_BYTES, InputError)
    return f"data:{kind};base64,{base64.b64encode(data).decode()}"


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
