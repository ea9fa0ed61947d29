"""Time limits: a render or a PDF read that runs too long is stopped, not waited on."""

from __future__ import annotations

import time

import pytest

from kitgen._limits import render_seconds, time_limit
from kitgen.errors import RenderError


def test_work_past_the_limit_is_stopped_with_a_message() -> None:
    started = time.perf_counter()
    with pytest.raises(RenderError) as info, time_limit("spinning", 0.2):
        while True:
            pass
    assert time.perf_counter() - started < 5
    assert "spinning" in str(info.value)


def test_work_within_the_limit_returns_and_the_limit_is_configurable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with time_limit("quick", 5):
        value = sum(range(1000))
    assert value == 499500
    monkeypatch.setenv("KITGEN_RENDER_TIMEOUT", "7.5")
    assert render_seconds() == 7.5
    monkeypatch.setenv("KITGEN_RENDER_TIMEOUT", "soon")
    with pytest.raises(RenderError):
        render_seconds()
