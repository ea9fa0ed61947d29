"""`kitgen generate` for a loop: a packet per round (or --combined), per candidate, and the
loop's JSON; each packet's form holds only its questions and categories (read by PDFium)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from click.testing import CliRunner, Result

from kitgen.cli import main

from ..conftest import EXAMPLES, REPO
from ..engines import pdfium

LOOP = EXAMPLES / "senior-mlops-engineer-loop.yaml"
SLUGS = ["technical-screen", "system-design", "values-and-ownership"]


def _run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def _text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", pdf, "-"], capture_output=True, text=True, check=True
    ).stdout


def test_a_loop_writes_a_packet_per_round(tmp_path: Path) -> None:
    result = _run("generate", LOOP, "-o", tmp_path, "--format", "pdf,json")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [f"{LOOP.stem}.json", *(f"{LOOP.stem}-{slug}.pdf" for slug in SLUGS)]
    )
    loop = json.loads((tmp_path / f"{LOOP.stem}.json").read_text())
    for slug, packet, round_ in zip(SLUGS, loop["packets"], loop["rounds"], strict=True):
        pdf = tmp_path / f"{LOOP.stem}-{slug}.pdf"
        radios = {name for name, _ in pdfium.widget_rects(pdf)}
        questions = {f"rating:{q['id']}" for q in packet["questions"]}
        categories = {f"category:{c}" for c in round_["categories"]}
        assert radios == questions | categories | {"recommendation"}, slug
        text = _text(pdf)
        # the cover: the loop, each round's interviewer and kit ID, this packet's agenda
        assert loop["loop_id"] in text and packet["kit_id"] in text
        for other in loop["rounds"]:
            assert other["name"] in text and other["interviewer"] in text
            assert other["kit_id"] in text
        close = round_["minutes"] - 5  # the candidate's questions, at the slot's end
        assert "0:00" in text and "0:05" in text and f"{close // 60}:{close % 60:02d}" in text
        assert "where each focus area is assessed" in text.casefold()
    with_interviewer = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", tmp_path / f"{LOOP.stem}-system-design.pdf", "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "Lin Wei" in with_interviewer.stdout


def test_packets_prefill_the_rounds_interviewer(tmp_path: Path) -> None:
    from pypdf import PdfReader  # the fields' values as any reader sees them

    assert _run("generate", LOOP, "-o", tmp_path).exit_code == 0
    values = [
        PdfReader(tmp_path / f"{LOOP.stem}-{slug}.pdf").get_fields()["interviewer"].get("/V")
        for slug in SLUGS
    ]
    assert values == ["Grace Okafor", "Lin Wei", "Sam Patel"]
    # the round's own interviewer stays; --interviewer fills a round that names none
    role = tmp_path / "roles" / "loop.yaml"
    role.parent.mkdir()
    role.write_text(LOOP.read_text().replace('    interviewer: "Lin Wei"\n', ""))
    override = tmp_path / "o"
    assert _run("generate", role, "-o", override, "--interviewer", "Panel").exit_code == 0
    fields = [
        PdfReader(override / f"loop-{slug}.pdf").get_fields()["interviewer"].get("/V")
        for slug in SLUGS
    ]
    assert fields == ["Grace Okafor", "Panel", "Sam Patel"]


def test_combined_is_one_document_and_a_file_output_needs_it(tmp_path: Path) -> None:
    refused = _run("generate", LOOP, "-o", tmp_path / "loop.pdf")
    assert refused.exit_code == 1
    assert (
        "names a file, but 3 documents are written; a loop writes a packet per round; "
        "-o names a folder, or use --combined" in (refused.output)
    )
    assert not any(tmp_path.iterdir())
    combined = _run("generate", LOOP, "-o", tmp_path / "loop.pdf", "--combined")
    assert combined.exit_code == 0, combined.output
    assert [p.name for p in tmp_path.iterdir()] == ["loop.pdf"]
    text = _text(tmp_path / "loop.pdf")
    for name in ("Technical screen", "System design", "Values and ownership"):
        assert name in text


def test_candidates_get_a_packet_per_round_each(tmp_path: Path) -> None:
    rows = tmp_path / "drive.csv"
    rows.write_text("name,interviewer,date\nSam Doe,,2026-12-01\nLee Chen,,\n")
    out = tmp_path / "kits"
    result = _run("generate", LOOP, "--candidates", rows, "-o", out)
    assert result.exit_code == 0, result.output
    expected = [
        f"{LOOP.stem}-{slug}-{who}.pdf" for slug in SLUGS for who in ("sam-doe", "lee-chen")
    ]
    assert sorted(p.name for p in out.iterdir()) == sorted(expected)
    from pypdf import PdfReader

    fields = PdfReader(out / f"{LOOP.stem}-values-and-ownership-lee-chen.pdf").get_fields()
    assert fields["candidate"].get("/V") == "Lee Chen"
    assert fields["interviewer"].get("/V") == "Sam Patel"


def test_lint_warns_when_one_round_of_three_decides_an_area(tmp_path: Path) -> None:
    role = tmp_path / "roles" / "loop.yaml"
    role.parent.mkdir()
    text = LOOP.read_text().replace(
        "    categories: [ethics, case-studies, evaluation]",
        "    categories: [case-studies, evaluation]",
    )
    role.write_text(text)
    result = _run("lint", role)
    line = next(i for i, row in enumerate(text.splitlines(), 1) if row.startswith("  ethics:"))
    assert (
        f"{role}:{line}:3: KG204 category 'ethics' is assessed in only one of the loop's 3 "
        "rounds ('System design')"
    ) in result.output
    assert "KG204" not in _run("lint", LOOP).output


def test_a_copy_of_the_classic_template_renders_a_loop_in_the_sandbox(tmp_path: Path) -> None:
    # a user's template runs sandboxed: the loop's cover must use data, not methods
    import shutil

    template = tmp_path / "house"
    shutil.copytree(REPO / "templates" / "classic", template)
    result = _run("generate", LOOP, "-o", tmp_path / "out", "--template", template, "--brief")
    assert result.exit_code == 0, result.output
    text = _text(tmp_path / "out" / f"{LOOP.stem}-system-design.pdf")
    assert "where each focus area is assessed" in text.casefold()


def test_a_combined_document_scores_as_one_kit(tmp_path: Path) -> None:
    combined = tmp_path / "loop.pdf"
    assert (
        _run("generate", LOOP, "-o", combined, "--combined", "--format", "pdf,json").exit_code == 0
    )
    kit = json.loads(combined.with_suffix(".json").read_text())
    choices = {f"rating:{q['id']}": "3" for q in kit["questions"]}
    pdfium.fill(combined, tmp_path / "filled.pdf", {"interviewer": "Ada"}, choices)
    result = _run("score", tmp_path / "filled.pdf", "--format", "json")
    assert result.exit_code == 0, result.output
    scored = json.loads(result.output)
    assert "panel" not in scored  # one interviewer, one kit: no loop to merge
    (card,) = scored["scorecards"]
    assert card["kit_id"] == kit["kit_id"] and card["overall"] == 3
    assert set(card["categories"]) == {c["id"] for c in kit["categories"]}


def test_a_template_without_a_brief_gets_the_classic_one_whole(tmp_path: Path) -> None:
    import shutil

    template = tmp_path / "house"
    shutil.copytree(REPO / "templates" / "classic", template)
    (template / "brief.html").unlink()
    shutil.rmtree(template / "fonts")  # the brief must not look for classic's fonts here
    (template / "kit.css").write_text("/* our own look: no fonts */ body { color: #222; }")
    result = _run("generate", LOOP, "-o", tmp_path / "out", "--template", template, "--brief")
    assert result.exit_code == 0, result.output
    brief = tmp_path / "out" / f"{LOOP.stem}-candidate-brief.pdf"
    fonts = subprocess.run(["pdffonts", brief], capture_output=True, text=True, check=True)
    assert "+Kit-Sans" in fonts.stdout  # classic's brief, with classic's own fonts
    assert "Grace Okafor" in _text(brief)


def test_a_loop_that_fails_in_one_round_writes_nothing(tmp_path: Path) -> None:
    import shutil

    template = tmp_path / "breaks"
    shutil.copytree(REPO / "templates" / "classic", template)
    kit_html = template / "kit.html"
    # a user template that fails only on the second round's packet
    kit_html.write_text(
        kit_html.read_text().replace(
            "<body>", "<body>{% if kit.round and kit.round.number == 2 %}{{ no_such }}{% endif %}"
        )
    )
    out = tmp_path / "out"
    result = _run("generate", LOOP, "-o", out, "--template", template, "--brief")
    assert result.exit_code == 1
    assert "template uses an undefined value: 'no_such' is undefined" in result.output
    assert not out.exists() or not any(out.iterdir()), "a loop is written whole or not at all"


def test_a_packet_and_a_role_that_share_a_file_name_are_refused_by_name(tmp_path: Path) -> None:
    roles = tmp_path / "roles"
    roles.mkdir()
    (roles / "lead.yaml").write_text(
        "role: Lead\nlevel: senior\nbanks: [ai-ml]\ncategories: {mlops: 1}\n"
        "rounds:\n  - {name: X, minutes: 30, categories: [mlops]}\n"
    )
    (roles / "lead-x.yaml").write_text(
        "role: Lead X\nlevel: senior\nduration: 30\nbanks: [ai-ml]\ncategories: {mlops: 1}\n"
    )
    result = _run("generate", roles, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert (
        "lead-x.pdf: two documents would both be written here: lead-x.yaml and "
        "lead.yaml round 'X'; rename a role file or a round"
    ) in result.output
    assert not (tmp_path / "out").exists()
    only_json = _run(
        "generate", roles / "lead.yaml", "-o", tmp_path / "j", "--format", "json", "--brief"
    )
    assert only_json.exit_code == 1
    assert "--brief writes pdf, html or md; add one of them to --format" in only_json.output
