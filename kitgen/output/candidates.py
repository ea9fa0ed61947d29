"""The candidates file of `--candidates`: one pre-filled copy of a kit per row.

Rendering is the slow part of a kit, so for a hiring drive the kit is rendered once with
empty fields and each candidate's copy gets its name, interviewer and date set in the
form (`kitgen.output.generate.write_copies`).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from kitgen._files import read_capped
from kitgen.errors import InputError, Problem

MAX_CANDIDATES_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class Candidate:
    name: str
    interviewer: str
    date: str

    @property
    def slug(self) -> str:
        # letters of any script stay (José Núñez -> josé-núñez); the rest becomes '-'
        return re.sub(r"[\W_]+", "-", self.name.lower()).strip("-") or "candidate"


def read_candidates(path: Path) -> list[Candidate]:
    """Rows of name, interviewer, date; a first row of column names is skipped."""
    raw = read_capped(path, MAX_CANDIDATES_BYTES, InputError)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        message = f"not UTF-8 (byte {exc.start}); save the file as UTF-8 CSV"
        raise InputError([Problem(str(path), 0, 0, message)]) from None
    rows = [row for row in csv.reader(io.StringIO(text))]
    candidates: list[Candidate] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows, start=1):
        cells = [cell.strip() for cell in row]
        if not any(cells):
            continue
        if number == 1 and cells[0].lower() in ("name", "candidate"):
            continue
        if len(cells) > 3 or not cells[0]:
            problems.append(Problem(str(path), number, 1, "expected: name, interviewer, date"))
            continue
        candidate = Candidate(*[*cells, "", ""][:3])
        if candidate.slug in seen:
            problems.append(
                Problem(
                    str(path),
                    number,
                    1,
                    f"{candidate.name!r} would share a file name with line "
                    f"{seen[candidate.slug]}; make the names distinct",
                )
            )
        seen[candidate.slug] = number
        candidates.append(candidate)
    if problems:
        raise InputError(problems)
    if not candidates:
        raise InputError([Problem(str(path), 0, 0, "no candidates in the file")])
    return candidates
