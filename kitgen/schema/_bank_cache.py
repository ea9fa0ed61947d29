"""A cache of parsed banks in the user's cache folder, keyed by the bank file's content.

Parsing and checking a 10,000-question bank takes seconds; reading its checked form back
takes a fraction of that. An entry is the bank as JSON, named by a hash of the file's
bytes and kitgen's version, so an edited file or a new kitgen never sees a stale entry.

An entry is trusted only if it carries an HMAC, under a key kept in the cache folder
(0600), of the source file's hash and the entry's content: an entry planted or copied
under another bank's name is refused. The folder must be this user's and not writable by
others; a folder that is unusable (read-only, a file, someone else's) means no cache,
with one warning. An entry that cannot be read, is not a regular file, is over 256 MB or
fails validation is deleted and the bank parsed again.
KITGEN_CACHE_DIR moves the cache; KITGEN_NO_CACHE=1 turns it off.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
import stat
import sys
from functools import cache
from pathlib import Path

from pydantic import ValidationError

from kitgen import __version__
from kitgen._files import read_capped, write_atomic
from kitgen.errors import KitgenError
from kitgen.schema import models
from kitgen.schema.models import Bank

# Files smaller than this parse faster than a cache lookup pays for.
MIN_CACHED_BYTES = 64 * 1024


MAX_ENTRY_BYTES = 256 * 1024 * 1024
_KEY_NAME = "key"
_warned = False


def cache_dir() -> Path | None:
    if os.environ.get("KITGEN_NO_CACHE"):
        return None
    if os.environ.get("KITGEN_CACHE_DIR"):
        return Path(os.environ["KITGEN_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "kitgen" / "banks"


def _warn(folder: Path, why: str) -> None:
    global _warned
    if not _warned:
        _warned = True
        sys.stderr.write(f"kitgen: warning: bank cache {folder} not used: {why}\n")


def _usable_folder() -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        info = folder.lstat()
    except OSError as exc:
        _warn(folder, exc.strerror or "cannot create it")
        return None
    if not stat.S_ISDIR(info.st_mode):
        _warn(folder, "not a folder")
        return None
    if info.st_uid != os.getuid() or info.st_mode & 0o022:
        _warn(folder, "it must be yours and writable only by you")
        return None
    return folder


@cache
def _key(folder: Path) -> bytes | None:
    path = folder / _KEY_NAME
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    except FileExistsError:
        pass
    except OSError as exc:
        _warn(folder, exc.strerror or "cannot write its key")
        return None
    else:
        with os.fdopen(fd, "wb") as handle:
            handle.write(secrets.token_bytes(32))
    try:
        info = path.lstat()
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
            _warn(folder, "its key file must be yours and private (0600)")
            return None
        key = read_capped(path, 64, KitgenError)
    except (OSError, KitgenError):
        _warn(folder, "its key file cannot be read")
        return None
    return key if len(key) == 32 else None


@cache
def _schema_stamp() -> bytes:
    # An entry is valid for one kitgen version and one version of the models it stores
    # and of the checks a bank passed before it was stored (checks.py).
    checks = Path(models.__file__).with_name("checks.py")
    return (
        f"kitgen {__version__}\n".encode()
        + Path(models.__file__).read_bytes()
        + checks.read_bytes()
    )


def _source(raw: bytes) -> bytes:
    return hashlib.sha256(_schema_stamp() + raw).digest()


def _seal(key: bytes, source: bytes, body: bytes) -> bytes:
    return hmac.new(key, source + body, hashlib.sha256).hexdigest().encode()


def _entry(raw: bytes) -> tuple[Path, bytes] | None:
    """The entry's path and the key that seals it, or None when there is no cache."""
    if len(raw) < MIN_CACHED_BYTES:
        return None
    folder = _usable_folder()
    key = _key(folder) if folder is not None else None
    if folder is None or key is None:
        return None
    return folder / f"{_source(raw).hex()}.json", key


def get(raw: bytes) -> Bank | None:
    found = _entry(raw)
    if found is None:
        return None
    entry, key = found
    if not entry.exists():
        return None
    try:
        data = read_capped(entry, MAX_ENTRY_BYTES, KitgenError)
        seal, _, body = data.partition(b"\n")
        if not hmac.compare_digest(seal, _seal(key, _source(raw), body)):
            raise ValueError("not sealed by this cache")
        return Bank.model_validate_json(body)
    except (KitgenError, ValueError, ValidationError):  # damaged, foreign or planted: rebuild
        with contextlib.suppress(OSError):
            entry.unlink()
        return None


def put(raw: bytes, bank: Bank) -> None:
    """Store a checked bank; a cache that cannot be written is silently skipped."""
    found = _entry(raw)
    if found is None:
        return
    entry, key = found
    body = bank.model_dump_json().encode()
    with contextlib.suppress(KitgenError):
        write_atomic(entry, _seal(key, _source(raw), body) + b"\n" + body)
