"""Template folders: bundled names, paths, and what is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from kitgen.errors import RenderError
from kitgen.render.html import resolve_template


def test_unknown_template_name_suggests_a_bundled_one() -> None:
    with pytest.raises(RenderError, match="unknown template 'clasic' \\(did you mean 'classic'"):
        resolve_template("clasic")


def test_template_paths_are_relative_to_the_role_and_need_a_kit_html(tmp_path: Path) -> None:
    from kitgen.render.templates import resolve_template

    bundled = resolve_template("classic")
    assert bundled.bundled and (bundled.folder / "kit.html").is_file()
    own = tmp_path / "house"
    own.mkdir()
    (own / "kit.html").write_text("<p>{{ kit.kit_id }}</p>")
    found = resolve_template("./house", relative_to=tmp_path)
    assert found.folder == own.resolve() and not found.bundled
    (tmp_path / "empty").mkdir()
    with pytest.raises(RenderError) as info:
        resolve_template("./empty", relative_to=tmp_path)
    assert "has no kit.html" in str(info.value)
