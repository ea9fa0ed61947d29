"""Read a filled kit PDF: its form values and the kit data embedded in it.

A PDF handed back for scoring is untrusted: it is size-capped, must be a regular file
that looks like a PDF, must not be encrypted, is parsed under a time limit, and a parser
failure becomes one clear error instead of a traceback. Objects in it are type-checked
before use: a damaged form is refused, never a crash.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
from collections.abc import Callable, Iterator
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

from kitgen._files import read_capped
from kitgen._limits import time_limit
from kitgen.errors import KitgenError, Problem, ScoreError
from kitgen.select.kit import KIT_DATA_NAME, kit_id_of

MAX_PDF_BYTES = 20 * 1024 * 1024
READ_SECONDS = 20.0
MAX_KIT_ITEMS = 1000  # questions, and categories, in one kit's data
_MAX_DEPTH = 32  # parent chains and JSON nesting of an untrusted file are bounded

Refuse = Callable[[str], ScoreError]


@dataclass(frozen=True)
class FilledKit:
    """One interviewer's filled kit: the kit as generated and the values typed into it."""

    path: Path
    kit: dict[str, Any]
    values: dict[str, str]
    digest: str = ""  # of the file's bytes: a copy of one PDF is one interviewer


def read_filled_kit(path: Path, *, form: bool = True) -> FilledKit:
    """The kit data and form values of a kit PDF; `form=False` reads only the kit data
    (a printed kit's PDF, flat or not, for scoring paper ratings)."""
    from pypdf.errors import PyPdfError  # only `kitgen score` needs pypdf

    refuse = _refusal(path)
    data = read_capped(path, MAX_PDF_BYTES, ScoreError)
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
    # pypdf raises these on damaged files; anything else is a bug of ours, and says so
    except (PyPdfError, ValueError, KeyError, IndexError, TypeError, RecursionError) as exc:
        raise refuse(
            f"cannot read the PDF's form fields ({type(exc).__name__}); "
            "is it a complete kitgen kit?"
        ) from None
    finally:
        pypdf_log.setLevel(previous)


def read_kit_file(path: Path) -> list[dict[str, Any]]:
    """The kits paper ratings were written on: one kit's data from its PDF (embedded) or
    its JSON (`generate --format json`), or every packet of a loop's JSON."""
    if path.suffix.lower() != ".json":
        return [read_filled_kit(path, form=False).kit]
    refuse = _refusal(path)
    with time_limit(f"reading {path.name}", READ_SECONDS):
        raw = read_capped(path, MAX_PDF_BYTES, ScoreError)
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):
            raise refuse("the kit data is damaged (not JSON)") from None
        if not (isinstance(data, dict) and "packets" in data):
            return [validated_kit(raw, refuse)]
        packets = data["packets"]  # a loop's JSON: each packet is checked as a kit
        if not isinstance(packets, list) or not 1 <= len(packets) <= MAX_KIT_ITEMS:
            raise refuse("the loop data is damaged (packets)")
        kits = [validated_kit(json.dumps(p).encode(), refuse) for p in packets]
        loops = {json.dumps(k.get("loop"), sort_keys=True) for k in kits}
        numbers = [(k.get("round") or {}).get("number") for k in kits]
        if len(loops) != 1 or numbers != list(range(1, len(kits) + 1)):
            raise refuse("the loop data is damaged (its packets are not one loop's)")
        return kits


def _refusal(path: Path) -> Refuse:
    def refuse(message: str) -> ScoreError:
        return ScoreError([Problem(str(path), 0, 0, message)])

    return refuse


def _parse(path: Path, data: bytes, refuse: Refuse, form: bool) -> FilledKit:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted:
        raise refuse("the PDF is encrypted; save an unprotected copy to score it")
    embedded = reader.attachments.get(KIT_DATA_NAME)
    if not embedded:
        raise refuse("no kitgen data in this PDF; score the PDFs that kitgen generate wrote")
    kit = validated_kit(embedded[0], refuse)
    digest = hashlib.sha256(data).hexdigest()
    if not form:
        return FilledKit(path, kit, {}, digest)
    values = _field_values(reader)
    if values is None:
        raise refuse(
            "the PDF has no form fields (it was generated with --no-fillable); score a fillable kit"
        )
    return FilledKit(path, kit, values, digest)


class _Named(BaseModel):
    model_config = ConfigDict(extra="ignore", allow_inf_nan=False)


_Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80)]


class _KitCategory(_Named):
    id: _Id
    title: str
    weight: float = Field(ge=0, le=1000)


class _KitQuestion(_Named):
    id: _Id
    category: str
    number: int
    bar: int | None = Field(default=None, ge=1, le=10)


class _ScalePoint(_Named):
    value: int
    label: str


_Hash = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{6,64}$")]


class _LoopRound(_Named):
    number: int = Field(ge=1, le=MAX_KIT_ITEMS)
    name: str = Field(max_length=200)
    categories: list[_Id] = Field(max_length=MAX_KIT_ITEMS)


class _Loop(_Named):
    loop_id: _Hash
    rounds: list[_LoopRound] = Field(min_length=1, max_length=MAX_KIT_ITEMS)
    categories: list[_KitCategory] = Field(min_length=1, max_length=MAX_KIT_ITEMS)

    @model_validator(mode="after")
    def _consistent(self) -> _Loop:
        numbers = [r.number for r in self.rounds]
        if numbers != list(range(1, len(numbers) + 1)):
            raise ValueError("the loop's rounds are not numbered 1, 2, ...")
        ids = {c.id for c in self.categories}
        if len(ids) != len(self.categories):
            raise ValueError("a loop category is listed twice")
        if any(c not in ids for r in self.rounds for c in r.categories):
            raise ValueError("a round's category is missing from the loop")
        return self


class _PacketRound(_Named):
    number: int
    name: str


class EmbeddedKit(_Named):
    """The part of an embedded kit that scoring relies on; the PDF is untrusted."""

    kit_id: _Hash
    loop: _Loop | None = None  # a packet's or a combined document's loop
    round: _PacketRound | None = None  # a packet's round
    role: str
    level: str
    rating_scale: list[_ScalePoint] = Field(min_length=2, max_length=10)
    # bounded like the role profiles kitgen generates from: scoring stays linear and small
    categories: list[_KitCategory] = Field(min_length=1, max_length=MAX_KIT_ITEMS)
    questions: list[_KitQuestion] = Field(min_length=1, max_length=MAX_KIT_ITEMS)

    @model_validator(mode="after")
    def _consistent(self) -> EmbeddedKit:
        categories = {c.id for c in self.categories}
        ids = [q.id for q in self.questions]
        if len(set(ids)) != len(ids):
            raise ValueError("a question is listed twice")
        if any(q.category not in categories for q in self.questions):
            raise ValueError("a question's category is missing")
        if any(q.bar is not None and q.bar > len(self.rating_scale) for q in self.questions):
            raise ValueError("a question's bar is off the rating scale")
        if self.round is not None:
            if self.loop is None:
                raise ValueError("a packet's round without its loop")
            rounds = {r.number: r.name for r in self.loop.rounds}
            if rounds.get(self.round.number) != self.round.name:
                raise ValueError("the packet's round is not one of its loop's")
        if self.loop is not None:  # the loop's weights score the loop: they must agree
            weights = {c.id: c.weight for c in self.loop.categories}
            if any(weights.get(c.id) != c.weight for c in self.categories):
                raise ValueError("a category's weight differs from its loop's")
        return self


def validated_kit(raw: bytes, refuse: Refuse) -> dict[str, Any]:
    """Kit data that scoring can rely on: well-formed, and as kitgen generated it."""
    try:
        kit = json.loads(raw)
        EmbeddedKit.model_validate(kit)
    except ValidationError as exc:
        where = ".".join(str(p) for p in exc.errors()[0]["loc"]) or "kit"
        raise refuse(f"the kit data is damaged ({where}: {exc.errors()[0]['msg']})") from None
    except RecursionError:
        raise refuse("the kit data is damaged (nested too deeply)") from None
    except ValueError as exc:
        raise refuse(f"the kit data is damaged ({str(exc)[:80]})") from None
    if _has_control_characters(kit):  # kitgen's YAML loader never lets one through
        raise refuse("the kit data is damaged (control characters in its text)")
    if kit_id_of(kit) != kit["kit_id"]:
        # The kit ID is a hash of the kit data: data altered after generation (a raised
        # weight, a changed scale, a swapped question) no longer matches it.
        raise refuse(
            f"the embedded kit data does not match kit ID {kit['kit_id']}: it was altered "
            "after kitgen generated it, or the kit was made by a kitgen before 0.2; "
            "score an unaltered copy, or regenerate the kit"
        )
    return dict(kit)


def _has_control_characters(data: Any) -> bool:
    if isinstance(data, str):
        return any((ord(ch) < 32 and ch != "\n") or 127 <= ord(ch) < 160 for ch in data)
    if isinstance(data, dict):
        return any(
            _has_control_characters(k) or _has_control_characters(v) for k, v in data.items()
        )
    if isinstance(data, list):
        return any(_has_control_characters(item) for item in data)
    return False


def _field_values(reader: Any) -> dict[str, str] | None:
    """Field name -> value as text, from whatever a viewer wrote; None without a form.

    A radio group's value is, in this order: the field's /V; else the state of the widget
    whose /AS is on (PDFium and pdf.js may leave the field's /V alone); else a widget's
    own /V. Text keeps its line breaks, normalised to "\n".
    """
    from pypdf.generic import DictionaryObject

    fields: dict[str, tuple[Any, list[Any]]] = {}
    for page in reader.pages:
        annotations = page.get("/Annots")
        annotations = annotations.get_object() if annotations is not None else []
        for ref in annotations if isinstance(annotations, list) else []:
            widget = ref.get_object()
            if not isinstance(widget, DictionaryObject) or widget.get("/Subtype") != "/Widget":
                continue
            field = widget if "/T" in widget else _parent(widget)
            if field is None or not (name := _qualified_name(field)):
                continue
            fields.setdefault(name, (field, []))[1].append(widget)
    if not fields:
        return None
    values: dict[str, str] = {}
    for name, (field, widgets) in fields.items():
        kind = _inherited(field, "/FT")
        if kind == "/Btn":
            state = _chosen_state(field, widgets)
            if state is not None:
                values[name] = state
        elif kind == "/Tx":
            value = _inherited(field, "/V")
            if isinstance(value, str):  # pypdf's text strings are str; anything else is junk
                values[name] = value.replace("\r\n", "\n").replace("\r", "\n")
    return values


def _parent(node: Any) -> Any:
    from pypdf.generic import DictionaryObject

    parent = node.get("/Parent")
    parent = parent.get_object() if parent is not None else None
    return parent if isinstance(parent, DictionaryObject) else None


def _ancestors(field: Any) -> Iterator[Any]:
    """The field and its parents, nearest first (bounded: a cycle cannot loop)."""
    for _ in range(_MAX_DEPTH):
        if field is None:
            return
        yield field
        field = _parent(field)


def _qualified_name(field: Any) -> str:
    parts = [str(node["/T"]) for node in _ancestors(field) if "/T" in node]
    return ".".join(reversed(parts))


def _inherited(field: Any, key: str) -> Any:
    return next((node[key] for node in _ancestors(field) if key in node), None)


def _chosen_state(field: Any, widgets: list[Any]) -> str | None:
    candidates = [field.get("/V")]
    candidates += [w.get("/AS") for w in widgets]
    candidates += [w.get("/V") for w in widgets if w is not field]
    for value in candidates:
        state = str(value).removeprefix("/") if isinstance(value, str) else ""
        if state not in ("", "Off"):
            return state
    return None
