"""Turn pydantic validation errors into plain-language, located problems."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError

from kitgen._text import quoted
from kitgen.errors import Problem
from kitgen.schema.yaml_source import YamlDocument


def problems_from_validation(
    doc: YamlDocument, error: ValidationError, model: type[BaseModel]
) -> list[Problem]:
    problems = []
    for item in error.errors(include_url=False):
        loc = tuple(part for part in item["loc"] if not _is_internal(part))
        if item["type"] == "extra_forbidden" and loc:
            key = loc[-1]
            hint = _did_you_mean(str(key), _allowed_keys(model, loc[:-1]))
            problems.append(doc.problem(loc, f"unknown key {quoted(key, 20)}{hint}", key=True))
        elif item["type"] == "invalid_key" and loc:
            message = f"key {quoted(loc[-1])} must be a name, not a number; put it in quotes"
            problems.append(doc.problem(loc, message, key=True))
        elif item["type"] == "missing" and loc:
            problems.append(doc.problem(loc[:-1], f"missing required key {loc[-1]!r}"))
        else:
            problems.append(doc.problem(loc, _message(loc, item)))
    return problems


def _is_internal(part: Any) -> bool:
    # pydantic adds the validator name of union/annotated branches to the location
    return isinstance(part, str) and ("[" in part or part.startswith("function-"))


def _message(loc: tuple[Any, ...], item: Any) -> str:
    name = _field_name(loc)
    kind = item["type"]
    ctx = item.get("ctx", {})
    given = item.get("input")
    if kind == "string_type":
        return f"{name} must be text; put it in quotes (got {quoted(given)})"
    if kind == "string_pattern_mismatch":
        return (
            f"{name} {quoted(given)} may use only lowercase letters, digits and '-' "
            "(for example 'deep-learning')"
        )
    if kind in ("string_too_short", "too_short"):
        return f"{name} must not be empty"
    if kind in ("string_too_long", "too_long"):
        return f"{name} is too long (at most {ctx.get('max_length')})"
    if kind == "literal_error":
        return f"{name} must be one of {ctx.get('expected')} (got {quoted(given)})"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"{name} must be a whole number (got {quoted(given)})"
    if kind in ("float_parsing", "float_type"):
        return f"{name} must be a number (got {quoted(given)})"
    if kind == "greater_than":
        return f"{name} must be greater than {_number(ctx.get('gt'))} (got {quoted(given)})"
    if kind == "greater_than_equal":
        return f"{name} must be at least {_number(ctx.get('ge'))} (got {quoted(given)})"
    if kind == "less_than_equal":
        return f"{name} must be at most {_number(ctx.get('le'))} (got {quoted(given)})"
    if kind in ("list_type",):
        return f"{name} must be a list (got {type(given).__name__})"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"{name} must be a mapping of keys to values (got {type(given).__name__})"
    message = str(item["msg"]).removeprefix("Value error, ")
    return f"{name}: {message}" if name != "file" else message


def _field_name(loc: tuple[Any, ...]) -> str:
    for part in reversed(loc):
        if isinstance(part, str):
            return part
    return "file" if not loc else "item"


def _allowed_keys(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    current: Any = model
    for part in loc:
        if isinstance(part, int) or current is None:
            continue
        field = current.model_fields.get(part) if hasattr(current, "model_fields") else None
        if field is not None:  # else `part` is a key of a dict field: stay on its value model
            current = _inner_model(field.annotation)
    if current is not None and hasattr(current, "model_fields"):
        return list(current.model_fields)
    return []


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _did_you_mean(word: str, choices: list[str]) -> str:
    hint = did_you_mean(word, choices)
    if hint:
        return hint
    if choices:
        return f"; allowed keys: {', '.join(choices)}"
    return ""


def did_you_mean(word: str, choices: list[str]) -> str:
    """A ' (did you mean 'x'?)' hint, or '' when nothing is close."""
    import difflib  # only when there is a message to write

    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _number(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)
