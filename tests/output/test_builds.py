"""Up-to-date outputs: what is unchanged is not rendered again; any edit to an input is."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kitgen import BuildRequest, RenderOptions, build_kit
from kitgen.cli import main
from kitgen.output import builds
from kitgen.output.generate import kit_json

from ..conftest import EXAMPLES, REPO


def _run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """Two example roles (one a loop) and a template folder of their own."""
    (tmp_path / "roles").mkdir()
    for name in ("nlp-engineer", "ml-engineering-lead"):
        shutil.copy(EXAMPLES / f"{name}.yaml", tmp_path / "roles" / f"{name}.yaml")
    shutil.copytree(REPO / "templates" / "classic", tmp_path / "roles" / "house")
    for role in (tmp_path / "roles").glob("*.yaml"):
        role.write_text(role.read_text() + "template: ./house\n")
    return tmp_path


def _times(folder: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in sorted(folder.iterdir())}


def _generate(workspace: Path, *extra: str) -> Result:
    out = workspace / "out"
    return _run("generate", workspace / "roles", "-o", out, "--format", "pdf,html,md,json", *extra)


def test_an_unchanged_workspace_is_up_to_date(workspace: Path) -> None:
    first = _generate(workspace, "--brief")
    assert first.exit_code == 0, first.output
    before = _times(workspace / "out")
    assert len(before) == 17  # kit (4 formats), 2 packets (3 each), loop JSON, 2 briefs (3 each)
    for extra in ((), ("--force",)):
        again = _generate(workspace, "--brief", *extra)
        assert again.exit_code == 0, again.output
        assert again.stdout == ""  # nothing written
        assert "6 up to date" in again.stderr
        assert _times(workspace / "out") == before


def test_one_edit_renders_that_role_again_and_only_with_force(workspace: Path) -> None:
    assert _generate(workspace).exit_code == 0
    before = _times(workspace / "out")
    role = workspace / "roles" / "nlp-engineer.yaml"
    role.write_text(role.read_text().replace("duration: 60", "duration: 65"))
    refused = _generate(workspace)
    assert refused.exit_code == 1
    assert "nlp-engineer.pdf: already exists and is not up to date" in refused.output
    assert _times(workspace / "out") == before  # nothing half-written
    forced = _generate(workspace, "--force")
    assert forced.exit_code == 0, forced.output
    after = _times(workspace / "out")
    changed = sorted(name for name in after if after[name] != before[name])
    assert changed == [f"nlp-engineer.{fmt}" for fmt in ("html", "json", "md", "pdf")]
    assert "1 kit, " in forced.stderr and "3 up to date" in forced.stderr


def test_a_template_edit_renders_every_kit_that_uses_it(workspace: Path) -> None:
    assert _generate(workspace).exit_code == 0
    css = workspace / "roles" / "house" / "kit.css"
    css.write_text(css.read_text() + "\n/* a house rule */\n")
    forced = _generate(workspace, "--force")
    assert forced.exit_code == 0, forced.output
    assert "1 kit, 2 packets" in forced.stderr  # the loop's JSON holds no template output


def test_rebuild_renders_everything(workspace: Path) -> None:
    assert _generate(workspace).exit_code == 0
    before = _times(workspace / "out")
    rebuilt = _generate(workspace, "--rebuild")
    assert rebuilt.exit_code == 0, rebuilt.output
    after = _times(workspace / "out")
    assert all(after[name] != before[name] for name in before)
    assert "up to date" not in rebuilt.stderr


def test_a_damaged_output_is_not_up_to_date(workspace: Path) -> None:
    assert _generate(workspace).exit_code == 0
    pdf = workspace / "out" / "nlp-engineer.pdf"
    pdf.write_bytes(pdf.read_bytes()[:2000])  # cut short
    (workspace / "out" / "nlp-engineer.md").write_text("# someone's notes\n")
    refused = _generate(workspace)
    assert refused.exit_code == 1 and "nlp-engineer.pdf: already exists" in refused.output
    assert _generate(workspace, "--force").exit_code == 0
    with pikepdf.open(pdf) as document:  # whole again, and stamped
        assert len(document.pages) > 1 and "/KitgenBuild" in document.docinfo
    assert "<!-- kitgen-build: " in (workspace / "out" / "nlp-engineer.md").read_text()


def test_every_format_records_the_build_and_json_still_scores(workspace: Path) -> None:
    assert _generate(workspace).exit_code == 0
    out = workspace / "out"
    found = {fmt: builds.recorded(out / f"nlp-engineer.{fmt}", fmt) for fmt in builds.FORMATS}
    assert len(set(found.values())) == 1 and None not in found.values()
    data = json.loads((out / "nlp-engineer.json").read_text())
    assert data["build"] == found["json"]
    # the kit ID leaves the build out: the JSON still names the kit it was written from
    ratings = out / "paper.csv"
    ratings.write_text("interviewer,question,rating\nAda,1,3\n")
    scored = _run("score", "--ratings", ratings, "--kit", out / "nlp-engineer.json")
    assert scored.exit_code == 0, scored.output


def test_an_up_to_date_run_imports_no_weasyprint(workspace: Path) -> None:
    assert _generate(workspace).exit_code == 0
    code = (
        "import sys; from kitgen.cli import main\n"
        f"sys.argv = ['kitgen', 'generate', {str(workspace / 'roles')!r}, '-o', "
        f"{str(workspace / 'out')!r}, '--format', 'pdf,html,md,json', '--jobs', '2']\n"
        "try:\n    main()\nexcept SystemExit as exit:\n    assert not exit.code, exit.code\n"
        "assert 'weasyprint' not in sys.modules, 'imported WeasyPrint'\n"
        "assert 'jinja2' not in sys.modules, 'imported Jinja'\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=dict(os.environ)
    )
    assert run.returncode == 0, run.stderr
    assert "4 up to date" in run.stderr


INPUTS = ["role", "bank", "template", "config", "options", "seed", "language", "version"]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(which=st.sampled_from(INPUTS), edit=st.binary(min_size=1, max_size=8))
def test_an_edit_to_any_input_changes_the_build(
    write: Callable[[str, str], Path],
    monkeypatch: pytest.MonkeyPatch,
    which: str,
    edit: bytes,
) -> None:
    role = write(
        "ws/roles/r.yaml",
        "role: R\nlevel: mid\nduration: 40\nbanks: [../banks/b.yaml]\n"
        "categories: {area: 1}\ntemplate: ../t\n",
    )
    bank = write(
        "ws/banks/b.yaml",
        """
        bank: b
        title: B
        categories: [{id: area, title: Area}]
        questions:
          - id: area-one
            category: area
            text: "Walk me through a model you shipped."
            look_for: ["a", "b", "c"]
            follow_ups: ["Why?"]
            rubric: {1: "Names no model at all", 2: "Names a model only",
                     3: "Names a model and its data", 4: "Names model, data and a result"}
        """,
    )
    config = write("ws/kitgen.toml", '[brand]\ncompany = "Acme"\n')
    template = role.parent.parent / "t"
    if not template.exists():
        shutil.copytree(REPO / "templates" / "classic", template)

    def current(request: BuildRequest, options: RenderOptions) -> str:
        prepared = build_kit(role, request)
        return builds.build_hash(prepared, options, ("pdf",), kit_json(prepared))

    request, options = BuildRequest((role,)), RenderOptions()
    before = current(request, options)
    suffix = edit.hex()  # printable, so every file stays valid input
    if which == "role":
        role.write_text(role.read_text() + f"# {suffix}\n")
    elif which == "bank":
        bank.write_text(bank.read_text() + f"# {suffix}\n")
    elif which == "template":
        css = template / "kit.css"
        css.write_text(css.read_text() + f"/* {suffix} */\n")
    elif which == "config":
        config.write_text(config.read_text() + f"# {suffix}\n")
    elif which == "options":
        options = replace(options, candidate=f"C {suffix}")
    elif which == "seed":
        request = replace(request, seed=int.from_bytes(edit, "big") + 1)
    elif which == "language":
        request = replace(request, language="fr")
    else:
        monkeypatch.setattr(builds, "__version__", f"9.{suffix}")
    after = current(request, options)
    assert after != before, which
    # and nothing else changes it: the same inputs give the same hash
    assert current(request, options) == after
