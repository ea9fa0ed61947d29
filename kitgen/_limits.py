"""Bounds on work an input can cause: a render that runs too long is stopped, not waited on."""

from __future__ import annotations

import math
import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from kitgen._text import quoted
from kitgen.errors import RenderError

DEFAULT_RENDER_SECONDS = 120.0
MIN_SECONDS, MAX_SECONDS = 0.1, 86_400.0
_RETRY_SECONDS = 0.2  # an expiry swallowed (say, inside a gc callback) is raised again


def render_seconds() -> float:
    """The render time limit: KITGEN_RENDER_TIMEOUT seconds (0.1 to 86400), default 120."""
    value = os.environ.get("KITGEN_RENDER_TIMEOUT", "")
    if not value:
        return DEFAULT_RENDER_SECONDS
    try:
        seconds = float(value)
    except ValueError:
        seconds = math.nan
    if not MIN_SECONDS <= seconds <= MAX_SECONDS:  # also refuses nan, inf and 1e400
        raise RenderError(
            f"KITGEN_RENDER_TIMEOUT must be a number of seconds from {MIN_SECONDS:g} to "
            f"{MAX_SECONDS:g}, not {quoted(value)}"
        )
    return seconds


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
        # Python drops an exception raised while it runs a gc callback or a __del__: fire
        # again soon, until the expiry lands in the work itself.
        signal.setitimer(signal.ITIMER_REAL, _RETRY_SECONDS)
        raise _Expired

    previous = signal.signal(signal.SIGALRM, expire)

    def disarm() -> None:
        signal.signal(signal.SIGALRM, signal.SIG_IGN)  # nothing may fire from here on
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)

    try:
        try:
            signal.setitimer(signal.ITIMER_REAL, limit)
            yield
        finally:
            disarm()
    except _Expired:
        disarm()  # an expiry may have cut the first disarm short
        raise RenderError(
            f"{what} exceeded the {limit:g} s limit (set KITGEN_RENDER_TIMEOUT to allow more)"
        ) from None
