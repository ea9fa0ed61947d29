"""Load role profiles and question banks from YAML into checked models."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from kitgen._files import kind_of, looks_like_path, resolved
from kitgen._resources import bundled_bank_ids, bundled_bank_path, bundled_bank_paths
from kitgen._text import quoted
from kitgen.errors import InputError, KitgenError, Problem, raise_if
from kitgen.schema import _bank_cache as bankcache
from kitgen.schema.checks import check_bank, check_role
from kitgen.schema.messages import did_you_mean, problems_from_validation
from kitgen.schema.models import Bank, Category, Question, RoleProfile
from kitgen.schema.yaml_source import YamlDocument, decode, load_yaml, read_bytes

ModelT = TypeVar("ModelT", bound=BaseModel)


@dataclass
class LoadedBank:
    """A checked bank. Its YAML line numbers are read only when a message needs them."""

    bank: Bank
    path: Path
    _doc: YamlDocument | None = None

    @property
    def doc(self) -> YamlDocument:
        if self._doc is None:  # loaded from the cache: parse again just for locations
            self._doc = load_yaml(self.path)
        return self._doc


@dataclass(frozen=True)
class LoadedRole:
    role: RoleProfile
    doc: YamlDocument


@dataclass
class Library:
    """Every category and question of the banks loaded together, with where each came from."""

    banks: list[LoadedBank]
    categories: dict[str, Category] = field(default_factory=dict)
    questions: dict[str, Question] = field(default_factory=dict)
    question_origin: dict[str, tuple[LoadedBank, int]] = field(default_factory=dict)


def parse_model(doc: YamlDocument, model: type[ModelT]) -> ModelT:
    if doc.data is None:
        raise InputError([doc.problem((), "file has no content; expected a YAML mapping")])
    if not isinstance(doc.data, dict):
        raise InputError(
            [
                doc.problem(
                    (),
                    f"expected a mapping of keys to values at the top "
                    f"level, found {type(doc.data).__name__}",
                )
            ]
        )
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        raise InputError(
            sorted(problems_from_validation(doc, exc, model), key=Problem.sort_key)
        ) from None


def load_bank(path: Path) -> LoadedBank:
    """Load a bank once per process, and from the bank cache when its content is known."""
    try:
        stat = path.stat()
    except OSError:
        stat = None
    key = (path.resolve(), stat.st_mtime_ns, stat.st_size) if stat else None
    if key is not None and key in _loaded_banks:
        return _loaded_banks[key]
    raw = read_bytes(path)
    bank = bankcache.get(raw)
    if bank is not None:
        loaded = LoadedBank(bank, path)
    else:
        doc = load_yaml(path, decode(path, raw))
        bank = parse_model(doc, Bank)
        raise_if(check_bank(doc, bank))
        bankcache.put(raw, bank)
        loaded = LoadedBank(bank, path, doc)
    if key is not None:
        _loaded_banks[key] = loaded
    return loaded


_loaded_banks: dict[tuple[Path, int, int], LoadedBank] = {}


def load_role(path: Path) -> LoadedRole:
    doc = load_yaml(path)
    role = parse_model(doc, RoleProfile)
    raise_if(check_role(doc, role))
    return LoadedRole(role, doc)


def resolve_bank_paths(loaded: LoadedRole, extra: Iterable[Path] = ()) -> list[Path]:
    """The bank files a role draws from: its `banks` (ids or relative paths) plus `extra`."""
    role, doc = loaded.role, loaded.doc
    paths: list[Path] = []
    problems: list[Problem] = []
    if role.banks is None:
        paths = bundled_bank_paths()
    workspace = role_workspace(doc.path)
    for index, entry in enumerate(role.banks or []):
        if looks_like_path(entry):
            path, problem = _bank_file(doc.path, entry, workspace)
            if problem is not None:
                problems.append(doc.problem(("banks", index), problem))
            paths.append(path)
        elif entry in bundled_bank_ids():
            paths.append(bundled_bank_path(entry))
        else:
            known = bundled_bank_ids()
            problems.append(
                doc.problem(
                    ("banks", index),
                    f"unknown bank {quoted(entry)}"
                    + (did_you_mean(entry, known) or f"; bundled banks: {', '.join(known)}")
                    + "; a path to your own bank ends in .yaml",
                )
            )
    raise_if(problems)
    for path in extra:  # given on the command line: the user's own choice of file
        if path.suffix.lower() not in (".yaml", ".yml"):
            raise InputError([Problem(str(path), 0, 0, "a bank is a .yaml or .yml file")])
        full = resolved(path, InputError)
        if full not in paths:
            paths.append(full)
    return paths


def role_workspace(role_file: Path) -> Path:
    """The folder a role file may reach into: the folder of the kitgen.toml above it; or
    its own folder, or, for a role kept in a `roles/` folder, the workspace above it
    (`roles/x.yaml` may use `../banks/y.yaml`)."""
    from kitgen.config import find_config

    folder = resolved(role_file, InputError).parent
    config = find_config(folder)
    if config is not None:
        return config.parent
    return folder.parent if folder.name == "roles" else folder


def _bank_file(role_file: Path, entry: str, workspace: Path) -> tuple[Path, str | None]:
    """A role's bank path and, if it may not be used, why.

    A role file travels between people, so its `banks:` may name only .yaml/.yml files in
    its own workspace (see role_workspace): a role from someone else cannot make kitgen
    read, and echo, files elsewhere on your machine.
    """
    path = Path(entry)
    if path.is_absolute():
        return path, "bank paths are relative to the role file; for a bank elsewhere use --bank"
    if path.suffix.lower() not in (".yaml", ".yml"):
        return path, f"bank file {quoted(entry)} must be a .yaml or .yml file"
    try:
        full = resolved(role_file.parent / path, InputError)
    except InputError as exc:
        return path, exc.problems[0].message
    if not full.is_relative_to(workspace):
        return full, (
            f"bank file {quoted(entry)} is outside the role's workspace ({workspace}); "
            "copy it into the workspace, or give it with --bank"
        )
    if full.suffix.lower() not in (".yaml", ".yml"):  # a link named .yaml to something else
        return full, f"bank file {quoted(entry)} must be a .yaml or .yml file"
    kind = kind_of(full)
    if kind is None:
        return full, f"bank file {quoted(entry)} not found (looked for {full})"
    if kind != "file":
        what = "a folder" if kind == "folder" else "not a regular file"
        return full, f"bank file {quoted(entry)} is {what}"
    return full, None


def build_library(banks: list[LoadedBank]) -> Library:
    """Merge banks; question ids and category ids must be unique across all of them."""
    library = Library(banks)
    problems: list[Problem] = []
    category_origin: dict[str, LoadedBank] = {}
    for loaded in banks:
        for index, category in enumerate(loaded.bank.categories):
            if category.id in library.categories:
                other = category_origin[category.id]
                problems.append(
                    loaded.doc.problem(
                        ("categories", index, "id"),
                        f"category {category.id!r} is already defined in {other.doc.path}; "
                        "add questions to it without defining it again",
                    )
                )
                continue
            library.categories[category.id] = category
            category_origin[category.id] = loaded
    for loaded in banks:
        for index, question in enumerate(loaded.bank.questions):
            if question.id in library.questions:
                other, other_index = library.question_origin[question.id]
                line = other.doc.locate(("questions", other_index, "id"))[0]
                problems.append(
                    loaded.doc.problem(
                        ("questions", index, "id"),
                        f"question id {question.id!r} is also used in {other.doc.path}:{line}; "
                        "ids must be unique across banks",
                    )
                )
                continue
            if question.category not in library.categories:
                problems.append(
                    loaded.doc.problem(
                        ("questions", index, "category"),
                        f"unknown category {question.category!r}"
                        + did_you_mean(question.category, list(library.categories))
                        + "; define it under categories",
                    )
                )
            library.questions[question.id] = question
            library.question_origin[question.id] = (loaded, index)
    raise_if(problems)
    return library


def load_banks(paths: Iterable[Path]) -> list[LoadedBank]:
    """Load several banks, reporting the problems of all of them together."""
    banks, problems = [], []
    for path in paths:
        try:
            banks.append(load_bank(path))
        except KitgenError as exc:
            problems.extend(exc.problems)
    raise_if(problems)
    return banks


def is_bank_file(path: Path) -> bool:
    """Whether a YAML file is a question bank (else it is taken for a role profile)."""
    return _top_level_keys(path) & {"bank", "role"} == {"bank"}


def _top_level_keys(path: Path) -> set[str]:
    """The file's top-level keys, read off its unindented lines, without parsing it all;
    a file that is not plain block YAML is parsed in full."""
    if kind_of(path) != "file":  # a FIFO would block: the loader refuses it with a message
        return set()
    try:
        with path.open("rb") as handle:
            head = handle.read(64 * 1024).decode("utf-8", "replace")
    except OSError:
        return set()
    keys = {m[1] for m in re.finditer(r"(?m)^([a-z_]+):", head)}
    if keys:
        return keys
    data = load_yaml(path).data
    return set(data) if isinstance(data, dict) else set()
