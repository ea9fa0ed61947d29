"""The public API the CLI calls: profile file in, kit out."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kitgen.errors import InputError, KitgenError, SelectionError, raise_if
from kitgen.select.kit import Kit, assemble_kit
from kitgen.schema.loading import (
    LoadedRole,
    build_library,
    check_role_against_library,
    load_banks,
    load_role,
    resolve_bank_paths,
)
from kitgen.select.selection import default_seed, select_questions
from kitgen.render.templates import TemplateSource, resolve_template


@dataclass(frozen=True)
class PreparedKit:
    """A selected kit and the template it renders with, ready to write."""

    source: Path
    kit: Kit
    template: TemplateSource
    bank_paths: tuple[Path, ...] = ()

    @property
    def inputs(self) -> list[Path]:
        """Every file this kit is made from: never to be written over."""
        return [self.source, *self.bank_paths, *sorted(self.template.folder.rglob("*"))]


def build_kit(
    role_path: Path,
    *,
    seed: int | None = None,
    extra_banks: Iterable[Path] = (),
    template: str | None = None,
) -> PreparedKit:
    """Load a role profile and its banks, select the questions, find the template."""
    loaded = load_role(role_path)
    bank_paths = resolve_bank_paths(loaded, extra_banks)
    library = build_library(load_banks(bank_paths))
    raise_if(check_role_against_library(loaded, library))
    chosen_seed = _seed(loaded, seed)
    try:
        selected = select_questions(loaded.role, library.questions, chosen_seed)
    except SelectionError as exc:
        key = bool(exc.loc) and exc.loc[0] == "categories"
        problem = loaded.doc.problem(
            exc.loc, f"cannot build the kit: {exc.problems[0].message}", key=key
        )
        raise InputError([problem]) from None
    kit = assemble_kit(loaded.role, library.categories, selected, chosen_seed)
    if template is not None:
        source = resolve_template(template, Path.cwd())
    else:
        try:
            source = resolve_template(loaded.role.template, role_path.parent)
        except KitgenError as exc:  # point at the profile's `template:` line
            message = exc.problems[0].message
            raise InputError([loaded.doc.problem(("template",), message)]) from None
    return PreparedKit(role_path, kit, source, tuple(bank_paths))


def build_kits(
    role_paths: Sequence[Path],
    *,
    seed: int | None = None,
    extra_banks: Iterable[Path] = (),
    template: str | None = None,
) -> list[PreparedKit]:
    """Build every kit first and report the problems of all roles together."""
    prepared, problems = [], []
    banks = list(extra_banks)
    for path in role_paths:
        try:
            prepared.append(build_kit(path, seed=seed, extra_banks=banks, template=template))
        except KitgenError as exc:
            problems.extend(exc.problems)
    raise_if(problems)
    return prepared


def _seed(loaded: LoadedRole, override: int | None) -> int:
    if override is not None:
        return override
    if loaded.role.seed is not None:
        return loaded.role.seed
    return default_seed(loaded.role)
