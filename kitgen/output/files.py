"""Where outputs go and how they are written: whole or not at all, never over an input."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kitgen._files import TEMP_PREFIX, kind_of, resolved
from kitgen.errors import OutputError, Problem, raise_if

MAX_NAME_BYTES = 255  # what Linux and macOS file systems allow for one name


@dataclass(frozen=True)
class OutputTarget:
    """The files one kit is written to, one per format; `label` says what it is."""

    stem: str
    paths: dict[str, Path]
    label: str = ""
    build: str = ""  # the build hash its files record (kitgen.output.builds)

    @property
    def what(self) -> str:
        return self.label or self.stem


def plan_targets(
    documents: Sequence[tuple[str, Sequence[str]] | tuple[str, Sequence[str], str]],
    output: Path | None,
    *,
    force: bool,
    inputs: Iterable[Path],
    hint: str | None = None,
) -> list[OutputTarget]:
    """Decide every output path and check them all before anything is written.

    `documents` are (file stem, formats[, what it is, for messages]). One document and
    `-o` with a suffix: that file (other formats beside it, same stem). Otherwise `-o`
    (default: the current folder) is a folder of `<stem>.<format>` files. `hint` says why
    -o must be a folder here.
    """
    stems = [document[0] for document in documents]
    if output is not None:
        _refuse_standard_output(output)
    kind = kind_of(output) if output is not None else "folder"
    single_file = (
        output is not None and len(stems) == 1 and output.suffix != "" and kind != "folder"
    )
    names_a_file = output is not None and output.suffix.lower() in (".pdf", ".html", ".md", ".json")
    if not single_file and (kind not in ("folder", None) or (names_a_file and kind is None)):
        assert output is not None
        message = f"is not a folder; {hint or 'for one kit, name a file such as kit.pdf'}"
        if kind is None:  # a file name, but several documents are to be written
            message = (
                f"names a file, but {len(documents)} documents are written; "
                f"{hint or '-o names a folder for several roles'}"
            )
        raise OutputError([Problem(str(output), 0, 0, message)])
    targets = []
    for stem, formats, *label in documents:
        if single_file:
            assert output is not None
            paths = {fmt: output.with_suffix(f".{fmt}") for fmt in formats}
            if len(formats) == 1:  # the file named, whatever its suffix
                paths = {formats[0]: output}
            elif output.suffix.lstrip(".") in formats:
                paths[output.suffix.lstrip(".")] = output
        else:
            folder = output if output is not None else Path.cwd()
            paths = {fmt: folder / f"{stem}.{fmt}" for fmt in formats}
        targets.append(OutputTarget(stem, paths, label[0] if label else ""))
    raise_if(_check_targets(targets, force=force, inputs=inputs), OutputError)
    return targets


def _refuse_standard_output(output: Path) -> None:
    if str(output) == "-":  # not a folder named '-'; kitgen writes files only
        message = "-o - (standard output) is not supported; name a file"
        raise OutputError([Problem(None, 0, 0, message)])


def check_output_file(path: Path, *, force: bool, inputs: Iterable[Path]) -> None:
    """The checks of plan_targets for one named output file."""
    _refuse_standard_output(path)
    target = OutputTarget(path.stem, {"file": path})
    raise_if(_check_targets([target], force=force, inputs=inputs), OutputError)


def _check_targets(
    targets: list[OutputTarget], *, force: bool, inputs: Iterable[Path]
) -> list[Problem]:
    problems = []
    protected = {resolved(path, OutputError) for path in inputs}
    seen: dict[Path, str] = {}
    for target in targets:
        for path in target.paths.values():
            if len(path.name.encode()) > MAX_NAME_BYTES:
                message = f"file name too long ({len(path.name.encode())} bytes; at most 255)"
                problems.append(Problem(str(path), 0, 0, message))
                continue
            full = resolved(path, OutputError)
            kind = kind_of(path)
            if full in protected:
                problems.append(Problem(str(path), 0, 0, "refusing to overwrite an input file"))
            elif full in seen:
                problems.append(
                    Problem(
                        str(path),
                        0,
                        0,
                        f"two documents would both be written here: {seen[full]} and "
                        f"{target.what}; rename a role file or a round",
                    )
                )
            elif kind == "folder":
                problems.append(Problem(str(path), 0, 0, "is a folder"))
            elif kind == "other":  # /dev/null, a FIFO: refused before any rendering
                problems.append(Problem(str(path), 0, 0, "is not a regular file; name a file"))
            elif (kind is not None or path.is_symlink()) and not force:
                problems.append(
                    Problem(str(path), 0, 0, "already exists; use --force to replace it")
                )
            seen[full] = target.what
    return problems


def existing_files(targets: Iterable[OutputTarget]) -> list[Problem]:
    """The files of `targets` that exist: not replaced without --force."""
    return [
        Problem(str(path), 0, 0, "already exists and is not up to date; use --force to replace it")
        for target in targets
        for path in target.paths.values()
        if kind_of(path) is not None or path.is_symlink()
    ]


def remove_stale_temp_files(folders: Iterable[Path]) -> None:
    """Delete temporary files left by a kitgen that was killed mid-write.

    A temporary file's name carries its writer's process id; one whose process is gone
    is stale. Files of a kitgen still running are left alone.
    """
    for folder in set(folders):
        if not folder.is_dir():
            continue
        for temp in folder.glob(f"{TEMP_PREFIX}*.tmp"):
            pid = temp.name.removeprefix(TEMP_PREFIX).split("-", 1)[0]
            if pid.isdigit() and not _process_alive(int(pid)):
                with contextlib.suppress(OSError):
                    temp.unlink()


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, but someone else's
        return True
    return True
