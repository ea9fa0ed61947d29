"""The public API: what `kitgen.__all__` promises, and the README's example, run."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import kitgen

from .conftest import REPO


def test_every_public_name_resolves_and_the_readme_lists_it() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    api = readme.split("## Python API", 1)[1].split("\n## ", 1)[0]
    for name in kitgen.__all__:
        assert getattr(kitgen, name) is not None
        if name != "__version__":
            assert f"`{name}`" in api, f"README's Python API does not mention {name}"
    assert sorted(dir(kitgen)) == sorted(kitgen.__all__)


def test_importing_kitgen_loads_nothing_heavy() -> None:
    probe = (
        "import sys, kitgen, kitgen.cli; "
        "print(sorted(m for m in ('pydantic', 'jinja2', 'weasyprint', 'pikepdf', 'pypdf')"
        " if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_the_readme_example_runs(tmp_path: Path) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    api = readme.split("## Python API", 1)[1]
    code = re.search(r"```python\n(.*?)```", api, re.S)
    assert code is not None
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    done = subprocess.run(
        [sys.executable, "-c", code.group(1)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    roles = sorted((tmp_path / "examples" / "roles").glob("*.yaml"))
    loops = {r.stem: kitgen.build_kit(r).kit.role.rounds for r in roles}
    singles = [stem for stem, rounds in loops.items() if not rounds]
    packets = sorted(f"{stem}-{r.slug}" for stem, rounds in loops.items() for r in rounds)
    summary = f"{len(singles)} kits, {len(packets)} packets, {len(roles) - len(singles)} loops,"
    assert summary in done.stdout
    assert sorted(p.stem for p in (tmp_path / "out").glob("*.pdf")) == sorted(singles + packets)
    assert sorted(p.stem for p in (tmp_path / "out").glob("*.json")) == [r.stem for r in roles]
    assert "ada.pdf: cannot read: No such file" in done.stdout  # the except branch ran
