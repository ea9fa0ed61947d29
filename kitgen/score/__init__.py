"""Scoring: filled kit PDFs or paper ratings -> scorecards -> a panel debrief.

`filled` reads an untrusted PDF's form and embedded kit data; `paper` reads ratings typed
from printed kits; `scoring` applies SPEC's formula; `debrief` prints the outputs.
"""

import sys
import types
from typing import Any


class _ScorePackage(types.ModuleType):
    """`kitgen.score` is both the public function and this subpackage: importing any
    module of the package binds the package on `kitgen` under that name, so the package
    itself scores when called, as the function does."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from kitgen.score.panel import score

        return score(*args, **kwargs)


sys.modules[__name__].__class__ = _ScorePackage
