"""Write a synthetic question bank of N questions (default 10,000) for the benchmarks."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import yaml

AREAS = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"]
WORDS = [
    "model",
    "data",
    "feature",
    "label",
    "metric",
    "drift",
    "latency",
    "budget",
    "team",
    "review",
    "risk",
    "user",
    "signal",
    "error",
    "baseline",
    "sample",
    "cost",
    "release",
    "monitor",
    "pipeline",
]


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def make_bank(count: int, seed: int = 7) -> dict[str, object]:
    rng = random.Random(seed)
    levels = ["junior", "mid", "senior", "staff"]
    questions = []
    for index in range(count):
        area = AREAS[index % len(AREAS)]
        start = rng.randrange(3)
        questions.append(
            {
                "id": f"{area}-q{index}",
                "category": area,
                "text": sentence(rng, 22) + " " + sentence(rng, 14) + "?",
                "kind": rng.choice(["technical", "technical", "behavioral", "case"]),
                "levels": levels[start : start + 2 + rng.randrange(2)],
                "minutes": rng.choice([5, 6, 8, 10]),
                "weight": rng.choice([1, 1, 2]),
                "tags": [rng.choice(WORDS), rng.choice(WORDS)],
                "look_for": [sentence(rng, 16) for _ in range(4)],
                "follow_ups": [sentence(rng, 12) + "?" for _ in range(2)],
                "red_flags": [sentence(rng, 10)],
                "rubric": {r: sentence(rng, 18) for r in range(1, 5)},
            }
        )
    questions = [dict(q, tags=sorted(set(q["tags"]))) for q in questions]  # type: ignore[call-overload]
    return {
        "bank": "synthetic",
        "title": f"Synthetic bank of {count} questions",
        "categories": [
            {"id": a, "title": f"Area {a}", "look_for": [sentence(rng, 10)]} for a in AREAS
        ],
        "questions": questions,
    }


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else Path("out/bench/bank-10k.yaml")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(
        yaml.safe_dump(make_bank(count), sort_keys=False, width=100), encoding="utf-8"
    )
    print(target)


if __name__ == "__main__":
    main()
