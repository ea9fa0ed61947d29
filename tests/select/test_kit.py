"""The kit: its JSON, its plan, its ID."""

from __future__ import annotations

import json

from kitgen import build_kit
from kitgen.output.generate import kit_json

from ..conftest import EXAMPLES


def test_json_has_the_spec_fields_in_kit_order() -> None:
    prepared = build_kit(EXAMPLES / "ml-engineering-lead.yaml")
    data = json.loads(kit_json(prepared))
    assert {"kit_id", "role", "level", "seed", "duration", "categories", "questions"} <= set(data)
    assert data["kit_id"] == prepared.kit.kit_id
    for category in data["categories"]:
        assert set(category) >= {"id", "title", "weight"}
    numbers = [q["number"] for q in data["questions"]]
    assert numbers == list(range(1, len(numbers) + 1))
    for question in data["questions"]:
        assert set(question) >= {
            "id",
            "category",
            "kind",
            "minutes",
            "weight",
            "text",
            "look_for",
            "rubric",
            "round",
        }
    assert {q["round"] for q in data["questions"]} == {
        "System design",
        "Judgement and responsibility",
    }
