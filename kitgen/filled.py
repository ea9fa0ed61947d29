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
from collections.abc import Callable
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


def read_filled_kit(path: Path, *, form: bool = True) -> FilledKit:
    """The kit data and form values of a kit PDF; `form=False` reads only the kit data
    (a printed kit's PDF, flat or not, for scoring paper ratings)."""
    refuse = _refusal(path)
    data = _read_capped(path, refuse)
    if b"%PDF-" not in data[:1024]:
        raise refuse("not a PDF file")
    # pypdf reports recoverable damage through logging; the error below is what users see.
    pypdf_log = logging.getLogger("pypdf")
    previous = pypdf_log.level
    pypdf_log.setLevel(logging.CRITICAL)
    try:
        with time_limit(f"reading {path.name}", READ_SECONDS):
            return _parse(path, data, refuse, form)
    except KitgenError:
        raise
    except Exception as exc:
        raise refuse(
            f"cannot read the PDF's form fields ({type(exc).__name__}: {exc}); "
            "is it a complete kitgen kit?"
        ) from None
    finally:
        pypdf_log.setLevel(previous)


def read_kit_file(path: Path) -> dict[str, Any]:
    """A kit's data from its PDF (embedded) or from its JSON (`generate --format json`)."""
    if path.suffix.lower() != ".json":
        return read_filled_kit(path, form=False).kit
    refuse = _refusal(path)
    return validated_kit(_read_capped(path, refuse), refuse)


def _refusal(path: Path) -> Callable[[str], ScoreError]:
    def refuse(message: str) -> ScoreError:
        return ScoreError([Problem(str(path), 0, 0, message)])

    return refuse


def _read_capped(path: Path, refuse: Callable[[str], ScoreError]) -> bytes:
    try:
        info = path.stat()
        size = info.st_size
        if not stat.S_ISREG(info.st_mode):
            raise refuse("not a regular file")
        if size > MAX_PDF_BYTES:
            raise refuse(f"file too large ({size:,} bytes; the limit is {MAX_PDF_BYTES:,})")
        return path.read_bytes()
    except OSError as exc:
        raise refuse(f"cannot read: {exc.strerror}") from None


def _parse(path: Path, data: bytes, refuse: Callable[[str], ScoreError], form: bool) -> FilledKit:
    from pypdf import PdfReader  # only `kitgen score` needs pypdf

    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted:
        raise refuse("the PDF is encrypted; save an unprotected copy to score it")
    embedded = reader.attachments.get(KIT_DATA_NAME)
    if not embedded:
        raise refuse("no kitgen data in this PDF; score the PDFs that kitgen generate wrote")
    kit = validated_kit(embedded[0], refuse)
    if not form:
        return FilledKit(path, kit, {})
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


def validated_kit(raw: bytes, refuse: Callable[[str], ScoreError]) -> dict[str, Any]:
    """Kit data that scoring can rely on: well-formed, and as kitgen generated it."""
    try:
        kit = json.loads(raw)
        EmbeddedKit.model_validate(kit)
    except ValidationError as exc:
        where = ".".join(str(p) for p in exc.errors()[0]["loc"]) or "kit"
        raise refuse(f"the kit data is damaged ({where}: {exc.errors()[0]['msg']})") from None
    except ValueError as exc:
        raise refuse(f"the kit data is damaged ({exc})") from None
    check_kit_id(kit, refuse)
    return dict(kit)


def check_kit_id(kit: dict[str, Any], refuse: Callable[[str], ScoreError]) -> None:
    """The kit ID is a hash of the kit data: data altered after generation no longer
    matches it (a raised weight, a changed scale, a swapped question)."""
    from kitgen.kit import kit_id_of

    if kit_id_of(kit) != kit["kit_id"]:
        raise refuse(
            f"the embedded kit data does not match kit ID {kit['kit_id']}: it was altered "
            "after kitgen generated it; score an unaltered copy"
        )


def _field_values(reader: Any) -> dict[str, str]:
    """Field name -> value as text, from whatever a viewer wrote.

    A radio group's value is, in this order: the field's /V; else the state of the widget
    whose /AS is on (PDFium and pdf.js may leave the field's /V alone); else a widget's
    own /V. Kits made before the form was restructured name their states /0, /1, ... with
    the values in the field's /Opt; those are read through /Opt. Text keeps its line
    breaks, normalised to "\n".
    """
    fields: dict[str, tuple[Any, list[Any]]] = {}
    for page in reader.pages:
        for ref in page.get("/Annots") or []:
            widget = ref.get_object()
            if widget.get("/Subtype") != "/Widget":
                continue
            field = _terminal_field(widget)
            name = _qualified_name(field)
            if name:
                fields.setdefault(name, (field, []))[1].append(widget)
    values: dict[str, str] = {}
    for name, (field, widgets) in fields.items():
        kind = _inherited(field, "/FT")
        if kind == "/Btn":
            state = _chosen_state(field, widgets)
            if state is not None:
                values[name] = _export_value(field, state)
        elif kind == "/Tx":
            value = _inherited(field, "/V")
            if value is not None:
                values[name] = _text(value)
    return values


def _terminal_field(widget: Any) -> Any:
    """The field a widget belongs to: itself when it is named, else its parent. A widget
    that repeats its parent's name (WeasyPrint's raw radio kids) belongs to the parent."""
    parent = widget.get("/Parent")
    parent = parent.get_object() if parent is not None else None
    if "/T" not in widget:
        return parent if parent is not None else widget
    if parent is not None and parent.get("/T") == widget.get("/T"):
        return parent
    return widget


def _qualified_name(field: Any) -> str:
    parts: list[str] = []
    seen = 0
    while field is not None and seen < 32:  # the parent chain of an untrusted file is bounded
        if "/T" in field:
            parts.append(str(field["/T"]))
        parent = field.get("/Parent")
        field = parent.get_object() if parent is not None else None
        seen += 1
    return ".".join(reversed(parts))


def _inherited(field: Any, key: str) -> Any:
    seen = 0
    while field is not None and seen < 32:
        if key in field:
            return field[key]
        parent = field.get("/Parent")
        field = parent.get_object() if parent is not None else None
        seen += 1
    return None


def _chosen_state(field: Any, widgets: list[Any]) -> str | None:
    def on(value: Any) -> str | None:
        text = str(value).removeprefix("/") if value is not None else ""
        return text if text not in ("", "Off") else None

    candidates = [field.get("/V")]
    candidates += [w.get("/AS") for w in widgets]
    candidates += [w.get("/V") for w in widgets if w is not field]
    for value in candidates:
        if (state := on(value)) is not None:
            return state
    return None


def _export_value(field: Any, state: str) -> str:
    options = field.get("/Opt")
    if options is not None and state.isdigit() and int(state) < len(options):
        option = options[int(state)]
        option = option.get_object() if hasattr(option, "get_object") else option
        return str(option[0] if isinstance(option, list) else option)
    return state


def _text(value: Any) -> str:
    text = str(value.get_object() if hasattr(value, "get_object") else value)
    return text.replace("\r\n", "\n").replace("\r", "\n")
