"""Text that goes to people: terminal tables, and untrusted text made safe to show."""

from __future__ import annotations

import re
from collections.abc import Sequence

LINE_LIMIT = 200  # characters kept of a one-line field (a name, a date)
TEXT_LIMIT = 10_000  # characters kept of notes and takeaways
CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]"
)


def clean_text(text: str, *, multiline: bool) -> str:
    """Untrusted text from a PDF or CSV made inert once, where it is read: control, escape
    and direction-changing characters become U+FFFD; a one-line field (a name) is one
    line; both are capped in length."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    if multiline:
        lines = [CONTROL.sub("\ufffd", line).rstrip() for line in text.split("\n")]
        text, limit = "\n".join(lines).strip("\n"), TEXT_LIMIT
    else:
        text, limit = " ".join(CONTROL.sub("\ufffd", text).split()), LINE_LIMIT
    return text if len(text) <= limit else text[:limit] + "…"


def quoted(value: object, limit: int = 40) -> str:
    """Any value as a short excerpt for a message: never whole lines of an arbitrary file."""
    if isinstance(value, str):
        return excerpt(value, limit)
    text = "".join(ch if ch.isprintable() else "?" for ch in repr(value))
    return text if len(text) <= limit else text[:limit] + "…"


def excerpt(value: str, limit: int = 40) -> str:
    """A short, quoted, printable excerpt of an untrusted value, for messages."""
    text = "".join(ch if ch.isprintable() else "?" for ch in value)
    return repr(text if len(text) <= limit else text[:limit] + "…")


def table(rows: Sequence[Sequence[str]], header: Sequence[str]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(str(cell).ljust(w) for cell, w in zip(header, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += [
        "  ".join(str(cell).ljust(w) for cell, w in zip(r, widths, strict=True)) for r in rows
    ]
    return "\n".join(line.rstrip() for line in lines)
