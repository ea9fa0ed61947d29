"""`kitgen validate`: check roles, banks and templates, and list every problem at once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kitgen._files import resolved
from kitgen._resources import bundled_bank_paths, bundled_dir
from kitgen.config import CONFIG_FILE, load_config
from kitgen.errors import InputError, KitgenError, Problem
from kitgen.pipeline import BuildRequest, build_kit
from kitgen.render.templates import TEMPLATE_FILE, TemplateSource, resolve_template
from kitgen.schema.loading import build_library, is_bank_file, load_bank, load_banks


@dataclass
class ValidationReport:
    checked: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def default_targets() -> list[Path]:
    """With no paths: the bundled banks and templates, and ./roles and ./banks if present."""
    targets: list[Path] = bundled_bank_paths()
    targets += sorted(p for p in bundled_dir("templates").iterdir() if p.is_dir())
    targets += [Path(name) for name in ("banks", "roles") if Path(name).is_dir()]
    if Path(CONFIG_FILE).is_file():
        targets.append(Path(CONFIG_FILE))
    return targets


def validate(paths: Iterable[Path] = (), banks: Iterable[Path] = ()) -> ValidationReport:
    """Check role profiles, banks, template folders (a folder: everything in it); with
    no paths, the bundled banks and templates and ./roles and ./banks."""
    targets = list(paths) or default_targets()
    return validate_paths(targets, banks)


def validate_paths(paths: Iterable[Path], extra_banks: Iterable[Path] = ()) -> ValidationReport:
    report = ValidationReport()
    extra = list(extra_banks)
    for path in _expand(paths):
        try:
            kind = _check_one(path, extra)
        except KitgenError as exc:  # a problem many files share (kitgen.toml) is told once
            report.problems.extend(p for p in exc.problems if p not in report.problems)
        else:
            report.checked.append(f"{kind} {path}")
    return report


def _expand(paths: Iterable[Path]) -> list[Path]:
    out: list[Path] = []
    for path in paths:
        if path.is_dir() and not (path / TEMPLATE_FILE).is_file():
            out += sorted(
                p
                for p in path.rglob("*")
                if p.suffix in (".yaml", ".yml")
                or p.name == CONFIG_FILE
                or (p / TEMPLATE_FILE).is_file()
            )
        else:
            out.append(path)
    return out


def _check_one(path: Path, extra_banks: list[Path]) -> str:
    if path.is_dir():
        check_template(resolve_template(str(resolved(path, InputError))))
        return "template"
    if path.name == CONFIG_FILE:
        load_config(path)
        return "configuration"
    if is_bank_file(path):
        own = load_bank(path)
        # A user's bank may add questions to bundled categories: check it beside them.
        bundled = bundled_bank_paths()
        own_path = resolved(path, InputError)
        others = load_banks(p for p in bundled if p != own_path)
        build_library([*others, own])
        return "bank"
    build_kit(path, BuildRequest((path,), banks=tuple(extra_banks)))
    return "role"


def check_template(template: TemplateSource) -> None:
    """Compile every template file so syntax errors show with their line."""
    import jinja2

    from kitgen.render.html import template_environment

    env = template_environment(template)
    problems = []
    for file in sorted(template.folder.rglob("*")):
        if file.suffix not in (".html", ".css", ".j2") or not file.is_file():
            continue
        name = file.relative_to(template.folder).as_posix()
        try:
            env.parse(file.read_text(encoding="utf-8"), name, str(file))
        except jinja2.TemplateSyntaxError as exc:
            problems.append(
                Problem(str(file), exc.lineno, 1, f"template syntax error: {exc.message}")
            )
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(Problem(str(file), 0, 0, f"cannot read template: {exc}"))
    if problems:
        raise KitgenError(problems)
