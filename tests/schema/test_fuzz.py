"""Arbitrary input either loads or raises a KitgenError, quickly; never anything else."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from kitgen.errors import KitgenError
from kitgen.schema.loading import load_bank, load_role

KEYS = [
    "role",
    "level",
    "duration",
    "categories",
    "weight",
    "min",
    "max",
    "tags",
    "prefer",
    "include",
    "questions",
    "bank",
    "title",
    "id",
    "category",
    "text",
    "look_for",
    "rubric",
    "levels",
    "minutes",
    "rounds",
    "name",
    "x",
]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 500),
    st.floats(allow_nan=True),
    st.text(max_size=12),
    st.sampled_from(["senior", "nlp", "junior", "no"]),
)
documents = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(KEYS), st.integers(0, 5)), inner, max_size=6),
    ),
    max_leaves=30,
)


def _load_both(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "input.yaml"
        path.write_bytes(data)
        for loader in (load_role, load_bank):
            try:
                loader(path)
            except KitgenError as exc:
                assert exc.problems
                assert all(str(p).startswith(str(path)) for p in exc.problems)


@settings(max_examples=300, deadline=2000)
@given(st.binary(max_size=3000))
def test_arbitrary_bytes(data: bytes) -> None:
    _load_both(data)


@settings(max_examples=300, deadline=2000)
@given(documents)
def test_arbitrary_yaml_structures(document: Any) -> None:
    _load_both(yaml.safe_dump(document, allow_unicode=True).encode())


@settings(max_examples=200, deadline=2000)
@given(st.text(alphabet=st.sampled_from(list("ab:-[]{}&*!|>'\"#\t\n ,?%@`")), max_size=200))
def test_yaml_punctuation_soup(text: str) -> None:
    _load_both(text.encode())


TAGS = ["!!int", "!!float", "!!bool", "!!str", "!!null", "!!map", "!!seq", "!!binary", "!!set"]
NUMBERISH = st.one_of(
    st.from_regex(r"[-+]?[0-9_]{0,12}(\.[0-9_]{0,6})?(e[-+]?[0-9]{0,4})?", fullmatch=True),
    st.from_regex(r"[0-9]{1,3}(:[0-9]{1,2}){1,3}", fullmatch=True),  # YAML 1.1 base 60
    st.sampled_from(["0x1F", "0o17", "0b101", ".inf", "-.nan", "1_0_0x", "9" * 4400, ""]),
    st.text(max_size=8),
)


@settings(max_examples=300, deadline=2000)
@given(
    st.sampled_from(["duration", "seed", "minutes", "questions", "level", "role", "1", "yes"]),
    st.one_of(st.none(), st.sampled_from(TAGS)),
    NUMBERISH,
)
def test_tags_and_numbers(key: str, tag: str | None, value: str) -> None:
    """Standard tags with any content, and anything that looks like a number, load or
    fail with a located message: never a traceback, never a silent coercion of a bool."""
    quoted = "'" + value.replace("'", "''") + "'" if tag == "!!str" else value
    line = f"{key}: {tag + ' ' if tag else ''}{quoted}"
    text = f"role: R\nlevel: mid\ncategories: {{nlp: 1}}\n{line}\n"
    if key != "duration":
        text = "duration: 60\n" + text
    _load_both(text.encode())
