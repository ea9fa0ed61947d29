"""Stages 1 and 2 end to end: a role profile and its banks in, a selected kit out.

`build_kit` is where the pipeline's first half reads left to right: load the role, load
its banks, check one against the other, select the questions, assemble the kit, find the
template it renders with. The output stage (`kitgen.output.generate`) takes it from there.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from kitgen.config import NO_CONFIG, WorkspaceConfig, config_for
from kitgen.errors import InputError, KitgenError, Problem, SelectionError, raise_if
from kitgen.render.templates import TemplateSource, resolve_template
from kitgen.schema.checks import check_role_against_library, check_slot
from kitgen.schema.loading import (
    LoadedRole,
    build_library,
    load_banks,
    load_role,
    resolve_bank_paths,
    role_workspace,
)
from kitgen.select.kit import Kit, assemble_kit, packets
from kitgen.select.selection import default_seed, select_questions


@dataclass(frozen=True)
class BuildRequest:
    """What to build: role profiles and what overrides them, the same for every role.

    `roles` are files or folders (a folder stands for its *.yaml files); `banks` are extra
    banks loaded beside each role's own; `template` overrides the role's (a bundled name or
    a folder, relative to the current folder); `candidates` is a CSV of name, interviewer,
    date giving one pre-filled copy per row; `language` overrides the labels' language.
    """

    roles: tuple[Path, ...]
    seed: int | None = None
    banks: tuple[Path, ...] = ()
    template: str | None = None
    candidates: Path | None = None
    language: str | None = None


DocumentKind = Literal["kit", "packet", "loop", "brief"]


@dataclass(frozen=True)
class PreparedKit:
    """A selected kit and the template it renders with, ready to write.

    `kit` is the role's kit, or for a loop the whole loop as one document; `document` is
    what is rendered from it: the interviewers' kit or the candidate's brief.
    `json_data` replaces the kit's own JSON (a loop's JSON describes every packet).
    """

    source: Path
    kit: Kit
    template: TemplateSource
    bank_paths: tuple[Path, ...] = ()
    document: Literal["kit", "brief"] = "kit"
    json_data: dict[str, Any] | None = None
    config: WorkspaceConfig = NO_CONFIG  # the role's kitgen.toml, if any

    @property
    def kind(self) -> DocumentKind:
        """What is written from it: a `kit`, a `packet`, a `loop`'s JSON or a `brief`."""
        if self.document == "brief":
            return "brief"
        if self.json_data is not None:
            return "loop"
        return "packet" if self.kit.round is not None else "kit"

    @property
    def is_loop(self) -> bool:
        return self.kit.loop is not None

    def packets(self) -> list[PreparedKit]:
        """One prepared kit per round of a loop (just this one otherwise)."""
        return [replace(self, kit=packet) for packet in packets(self.kit)]

    @property
    def inputs(self) -> list[Path]:
        """Every file this kit is made from: never to be written over."""
        config = [self.config.path] if self.config.path is not None else []
        return [
            self.source,
            *self.bank_paths,
            *sorted(self.template.folder.rglob("*")),
            *config,
        ]


def build_kit(role_path: Path, request: BuildRequest | None = None) -> PreparedKit:
    """Load a role profile and its banks, select the questions, find the template."""
    request = request or BuildRequest((role_path,))
    seed, template = request.seed, request.template
    config = config_for(role_path)
    loaded = _with_defaults(load_role(role_path), config)
    if request.language is not None:  # --language: checked by the command line
        role = loaded.role.model_copy(update={"language": request.language})
        loaded = LoadedRole(role, loaded.doc)
    bank_paths = resolve_bank_paths(loaded, request.banks)
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
    if kit.loop is not None:  # the combined document's cover lists every packet's kit ID
        kit = replace(kit, loop=packets(kit)[0].loop)
    own_template = isinstance(loaded.doc.data, dict) and "template" in loaded.doc.data
    if template is not None:
        source = resolve_template(template, Path.cwd())
    elif not own_template and config.defaults.template is not None and config.folder:
        try:
            source = resolve_template(config.defaults.template, config.folder)
        except KitgenError as exc:
            message = f"[defaults] template: {exc.problems[0].message}"
            raise InputError([Problem(str(config.path), 0, 0, message)]) from None
    else:
        try:
            source = resolve_template(loaded.role.template, role_path.parent)
            workspace = role_workspace(role_path)
            if not source.bundled and not source.folder.is_relative_to(workspace):
                raise InputError(
                    f"template folder {source.folder} is outside the role's workspace "
                    f"({workspace}); copy it in, or give it with --template"
                )
        except KitgenError as exc:  # point at the profile's `template:` line
            message = exc.problems[0].message
            raise InputError([loaded.doc.problem(("template",), message)]) from None
    return PreparedKit(role_path, kit, source, tuple(bank_paths), config=config)


def _with_defaults(loaded: LoadedRole, config: WorkspaceConfig) -> LoadedRole:
    """The role with kitgen.toml's opening, closing and language where the profile sets
    none."""
    given = loaded.doc.data if isinstance(loaded.doc.data, dict) else {}
    update = {
        key: value
        for key in ("opening", "closing", "language")
        if key not in given and (value := getattr(config.defaults, key)) is not None
    }
    if not update:
        return loaded
    role = loaded.role.model_copy(update=update)
    raise_if(check_slot(loaded.doc, role))
    return LoadedRole(role, loaded.doc)


def build_kits(request: BuildRequest) -> list[PreparedKit]:
    """Every role's kit; the problems of all roles are reported together."""
    kits, problems = build_kits_reporting(request)
    raise_if(problems)
    return kits


def build_kits_reporting(request: BuildRequest) -> tuple[list[PreparedKit], list[Problem]]:
    """The kits that could be built, and the problems of those that could not."""
    roles = expand_roles(request.roles)
    if not roles:
        raise InputError([Problem(None, 0, 0, "no role profiles found in the given folders")])
    kits: list[PreparedKit] = []
    problems: list[Problem] = []
    for path in roles:
        try:
            kits.append(build_kit(path, request))
        except KitgenError as exc:  # a problem of a shared file (kitgen.toml) is told once
            problems.extend(p for p in exc.problems if p not in problems)
    return kits, problems


def expand_roles(paths: Iterable[Path]) -> list[Path]:
    """Role files as given; a folder stands for the *.yaml files in it."""
    roles: list[Path] = []
    for path in paths:
        if path.is_dir():
            roles.extend(sorted(path.glob("*.yaml")) + sorted(path.glob("*.yml")))
        else:
            roles.append(path)
    return roles


def _seed(loaded: LoadedRole, override: int | None) -> int:
    if override is not None:
        return override
    if loaded.role.seed is not None:
        return loaded.role.seed
    return default_seed(loaded.role)
