"""Reading inputs and writing outputs safely: the two file helpers every stage shares.

An input is read only when it is a regular file under a size cap (a FIFO would block, a
device would never end); an output is written to a temporary file beside it and renamed
into place, so it is whole or absent.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Sequence
from pathlib import Path

from kitgen.errors import KitgenError, OutputError, Problem

TEMP_PREFIX = ".kitgen-"


def read_capped(path: Path, limit: int, error: type[KitgenError]) -> bytes:
    """A regular file's bytes; anything else, or more than `limit` bytes, is an `error`."""

    def refuse(message: str) -> KitgenError:
        return error([Problem(str(path), 0, 0, message)])

    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise refuse("is a folder, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise refuse("not a regular file")
        if info.st_size > limit:
            raise refuse(f"file too large ({info.st_size:,} bytes; the limit is {limit:,})")
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise refuse(f"cannot read: {exc.strerror}") from None
    if len(data) > limit:  # it grew while being read
        raise refuse(f"file too large (the limit is {limit:,} bytes)")
    return data


def write_atomic(path: Path, data: bytes, *, replace: bool = True) -> None:
    """Write one file whole (see write_files)."""
    write_files([(path, data)], replace=replace)


def write_files(files: Sequence[tuple[Path, bytes]], *, replace: bool) -> None:
    """Write files all or none: every one to a temporary file beside it first (a full disk
    fails here, before anything is placed), then each renamed into place.

    Without `replace`, a name is claimed with a hard link, which fails if the name exists:
    a file that appeared while kitgen ran (another kitgen, a colleague) is never replaced,
    and what this call placed already is taken back.
    """
    temps: list[tuple[Path, Path]] = []
    placed: list[Path] = []
    try:
        for path, data in files:
            temps.append((_write_temp(path, data), path))
        for temp, path in temps:
            if replace:
                os.replace(temp, path)
            else:
                try:
                    os.link(temp, path)
                except FileExistsError:
                    raise OutputError(
                        [
                            Problem(
                                str(path),
                                0,
                                0,
                                "appeared while kitgen ran; left as it is (use --force to replace)",
                            )
                        ]
                    ) from None
                temp.unlink()
            placed.append(path)
    except BaseException as exc:
        for temp, _ in temps:
            with contextlib.suppress(OSError):
                temp.unlink()
        if not replace:
            for path in placed:
                with contextlib.suppress(OSError):
                    path.unlink()
        if isinstance(exc, OSError):
            raise OutputError(
                [Problem(str(files[len(placed)][0]), 0, 0, f"cannot write: {exc.strerror}")]
            ) from None
        raise


def _write_temp(path: Path, data: bytes) -> Path:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp_name = tempfile.mkstemp(
            prefix=f"{TEMP_PREFIX}{os.getpid()}-", suffix=".tmp", dir=path.parent
        )
    except OSError as exc:
        raise OutputError([Problem(str(path), 0, 0, f"cannot write: {exc.strerror}")]) from None
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o644)  # mkstemp makes 0600; outputs are ordinary shared documents
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    return temp


def resolved(path: Path, error: type[KitgenError]) -> Path:
    """The absolute path with symlinks resolved; a symlink loop or an impossible name (over
    255 bytes) is an `error` naming the path, not a traceback."""
    try:
        return path.resolve()
    except RuntimeError:  # Python reports a symlink loop this way
        raise error([Problem(str(path), 0, 0, "symlink loop; point the link at a file")]) from None
    except OSError as exc:
        raise error([Problem(str(path), 0, 0, f"cannot use this path: {exc.strerror}")]) from None


def kind_of(path: Path) -> str | None:
    """What is at `path` without following a final symlink into a device: "file", "folder",
    "other" (FIFO, socket, device), or None for nothing there. Never blocks, never raises."""
    try:
        info = path.stat()
    except (OSError, RuntimeError, ValueError):  # missing, a loop, a name too long, a NUL
        return None
    if stat.S_ISREG(info.st_mode):
        return "file"
    return "folder" if stat.S_ISDIR(info.st_mode) else "other"


def folder_stamp(folder: Path) -> tuple[tuple[str, int, int], ...]:
    """Each file under `folder` with its modification time and size: a key that changes
    when a file is saved, added or removed (for caches of what is made from the folder)."""
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    return tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files)


def looks_like_path(reference: str) -> bool:
    """Whether a role's `banks:` entry or a template name is a path rather than an id."""
    return (
        "/" in reference
        or "\\" in reference
        or reference.startswith(".")
        or reference.endswith((".yaml", ".yml"))
    )
