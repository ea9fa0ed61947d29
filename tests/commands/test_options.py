"""What every command shares: examples in --help, --quiet, NO_COLOR, shell completion, and
the first steps after `make demo`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

import kitgen
from kitgen.cli import main

from ..conftest import EXAMPLES, REPO

Cli = Callable[..., Result]
ROLES = [EXAMPLES / "nlp-engineer.yaml", EXAMPLES / "data-scientist.yaml"]


def _commands(group: click.Group, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [path]
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found += _commands(command, (*path, name))
        else:
            found.append((*path, name))
    return found


@pytest.mark.parametrize("path", _commands(main), ids=lambda p: " ".join(p) or "kitgen")
def test_every_help_ends_with_an_example(cli: Cli, path: tuple[str, ...]) -> None:
    result = cli(*path, "--help")
    assert result.exit_code == 0, result.output
    text = result.output.split("\nOptions:")[0].rstrip()
    last = text.split("\n\n")[-1].strip()
    assert last.startswith(("Example:", "Examples:")), result.output
    assert all(line.strip().startswith(("kitgen ", "#")) for line in last.splitlines()[1:])


def _run(*args: str | Path, env: dict[str, str] | None = None, color: bool = False) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], env=env, color=color)


def test_quiet_leaves_out_the_progress_bar_and_summary(tmp_path: Path) -> None:
    loud = _run("generate", *ROLES, "-o", tmp_path / "loud", "--format", "json")
    assert loud.exit_code == 0, loud.output
    assert "Writing kits" in loud.stderr and "2 kits" in loud.stderr
    for n, args in enumerate([("-q", "generate"), ("generate", "--quiet")]):
        out = tmp_path / f"quiet{n}"
        quiet = _run(*args, *ROLES, "-o", out, "--format", "json")
        assert quiet.exit_code == 0, quiet.output
        assert quiet.stderr == ""
        assert sorted(quiet.stdout.split()) == sorted(str(p) for p in out.iterdir())
    assert _run("-q", "validate", ROLES[0]).stderr == ""
    assert _run("lint", "-q", ROLES[0]).stderr == ""
    assert _run("init", "-q", tmp_path / "ws").stderr == ""


def test_quiet_still_prints_problems(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("role: X\nlevel: senior\nduration: 60\ncategories:\n  nlpp: 1\n")
    result = _run("-q", "validate", broken)
    assert result.exit_code == 1
    assert f"{broken}:5:3: unknown category 'nlpp'" in result.stderr
    weak = tmp_path / "weak.yaml"
    weak.write_text(
        "bank: weak\ntitle: Weak\ncategories:\n  - {id: weak, title: Weak}\nquestions:\n"
        '  - {id: weak-one, category: weak, text: "Do you know Python?", look_for: [x],\n'
        "     rubric: {1: a, 2: b, 3: c, 4: d}}\n"
    )
    linted = _run("lint", "--quiet", weak)
    assert linted.exit_code == 1 and "KG" in linted.stdout and "finding" not in linted.stderr
    exists = _run("-q", "generate", ROLES[0], "-o", weak, "--format", "json")
    assert exists.exit_code == 1 and exists.stderr.strip()


def test_no_color_turns_styled_output_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kitgen, "show_question", lambda *_: click.style("styled", fg="red"))
    assert "\x1b[31m" in _run("show", "x", color=True).output  # a terminal gets colour
    assert "\x1b[31m" in _run("show", "x", env={"NO_COLOR": ""}, color=True).output
    plain = _run("show", "x", env={"NO_COLOR": "1"}, color=True)
    assert plain.exit_code == 0 and plain.output == "styled\n"


def test_no_color_means_no_escape_codes_anywhere(tmp_path: Path) -> None:
    env = {"NO_COLOR": "1"}
    runs = [
        _run("--help", env=env, color=True),
        _run("generate", *ROLES, "-o", tmp_path, "--format", "json", env=env, color=True),
        _run("generate", tmp_path / "missing.yaml", env=env, color=True),  # an input error
        _run("validate", ROLES[0], env=env, color=True),
        _run("list", "questions", "--level", "staff", env=env, color=True),
        _run("generate", "--paper", "a5", ROLES[0], env=env, color=True),  # a usage error
    ]
    assert [r.exit_code for r in runs] == [0, 0, 1, 0, 0, 2]
    for result in runs:
        assert "\x1b" not in result.output


def test_shell_completion_completes_commands_and_choices() -> None:
    def complete(words: str, cword: int) -> str:
        env = {"_KITGEN_COMPLETE": "bash_complete", "COMP_WORDS": words, "COMP_CWORD": str(cword)}
        return CliRunner().invoke(main, [], env=env, prog_name="kitgen").output

    assert "plain,list" in complete("kitgen li", 1).splitlines()
    assert "plain,questions" in complete("kitgen list q", 2).splitlines()
    assert {"plain,a4", "plain,letter"} <= set(complete("kitgen generate --paper ", 3).split())
    script = CliRunner().invoke(
        main, [], env={"_KITGEN_COMPLETE": "bash_source"}, prog_name="kitgen"
    )
    assert "complete -o nosort -F _kitgen_completion kitgen" in script.output


def test_make_demo_and_the_readme_say_how_to_run_kitgen() -> None:
    makefile = (REPO / "Makefile").read_text()
    demo = makefile.split("\ndemo:")[1].split("\n\n")[0]
    assert "$(BIN)/kitgen --help" in demo and "source $(BIN)/activate" in demo
    readme = (REPO / "README.md").read_text()
    first_screen = readme.split("A role profile")[0]
    assert ".venv/bin/kitgen --help" in first_screen and "source .venv/bin/activate" in first_screen
    for shell in ("bash", "zsh", "fish"):
        assert f"_KITGEN_COMPLETE={shell}_source kitgen" in readme
    assert "--quiet" in readme and "NO_COLOR" in readme
