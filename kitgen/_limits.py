"""Bounds on work an input can cause: a render that runs too long is stopped, not waited on."""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from kitgen.errors import RenderError

DEFAULT_RENDER_SECONDS = 120.0


def render_seconds() -> float:
    """The render time limit: KITGEN_RENDER_TIMEOUT seconds, default 120."""
    value = os.environ.get("KITGEN_RENDER_TIMEOUT", "")
    try:
        seconds = float(value) if value else DEFAULT_RENDER_SECONDS
    except ValueError:
        raise RenderError(
            f"KITGEN_RENDER_TIMEOUT must be a number of seconds, not {value!r}"
        ) from None
    return seconds if seconds > 0 else DEFAULT_RENDER_SECONDS


class _Expired(BaseException):
    # BaseException, so that no `except Exception` inside a library swallows it.
    pass


@contextmanager
def time_limit(what: str, seconds: float | None = None) -> Iterator[None]:
    """Raise RenderError when the block runs longer than `seconds` (main thread, POSIX)."""
    limit = render_seconds() if seconds is None else seconds
    if threading.current_thread() is not threading.main_thread() or not hasattr(
        signal, "setitimer"
    ):
        yield
        return

    def expire(signum: int, frame: FrameType | None) -> None:
        raise _Expired

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        yield
    except _Expired:
        raise RenderError(
            f"{what} exceeded the {limit:g} s limit (set KITGEN_RENDER_TIMEOUT to allow more)"
        ) from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
