"""A loop's packets filled in a real viewer engine (PDFium, Chrome's) and scored as one
debrief (SPEC "Interview loops", "Scoring"); the figures are recomputed here by hand."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from statistics import mean
from typing import Any

import pytest
from click.testing import CliRunner, Result

from kitgen.cli import main

from ..conftest import EXAMPLES
from ..engines import pdfium

LOOP = EXAMPLES / "senior-mlops-engineer-loop.yaml"


def _run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(scope="module")
def loop_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("loop")
    result = _run("generate", LOOP, "-o", out, "--format", "pdf,json", "--brief")
    assert result.exit_code == 0, result.output
    data = json.loads((out / f"{LOOP.stem}.json").read_text())
    return {"out": out, "loop": data}


def _packet(loop_files: dict[str, Any], number: int) -> tuple[Path, dict[str, Any]]:
    packet = loop_files["loop"]["packets"][number - 1]
    slug = {1: "technical-screen", 2: "system-design", 3: "values-and-ownership"}[number]
    return loop_files["out"] / f"{LOOP.stem}-{slug}.pdf", packet


def _fill(
    source: Path, target: Path, packet: dict[str, Any], ratings: list[str], **text: str
) -> dict[str, str]:
    chosen = {
        f"rating:{q['id']}": ratings[i % len(ratings)] for i, q in enumerate(packet["questions"])
    }
    pdfium.fill(
        source, target, {"candidate": "Ada Lovelace", **text}, {**chosen, "recommendation": "yes"}
    )
    return {name.removeprefix("rating:"): value for name, value in chosen.items()}


def test_the_packets_of_a_loop_make_one_debrief(loop_files: dict[str, Any], tmp_path: Path) -> None:
    marks: dict[int, dict[str, str]] = {}
    files = []
    for number, ratings in ((1, ["4", "3"]), (2, ["2", "na", "3"]), (3, ["1", "4"])):
        source, packet = _packet(loop_files, number)
        target = tmp_path / f"r{number}.pdf"
        marks[number] = _fill(source, target, packet, ratings, takeaways=f"round {number}")
        files.append(target)
    result = _run("score", *reversed(files), "--format", "json")
    assert result.exit_code == 0, result.output
    panel = json.loads(result.output)["panel"]
    loop = loop_files["loop"]
    assert panel["loop_id"] == loop["loop_id"]
    assert [r["kit_id"] for r in panel["rounds"]] == [r["kit_id"] for r in loop["rounds"]]
    assert [r["interviewers"] for r in panel["rounds"]] == [
        ["Grace Okafor"],
        ["Lin Wei"],
        ["Sam Patel"],
    ]
    # by hand: each interviewer's category score is the mean of their rated questions; the
    # loop's is the mean over interviewers; overall weighs those by the role's weights
    per_interviewer: dict[str, list[float]] = {}
    for number, chosen in marks.items():
        packet = loop["packets"][number - 1]
        scores: dict[str, list[int]] = {}
        for q in packet["questions"]:
            if chosen[q["id"]] != "na":
                scores.setdefault(q["category"], []).append(int(chosen[q["id"]]))
        for category, values in scores.items():
            per_interviewer.setdefault(category, []).append(mean(values))
    expected = {c: round(mean(v), 2) for c, v in per_interviewer.items()}
    assert panel["categories"] == expected
    weights = {c["id"]: c["weight"] for c in loop["categories"]}
    means = {c: mean(v) for c, v in per_interviewer.items()}
    overall = sum(means[c] * weights[c] for c in means) / sum(weights[c] for c in means)
    assert panel["overall"] == round(overall, 2)
    assert panel["percent"] == round((overall - 1) / 3 * 100, 1)
    assert panel["unassessed_categories"] == []
    for category, spread in panel["category_spread"].items():
        rounds = [r for r in loop["rounds"] if category in r["categories"]]
        assert sorted(spread["assessed_by"]) == sorted(r["interviewer"] for r in rounds)
    table = _run("score", *files)
    assert "loop " + loop["loop_id"] in table.output
    # a panel's table has no per-question rows (those are one interviewer's view)
    assert not any(line.startswith("R2 Q1 ") for line in table.output.splitlines())


def test_a_missing_packet_leaves_its_areas_listed_as_unassessed(
    loop_files: dict[str, Any], tmp_path: Path
) -> None:
    source, packet = _packet(loop_files, 1)  # the technical screen only
    _fill(source, tmp_path / "one.pdf", packet, ["3"])
    source, packet = _packet(loop_files, 3)
    _fill(source, tmp_path / "three.pdf", packet, ["2"])
    result = _run("score", tmp_path / "one.pdf", tmp_path / "three.pdf", "--format", "json")
    assert result.exit_code == 0, result.output
    panel = json.loads(result.output)["panel"]
    assert panel["rounds"][1]["interviewers"] == [] and panel["rounds"][1]["kit_id"] is None
    loop_categories = {c["id"] for c in loop_files["loop"]["categories"]}
    asked = {
        q["category"] for n in (1, 3) for q in loop_files["loop"]["packets"][n - 1]["questions"]
    }
    assert set(panel["unassessed_categories"]) == loop_categories - asked
    markdown = _run("score", tmp_path / "one.pdf", tmp_path / "three.pdf", "--format", "md").output
    assert "no packet given" in markdown


def test_two_candidates_or_two_loops_are_refused(
    loop_files: dict[str, Any], tmp_path: Path
) -> None:
    source, packet = _packet(loop_files, 1)
    _fill(source, tmp_path / "ada.pdf", packet, ["3"])
    source, packet = _packet(loop_files, 2)
    _fill(source, tmp_path / "bob.pdf", packet, ["3"], candidate="Bob Jones")
    result = _run("score", tmp_path / "ada.pdf", tmp_path / "bob.pdf")
    assert result.exit_code == 1
    assert "bob.pdf: is for candidate 'Bob Jones', not 'Ada Lovelace' like ada.pdf" in (
        result.output
    )
    other = tmp_path / "other"
    generated = _run("generate", LOOP, "-o", other, "--seed", "99", "--format", "pdf,json")
    assert generated.exit_code == 0, generated.output
    rotated = json.loads((other / f"{LOOP.stem}.json").read_text())
    assert rotated["loop_id"] != loop_files["loop"]["loop_id"]
    _fill(
        other / f"{LOOP.stem}-system-design.pdf",
        tmp_path / "rotated.pdf",
        rotated["packets"][1],
        ["2"],
    )
    result = _run("score", tmp_path / "ada.pdf", tmp_path / "rotated.pdf")
    assert result.exit_code == 1
    assert f"is from loop {rotated['loop_id']}, not {loop_files['loop']['loop_id']}" in (
        result.output
    )


def test_the_brief_tells_the_candidate_nothing_of_the_questions(loop_files: dict[str, Any]) -> None:
    out: Path = loop_files["out"]
    pdf = out / f"{LOOP.stem}-candidate-brief.pdf"
    text = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True, check=True)
    md = _run("generate", LOOP, "-o", out / "b", "--format", "md,html", "--brief")
    assert md.exit_code == 0, md.output
    briefs = {
        "pdf": text.stdout,
        "md": (out / "b" / f"{LOOP.stem}-candidate-brief.md").read_text(),
        "html": (out / "b" / f"{LOOP.stem}-candidate-brief.html").read_text(),
    }

    def squash(value: str) -> str:
        return " ".join(value.replace("\\", "").split()).casefold()

    loop = loop_files["loop"]
    for kind, body in briefs.items():
        flat = squash(body)
        assert squash(loop["role"]) in flat and "grace okafor" in flat, kind
        for category in loop["categories"]:
            assert squash(category["title"]) in flat, (kind, category["id"])
        for packet in loop["packets"]:
            for q in packet["questions"]:
                secrets = [q["text"], *q["rubric"].values(), *q["follow_ups"], *q["red_flags"]]
                secrets += q["look_for"]
                for secret in secrets:
                    words = squash(secret).split()
                    assert squash(secret) not in flat, (kind, q["id"], secret)
                    # a leak broken across lines or pages still shows its first words
                    if len(words) >= 6:
                        assert " ".join(words[:6]) not in flat, (kind, q["id"], secret)


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        (lambda k: k["loop"].pop("categories"), "loop.categories: Field required"),
        (lambda k: k["loop"]["rounds"][0].pop("name"), "loop.rounds.0.name: Field required"),
        (lambda k: k["loop"]["categories"][0].update(weight="heavy"), "loop.categories.0.weight"),
        (lambda k: k["loop"].update(rounds=[]), "loop.rounds: List should have at least 1"),
        (lambda k: k["round"].update(number=9), "the packet's round is not one of its loop's"),
        (lambda k: k["loop"]["categories"][0].update(weight=1000), "weight differs from its loop"),
    ],
)
def test_damaged_loop_data_is_refused_even_with_a_recomputed_kit_id(
    loop_files: dict[str, Any], tmp_path: Path, damage: Any, expected: str
) -> None:
    from kitgen.select.kit import kit_id_of

    packet = json.loads(json.dumps(loop_files["loop"]["packets"][0]))
    damage(packet)
    packet["kit_id"] = kit_id_of(packet)  # anyone can recompute the hash
    kit = tmp_path / "kit.json"
    kit.write_text(json.dumps(packet))
    ratings = tmp_path / "r.csv"
    ratings.write_text(f"interviewer,question,rating\nAda,{packet['questions'][0]['id']},3\n")
    result = _run("score", "--ratings", ratings, "--kit", kit)
    assert result.exit_code == 1, result.output
    assert "the kit data is damaged" in result.output and expected in result.output


def test_a_loop_scores_from_paper_with_the_loops_json(
    loop_files: dict[str, Any], tmp_path: Path
) -> None:
    loop = loop_files["loop"]
    first, second = loop["packets"][0], loop["packets"][1]
    ratings = tmp_path / "paper.csv"
    ratings.write_text(
        "interviewer,question,rating\n"
        f"Grace Okafor,R1 Q1,4\n"
        f"Grace Okafor,{first['questions'][1]['id']},2\n"
        "Grace Okafor,recommendation,yes\n"
        "Lin Wei,r2q1,3\n"
        "Lin Wei,R2 Q2,na\n"
    )
    kit = loop_files["out"] / f"{LOOP.stem}.json"
    result = _run("score", "--ratings", ratings, "--kit", kit, "--format", "json")
    assert result.exit_code == 0, result.output
    scored = json.loads(result.output)
    grace, lin = scored["scorecards"]
    assert grace["kit_id"] == first["kit_id"] and lin["kit_id"] == second["kit_id"]
    assert grace["ratings"] == {first["questions"][0]["id"]: 4, first["questions"][1]["id"]: 2}
    assert lin["not_assessed"] == [second["questions"][1]["id"]]
    panel = scored["panel"]
    assert [r["interviewers"] for r in panel["rounds"]] == [["Grace Okafor"], ["Lin Wei"], []]
    # one interviewer, one round: marks on two packets are refused at the row
    mixed = tmp_path / "mixed.csv"
    mixed.write_text("interviewer,question,rating\nAda,R1 Q1,3\nAda,R3 Q1,2\nAda,R4 Q1,2\n")
    refused = _run("score", "--ratings", mixed, "--kit", kit)
    assert refused.exit_code == 1
    assert "mixed.csv:2:1: 'Ada' rates questions of R1, R3: one interviewer, one round" in (
        refused.output
    )
    assert "mixed.csv:4:5: unknown question 'R4 Q1'; use a question id, a round and number" in (
        refused.output
    )
