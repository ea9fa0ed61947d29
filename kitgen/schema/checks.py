"""The checks a bank or a role profile must pass beyond its schema: ids used once, rubrics
that anchor the scale, a slot that holds its opening and closing, rounds that make sense,
and a role that names only what its banks define. Each problem is located in its file."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kitgen.errors import Problem
from kitgen.schema.messages import did_you_mean
from kitgen.schema.models import Bank, RoleProfile
from kitgen.schema.yaml_source import YamlDocument

if TYPE_CHECKING:
    from kitgen.schema.loading import Library, LoadedRole


def check_bank(doc: YamlDocument, bank: Bank) -> list[Problem]:
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
        top = max(question.rubric)
        for level, rating in question.bar.items():
            if rating > top:
                problems.append(
                    doc.problem(
                        ("questions", index, "bar", level),
                        f"bar {rating} at {level} is above the rubric's top rating ({top})",
                    )
                )
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


def check_role(doc: YamlDocument, role: RoleProfile) -> list[Problem]:
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
    problems.extend(check_slot(doc, role))
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


def check_slot(doc: YamlDocument, role: RoleProfile) -> list[Problem]:
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
