"""Read a filled kit PDF: its form values and the kit data embedded in it.

A PDF handed back for scoring is untrusted: it is size-capped, must look like a PDF, must
not be encrypted, is parsed under a time limit, and any parser failure becomes one clear
error instead of a traceback.
"""

from __future__ import annotations

import io
import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kitgen.errors import KitgenError, Problem, ScoreError
from kitgen.limits import time_limit

MAX_PDF_BYTES = 20 * 1024 * 1024
READ_SECONDS = 20.0
KIT_DATA_NAME = "kitgen-kit.json"


@dataclass(frozen=True)
class FilledKit:
    """One interviewer's filled kit: the kit as generated and the values typed into it."""

    path: Path
    kit: dict[str, Any]
    values: dict[str, str]


def read_filled_kit(path: Path) -> FilledKit:
    def refuse(message: str) -> ScoreError:
        return ScoreError([Problem(str(path), 0, 0, message)])

    try:
        size = path.stat().st_size
        if size > MAX_PDF_BYTES:
            raise refuse(f"file too large ({size:,} bytes; the limit is {MAX_PDF_BYTES:,})")
        data = path.read_bytes()
    except OSError as exc:
        raise refuse(f"cannot read: {exc.strerror}") from None
    if b"%PDF-" not in data[:1024]:
        raise refuse("not a PDF file")
    # pypdf reports recoverable damage through logging; the error below is what users see.
    pypdf_log = logging.getLogger("pypdf")
    previous = pypdf_log.level
    pypdf_log.setLevel(logging.CRITICAL)
    try:
        with time_limit(f"reading {path.name}", READ_SECONDS):
            return _parse(path, data, refuse)
    except KitgenError:
        raise
    except Exception as exc:
        raise refuse(
            f"cannot read the PDF's form fields ({type(exc).__name__}: {exc}); "
            "is it a complete kitgen kit?"
        ) from None
    finally:
        pypdf_log.setLevel(previous)


def _parse(path: Path, data: bytes, refuse: Any) -> FilledKit:
    from pypdf import PdfReader  # only `kitgen score` needs pypdf

    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted:
        raise refuse("the PDF is encrypted; save an unprotected copy to score it")
    embedded = reader.attachments.get(KIT_DATA_NAME)
    if not embedded:
        raise refuse("no kitgen data in this PDF; score the PDFs that kitgen generate wrote")
    try:
        kit = json.loads(embedded[0])
        _check_kit_data(kit)
    except (ValueError, TypeError, KeyError) as exc:
        raise refuse(f"the embedded kit data is damaged ({exc})") from None
    return FilledKit(path, kit, _field_values(reader))


def _check_kit_data(kit: Any) -> None:
    if not isinstance(kit, dict):
        raise TypeError("not a JSON object")
    for key in ("kit_id", "role", "categories", "questions", "rating_scale"):
        if key not in kit:
            raise KeyError(key)
    if not re.fullmatch(r"[0-9a-f]{6,64}", str(kit["kit_id"])):
        raise ValueError("kit_id is not a kitgen kit ID")
    for question in kit["questions"]:
        str(question["id"]), str(question["category"])
    for category in kit["categories"]:
        str(category["id"]), float(category["weight"])


def _field_values(reader: Any) -> dict[str, str]:
    """Field name -> value as text: a radio's value is its option's export value."""
    values: dict[str, str] = {}
    for name, field in (reader.get_fields() or {}).items():
        if "." in name:  # a radio kid that repeats its parent's name; the parent holds /V
            continue
        value = field.get("/V")
        if value is None:
            continue
        text = str(value)
        options = field.get("/Opt")
        if field.get("/FT") == "/Btn":
            if text in ("/Off", ""):
                continue
            state = text.removeprefix("/")
            if options is not None and state.isdigit() and int(state) < len(options):
                option = options[int(state)]
                text = str(option[0] if isinstance(option, list) else option)
            else:
                text = state
        values[name] = text
    return values
