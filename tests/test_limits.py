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


def test_odd_time_limits_are_refused_with_their_range(monkeypatch: pytest.MonkeyPatch) -> None:
    for value in ("1e-9", "0", "-5", "inf", "1e400", "nan", "99999999999"):
        monkeypatch.setenv("KITGEN_RENDER_TIMEOUT", value)
        with pytest.raises(RenderError) as info:
            render_seconds()
        assert "from 0.1 to 86400" in str(info.value), value


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_an_expiry_swallowed_inside_a_gc_callback_is_raised_again() -> None:
    import gc

    calls = []

    def slow_first_callback(phase: str, info: dict[str, int]) -> None:
        calls.append(phase)
        if len(calls) == 1:
            time.sleep(0.4)  # the alarm (0.2 s) fires here, where Python drops the exception

    gc.callbacks.append(slow_first_callback)
    started = time.perf_counter()
    try:
        with pytest.raises(RenderError), time_limit("collecting", 0.2):
            gc.collect()
            while time.perf_counter() - started < 5:  # without a second alarm: runs out
                sum(range(1000))
    finally:
        gc.callbacks.remove(slow_first_callback)
    assert time.perf_counter() - started < 3
