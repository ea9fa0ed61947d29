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
        raise_if(_check_bank(doc, bank))
        bankcache.put(raw, bank)
        loaded = LoadedBank(bank, path, doc)
    if key is not None:
        _loaded_banks[key] = loaded
    return loaded


_loaded_banks: dict[tuple[Path, int, int], LoadedBank] = {}


def load_role(path: Path) -> LoadedRole:
    doc = load_yaml(path)
    role = parse_model(doc, RoleProfile)
    raise_if(_check_role(doc, role))
    return LoadedRole(role, doc)


def _check_bank(doc: YamlDocument, bank: Bank) -> list[Problem]:
    problems = []
    seen_categories: dict[str, int] = {}
    for index, category in enumerate(bank.categories):
        if category.id in seen_categories:
            problems.append(
                doc.problem(
                    ("categories", index, "id"), f"category {category.id!r} is defined twice"
                )
            )
        seen_categories[category.id] = index
    seen_questions: dict[str, int] = {}
    for index, question in enumerate(bank.questions):
        if question.id in seen_questions:
            first = doc.locate(("questions", seen_questions[question.id], "id"))[0]
            problems.append(
                doc.problem(
                    ("questions", index, "id"),
                    f"question id {question.id!r} is used twice (first at line {first})",
                )
            )
        seen_questions[question.id] = index
        problem = rubric_problem(question.rubric, None)
        if problem is not None:
            problems.append(doc.problem(("questions", index, "rubric"), problem))
    return problems


def rubric_problem(rubric: dict[int, str], scale: list[str] | None) -> str | None:
    """What is wrong with a rubric's anchors for a rating scale (None: any scale from 1),
    or None. Every rating of the scale needs an anchor, and no anchor may be off it: the
    kit prints each anchor beside a box the form can record."""
    ratings = sorted(rubric)
    top = len(scale) if scale is not None else max(ratings)
    off = [r for r in ratings if not 1 <= r <= top]
    missing = [r for r in range(1, top + 1) if r not in rubric]
    scale_text = f"the rating scale 1-{top}" if scale is not None else "a scale from 1"
    if off:
        return f"rubric anchor {off[0]} is outside {scale_text}" + (
            f" ({', '.join(scale)}); remove it or change the role's rating_scale"
            if scale is not None
            else "; ratings start at 1"
        )
    if missing:
        return (
            f"rubric has no anchor for rating {', '.join(map(str, missing))} of {scale_text}; "
            "describe an answer at every rating"
        )
    if top < 2:
        return "rubric anchors only rating 1; a scale needs at least two ratings"
    return None


def _check_role(doc: YamlDocument, role: RoleProfile) -> list[Problem]:
    problems = []
    for index, question_id in enumerate(role.exclude):
        if question_id in role.include:
            problems.append(
                doc.problem(
                    ("exclude", index), f"question {question_id!r} is both included and excluded"
                )
            )
    if all(rule.weight == 0 and rule.floor == 0 for rule in role.categories.values()):
        problems.append(
            doc.problem(
                ("categories",),
                "every category has weight 0 and no min; give at least one a weight",
            )
        )
    for key in ("include", "exclude"):
        seen: set[str] = set()
        for index, question_id in enumerate(getattr(role, key)):
            if question_id in seen:
                problems.append(
                    doc.problem(
                        (key, index), f"question {question_id!r} is listed twice under {key}"
                    )
                )
            seen.add(question_id)
    problems.extend(_check_slot(doc, role))
    if role.rounds:
        if role.questions is not None:
            problems.append(
                doc.problem(
                    ("questions",),
                    "`questions` cannot be combined with rounds; each round fills its minutes",
                )
            )
        in_rounds = {c for r in role.rounds for c in r.categories}
        for category, rule in role.categories.items():
            if category not in in_rounds and rule.weight > 0:
                problems.append(
                    doc.problem(
                        ("categories", category),
                        f"category {category!r} is assessed in no round; add it to "
                        "a round's categories or remove it",
                        key=True,
                    )
                )
        for category, rule in role.categories.items():
            listed = sum(1 for r in role.rounds if category in r.categories)
            if rule.covered and rule.max is not None and listed > rule.max:
                problems.append(
                    doc.problem(
                        ("categories", category),
                        f"category {category!r} has max {rule.max}, but {listed} rounds list "
                        "it and each asks at least one of its questions; raise max, list it in "
                        "fewer rounds, or give it min: 0",
                        key=True,
                    )
                )
        slugs: dict[str, int] = {}
        for r_index, round_ in enumerate(role.rounds):
            rules = [role.categories.get(c) for c in round_.categories]
            if all(r is not None and r.weight == 0 and r.floor == 0 for r in rules):
                problems.append(
                    doc.problem(
                        ("rounds", r_index, "categories"),
                        f"round {round_.name!r} has nothing to ask: its categories all have "
                        "weight 0 and no min",
                    )
                )
            if round_.slug in slugs:
                other = role.rounds[slugs[round_.slug]].name
                problems.append(
                    doc.problem(
                        ("rounds", r_index, "name"),
                        f"round {round_.name!r} would share its packet's file name with round "
                        f"{other!r} ({round_.slug}); name the rounds apart",
                    )
                )
            slugs.setdefault(round_.slug, r_index)
            seen_here: set[str] = set()
            for c_index, category in enumerate(round_.categories):
                if category not in role.categories:
                    problems.append(
                        doc.problem(
                            ("rounds", r_index, "categories", c_index),
                            f"round {round_.name!r} uses category {category!r}, which is not "
                            "under categories" + did_you_mean(category, list(role.categories)),
                        )
                    )
                elif category in seen_here:
                    problems.append(
                        doc.problem(
                            ("rounds", r_index, "categories", c_index),
                            f"round {round_.name!r} lists category {category!r} twice",
                        )
                    )
                seen_here.add(category)
    return problems


def _check_slot(doc: YamlDocument, role: RoleProfile) -> list[Problem]:
    """The slot as booked: opening and closing sit inside it (and inside each round's)."""
    inside = role.opening + role.closing
    if not role.rounds:
        if role.duration is None:
            return [doc.problem((), "missing required key 'duration' (the slot in minutes)")]
        if role.duration <= inside:
            return [
                doc.problem(
                    ("duration",),
                    f"a {role.duration}-minute slot leaves no time for questions after "
                    f"{role.opening} minutes to open and {role.closing} for the candidate's "
                    "questions; lengthen it, or lower opening or closing",
                )
            ]
        return []
    problems = []
    total = sum(r.minutes for r in role.rounds)
    if role.duration is not None and role.duration != total:
        problems.append(
            doc.problem(
                ("duration",),
                f"duration is {role.duration} minutes, but the rounds add up to {total}; "
                "make them agree, or leave duration out",
            )
        )
    for index, round_ in enumerate(role.rounds):
        if round_.minutes <= inside:
            problems.append(
                doc.problem(
                    ("rounds", index, "minutes"),
                    f"round {round_.name!r} is {round_.minutes} minutes, no time for questions "
                    f"after {role.opening} to open and {role.closing} to close",
                )
            )
    return problems


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
    """The folder a role file may reach into: its own folder, or, for a role kept in a
    `roles/` folder, the workspace above it (`roles/x.yaml` may use `../banks/y.yaml`)."""
    folder = resolved(role_file, InputError).parent
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


def check_role_against_library(loaded: LoadedRole, library: Library) -> list[Problem]:
    """Categories, include and exclude of a role must name things the banks define."""
    role, doc = loaded.role, loaded.doc
    problems = []
    for category in role.categories:
        if category not in library.categories:
            problems.append(
                doc.problem(
                    ("categories", category),
                    f"unknown category {category!r}"
                    + (
                        did_you_mean(category, list(library.categories))
                        or f"; known: {', '.join(sorted(library.categories))}"
                    ),
                    key=True,
                )
            )
    for key in ("include", "exclude"):
        for index, question_id in enumerate(getattr(role, key)):
            if question_id not in library.questions:
                problems.append(
                    doc.problem(
                        (key, index),
                        f"unknown question {question_id!r}"
                        + did_you_mean(question_id, list(library.questions)),
                    )
                )
    problems.extend(_check_rubrics(loaded, library))
    for index, question_id in enumerate(role.include):
        question = library.questions.get(question_id)
        if question is not None and question.category not in role.categories:
            problems.append(
                doc.problem(
                    ("include", index),
                    f"included question {question_id!r} is in category {question.category!r}, "
                    "which the role does not list under categories; add it there",
                )
            )
    return problems


def _check_rubrics(loaded: LoadedRole, library: Library) -> list[Problem]:
    """Every question the role may draw anchors exactly the role's rating scale.

    With the default scale a stray rubric is the bank's problem, reported at its line.
    A role that sets its own `rating_scale` gets one problem at that line instead, naming
    how many questions disagree and the first of them: the banks may be bundled ones.
    """
    role = loaded.role
    problems = []
    for question_id, question in library.questions.items():
        if not (role.can_draw(question) or question_id in role.include):
            continue  # never drawn for this role
        problem = rubric_problem(question.rubric, role.rating_scale)
        if problem is not None:
            bank, index = library.question_origin[question_id]
            problems.append(
                bank.doc.problem(
                    ("questions", index, "rubric"), f"{problem} (question {question_id!r})"
                )
            )
    own_scale = isinstance(loaded.doc.data, dict) and "rating_scale" in loaded.doc.data
    if not problems or not own_scale:
        return problems
    first = problems[0]
    count = len(problems)
    message = (
        f"rating_scale has {len(role.rating_scale)} ratings, but {count} question"
        f"{'s' if count != 1 else ''} the role can draw anchor other ratings; the first at "
        f"{first.path}:{first.line}: {first.message}; use a scale of the banks' size, or "
        "banks written for this one"
    )
    return [loaded.doc.problem(("rating_scale",), message)]


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
