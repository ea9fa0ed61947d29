"""`kitgen list` and `kitgen show`: read-only views of banks and roles.

Both see the workspace's own banks as `kitgen validate` does: the bank files under
./banks, beside the bundled banks and any `--bank PATH`.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from kitgen._files import resolved
from kitgen._resources import bundled_bank_paths
from kitgen._text import table
from kitgen.config import find_config
from kitgen.errors import InputError, KitgenError, Problem
from kitgen.schema.loading import Library, build_library, is_bank_file, load_banks, load_role
from kitgen.schema.messages import did_you_mean
from kitgen.schema.models import LEVELS, Question

WHAT = ("roles", "banks", "categories", "questions")


@dataclass(frozen=True)
class QuestionFilter:
    """Which questions `browse("questions")` lists; None lets every value through."""

    category: str | None = None
    tag: str | None = None
    level: str | None = None
    kind: str | None = None


def browse(
    what: str,
    banks: Iterable[Path] = (),
    folders: Iterable[Path] = (),
    filters: QuestionFilter | None = None,
) -> str:
    """The listing of `kitgen list WHAT`: roles in `folders` (default ./roles and
    examples/roles), or the banks, categories or (filtered) questions of the bundled
    banks, the workspace's own (./banks) and `banks`."""
    if what == "roles":
        default = [p for p in (Path("roles"), Path("examples/roles")) if p.is_dir()]
        return list_roles(list(folders) or default)
    library = library_for(banks)
    if what == "banks":
        return list_banks(library)
    if what == "categories":
        return list_categories(library)
    if what == "questions":
        return list_questions(filter_questions(library, filters or QuestionFilter()))
    raise InputError(
        [Problem(None, 0, 0, f"cannot list {what!r}; choose one of {', '.join(WHAT)}")]
    )


def show_question(question_id: str, banks: Iterable[Path] = ()) -> str:
    """One question in full, from the bundled banks, the workspace's own and `banks`."""
    return _show(library_for(banks), question_id)


def workspace_banks(folder: Path | None = None) -> list[Path]:
    """The workspace's own banks: the bank files under `folder`/banks, the ones
    `kitgen validate` checks there (a role profile kept in banks/ is not one). Without
    `folder`: the current folder, or the folder of the kitgen.toml above it."""
    if folder is None:
        config = find_config(Path.cwd())
        folder = Path(".") if config is None or Path("banks").is_dir() else config.parent
    banks = folder / "banks"
    if not banks.is_dir():
        return []
    found = (p for p in banks.rglob("*") if p.suffix in (".yaml", ".yml"))
    return sorted(p for p in found if is_bank_file(p))  # a file, with `bank:` at the top


def library_for(extra_banks: Iterable[Path] = ()) -> Library:
    """The bundled banks, then the workspace's own, then `extra_banks`, each file once."""
    paths = bundled_bank_paths()
    for path in [*workspace_banks(), *extra_banks]:
        full = resolved(path, InputError)
        if full not in paths:
            paths.append(full)
    return build_library(load_banks(paths))


def list_banks(library: Library) -> str:
    rows = [
        [b.bank.bank, b.bank.title, str(len(b.bank.questions)), str(b.doc.path)]
        for b in library.banks
    ]
    return table(rows, ["bank", "title", "questions", "file"])


def list_categories(library: Library) -> str:
    rows = []
    for cid, category in library.categories.items():
        questions = [q for q in library.questions.values() if q.category == cid]
        per_level = [str(sum(1 for q in questions if lvl in q.levels)) for lvl in LEVELS]
        rows.append([cid, category.title, str(len(questions)), *per_level])
    return table(rows, ["category", "title", "questions", *LEVELS])


def filter_questions(library: Library, filters: QuestionFilter) -> list[Question]:
    category, tag, level, kind = filters.category, filters.tag, filters.level, filters.kind
    if category is not None and category not in library.categories:
        raise InputError(
            f"unknown category {category!r}" + did_you_mean(category, list(library.categories))
        )
    return [
        q
        for q in library.questions.values()
        if (category is None or q.category == category)
        and (tag is None or tag in q.tags)
        and (level is None or level in q.levels)
        and (kind is None or q.kind == kind)
    ]


def list_questions(questions: list[Question]) -> str:
    rows = [
        [
            q.id,
            q.kind,
            f"{q.minutes}m",
            ",".join(_LEVEL_SHORT[lvl] for lvl in q.levels),
            textwrap.shorten(q.text, 70, placeholder="…"),
        ]
        for q in questions
    ]
    return table(rows, ["id", "kind", "min", "levels", "text"]) + f"\n\n{len(rows)} questions"


def list_roles(folders: Iterable[Path]) -> str:
    rows, problems = [], []
    for folder in folders:
        if not folder.is_dir():
            raise InputError([Problem(str(folder), 0, 0, "is not a folder of role profiles")])
        for path in sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]):
            try:
                role = load_role(path).role
            except KitgenError as exc:
                problems.extend(exc.problems)
                continue
            weights = ", ".join(f"{c} {r.weight:g}" for c, r in role.categories.items())
            rows.append([str(path), role.role, role.level, f"{role.slot}m", weights])
    if problems:
        raise InputError(problems)
    return table(rows, ["file", "role", "level", "duration", "categories (weight)"])


def _show(library: Library, question_id: str) -> str:
    question = library.questions.get(question_id)
    if question is None:
        raise InputError(
            [
                Problem(
                    None,
                    0,
                    0,
                    f"no question with id {question_id!r}"
                    + did_you_mean(question_id, list(library.questions)),
                )
            ]
        )
    loaded, index = library.question_origin[question_id]
    line = loaded.doc.locate(("questions", index))[0]
    q = question
    out = [
        f"{q.id}  ({library.categories[q.category].title})",
        f"{q.kind} · {q.minutes} min · weight {q.weight:g} · levels {', '.join(q.levels)}",
        f"tags: {', '.join(q.tags) or '-'}",
        f"bar: {', '.join(f'{level} {rating}' for level, rating in q.bar.items()) or '-'}",
        f"source: {loaded.doc.path}:{line}",
        "",
        *_paragraphs(q.text, ""),
    ]
    for title, items in (
        ("Look for", q.look_for),
        ("Follow-ups", q.follow_ups),
        ("Red flags", q.red_flags),
    ):
        if items:
            out += ["", f"{title}:"]
            for item in items:
                out += textwrap.wrap(item, 88, initial_indent="  - ", subsequent_indent="    ")
    if q.answer:
        out += ["", "Key:", *_paragraphs(q.answer, "  ")]
    if q.rubric:
        out += ["", "Rubric:"]
        for value, anchor in sorted(q.rubric.items()):
            out += textwrap.wrap(
                anchor, 88, initial_indent=f"  {value}: ", subsequent_indent="     "
            )
    return "\n".join(out)


_LEVEL_SHORT = {"junior": "Jr", "mid": "Mid", "senior": "Sr", "staff": "Staff"}  # S was both


def _paragraphs(text: str, indent: str) -> list[str]:
    """Prose wrapped to the terminal's 88 columns; code kept line for line."""
    from kitgen.render.blocks import text_blocks

    lines: list[str] = []
    for block in text_blocks(text):
        if lines:
            lines.append("")
        if block.code:
            lines += [indent + "    " + line for line in block.text.split("\n")]
        else:
            lines += textwrap.wrap(block.text, 88, initial_indent=indent, subsequent_indent=indent)
    return lines
