"""`kitgen init`: a starter workspace of roles, banks and a template to make one's own."""

from __future__ import annotations

import shutil
from pathlib import Path

from kitgen.errors import OutputError, Problem
from kitgen.resources import bundled_dir

STARTER = Path(__file__).resolve().parent / "starter"


def init_workspace(folder: Path) -> list[Path]:
    """Create roles/, banks/ and templates/house-style (a copy of `classic`) in `folder`."""
    if folder.exists() and any(folder.iterdir()):
        raise OutputError([Problem(str(folder), 0, 0, "is not empty; choose a new folder")])
    created = [folder / "roles" / "ml-engineer.yaml", folder / "banks" / "our-questions.yaml"]
    for path in created:
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(STARTER / path.name, path)
    template = folder / "templates" / "house-style"
    shutil.copytree(bundled_dir("templates") / "classic", template)
    return [*created, template]
