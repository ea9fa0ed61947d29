"""The bundled content as data: counts, completeness, uniqueness, and every role usable."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from pathlib import Path

import pytest

from kitgen import BuildRequest, build_kit
from kitgen._resources import bundled_bank_ids, bundled_bank_path
from kitgen.schema.loading import Library, build_library, load_banks, load_role, resolve_bank_paths
from kitgen.schema.models import LEVELS, Question
from kitgen.select.selection import select_questions

from .conftest import EXAMPLES, REPO

AREAS = [
    "fundamentals",
    "algorithms",
    "deep-learning",
    "nlp",
    "computer-vision",
    "mathematics",
    "evaluation",
    "mlops",
    "case-studies",
    "ethics",
]
ROLES = sorted(EXAMPLES.glob("*.yaml"))
WORKSPACE_ROLES = sorted((REPO / "examples" / "workspace" / "roles").glob("*.yaml"))
# Words that would make a question about the candidate's protected characteristics.
PROTECTED = re.compile(
    r"\b(your (age|family|children|kids|spouse|religion|church|faith|nationality|accent|"
    r"health|disability|pregnan\w*)|how old|married|maiden name|born in|where are you from|"
    r"native language|citizen\w*)\b",
    re.IGNORECASE,
)


@pytest.fixture(scope="module")
def library() -> Library:
    return build_library(load_banks(bundled_bank_path(b) for b in bundled_bank_ids()))


def _questions(library: Library) -> list[Question]:
    return list(library.questions.values())


def test_bundled_bank_file_names_are_their_ids(library: Library) -> None:
    for loaded in library.banks:
        assert loaded.doc.path.stem == loaded.bank.bank


def test_every_area_has_enough_questions(library: Library) -> None:
    counts = Counter(q.category for q in _questions(library))
    assert len(_questions(library)) >= 250
    for area in AREAS:
        assert counts[area] >= 20, area
        assert len(library.categories[area].look_for) >= 3, area


def test_every_question_is_complete(library: Library) -> None:
    for q in _questions(library):
        assert len(q.look_for) >= 3, q.id
        assert sorted(q.rubric) == [1, 2, 3, 4], q.id
        assert len(q.follow_ups) >= 1, q.id
        assert q.tags, q.id
        assert 3 <= q.minutes <= 15, q.id
        assert q.id.startswith(q.category + "-"), q.id
        # an anchor describes an answer, not a grade
        for anchor in q.rubric.values():
            assert len(anchor.split()) >= 4, (q.id, anchor)


def test_a_fifth_or_more_are_not_technical(library: Library) -> None:
    kinds = Counter(q.kind for q in _questions(library))
    assert (kinds["behavioral"] + kinds["hypothetical"] + kinds["case"]) / sum(
        kinds.values()
    ) >= 0.2


def test_every_level_is_served_in_every_area(library: Library) -> None:
    for area, level in itertools.product(AREAS, LEVELS):
        eligible = [q for q in _questions(library) if q.category == area and level in q.levels]
        assert len(eligible) >= 8, (area, level)


def test_no_two_questions_are_near_identical(library: Library) -> None:
    # Jaccard similarity of word pairs (bigrams): rewordings of one question share most.
    def bigrams(text: str) -> set[tuple[str, str]]:
        words = re.findall(r"[a-z0-9]+", text.lower())
        return set(itertools.pairwise(words))

    grams = [(q.id, bigrams(q.text)) for q in _questions(library)]
    for (id_a, a), (id_b, b) in itertools.combinations(grams, 2):
        assert len(a & b) / len(a | b) < 0.5, (id_a, id_b)


def test_no_question_touches_protected_characteristics(library: Library) -> None:
    for q in _questions(library):
        for text in (q.text, *q.follow_ups):
            assert not PROTECTED.search(text), (q.id, text)


@pytest.mark.parametrize("role_path", ROLES + WORKSPACE_ROLES, ids=lambda p: p.stem)
def test_role_rotates_with_the_seed(role_path: Path) -> None:
    kits = [build_kit(role_path, BuildRequest((role_path,), seed=seed)).kit for seed in range(4)]
    assert len({tuple(q.question.id for q in kit.questions) for kit in kits}) == 4
    role = load_role(role_path).role
    assert role.summary
    uses = bool(
        role.include or role.tags.prefer or any(rule.min for rule in role.categories.values())
    )
    assert uses, "each example shows min, prefer or include"


@pytest.mark.parametrize("role_path", ROLES, ids=lambda p: p.stem)
def test_every_level_of_every_role_fills_its_slot(role_path: Path) -> None:
    # at any level, the kit uses most of the minutes its slot leaves for questions
    loaded = load_role(role_path)
    library = build_library(load_banks(resolve_bank_paths(loaded)))
    for level in LEVELS:
        slot = loaded.role.duration if not loaded.role.rounds else 60
        role = loaded.role.model_copy(
            update={"level": level, "duration": slot, "rounds": [], "include": []}
        )
        selected = select_questions(role, library.questions, seed=1)
        minutes = sum(s.question.minutes for s in selected)
        assert 0.85 * role.question_minutes <= minutes <= role.question_minutes, (level, minutes)


def test_there_are_eight_or_more_example_roles() -> None:
    assert len(ROLES) >= 8
    names = " ".join(load_role(p).role.role for p in ROLES)
    for expected in (
        "Machine Learning Engineer",
        "NLP",
        "Computer Vision",
        "MLOps",
        "Data Scientist",
        "Research Scientist",
        "LLM",
    ):
        assert expected in names
