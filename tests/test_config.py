"""kitgen.toml (SPEC "Workspace configuration"): brand, defaults and the brief's contact,
checked in the PDFs as poppler reads them; bad keys located at their line."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from PIL import Image

from kitgen.cli import main

from .conftest import EXAMPLES

CONFIG = """\
[brand]
company = "Northwind & Co"
logo = "logo.png"
accent = "#0f766e"

[defaults]
paper = "letter"
closing = 10

[candidate]
contact = "talent@northwind.example"
"""


def _run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def _text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", pdf, "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Path]:
    (tmp_path / "roles").mkdir()
    (tmp_path / "roles" / "nlp.yaml").write_text((EXAMPLES / "nlp-engineer.yaml").read_text())
    Image.new("RGB", (240, 80), "#0f766e").save(tmp_path / "logo.png")
    (tmp_path / "kitgen.toml").write_text(CONFIG)
    here = Path.cwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(here)


def test_the_brand_is_on_every_page_and_the_logo_drawn(workspace: Path) -> None:
    result = _run("generate", "roles/nlp.yaml", "--brief", "--format", "pdf,html")
    assert result.exit_code == 0, result.output
    kit = workspace / "out" / "nlp.pdf"  # no -o in a workspace: its output folder
    pages = _text(kit).split("\f")[:-1]
    assert pages[0].lstrip().startswith("Northwind & Co")
    assert all("Northwind & Co" in page for page in pages), "the footer names the company"
    images = subprocess.run(
        ["pdfimages", "-list", kit], capture_output=True, text=True, check=True
    ).stdout
    assert any(line.split()[3:5] == ["240", "80"] for line in images.splitlines()[2:])
    html = (workspace / "out" / "nlp.html").read_text()
    assert "--accent: #0f766e" in html and "data:image/png;base64," in html
    brief = _text(workspace / "out" / "nlp-candidate-brief.pdf")
    assert "Northwind & Co" in brief and "tell talent@northwind.example" in brief


def test_defaults_apply_and_the_command_line_and_the_profile_override_them(
    workspace: Path,
) -> None:
    assert _run("generate", "roles/nlp.yaml", "-o", "a.pdf").exit_code == 0
    info = subprocess.run(["pdfinfo", "a.pdf"], capture_output=True, text=True).stdout
    assert "612 x 792 pts (letter)" in info
    assert "0:50" in _text(workspace / "a.pdf")  # closing 10 in a 60-minute slot
    assert _run("generate", "roles/nlp.yaml", "-o", "b.pdf", "--paper", "a4").exit_code == 0
    info = subprocess.run(["pdfinfo", "b.pdf"], capture_output=True, text=True).stdout
    assert "(A4)" in info
    role = workspace / "roles" / "nlp.yaml"
    role.write_text(role.read_text() + "closing: 5\n")
    assert _run("generate", "roles/nlp.yaml", "-o", "c.pdf").exit_code == 0
    assert "0:55" in _text(workspace / "c.pdf")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[brand]\ncompany = "N"\ncolour = "red"\n', "kitgen.toml:3:1: unknown key 'brand.colour'"),
        ("[brands]\n", "kitgen.toml:1:1: unknown key 'brands'; known tables"),
        ('[defaults]\npaper = "a5"\n', "kitgen.toml:2:1: defaults.paper: Input should be"),
        ("[brand\n", "kitgen.toml:1:7: TOML: Expected ']'"),
        (
            '[brand]\naccent = "red; } body { display: none"\n',
            "kitgen.toml:2:1: brand.accent must be a colour written",
        ),
        (
            '[brand]\nlogo = "../secret.png"\n',
            "kitgen.toml:2:1: brand.logo '../secret.png' is outside",
        ),
        ('[brand]\nlogo = "logo.gif"\n', "kitgen.toml:2:1: brand.logo must be a .png, .jpg"),
        ('[brand]\naccent = "teal"\n', "kitgen.toml:2:1: brand.accent must be a colour written"),
        ('[brand]\naccent = "#ffffff"\n', "brand.accent '#ffffff' is too light"),
        ('[brand]\nlogo = "fake.png"\n', "kitgen.toml:2:1: brand.logo 'fake.png' is not a PNG"),
        (
            '[brand]\nlogo = "out.svg"\n',
            "brand.logo 'out.svg' refers to 'https://example.com/x.png'",
        ),
        ('[brand]\ncompany = "Evil\u202eCo"\n', "kitgen.toml:2:1: brand.company: Value error"),
        ('[defaults]\ntemplate = "../elsewhere"\n', "kitgen.toml:2:1: defaults.template"),
    ],
)
def test_bad_configuration_is_located_and_nothing_is_written(
    workspace: Path, text: str, expected: str
) -> None:
    (workspace / "fake.png").write_text("not a picture")
    (workspace / "out.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"><image href="https://example.com/x.png"/></svg>'
    )
    (workspace.parent / "elsewhere").mkdir(exist_ok=True)
    (workspace.parent / "elsewhere" / "kit.html").write_text("<html></html>")
    (workspace / "kitgen.toml").write_text(text)
    for command in (("validate",), ("generate", "roles")):
        result = _run(*command)
        assert result.exit_code == 1, result.output
        assert expected in result.output, result.output
        assert result.output.count(expected) == 1, "a shared file's problem is told once"
        assert "Traceback" not in result.output
    assert not (workspace / "out").exists()


def test_the_starter_workspace_has_a_configuration_that_validates(tmp_path: Path) -> None:
    assert _run("init", tmp_path / "ws").exit_code == 0
    config = tmp_path / "ws" / "kitgen.toml"
    assert '# company = "Your Company"' in config.read_text()  # no placeholder printed
    result = _run("validate", config)
    assert result.exit_code == 0 and "configuration" in result.output, result.output
