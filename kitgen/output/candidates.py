"""The candidates file of `--candidates`: one pre-filled copy of a kit per row.

Rendering is the slow part of a kit, so for a hiring drive the kit is rendered once with
empty fields and each candidate's copy gets its name, interviewer and date set in the
form (`kitgen.output.generate.write_unit`).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from kitgen._files import read_capped
from kitgen._text import quoted
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


MAX_FIELD = 200  # characters of a name, interviewer or date
MAX_CANDIDATES = 1000  # rows of one candidates file


def _is_header(row: list[str], line: int) -> bool:
    return line == 1 and row[0].strip().lower() in ("name", "candidate")


def _check_row(row: list[str], start: int, end: int, seen: dict[str, int]) -> str | None:
    """Why a row cannot be a candidate, or None."""
    cells = [cell.strip() for cell in row]
    if not any(cells) or _is_header(row, start):
        return None
    if len(seen) >= MAX_CANDIDATES:
        return f"more than {MAX_CANDIDATES} candidates; split the file"
    if any(not ch.isprintable() for cell in cells for ch in cell if ch not in "\n\r"):
        return "a value holds a control character; remove it"
    if end > start or any("\n" in cell or "\r" in cell for cell in cells):
        return f"a quote opened here is closed only at line {end}; close it on this line"
    if len(cells) > 3 or not cells[0]:
        return "expected: name, interviewer, date"
    if any(len(cell) > MAX_FIELD for cell in cells):
        return f"a value is longer than {MAX_FIELD} characters"
    slug = Candidate(cells[0], "", "").slug
    if slug in seen:
        return (
            f"{quoted(cells[0])} would share a file name with line {seen[slug]}; "
            "make the names distinct"
        )
    return None


def read_candidates(path: Path) -> list[Candidate]:
    """Rows of name, interviewer, date; a first row of column names is skipped."""
    raw = read_capped(path, MAX_CANDIDATES_BYTES, InputError)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        message = f"not UTF-8 (byte {exc.start}); save the file as UTF-8 CSV"
        raise InputError([Problem(str(path), 0, 0, message)]) from None
    reader = csv.reader(io.StringIO(text, newline=""))  # CR, LF and CRLF line ends alike
    candidates: list[Candidate] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    number = 0
    try:
        for row in reader:
            start, number = number + 1, reader.line_num
            problem = _check_row(row, start, number, seen)
            if problem:
                problems.append(Problem(str(path), start, 1, problem))
            elif row and any(cell.strip() for cell in row) and not _is_header(row, start):
                candidate = Candidate(*[*(cell.strip() for cell in row), "", ""][:3])
                seen[candidate.slug] = start
                candidates.append(candidate)
    except csv.Error as exc:
        message = f"not a readable CSV row ({str(exc)[:60]})"
        problems.append(Problem(str(path), reader.line_num, 1, message))
    if problems:
        raise InputError(problems)
    if not candidates:
        raise InputError([Problem(str(path), 0, 0, "no candidates in the file")])
    return candidates
