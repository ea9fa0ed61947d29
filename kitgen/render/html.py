"""Render a kit to HTML through a Jinja template (bundled, or a user's folder in a sandbox)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path, PurePath
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import escape
from pydantic import BaseModel

from kitgen import __version__
from kitgen._files import folder_stamp
from kitgen._limits import time_limit
from kitgen.config import NO_CONFIG, WorkspaceConfig, template_context
from kitgen.errors import Problem, RenderError
from kitgen.i18n import (
    DEFAULT_LANGUAGE,
    KIND_NAMES,
    LEVEL_NAMES,
    PAGE_OF,
    css_counters,
    labels,
    translations,
)
from kitgen.render import guidance
from kitgen.render.blocks import lead, text_blocks
from kitgen.render.templates import (
    BRIEF_FILE,
    TEMPLATE_FILE,
    RenderOptions,
    TemplateSource,
    brief_template,
    resolve_template,
)
from kitgen.select.brief import candidate_brief
from kitgen.select.kit import RECOMMENDATIONS, Kit

MAX_TEMPLATE_BYTES = 5 * 1024 * 1024
# what every kit tells its interviewer (kitgen.render.guidance), for templates
GUIDANCE = {
    "how_to_run_title": guidance.HOW_TO_RUN_TITLE,
    "how_to_run": guidance.HOW_TO_RUN,
    "never_ask_title": guidance.NEVER_ASK_TITLE,
    "never_ask": guidance.NEVER_ASK,
}  # kit.html, its CSS and anything it includes


class _ContainedLoader(jinja2.FileSystemLoader):
    """FileSystemLoader that also refuses symlinks leading out of the template folder."""

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        root = Path(self.searchpath[0]).resolve()
        for folder in self.searchpath:  # check before reading: a template file is capped
            candidate = Path(folder) / template
            if candidate.is_file() and candidate.stat().st_size > MAX_TEMPLATE_BYTES:
                raise RenderError(
                    [
                        Problem(
                            str(candidate),
                            0,
                            0,
                            f"template file too large (over {MAX_TEMPLATE_BYTES:,} bytes)",
                        )
                    ]
                )
        source, filename, uptodate = super().get_source(environment, template)
        if not Path(filename).resolve().is_relative_to(root):
            raise jinja2.TemplateNotFound(template)
        return source, filename, uptodate


class _DataOnlySandbox(ImmutableSandboxedEnvironment):
    """The sandbox, and on kitgen's own objects a template may read data but call nothing.

    Jinja's sandbox alone lets a template call any public method, and pydantic models and
    paths have methods that unpickle data or read and write files.
    """

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if not super().is_safe_attribute(obj, attr, value):
            return False
        if isinstance(obj, (BaseModel, PurePath)) or dataclasses.is_dataclass(obj):
            return not callable(value)
        return True


def template_environment(
    template: TemplateSource, language: str = DEFAULT_LANGUAGE
) -> jinja2.Environment:
    """The Jinja environment of a template folder and a language, made once per process
    while the folder's files stay as they are: each template is compiled once, not once
    per kit (a saved edit, as under --watch, makes a new one)."""
    return _environment(template.folder, template.bundled, language, folder_stamp(template.folder))


@lru_cache(maxsize=16)
def _environment(
    folder: Path, bundled: bool, language: str, stamp: tuple[tuple[str, int, int], ...]
) -> jinja2.Environment:
    env_class = jinja2.Environment if bundled else _DataOnlySandbox
    env = env_class(
        loader=_ContainedLoader(folder),
        autoescape=True,  # not select_autoescape: it would miss names like kit.html.j2
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.add_extension("jinja2.ext.i18n")
    env.filters.update(blocks=text_blocks, lead=lead)
    translated = translations(language)
    # a translation is text, not markup: escaped like any value, so a quote in one cannot
    # end an attribute
    env.install_gettext_callables(  # type: ignore[attr-defined]
        lambda message: escape(translated.gettext(message)),
        lambda singular, plural, n: escape(translated.ngettext(singular, plural, n)),
        newstyle=True,
    )
    words = labels(language)
    env.filters.update(decimal=words.number, percent=words.percent)
    return env


def render_html(
    kit: Kit,
    template: TemplateSource,
    options: RenderOptions,
    *,
    author: str = "",
    config: WorkspaceConfig = NO_CONFIG,
) -> str:
    """The kit's HTML; `author` (default: the interviewer) is the document's author;
    `config` gives the brand (company, logo, accent colour) of the role's workspace."""
    return render_template(
        template,
        TEMPLATE_FILE,
        kit=kit,
        candidate=options.candidate,
        interviewer=options.interviewer,
        paper=options.paper or config.defaults.paper or "a4",
        fillable=options.fillable,
        author=author or options.interviewer or "kitgen",
        date=labels(kit.language).date(options.date),  # as generate does for the field
        rating_scale=kit.rating_scale_in(translations(kit.language).gettext),
        recommendations=RECOMMENDATIONS,
        guidance=GUIDANCE,
        brand=template_context(config),
        language=kit.language,
    )


def render_template(
    template: TemplateSource, file_name: str, language: str = DEFAULT_LANGUAGE, **context: Any
) -> str:
    """Render one file of a template folder with kitgen's labels in `language` (`_()`,
    `ngettext()`, `level_names`, `kind_names`, `page_of`); Jinja failures become located
    RenderErrors."""
    env = template_environment(template, language)
    translated = translations(language)
    context.update(
        language=language,
        level_names=LEVEL_NAMES,
        kind_names=KIND_NAMES,
        page_of=css_counters(translated.gettext(PAGE_OF)),
    )
    path = str(template.folder / file_name)

    def fail(line: int, message: str) -> RenderError:
        return RenderError([Problem(path, line, 1 if line else 0, message)])

    try:
        with time_limit("rendering the template"):
            return env.get_template(file_name).render(version=__version__, **context)
    except jinja2.TemplateSyntaxError as exc:
        raise RenderError(
            [Problem(exc.filename or path, exc.lineno, 1, f"template syntax error: {exc.message}")]
        ) from None
    except jinja2.TemplateNotFound as exc:
        raise fail(0, f"template file {exc.name!r} not found in {template.folder}") from None
    except jinja2.exceptions.SecurityError as exc:
        raise fail(_template_line(exc), f"unsafe template: {exc}") from None
    except jinja2.UndefinedError as exc:
        raise fail(
            _template_line(exc), f"template uses an undefined value: {exc.message}"
        ) from None
    except RenderError:
        raise
    except MemoryError:  # the memory cap: reported as such, not as a template's bug
        raise
    except Exception as exc:
        if template.bundled:  # kitgen's own template failing is kitgen's bug: say so
            raise
        # a user's template is code from outside: its failure is a located user error
        raise fail(_template_line(exc), f"template failed: {type(exc).__name__}: {exc}") from None


def render_brief_html(
    kit: Kit,
    template: TemplateSource,
    options: RenderOptions,
    config: WorkspaceConfig = NO_CONFIG,
) -> str:
    """The candidate's brief: the role, the format and the focus areas, never a question.
    `template` is the folder brief.html is in (see `brief_template`); `config` gives the
    brand and whom to ask for accommodations."""
    return render_template(
        template,
        BRIEF_FILE,
        # not the kit: a brief template never sees a question
        brief=candidate_brief(kit, config.candidate.contact),
        paper=options.paper or config.defaults.paper or "a4",
        author=config.brand.company or "kitgen",
        brand=template_context(config),
        language=kit.language,
    )


def _template_line(exc: BaseException) -> int:
    # Jinja rewrites tracebacks so that template frames carry the template's line numbers.
    tb = exc.__traceback__
    line = 0
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith((".html", ".css", ".j2")):
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


__all__ = [
    "BRIEF_FILE",
    "TEMPLATE_FILE",
    "RenderOptions",
    "TemplateSource",
    "brief_template",
    "render_brief_html",
    "render_html",
    "render_template",
    "resolve_template",
    "template_environment",
]
