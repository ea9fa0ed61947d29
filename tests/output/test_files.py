"""Output files: planned and checked before writing, written whole or not at all."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from kitgen.cli import main

from ..conftest import EXAMPLES


def test_a_failed_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "kit.json"
    target.write_text("the earlier kit")

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    role = EXAMPLES / "nlp-engineer.yaml"
    result = CliRunner().invoke(
        main, ["generate", str(role), "-o", str(target), "--format", "json", "--force"]
    )
    assert result.exit_code == 1
    assert f"{target}: cannot write: No space left on device" in result.output
    assert target.read_text() == "the earlier kit"
    assert [p.name for p in tmp_path.iterdir()] == ["kit.json"]


def test_stale_temp_files_of_dead_processes_are_cleaned(tmp_path: Path) -> None:
    stale = tmp_path / ".kitgen-999999999-abc.tmp"
    stale.write_text("half a kit")
    mine = tmp_path / f".kitgen-{os.getpid()}-def.tmp"
    mine.write_text("being written")
    role = EXAMPLES / "nlp-engineer.yaml"
    result = CliRunner().invoke(
        main, ["generate", str(role), "-o", str(tmp_path / "k.json"), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    assert not stale.exists()
    assert mine.exists()


def test_plan_targets_names_every_file_and_refuses_clashes(tmp_path: Path) -> None:
    from kitgen.errors import OutputError
    from kitgen.output.files import plan_targets

    one = plan_targets([("nlp", ["pdf", "json"])], tmp_path / "kit.pdf", force=False, inputs=[])
    assert one[0].paths == {"pdf": tmp_path / "kit.pdf", "json": tmp_path / "kit.json"}
    many = plan_targets([("a", ["md"]), ("b", ["md"])], tmp_path, force=False, inputs=[])
    assert [t.paths["md"] for t in many] == [tmp_path / "a.md", tmp_path / "b.md"]
    (tmp_path / "a.md").write_text("keep")
    role = tmp_path / "b.yaml"
    role.write_text("role: x")
    for stems, formats, inputs, expected in (
        (["a"], ["md"], [], "already exists; use --force"),
        (["b"], ["yaml"], [role], "refusing to overwrite an input file"),
        (["x", "x"], ["md"], [], "two documents would both be written here: x and x"),
    ):
        try:
            plan_targets([(s, formats) for s in stems], tmp_path, force=False, inputs=inputs)
        except OutputError as exc:
            assert expected in str(exc)
        else:
            raise AssertionError(expected)
    assert plan_targets([("a", ["md"])], tmp_path, force=True, inputs=[])  # --force replaces
    assert (tmp_path / "a.md").read_text() == "keep"  # planning writes nothing


def test_an_atomic_write_is_whole_and_readable(tmp_path: Path) -> None:
    import stat

    from kitgen import write_atomic

    target = tmp_path / "deep" / "kit.pdf"
    write_atomic(target, b"%PDF-1.7 whole")
    assert target.read_bytes() == b"%PDF-1.7 whole"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert [p.name for p in target.parent.iterdir()] == ["kit.pdf"]  # no temporary left
