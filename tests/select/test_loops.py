"""Interview loops (SPEC "Interview loops"): packets, the loop ID, the agenda, coverage."""

from __future__ import annotations

import itertools
from collections import Counter
from pathlib import Path

import pytest

from kitgen import build_kit
from kitgen.pipeline import BuildRequest
from kitgen.select.kit import loop_json, packets
from kitgen.select.selection import default_seed

from ..conftest import EXAMPLES, ROLES

LOOPS = [EXAMPLES / "ml-engineering-lead.yaml", EXAMPLES / "senior-mlops-engineer-loop.yaml"]


@pytest.mark.parametrize("role_path", LOOPS, ids=lambda p: p.stem)
def test_packets_split_the_loop_exactly(role_path: Path) -> None:
    whole = build_kit(role_path).kit
    assert whole.loop is not None
    made = packets(whole)
    assert [p.round.name for p in made if p.round] == [r.name for r in whole.role.rounds]
    ids = [q.question.id for p in made for q in p.questions]
    every = [q.question.id for q in whole.questions]
    assert sorted(ids) == sorted(every), "the packets' union is the loop"
    assert len(set(ids)) == len(every), "no question in two packets"
    for packet, rule in zip(made, whole.role.rounds, strict=True):
        asked = {q.question.category for q in packet.questions}
        # a packet's scorecard: only its categories, and every one it lists
        assert {c.id for c in packet.categories} == asked == set(rule.categories)
        assert [q.number for q in packet.questions] == list(range(1, len(packet.questions) + 1))
        assert sum(q.question.minutes for q in packet.questions) <= (
            rule.minutes - whole.role.opening - whole.role.closing
        )
        assert packet.loop is not None and packet.loop.loop_id == whole.loop.loop_id
    kit_ids = [p.kit_id for p in made]
    assert len(set(kit_ids)) == len(kit_ids) and whole.loop.loop_id not in kit_ids
    # every cover lists every packet's kit ID
    assert [r.kit_id for r in made[0].loop.rounds] == kit_ids  # type: ignore[union-attr]


def test_loop_json_is_the_loop_as_a_whole() -> None:
    whole = build_kit(LOOPS[1]).kit
    data = loop_json(whole)
    made = packets(whole)
    assert data["loop_id"] == whole.loop.loop_id  # type: ignore[union-attr]
    assert [r["kit_id"] for r in data["rounds"]] == [p.kit_id for p in made]
    assert [r["interviewer"] for r in data["rounds"]] == ["Grace Okafor", "Lin Wei", "Sam Patel"]
    assert [p["kit_id"] for p in data["packets"]] == [p.kit_id for p in made]
    assert data["duration"] == sum(r.minutes for r in whole.role.rounds)
    for packet in data["packets"]:
        assert packet["loop"]["loop_id"] == data["loop_id"]
        assert packet["round"]["name"] in {r["name"] for r in data["rounds"]}


def test_the_loop_id_follows_the_questions() -> None:
    role_path = LOOPS[1]
    one = build_kit(role_path, BuildRequest((role_path,), seed=1)).kit
    two = build_kit(role_path, BuildRequest((role_path,), seed=2)).kit
    again = build_kit(role_path, BuildRequest((role_path,), seed=1)).kit
    assert one.loop and two.loop and again.loop
    assert one.loop.loop_id == again.loop.loop_id != two.loop.loop_id


def test_agenda_has_clock_offsets_inside_the_slot() -> None:
    kit = build_kit(EXAMPLES / "nlp-engineer.yaml").kit
    (agenda,) = kit.agendas
    items = agenda.items
    assert (items[0].clock, items[0].minutes) == ("0:00", 5)
    assert items[1].clock == "0:05" and items[1].questions.startswith("Q1")
    for before, after in itertools.pairwise(items[1:-1]):  # the sections, back to back
        assert after.start == before.start + before.minutes
    assert (items[-1].clock, items[-1].minutes) == ("0:55", 5)  # a 60-minute slot
    assert agenda.spare == 60 - 10 - kit.total_minutes
    assert kit.total_minutes <= 50


def test_combined_loop_document_has_an_agenda_per_round() -> None:
    kit = build_kit(LOOPS[0]).kit
    agendas = kit.agendas
    assert [a.title for a in agendas] == [r.name for r in kit.role.rounds]
    for agenda, rule in zip(agendas, kit.role.rounds, strict=True):
        assert agenda.slot == rule.minutes
        assert agenda.items[-1].start == rule.minutes - kit.role.closing


@pytest.mark.parametrize("role_path", ROLES, ids=lambda p: p.stem)
def test_every_example_kit_covers_every_listed_category(role_path: Path) -> None:
    # over 20 seeds, every kit of every example role asks about every area it lists
    missing: Counter[str] = Counter()
    for seed in range(20):
        kit = build_kit(role_path, BuildRequest((role_path,), seed=seed)).kit
        asked = {q.question.category for q in kit.questions}
        for category, rule in kit.role.categories.items():
            if rule.floor and category not in asked:
                missing[category] += 1
        for packet in packets(kit):
            if packet.round is not None:
                round_rule = kit.role.rounds[packet.round.number - 1]
                assert {c.id for c in packet.categories} == set(round_rule.categories)
    assert not missing, f"dropped over 20 seeds: {dict(missing)}"


def test_default_seed_ignores_nothing_of_the_loop() -> None:
    role = build_kit(LOOPS[1]).kit.role
    renamed = role.model_copy(
        update={"rounds": [r.model_copy(update={"minutes": 50}) for r in role.rounds]}
    )
    assert default_seed(role) != default_seed(renamed)
