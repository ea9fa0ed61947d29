"""Read a YAML file into plain data plus the line and column of every key and value.

kitgen builds the data from libyaml's event stream itself rather than calling
`yaml.load`, so that in a single pass it can:
- record where every node sits (schema errors then point at the right line);
- reject duplicate keys, anchors/aliases (billion laughs) and non-standard tags;
- stop at a nesting limit before any recursion happens.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kitgen._files import read_capped
from kitgen._text import excerpt
from kitgen.errors import InputError, Problem

try:  # libyaml: about 5x faster on big banks
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - only where libyaml is absent
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

MAX_FILE_BYTES = 32 * 1024 * 1024
MAX_DEPTH = 32

_KEPT_AS_TEXT = {"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:merge"}
Path_ = tuple[str | int, ...]
_STANDARD_TAGS = {
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "map", "seq")
}


class _Loader(_BaseLoader):
    """The safe libyaml loader; kitgen drives its parser and scalar constructors directly."""


@dataclass
class YamlDocument:
    """A parsed YAML file: its data and where each part of it was written."""

    path: Path
    data: Any
    value_marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def locate(self, loc: Path_, *, key: bool = False) -> tuple[int, int]:
        """1-based line and column of the node at `loc`, or of its nearest located parent."""
        marks = self.key_marks if key else self.value_marks
        while True:
            if loc in marks:
                return marks[loc]
            if key and loc in self.value_marks:
                return self.value_marks[loc]
            if not loc:
                return (1, 1)
            loc = loc[:-1]

    def problem(self, loc: Path_, message: str, *, key: bool = False) -> Problem:
        line, column = self.locate(loc, key=key)
        return Problem(str(self.path), line, column, message)


def read_bytes(path: Path) -> bytes:
    """Read an input file with a size cap; a missing or unreadable file is located."""
    return read_capped(path, MAX_FILE_BYTES, InputError)


def decode(path: Path, raw: bytes) -> str:
    """UTF-8 (with or without BOM) or UTF-16 with BOM; anything else is located."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError([Problem(str(path), 1, 1, "not valid UTF-16")]) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(
            [
                Problem(
                    str(path),
                    line,
                    column,
                    f"not UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8",
                )
            ]
        ) from None


def read_text(path: Path) -> str:
    return decode(path, read_bytes(path))


def load_yaml(path: Path, text: str | None = None) -> YamlDocument:
    """Parse one YAML document; any problem raises an InputError with its location."""
    if text is None:
        text = read_text(path)
    if not text.strip():
        raise InputError([Problem(str(path), 1, 1, "file is empty; expected a YAML mapping")])
    builder = _Builder(path)
    loader = _Loader(text)
    try:
        builder.run(loader)
    except yaml.MarkedYAMLError as exc:
        raise InputError([_syntax_problem(path, text, exc)]) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise InputError(
            [
                Problem(
                    str(path),
                    line,
                    column,
                    f"control character U+{code:04X} is not allowed in YAML; remove it",
                )
            ]
        ) from None
    except yaml.YAMLError as exc:  # pragma: no cover - libyaml reports marks for all others
        raise InputError([Problem(str(path), 0, 0, f"YAML error: {exc}")]) from None
    finally:
        loader.dispose()
    return YamlDocument(path, builder.root, builder.value_marks, builder.key_marks)


def _syntax_problem(path: Path, text: str, exc: yaml.MarkedYAMLError) -> Problem:
    mark: Any = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
    if mark is not None and text[mark.index : mark.index + 1] == "\t":
        return Problem(str(path), line, column, "tab character not allowed; indent with spaces")
    problem = exc.problem or "invalid YAML"
    context = ""
    if exc.context and exc.context_mark is not None:
        context = f" ({exc.context} started at line {exc.context_mark.line + 1})"
    return Problem(str(path), line, column, f"YAML syntax error: {problem}{context}")


class _Builder:
    """Builds Python data from parser events without recursion."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.root: Any = None
        self.value_marks: dict[Path_, tuple[int, int]] = {}
        self.key_marks: dict[Path_, tuple[int, int]] = {}

    def _fail(self, mark: Any, message: str) -> InputError:
        return InputError([Problem(str(self.path), mark.line + 1, mark.column + 1, message)])

    def run(self, loader: _Loader) -> None:
        # Each frame: [container, path, pending_key, first_line_of_each_key]
        stack: list[list[Any]] = []
        documents = 0
        scalar_event, start_events = yaml.ScalarEvent, _START_EVENTS
        nodes = 0
        while True:
            event: Any = loader.get_event()
            kind = type(event)
            nodes += 1
            if nodes > MAX_NODES:  # memory grows with values, not only with bytes
                raise self._fail(
                    event.start_mark, f"too many values (more than {MAX_NODES:,}); split the file"
                )
            if kind is scalar_event:  # by far the most common event: checked first
                if event.anchor is not None or (event.tag is not None and event.tag != "!"):
                    self._check_node_event(event)
                value = self._scalar(loader, event)
                self._attach(stack, value, event.start_mark, placed=False)
            elif kind in start_events:
                self._check_node_event(event)
                if len(stack) >= MAX_DEPTH:
                    raise self._fail(
                        event.start_mark, f"nesting too deep (more than {MAX_DEPTH} levels)"
                    )
                path = self._child_path(stack)
                start: Any = event.start_mark
                self.value_marks[path] = (start.line + 1, start.column + 1)
                container: Any = {} if kind is yaml.MappingStartEvent else []
                stack.append([container, path, _NO_KEY, {}])
            elif kind in _END_EVENTS:
                finished = stack.pop()
                self._attach(stack, finished[0], event.start_mark, placed=True)
            elif kind is yaml.AliasEvent:
                raise self._fail(
                    event.start_mark,
                    f"YAML aliases (*{event.anchor}) are not supported; write the value out",
                )
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise self._fail(
                        event.start_mark, "only one YAML document per file; remove the extra '---'"
                    )
            elif kind is yaml.StreamEndEvent:
                break

    def _check_node_event(self, event: Any) -> None:
        if event.anchor is not None:
            raise self._fail(
                event.start_mark,
                f"YAML anchors (&{event.anchor}) are not supported; write the value out",
            )
        tag = event.tag
        if tag is not None and tag != "!" and tag not in _STANDARD_TAGS:
            message = f"unsupported YAML tag {excerpt(tag, 80)}; remove it"
            raise self._fail(event.start_mark, message)
        collection = isinstance(event, _START_EVENTS)
        wanted = {yaml.MappingStartEvent: _MAP_TAG, yaml.SequenceStartEvent: _SEQ_TAG}
        if collection and tag not in (None, "!", wanted[type(event)]):
            name = tag.rsplit(":", 1)[-1]
            raise self._fail(
                event.start_mark, f"the tag !!{name} does not fit this mapping or list"
            )

    @staticmethod
    def _child_path(stack: list[list[Any]]) -> Path_:
        if not stack:
            return ()
        container, path, key, _ = stack[-1]
        if isinstance(container, list):
            return (*path, len(container))
        return (*path, key)

    def _attach(self, stack: list[list[Any]], value: Any, mark: Any, *, placed: bool) -> None:
        if not stack:
            self.root = value
            if not placed:
                self.value_marks[()] = (mark.line + 1, mark.column + 1)
            return
        frame = stack[-1]
        container, parent_path, key, key_lines = frame
        if isinstance(container, list):
            if len(container) >= MAX_ITEMS:
                raise self._fail(mark, f"too many items in one list (more than {MAX_ITEMS:,})")
            if not placed:
                self.value_marks[(*parent_path, len(container))] = (mark.line + 1, mark.column + 1)
            container.append(value)
            return
        if key is _NO_KEY:  # this scalar is a key
            if value is None or value == "":
                raise self._fail(mark, "empty mapping key; write a name before the ':'")
            if isinstance(value, bool):
                raise self._fail(mark, "a key read as true/false (yes, no, on, off): quote it")
            if not isinstance(value, (str, int, float)):
                raise self._fail(mark, "mapping keys must be plain text or numbers")
            seen_as = str(value)  # 1 and "1" are one key once a schema reads them
            if seen_as in key_lines:
                raise self._fail(
                    mark,
                    f"duplicate key {excerpt(seen_as)} (first at line {key_lines[seen_as]}); "
                    "remove one",
                )
            key_lines[seen_as] = mark.line + 1
            if len(key_lines) > MAX_KEYS:
                raise self._fail(
                    mark, f"too many keys in one mapping (more than {MAX_KEYS:,}); is it a list?"
                )
            new_key: Any = value
            self.key_marks[(*parent_path, new_key)] = (mark.line + 1, mark.column + 1)
            frame[2] = value
            return
        if not placed:
            self.value_marks[(*parent_path, key)] = (mark.line + 1, mark.column + 1)
        container[key] = value
        frame[2] = _NO_KEY

    def _scalar(self, loader: Any, event: Any) -> Any:
        tag = event.tag
        if tag is None and event.style:  # quoted or block text (plain style is empty): a string
            return event.value
        explicit = tag not in (None, "!")
        if not explicit:
            tag = loader.resolve(yaml.ScalarNode, event.value, event.implicit)
        if tag == _STR_TAG or tag in _KEPT_AS_TEXT:  # dates and the like stay text
            return event.value
        if not explicit and tag == _INT_TAG and not _DECIMAL.fullmatch(event.value):
            # YAML 1.1 reads 1:30 as 90 (base 60), 074 as 60 (octal), 0x3c as 60: keep the
            # text, so a schema says it is not a whole number
            return event.value
        if not explicit and tag in _NUMBER_TAGS and ":" in event.value:
            return event.value
        if explicit and tag == _NULL_TAG and event.value.strip() not in ("", "~", "null"):
            raise self._fail(event.start_mark, f"!!null with a value ({excerpt(event.value)})")
        if tag not in _SCALAR_TAGS:
            name = tag.rsplit(":", 1)[-1]
            raise self._fail(event.start_mark, f"the tag !!{name} does not fit a single value")
        constructor = loader.yaml_constructors.get(tag)
        if constructor is None:
            return event.value
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        try:
            return constructor(loader, node)
        except (ValueError, KeyError, IndexError, TypeError, OverflowError):
            name = tag.rsplit(":", 1)[-1]
            kind = {"int": "a whole number", "float": "a number", "bool": "true or false"}.get(
                name, name
            )
            digits = sum(ch.isdigit() for ch in event.value)
            if name == "int" and digits > MAX_NUMBER_DIGITS:
                message = f"number too long ({digits} digits; at most {MAX_NUMBER_DIGITS})"
            else:
                message = f"{excerpt(event.value)} is not {kind}"
            raise self._fail(event.start_mark, message) from None


_NO_KEY = object()
_STR_TAG = "tag:yaml.org,2002:str"
_INT_TAG = "tag:yaml.org,2002:int"
_NULL_TAG = "tag:yaml.org,2002:null"
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_NUMBER_TAGS = {_INT_TAG, "tag:yaml.org,2002:float"}
_DECIMAL = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_SCALAR_TAGS = {
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null")
} | _KEPT_AS_TEXT
MAX_ITEMS = 20_000  # items of one list: a bank holds at most 20,000 questions
MAX_KEYS = 1_000  # keys of one mapping: no kitgen file needs more
MAX_NODES = 1_500_000  # YAML values in one file (a 10,000-question bank has about 500,000)
MAX_NUMBER_DIGITS = 4300  # Python's own limit for turning text into an int
_START_EVENTS = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_END_EVENTS = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
