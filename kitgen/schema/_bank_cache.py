"""A cache of parsed banks in the user's cache folder, keyed by the bank file's content.

Parsing and checking a 10,000-question bank takes seconds; reading its checked form back
takes a fraction of that. An entry is the bank as JSON, named by a hash of the file's
bytes and kitgen's version, so an edited file or a new kitgen never sees a stale entry. An
entry that cannot be read or fails validation is deleted and the bank parsed again.
KITGEN_CACHE_DIR moves the cache; KITGEN_NO_CACHE=1 turns it off.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from functools import cache
from pathlib import Path

from pydantic import ValidationError

from kitgen import __version__
from kitgen._files import write_atomic
from kitgen.errors import KitgenError
from kitgen.schema import models
from kitgen.schema.models import Bank

# Files smaller than this parse faster than a cache lookup pays for.
MIN_CACHED_BYTES = 64 * 1024


def cache_dir() -> Path | None:
    if os.environ.get("KITGEN_NO_CACHE"):
        return None
    if os.environ.get("KITGEN_CACHE_DIR"):
        return Path(os.environ["KITGEN_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "kitgen" / "banks"


@cache
def _schema_stamp() -> bytes:
    # An entry is valid for one kitgen version and one version of the models it stores.
    return f"kitgen {__version__}\n".encode() + Path(models.__file__).read_bytes()


def _entry(raw: bytes) -> Path | None:
    folder = cache_dir()
    if folder is None or len(raw) < MIN_CACHED_BYTES:
        return None
    digest = hashlib.sha256(_schema_stamp() + raw).hexdigest()
    return folder / f"{digest}.json"


def get(raw: bytes) -> Bank | None:
    entry = _entry(raw)
    if entry is None:
        return None
    try:
        return Bank.model_validate_json(entry.read_bytes())
    except FileNotFoundError:
        return None
    except (OSError, ValueError, ValidationError):  # corrupt or foreign: rebuild it
        with contextlib.suppress(OSError):
            entry.unlink()
        return None


def put(raw: bytes, bank: Bank) -> None:
    """Store a checked bank; a cache that cannot be written is silently skipped."""
    entry = _entry(raw)
    if entry is None:
        return
    with contextlib.suppress(KitgenError):
        write_atomic(entry, bank.model_dump_json().encode())
