"""Read a filled kit PDF: its form values and the kit data embedded in it.

A PDF handed back for scoring is untrusted: it is size-capped, must look like a PDF, must
not be encrypted, is parsed under a time limit, and any parser failure becomes one clear
error instead of a traceback.
"""

from __future__ import annotations

import io
import json
import logging
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

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
        info = path.stat()
        size = info.st_size
        if not stat.S_ISREG(info.st_mode):
            raise refuse("not a regular file")
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
        EmbeddedKit.model_validate(kit)
    except ValidationError as exc:
        where = ".".join(str(p) for p in exc.errors()[0]["loc"]) or "kit"
        raise refuse(
            f"the embedded kit data is damaged ({where}: {exc.errors()[0]['msg']})"
        ) from None
    except ValueError as exc:
        raise refuse(f"the embedded kit data is damaged ({exc})") from None
    if not reader.get_fields():
        raise refuse(
            "the PDF has no form fields (it was generated with --no-fillable); score a fillable kit"
        )
    return FilledKit(path, kit, _field_values(reader))


class _Named(BaseModel):
    model_config = ConfigDict(extra="ignore", allow_inf_nan=False)


class _KitCategory(_Named):
    id: str
    title: str
    weight: float = Field(ge=0, le=1000)


class _KitQuestion(_Named):
    id: str
    category: str
    number: int


class _ScalePoint(_Named):
    value: int
    label: str


class EmbeddedKit(_Named):
    """The part of an embedded kit that scoring relies on; the PDF is untrusted."""

    kit_id: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{6,64}$")]
    role: str
    level: str
    rating_scale: list[_ScalePoint] = Field(min_length=2, max_length=10)
    categories: list[_KitCategory] = Field(min_length=1)
    questions: list[_KitQuestion] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> EmbeddedKit:
        categories = {c.id for c in self.categories}
        ids = [q.id for q in self.questions]
        if len(set(ids)) != len(ids):
            raise ValueError("a question is listed twice")
        if any(q.category not in categories for q in self.questions):
            raise ValueError("a question's category is missing")
        return self


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
