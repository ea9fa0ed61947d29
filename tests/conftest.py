from __future__ import annotations

import os
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from kitgen.cli import main

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples" / "roles"
ROLES = sorted(EXAMPLES.glob("*.yaml"))


@pytest.fixture(autouse=True, scope="session")
def _private_bank_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    # Tests never read or write the user's own bank cache.
    os.environ["KITGEN_CACHE_DIR"] = str(tmp_path_factory.mktemp("bank-cache"))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-reference",
        action="store_true",
        help="Rewrite the reference files under tests/testdata from current output.",
    )


@pytest.fixture
def update_reference(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-reference"))


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write a dedented text file under tmp_path and return its path."""

    def _write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return _write


@pytest.fixture
def cli() -> Callable[..., Result]:
    def _run(*args: str | Path) -> Result:
        return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)

    return _run


SMALL_BANK = """
bank: small
title: Small test bank
categories:
  - id: alpha
    title: Alpha area
    look_for: ["Knows alpha"]
  - id: beta
    title: Beta area
questions:
  - id: alpha-one
    category: alpha
    text: "What is alpha one?"
    minutes: 5
    tags: [basics]
    look_for: ["Defines alpha", "Gives an example", "Names a limit"]
    follow_ups: ["And then?"]
    red_flags: ["Confuses alpha with beta"]
    rubric: {1: "Nothing", 2: "Some", 3: "Most", 4: "All"}
  - id: alpha-two
    category: alpha
    text: "What is alpha two?"
    minutes: 10
    levels: [senior, staff]
    look_for: ["Explains two"]
    rubric: {1: "Nothing", 2: "Some", 3: "Most", 4: "All"}
  - id: alpha-three
    category: alpha
    text: "What is alpha three?"
    kind: case
    minutes: 5
    look_for: ["Explains three"]
    rubric: {1: "Nothing", 2: "Some", 3: "Most", 4: "All"}
  - id: beta-one
    category: beta
    text: "What is beta one?"
    minutes: 5
    tags: [advanced]
    look_for: ["Explains beta"]
    rubric: {1: "Nothing", 2: "Some", 3: "Most", 4: "All"}
  - id: beta-two
    category: beta
    text: "What is beta two?"
    minutes: 5
    weight: 0
    look_for: ["Explains beta two"]
    rubric: {1: "Nothing", 2: "Some", 3: "Most", 4: "All"}
"""


@pytest.fixture
def small_bank(write: Callable[[str, str], Path]) -> Path:
    return write("banks/small.yaml", SMALL_BANK)
