"""kitgen: structured interview kits from YAML, and scores from the filled kits.

The public API, which the command line calls too (see the README, "Python API"):

    import kitgen
    request = kitgen.BuildRequest((Path("roles/nlp-engineer.yaml"),))
    report = kitgen.generate(request, kitgen.RenderOptions(), kitgen.OutputPlan(output=Path("out")))
    panel = kitgen.score([Path("ada.pdf"), Path("grace.pdf")])
    print(kitgen.debrief_text(panel, "md"))

Names load on first use, so `import kitgen` stays cheap (no pydantic, Jinja or
WeasyPrint until a function needs them).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.2.0"

# public name -> the module that defines it
_API = {
    # errors
    "KitgenError": "kitgen.errors",
    "InputError": "kitgen.errors",
    "SelectionError": "kitgen.errors",
    "RenderError": "kitgen.errors",
    "OutputError": "kitgen.errors",
    "ScoreError": "kitgen.errors",
    "Problem": "kitgen.errors",
    # stages 1-2: role and banks -> kit
    "BuildRequest": "kitgen.pipeline",
    "PreparedKit": "kitgen.pipeline",
    "build_kit": "kitgen.pipeline",
    "build_kits": "kitgen.pipeline",
    "expand_roles": "kitgen.pipeline",
    # stages 3-4: kit -> files
    "RenderOptions": "kitgen.render.templates",
    "OutputPlan": "kitgen.output.generate",
    "GenerateReport": "kitgen.output.generate",
    "WrittenKit": "kitgen.output.generate",
    "FORMATS": "kitgen.output.generate",
    "generate": "kitgen.output.generate",
    "render_formats": "kitgen.output.generate",
    "check_output_file": "kitgen.output.files",
    "write_atomic": "kitgen._files",
    # scoring
    "Scorecard": "kitgen.score.scoring",
    "Debrief": "kitgen.score.panel",
    "score": "kitgen.score.panel",
    "DEBRIEF_FORMATS": "kitgen.score.debrief",
    "debrief_text": "kitgen.score.debrief",
    "debrief_pdf": "kitgen.score.debrief",
    # checking and browsing
    "ValidationReport": "kitgen.commands.validate",
    "validate": "kitgen.commands.validate",
    "Finding": "kitgen.commands.lint",
    "LINT_RULES": "kitgen.commands.lint",
    "lint": "kitgen.commands.lint",
    "browse": "kitgen.commands.browse",
    "show_question": "kitgen.commands.browse",
    "init_workspace": "kitgen.commands.workspace",
    "json_schema": "kitgen.schema.models",
}

__all__ = [
    "DEBRIEF_FORMATS",
    "FORMATS",
    "LINT_RULES",
    "BuildRequest",
    "Debrief",
    "Finding",
    "GenerateReport",
    "InputError",
    "KitgenError",
    "OutputError",
    "OutputPlan",
    "PreparedKit",
    "Problem",
    "RenderError",
    "RenderOptions",
    "ScoreError",
    "Scorecard",
    "SelectionError",
    "ValidationReport",
    "WrittenKit",
    "__version__",
    "browse",
    "build_kit",
    "build_kits",
    "check_output_file",
    "debrief_pdf",
    "debrief_text",
    "expand_roles",
    "generate",
    "init_workspace",
    "json_schema",
    "lint",
    "render_formats",
    "score",
    "show_question",
    "validate",
    "write_atomic",
]


def __getattr__(name: str) -> Any:
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'kitgen' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value  # the next lookup is a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


if TYPE_CHECKING:  # for type checkers and editors: the same names, imported eagerly
    from kitgen._files import write_atomic
    from kitgen.commands.browse import browse, show_question
    from kitgen.commands.lint import LINT_RULES, Finding, lint
    from kitgen.commands.validate import ValidationReport, validate
    from kitgen.commands.workspace import init_workspace
    from kitgen.errors import (
        InputError,
        KitgenError,
        OutputError,
        Problem,
        RenderError,
        ScoreError,
        SelectionError,
    )
    from kitgen.output.files import check_output_file
    from kitgen.output.generate import (
        FORMATS,
        GenerateReport,
        OutputPlan,
        WrittenKit,
        generate,
        render_formats,
    )
    from kitgen.pipeline import BuildRequest, PreparedKit, build_kit, build_kits, expand_roles
    from kitgen.render.templates import RenderOptions
    from kitgen.schema.models import json_schema
    from kitgen.score.debrief import DEBRIEF_FORMATS, debrief_pdf, debrief_text
    from kitgen.score.panel import Debrief, score
    from kitgen.score.scoring import Scorecard
