"""One exception tree: every user-facing failure is a KitgenError (exit 1, no traceback)."""

from __future__ import annotations

from dataclasses import dataclass

import click


@dataclass(frozen=True, order=True)
class Problem:
    """One located problem in one input file."""

    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        if self.line:
            return f"{self.path}:{self.line}:{self.column}: {self.message}"
        return f"{self.path}: {self.message}"


class KitgenError(click.ClickException):
    """A failure the user can fix; printed as one or more `file:line:col: message` lines."""

    exit_code = 1

    def __init__(self, problems: list[Problem] | str) -> None:
        if isinstance(problems, str):
            problems = [Problem("kitgen", 0, 0, problems)]
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    def show(self, file: object = None) -> None:
        click.echo(self.format_message(), err=True)


class InputError(KitgenError):
    """A role profile, bank or template is malformed or inconsistent."""


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
    """A filled kit PDF could not be read or scored."""


def raise_if(problems: list[Problem], error: type[KitgenError] = InputError) -> None:
    """Raise one error listing every problem, sorted by file and position."""
    if problems:
        raise error(sorted(set(problems)))
