"""The workspace in every command: `kitgen init`'s starter passes its own checks, and
`kitgen list` and `kitgen show` see the workspace's own banks as `kitgen validate` does."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from ..conftest import SMALL_BANK

Cli = Callable[..., Result]
STARTER_IDS = ("teamwork-handover", "teamwork-disagreement", "teamwork-unclear-request")


@pytest.fixture
def workspace(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh `kitgen init` workspace, the current folder."""
    folder = tmp_path / "ws"
    assert cli("init", folder).exit_code == 0
    monkeypatch.chdir(folder)
    return folder


def test_the_starter_workspace_validates_and_lints_clean(cli: Cli, workspace: Path) -> None:
    checked = cli("validate")  # the bundled content, ./roles and ./banks
    assert checked.exit_code == 0, checked.output
    assert "ok  bank banks/our-questions.yaml" in checked.output
    assert "ok  role roles/ml-engineer.yaml" in checked.output
    assert cli("validate", "roles", "banks", "templates/house-style").exit_code == 0
    linted = cli("lint", "roles", "banks")
    assert linted.exit_code == 0, linted.output
    assert linted.stdout == "" and linted.stderr == "0 findings\n"
    assert cli("lint", "roles/ml-engineer.yaml").exit_code == 0  # KG201 was the finding


def test_list_and_show_see_the_workspace_banks(cli: Cli, workspace: Path) -> None:
    questions = cli("list", "questions")
    assert questions.exit_code == 0, questions.output
    assert all(f"\n{qid} " in questions.output for qid in STARTER_IDS)
    assert "nlp-positional-information" in questions.output  # the bundled ones stay
    teamwork = cli("list", "questions", "--category", "teamwork")
    rows = [line.split()[0] for line in teamwork.output.splitlines() if "teamwork-" in line]
    assert rows == list(STARTER_IDS)
    banks = cli("list", "banks")
    assert "our-questions" in banks.output and "ai-ml" in banks.output
    assert "Teamwork and communication" in cli("list", "categories").output
    shown = cli("show", "teamwork-handover")
    assert shown.exit_code == 0, shown.output
    assert f"source: {workspace / 'banks' / 'our-questions.yaml'}:" in shown.output
    assert "Rubric:" in shown.output


def test_bank_option_still_adds_banks_and_outside_a_workspace_none_is_seen(
    cli: Cli, workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    extra = workspace.parent / "small.yaml"
    extra.write_text(SMALL_BANK, encoding="utf-8")
    both = cli("list", "questions", "--bank", extra)
    assert "alpha-one" in both.output and "teamwork-handover" in both.output
    own = workspace / "banks" / "our-questions.yaml"
    listed = cli("list", "banks", "--bank", own).output.splitlines()
    assert [line.split()[0] for line in listed].count("our-questions") == 1  # once
    monkeypatch.chdir(workspace.parent)  # no banks/ here
    missing = cli("show", "teamwork-handover")
    assert missing.exit_code == 1 and "no question with id 'teamwork-handover'" in missing.output
    assert cli("show", "teamwork-handover", "--bank", own).exit_code == 0


def test_a_role_kept_in_banks_is_not_a_bank_and_a_broken_bank_is_located(
    cli: Cli, workspace: Path
) -> None:
    (workspace / "banks" / "draft-role.yaml").write_text(
        "role: Draft\nlevel: mid\nduration: 30\ncategories:\n  teamwork: 1\n", encoding="utf-8"
    )
    assert cli("list", "questions").exit_code == 0
    broken = workspace / "banks" / "broken.yaml"
    broken.write_text("bank: broken\ntitle: Broken\nquestions: 7\n", encoding="utf-8")
    result = cli("list", "questions")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "banks/broken.yaml:3:" in result.output
