"""The command line through Click's CliRunner: exit codes, messages, files."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from pypdf import PdfReader

from kitgen import __version__
from kitgen.cli import main

from .conftest import EXAMPLES, REPO

Cli = Callable[..., Result]
NLP = EXAMPLES / "nlp-engineer.yaml"


def test_version_and_module_entry_point(cli: Cli) -> None:
    assert cli("--version").output.strip() == f"kitgen, version {__version__}"
    done = subprocess.run(
        [sys.executable, "-m", "kitgen", "--version"], capture_output=True, text=True, check=True
    )
    assert __version__ in done.stdout


def test_generate_one_role_in_every_format(cli: Cli, tmp_path: Path) -> None:
    result = cli(
        "generate",
        NLP,
        "-o",
        tmp_path / "nlp.pdf",
        "--format",
        "pdf,html,md,json",
        "--candidate",
        "Sam Doe",
        "--paper",
        "letter",
    )
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == ["nlp.html", "nlp.json", "nlp.md", "nlp.pdf"]
    assert PdfReader(tmp_path / "nlp.pdf").pages[0].mediabox.width == 612
    assert "1 kit, " in result.output


def test_json_is_identical_twice_and_seed_rotates(cli: Cli, tmp_path: Path) -> None:
    for name, extra in (("a", []), ("b", []), ("c", ["--seed", "12345"])):
        result = cli("generate", NLP, "-o", tmp_path / f"{name}.json", "--format", "json", *extra)
        assert result.exit_code == 0, result.output
    a, b, c = ((tmp_path / f"{n}.json").read_bytes() for n in "abc")
    assert a == b
    ids = [[q["id"] for q in json.loads(x)["questions"]] for x in (a, c)]
    assert ids[0] != ids[1]
    assert json.loads(c)["seed"] == 12345


def test_generate_many_roles_into_a_folder(cli: Cli, tmp_path: Path) -> None:
    result = cli(
        "generate", EXAMPLES / "data-scientist.yaml", NLP, "-o", tmp_path, "--format", "json"
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "data-scientist.json",
        "nlp-engineer.json",
    ]


def test_existing_output_is_kept_without_force(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "kit.json"
    target.write_text("keep me")
    result = cli("generate", NLP, "-o", target, "--format", "json")
    assert result.exit_code == 1
    assert (
        f"{target}: already exists and is not up to date; use --force to replace it"
        in result.output
    )
    assert target.read_text() == "keep me"
    assert cli("generate", NLP, "-o", target, "--format", "json", "--force").exit_code == 0
    assert json.loads(target.read_text())["role"] == "NLP Engineer"


def test_an_input_is_never_overwritten(cli: Cli, tmp_path: Path) -> None:
    role = tmp_path / "role.yaml"
    role.write_bytes(NLP.read_bytes())
    result = cli("generate", role, "-o", role.with_suffix(".json"), "--format", "json,yaml")
    assert result.exit_code == 2  # yaml is not a format
    result = cli("generate", role, "-o", role, "--format", "json", "--force")
    assert result.exit_code == 1
    assert "refusing to overwrite an input file" in result.output
    assert role.read_bytes() == NLP.read_bytes()


def test_a_batch_with_one_bad_role_writes_nothing(cli: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("role: Bad\nlevel: mid\nduration: 60\ncategories: {nlp: 1}\nwieght: 2\n")
    out = tmp_path / "out"
    result = cli("generate", NLP, bad, "-o", out, "--format", "json")
    assert result.exit_code == 1
    assert f"{bad}:5:1: unknown key 'wieght'" in result.output
    assert not out.exists()
    result = cli("generate", NLP, bad, "-o", out, "--format", "json", "--keep-going")
    assert result.exit_code == 1
    assert [p.name for p in out.iterdir()] == ["nlp-engineer.json"]


def test_missing_role_file_is_exit_1_without_traceback(cli: Cli, tmp_path: Path) -> None:
    result = cli("generate", tmp_path / "nope.yaml")
    assert result.exit_code == 1
    assert "nope.yaml: cannot read: No such file or directory" in result.output
    assert "Traceback" not in result.output


def test_validate_reports_ok_and_problems(cli: Cli, tmp_path: Path) -> None:
    result = cli("validate", EXAMPLES, REPO / "banks", REPO / "templates" / "classic")
    assert result.exit_code == 0, result.output
    assert result.output.count("ok  role") == len(list(EXAMPLES.glob("*.yaml")))
    assert "ok  bank" in result.output and "ok  template" in result.output
    broken = tmp_path / "broken.yaml"
    broken.write_text("role: X\nlevel: senior\nduration: 60\ncategories:\n  nlpp: 1\n")
    result = cli("validate", broken)
    assert result.exit_code == 1
    assert f"{broken}:5:3: unknown category 'nlpp' (did you mean 'nlp'?)" in result.output


def test_list_and_show(cli: Cli) -> None:
    banks = cli("list", "banks")
    assert banks.exit_code == 0 and "ai-ml" in banks.output
    categories = cli("list", "categories")
    assert "computer-vision" in categories.output and "staff" in categories.output
    questions = cli(
        "list", "questions", "--category", "nlp", "--level", "junior", "--kind", "technical"
    )
    assert questions.exit_code == 0
    rows = [line for line in questions.output.splitlines() if line.startswith("nlp-")]
    assert rows and all(" technical " in row for row in rows)
    roles = cli("list", "roles", EXAMPLES)
    assert "NLP Engineer" in roles.output and "senior" in roles.output
    first_id = rows[0].split()[0]
    shown = cli("show", first_id)
    assert shown.exit_code == 0
    assert "Look for:" in shown.output and "Rubric:" in shown.output
    missing = cli("show", first_id + "x")
    assert missing.exit_code == 1 and "did you mean" in missing.output


def test_init_makes_a_workspace_that_validates_and_generates(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "ws"
    assert cli("init", folder).exit_code == 0
    assert (folder / "templates" / "house-style" / "kit.html").is_file()
    monkeypatch.chdir(folder)
    assert cli("validate", "roles", "banks", "templates/house-style").exit_code == 0
    result = cli("generate", "roles", "-o", "out", "--format", "json,html")
    assert result.exit_code == 0, result.output  # the copied template renders in the sandbox
    kit = json.loads((folder / "out" / "ml-engineer.json").read_text())
    assert "teamwork" in [q["category"] for q in kit["questions"]]
    again = cli("init", folder)
    assert again.exit_code == 1 and "is not empty" in again.output


def test_schema_describes_the_models(cli: Cli) -> None:
    role = json.loads(cli("schema", "role").output)
    assert role["additionalProperties"] is False
    assert {"role", "level", "categories"} <= set(role["required"])
    assert "duration" in role["properties"] and "opening" in role["properties"]
    rule = role["properties"]["categories"]["patternProperties"]
    assert {"type": "number"} in next(iter(rule.values()))["anyOf"]  # the `nlp: 3` shorthand
    bank = json.loads(cli("schema", "bank").output)
    assert "questions" in bank["properties"]


def test_a_roles_own_bank_and_template_are_never_overwritten(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "ws"
    assert cli("init", folder).exit_code == 0
    monkeypatch.chdir(folder)
    bank = folder / "banks" / "our-questions.yaml"
    before = bank.read_bytes()
    result = cli("generate", "roles/ml-engineer.yaml", "-o", bank, "--format", "md", "--force")
    assert result.exit_code == 1
    assert f"{bank}: refusing to overwrite an input file" in result.output
    assert bank.read_bytes() == before
    css = folder / "templates" / "house-style" / "kit.css"
    result = cli("generate", "roles/ml-engineer.yaml", "-o", css, "--format", "md", "--force")
    assert result.exit_code == 1 and "refusing to overwrite an input file" in result.output


def test_init_refuses_a_file(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "afile"
    target.write_text("x")
    result = cli("init", target)
    assert result.exit_code == 1
    assert result.output.strip() == f"{target}: is a file, not a folder"


def test_a_bug_in_kitgen_says_so_with_its_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kitgen.output.generate

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a deliberate bug")

    monkeypatch.setattr(kitgen.output.generate, "write_unit", broken)
    result = CliRunner().invoke(
        main, ["generate", str(EXAMPLES / "nlp-engineer.yaml"), "-o", str(tmp_path / "k.pdf")]
    )
    assert result.exit_code == 70
    assert "kitgen: internal error (a bug in kitgen" in result.output
    assert "Traceback (most recent call last)" in result.output
    assert "RuntimeError: a deliberate bug" in result.output
    assert not list(tmp_path.iterdir())


WORKER_BUG = """
import sys
import kitgen.render.html

def broken(*args, **kwargs):
    raise RuntimeError("a deliberate bug in a render worker")

kitgen.render.html.render_html = broken  # forked workers inherit it
from kitgen.cli import main
main(sys.argv[1:])
"""


def test_a_bug_inside_a_render_worker_is_an_internal_error(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            WORKER_BUG,
            "generate",
            str(EXAMPLES / "nlp-engineer.yaml"),
            str(EXAMPLES / "data-scientist.yaml"),
            "-o",
            str(tmp_path),
            "--jobs",
            "2",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 70, done.stderr
    assert "kitgen: internal error (a bug in kitgen" in done.stderr
    assert "Traceback (most recent call last)" in done.stderr
    assert "RuntimeError: a deliberate bug in a render worker" in done.stderr
    assert "_RemoteTraceback" in done.stderr  # the traceback from inside the worker
    assert not list(tmp_path.glob("*.pdf"))


def test_init_on_a_full_disk_says_why_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    def full(*args: object, **kwargs: object) -> None:
        raise shutil.Error([("a", "b", "[Errno 28] No space left on device")])

    monkeypatch.setattr(shutil, "copytree", full)
    result = CliRunner().invoke(main, ["init", str(tmp_path / "ws")])
    assert result.exit_code == 1
    assert "cannot create: a file could not be copied (is the disk full?)" in result.output
    assert not (tmp_path / "ws").exists()
