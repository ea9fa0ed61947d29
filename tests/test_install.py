"""The wheel works on its own: built, installed in a fresh venv, run from a folder outside
the repository, with the bundled banks and template it carries."""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

from pypdf import PdfReader

from .conftest import REPO


def test_wheel_installs_and_generates_outside_the_repository(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(dist),
            str(REPO),
        ],
        check=True,
        capture_output=True,
    )
    wheel = next(dist.glob("kitgen-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "kitgen/_bundled/banks/ai-ml.yaml" in names
    assert "kitgen/_bundled/templates/classic/kit.html" in names
    assert "kitgen/_bundled/templates/classic/fonts/Inter-Regular.otf" in names
    assert "kitgen/starter/our-questions.yaml" in names

    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", str(wheel)], check=True, capture_output=True
    )

    work = tmp_path / "elsewhere"
    work.mkdir()
    (work / "role.yaml").write_text(
        "role: Applied Scientist\nlevel: mid\nduration: 30\ncategories:\n"
        "  evaluation: 2\n  fundamentals: 1\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [str(env_dir / "bin" / "kitgen"), "generate", "role.yaml"],
        cwd=work,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    reader = PdfReader(work / "role.pdf")
    assert "Applied Scientist" in reader.pages[0].extract_text()
    where = subprocess.run(
        [str(python), "-c", "import kitgen._resources as r; print(r.bundled_dir('banks'))"],
        cwd=work,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert where.startswith(str(env_dir)), where  # the wheel's copy, not the source tree
