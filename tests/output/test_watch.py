"""`kitgen generate --watch` in a real process: a saved edit re-renders the kit."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

from ..conftest import EXAMPLES


def _wait_for(condition: object, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.2)
    return False


def test_a_saved_edit_renders_the_kit_again(tmp_path: Path) -> None:
    role = tmp_path / "roles" / "nlp.yaml"
    role.parent.mkdir()
    role.write_text((EXAMPLES / "nlp-engineer.yaml").read_text())
    kit = tmp_path / "out" / "nlp.md"
    watcher = subprocess.Popen(
        [sys.executable, "-m", "kitgen", "generate", role, "-o", kit, "--format", "md", "--watch"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert _wait_for(kit.exists), "the first round wrote nothing"
        first = kit.read_text()
        time.sleep(1.0)  # the watcher is watching once it has written the first round
        edited = role.read_text().replace("Builds and ships", "Designs, builds and ships")
        role.write_text(edited)  # like an editor: the file is rewritten
        assert _wait_for(lambda: kit.read_text() != first), "the edit was not rendered"
        assert "Designs, builds and ships" in kit.read_text()
        role.write_text(edited.replace("level: senior", "level: seniorr"))  # a broken save
        time.sleep(3)
        assert "Designs, builds and ships" in kit.read_text()  # the last good kit stays
        role.write_text(edited)
        assert _wait_for(lambda: "| 0:55 |" in kit.read_text())
        # a broken kitgen.toml is reported, and fixing it renders again
        config = tmp_path / "kitgen.toml"
        config.write_text('[defaults]\nclosing = "ten"\n')
        time.sleep(3)
        config.write_text("[defaults]\nclosing = 10\n")
        assert _wait_for(lambda: "| 0:50 |" in kit.read_text()), "the fix was not rendered"
    finally:
        watcher.send_signal(signal.SIGINT)
        _out, err = watcher.communicate(timeout=30)
    assert watcher.returncode == 0, err
    assert "nlp.yaml:3:8: level must be one of" in err, err  # reported, then watched on
    assert "kitgen.toml:2:1: defaults.closing" in err, err
    assert "stopped watching" in err
