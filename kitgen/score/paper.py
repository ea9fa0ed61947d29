"""Ratings typed from printed kits: `kitgen score --ratings FILE.csv --kit KIT.(pdf|json)`.

One row per mark, a first row of column names:

    interviewer,question,rating,notes
    Ada,1,3,Clear on attention masks
    Ada,nlp-positional-information,na,
    Ada,recommendation,yes,
    Ada,takeaways,"Strong on retrieval; probe cost next round",

`question` is a question's id or its number as printed in the kit (`3` or `Q3`; against a
loop's JSON, with its round: `R2 Q3`), or `recommendation` / `takeaways`; `rating` is a
rating of the kit's scale or `na` (for a recommendation: strong-no, no, yes, strong-yes;
for takeaways: the text). `notes` and
`candidate` are optional columns. Each interviewer becomes one scorecard.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kitgen._files import read_capped
from kitgen._text import excerpt
from kitgen.errors import Problem, ScoreError
from kitgen.schema.messages import did_you_mean
from kitgen.score.scoring import (
    RECOMMENDATIONS,
    OffScale,
    Scorecard,
    parse_rating,
    scorecard_from_values,
)

MAX_RATINGS_BYTES = 2 * 1024 * 1024
REQUIRED = ("interviewer", "question", "rating")
OPTIONAL = ("notes", "candidate")


@dataclass(frozen=True)
class _Row:
    line: int
    columns: list[int]  # the 1-based character column where each cell starts
    cells: dict[str, str]


def read_paper_ratings(path: Path, kits: list[dict[str, Any]]) -> list[Scorecard]:
    """One scorecard per interviewer; every bad row is reported, at its line and column.

    `kits` is the kit the ratings were written on, or a loop's packets: then each
    interviewer's questions must come from one packet, and a number names its round too
    (`R2 Q3`).
    """
    rows, header, problems = _read_rows(path)
    if problems:
        raise ScoreError(problems)
    loop = len(kits) > 1  # one packet alone: its numbers as printed in it
    packet_of = {q["id"]: kit for kit in kits for q in kit["questions"]}
    numbers = {
        _number_key(kit, q["number"], loop=loop): q["id"] for kit in kits for q in kit["questions"]
    }
    ids = set(packet_of)
    scale_max = len(kits[0]["rating_scale"])
    values: dict[str, dict[str, str]] = {}
    first_line: dict[str, int] = {}
    seen: dict[tuple[str, str], int] = {}
    candidates: dict[str, int] = {}

    def problem(row: _Row, column: str, message: str) -> None:
        position = header.index(column)
        problems.append(Problem(str(path), row.line, row.columns[position], message))

    for row in rows:
        who = row.cells["interviewer"]
        asked = row.cells["question"]
        mark = row.cells["rating"]
        if not who:
            problem(row, "interviewer", "no interviewer named")
            continue
        key = _question_key(asked, numbers, ids, loop=loop)
        if key is None:
            span = (
                "a round and number such as R1 Q2" if loop else f"a number from 1 to {len(numbers)}"
            )
            hint = did_you_mean(asked, sorted(ids)) or (
                f"; use a question id, {span}, 'recommendation' or 'takeaways'"
            )
            problem(row, "question", f"unknown question {excerpt(asked)}{hint}")
            continue
        if (who, key) in seen:
            what = key.split(":", 1)[-1]
            problem(
                row,
                "question",
                f"{excerpt(who)} marks {what} twice (first at line {seen[(who, key)]})",
            )
            continue
        seen[(who, key)] = row.line
        marks = values.setdefault(who, {"interviewer": who})
        first_line.setdefault(who, row.line)
        if candidate := row.cells.get("candidate", ""):
            candidates.setdefault(candidate, row.line)
            marks["candidate"] = candidate
        if key == "recommendation":
            choice = _recommendation(mark)
            if mark and choice is None:
                problem(
                    row,
                    "rating",
                    f"recommendation {excerpt(mark)} is not one of {', '.join(RECOMMENDATIONS)}",
                )
            marks[key] = choice or ""
        elif key == "takeaways":
            marks[key] = mark or row.cells.get("notes", "")
        else:
            try:
                parse_rating(mark, scale_max)
            except OffScale:
                message = f"rating {excerpt(mark)} is off the scale (1-{scale_max} or na)"
                problem(row, "rating", message)
            marks[key] = mark
            if note := row.cells.get("notes", ""):
                marks["notes:" + key.removeprefix("rating:")] = note
    if len(candidates) > 1:
        names = ", ".join(f"{excerpt(c)} (line {n})" for c, n in candidates.items())
        problems.append(Problem(str(path), 0, 0, f"one candidate per ratings file; found {names}"))
    for who, marks in values.items():
        if not any(k.startswith("rating:") and v.strip() for k, v in marks.items()):
            problems.append(
                Problem(str(path), first_line[who], 1, f"{excerpt(who)} rates no question")
            )
    chosen: dict[str, dict[str, Any]] = {}
    for who, marks in values.items():
        rated = [k.removeprefix("rating:") for k in marks if k.startswith("rating:")]
        rounds = {id(packet_of[q]): packet_of[q] for q in rated}
        if len(rounds) > 1:
            names = ", ".join(f"R{(k.get('round') or {}).get('number')}" for k in rounds.values())
            problems.append(
                Problem(
                    str(path),
                    first_line[who],
                    1,
                    f"{excerpt(who)} rates questions of {names}: one interviewer, one round "
                    "(packet) of the loop",
                )
            )
        elif rounds:
            chosen[who] = next(iter(rounds.values()))
    if not rows:
        problems.append(Problem(str(path), 0, 0, "no ratings in the file"))
    if problems:
        raise ScoreError(sorted(problems, key=Problem.sort_key))
    return [scorecard_from_values(chosen[who], marks, path) for who, marks in values.items()]


def _number_key(kit: dict[str, Any], number: int, *, loop: bool) -> str:
    """How a question's printed number is written in a ratings file: `3`, or `r2q3`."""
    if not loop:
        return str(number)
    return f"r{(kit.get('round') or {}).get('number')}q{number}"


def _question_key(asked: str, numbers: dict[str, str], ids: set[str], *, loop: bool) -> str | None:
    text = asked.strip()
    if text.lower() in ("recommendation", "takeaways"):
        return text.lower()
    if loop:  # "R2 Q3", "r2q3", "R2.Q3", "R2-3"
        found = re.fullmatch(r"[Rr]\s*0*([0-9]{1,4})\s*[ .·-]?\s*[Qq]?\s*0*([0-9]{1,4})", text)
        if found and f"r{found[1]}q{found[2]}" in numbers:
            return "rating:" + numbers[f"r{found[1]}q{found[2]}"]
    else:
        number = re.fullmatch(r"[Qq]?([0-9]{1,4})", text)
        if number and number.group(1).lstrip("0") in numbers:
            return "rating:" + numbers[number.group(1).lstrip("0")]
    return "rating:" + text if text in ids else None


def _recommendation(mark: str) -> str | None:
    value = "-".join(mark.lower().split())
    return value if value in RECOMMENDATIONS else None


def _read_rows(path: Path) -> tuple[list[_Row], list[str], list[Problem]]:
    def fail(line: int, column: int, message: str) -> tuple[list[_Row], list[str], list[Problem]]:
        return [], [], [Problem(str(path), line, column, message)]

    try:
        text = read_capped(path, MAX_RATINGS_BYTES, ScoreError).decode("utf-8-sig")
    except ScoreError as exc:
        return [], [], exc.problems
    except UnicodeDecodeError as exc:
        return fail(0, 0, f"not UTF-8 (byte {exc.start}); save the file as UTF-8 CSV")
    physical = re.split(r"\r\n|\r|\n", text)  # the line ends the csv module knows
    reader = csv.reader(io.StringIO(text, newline=""))  # CR, LF and CRLF line ends alike
    try:
        header_cells = next(reader, None)
    except csv.Error as exc:
        return fail(1, 1, f"not a CSV file ({exc})")
    if header_cells is None:
        return fail(0, 0, "the file is empty; expected a header row: " + ",".join(REQUIRED))
    header = [cell.strip().lower() for cell in header_cells]
    columns = _cell_columns(physical[0] if physical else "")
    problems = []
    for index, name in enumerate(header):
        if name not in REQUIRED + OPTIONAL:
            hint = did_you_mean(name, list(REQUIRED + OPTIONAL)) or (
                "; the columns are " + ", ".join(REQUIRED + OPTIONAL)
            )
            problems.append(
                Problem(str(path), 1, _at(columns, index), f"unknown column {excerpt(name)}{hint}")
            )
    for index, name in enumerate(header):
        if name in header[:index]:
            message = f"column {excerpt(name)} is given twice"
            problems.append(Problem(str(path), 1, _at(columns, index), message))
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        problems.append(
            Problem(
                str(path),
                1,
                1,
                f"missing column {', '.join(missing)}; the first row names "
                "the columns: interviewer,question,rating",
            )
        )
    if problems:
        return [], header, problems
    rows = []
    line = reader.line_num + 1
    try:
        for cells in reader:
            start, line = line, reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) > len(header):
                problems.append(
                    Problem(
                        str(path), start, 1, f"{len(cells)} cells; the header has {len(header)}"
                    )
                )
                continue
            padded = [cell.strip() for cell in cells] + [""] * (len(header) - len(cells))
            row_columns = _cell_columns(physical[start - 1] if start <= len(physical) else "")
            rows.append(
                _Row(
                    start,
                    [_at(row_columns, i) for i in range(len(header))],
                    dict(zip(header, padded, strict=True)),
                )
            )
    except csv.Error as exc:
        problems.append(Problem(str(path), reader.line_num, 1, f"not valid CSV ({exc})"))
    return rows, header, problems


def _cell_columns(line: str) -> list[int]:
    """Where each cell of a CSV line starts (1-based), honouring quoted commas."""
    columns, quoted = [1], False
    for index, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            columns.append(index + 2)
    return columns


def _at(columns: list[int], index: int) -> int:
    return columns[index] if index < len(columns) else (columns[-1] if columns else 1)
