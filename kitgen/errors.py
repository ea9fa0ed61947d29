"""One exception tree: every failure a user can fix is a KitgenError (the CLI: exit 1).

Anything else that escapes kitgen is a bug of kitgen's own; the CLI reports it as an
internal error with its traceback (exit 70), never dressed up as a user error.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One located problem: in an input file, or (path None) in how kitgen was asked."""

    path: str | None
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        if self.path is None:
            return self.message
        if self.line:
            return f"{self.path}:{self.line}:{self.column}: {self.message}"
        return f"{self.path}: {self.message}"

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path or "", self.line, self.column, self.message)


MAX_SHOWN = 100  # problems printed of one error; the rest are counted


class KitgenError(Exception):
    """A failure the user can fix, as one or more `file:line:col: message` problems."""

    def __init__(self, problems: list[Problem] | str) -> None:
        if isinstance(problems, str):
            problems = [Problem(None, 0, 0, problems)]
        self.problems = problems
        lines = [str(p) for p in problems[:MAX_SHOWN]]
        if len(problems) > MAX_SHOWN:
            lines.append(f"... and {len(problems) - MAX_SHOWN:,} more problems")
        super().__init__("\n".join(lines))


class InputError(KitgenError):
    """A role profile, bank, template or candidates file is malformed or inconsistent."""


class SelectionError(KitgenError):
    """A role profile cannot be met by the eligible questions."""

    def __init__(self, message: str, loc: tuple[str | int, ...] = ()) -> None:
        super().__init__(message)
        self.loc = loc  # where in the role profile the unmet requirement is written


class RenderError(KitgenError):
    """A template failed to render, or asked for a resource it may not have."""


class OutputError(KitgenError):
    """An output file could not be written safely."""


class ScoreError(KitgenError):
    """A filled kit PDF or a ratings file could not be read or scored."""


def raise_if(problems: list[Problem], error: type[KitgenError] = InputError) -> None:
    """Raise one error listing every problem, sorted by file and position."""
    if problems:
        raise error(sorted(set(problems), key=Problem.sort_key))
