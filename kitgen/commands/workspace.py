"""`kitgen init`: a starter workspace of roles, banks and a template to make one's own."""

from __future__ import annotations

import shutil
from pathlib import Path

from kitgen._resources import bundled_dir
from kitgen.config import CONFIG_FILE
from kitgen.errors import OutputError, Problem

STARTER = Path(__file__).resolve().parent.parent / "starter"


def init_workspace(folder: Path) -> list[Path]:
    """Create roles/, banks/ and templates/house-style (a copy of `classic`) in `folder`."""
    if folder.exists() and not folder.is_dir():
        raise OutputError([Problem(str(folder), 0, 0, "is a file, not a folder")])
    if folder.exists() and any(folder.iterdir()):
        raise OutputError([Problem(str(folder), 0, 0, "is not empty; choose a new folder")])
    existed = folder.exists()
    created = [folder / "roles" / "ml-engineer.yaml", folder / "banks" / "our-questions.yaml"]
    template = folder / "templates" / "house-style"
    try:
        for path in created:
            path.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(STARTER / path.name, path)
        shutil.copytree(bundled_dir("templates") / "classic", template)
        config = folder / CONFIG_FILE  # the workspace configuration: brand and defaults
        shutil.copyfile(STARTER / CONFIG_FILE, config)
        created.append(config)
    except (OSError, shutil.Error) as exc:
        for part in ("roles", "banks", "templates"):  # leave no half-made workspace
            shutil.rmtree(folder / part, ignore_errors=True)
        (folder / CONFIG_FILE).unlink(missing_ok=True)
        if not existed:
            shutil.rmtree(folder, ignore_errors=True)
        why = getattr(exc, "strerror", None) or "a file could not be copied (is the disk full?)"
        raise OutputError([Problem(str(folder), 0, 0, f"cannot create: {why}")]) from None
    return [*created, template]
