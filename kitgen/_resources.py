"""Where the bundled banks and templates live: inside the wheel, or beside the source tree."""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def bundled_dir(kind: str) -> Path:
    """`kind` is "banks" or "templates"."""
    for candidate in (_PACKAGE / "_bundled" / kind, _PACKAGE.parent / kind):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"kitgen is installed without its bundled {kind}")


@cache
def bundled_bank_ids() -> list[str]:
    # A bundled bank's file name is its id (a test checks they agree).
    return sorted(path.stem for path in bundled_dir("banks").glob("*.yaml"))


def bundled_bank_path(bank_id: str) -> Path:
    return bundled_dir("banks") / f"{bank_id}.yaml"


def bundled_bank_paths() -> list[Path]:
    return [bundled_bank_path(bank_id) for bank_id in bundled_bank_ids()]


@cache
def bundled_template_names() -> list[str]:
    return sorted(p.name for p in bundled_dir("templates").iterdir() if (p / "kit.html").is_file())
