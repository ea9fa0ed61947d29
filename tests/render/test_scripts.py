"""Scripts beyond Latin, Greek and Cyrillic: a template carries a font for them (here a
Japanese one made from Debian's fonts-ipafont-gothic); letters no font has stay an error."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner

from kitgen.cli import main

from ..conftest import REPO

IPA_GOTHIC = Path("/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf")  # make test installs it
JAPANESE = "過学習とは何か、そしてどのように検出しますか。"


def _workspace(write: Callable[[str, str], Path], text: str) -> Path:
    write("kitgen.toml", "")
    write(
        "banks/ja.yaml",
        f"""
        bank: ja
        title: 日本語の質問
        language: ja
        categories:
          - id: kiso
            title: 機械学習の基礎
        questions:
          - id: kiso-overfitting
            category: kiso
            text: "{text}"
            look_for: ["訓練誤差と検証誤差の差", "学習曲線", "正則化"]
            follow_ups: ["データが少ない場合は？"]
            rubric:
              1: "過学習を説明できない"
              2: "定義だけを述べる"
              3: "定義と検出と対策を述べる"
              4: "対策を費用と効果で比べて選ぶ"
        """,
    )
    return write(
        "roles/ja.yaml",
        "role: 機械学習エンジニア\nlevel: mid\nduration: 20\nbanks: [../banks/ja.yaml]\n"
        "categories: {kiso: 1}\n",
    )


def _fonts(pdf: Path) -> list[str]:
    listing = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    return [line.split()[0].split("+")[-1] for line in listing.stdout.splitlines()[2:]]


def test_a_template_font_prints_japanese_the_same_everywhere(
    write: Callable[[str, str], Path], tmp_path: Path
) -> None:
    role = _workspace(write, JAPANESE)
    template = tmp_path / "templates" / "ja"
    shutil.copytree(REPO / "templates" / "classic", template)
    shutil.copy(IPA_GOTHIC, template / "fonts" / "ipag.ttf")
    with (template / "kit.css").open("a") as css:  # the README's one rule
        css.write('\n@font-face { font-family: "Kit Script"; src: url("fonts/ipag.ttf"); }\n')
    out = tmp_path / "ja.pdf"
    result = CliRunner().invoke(
        main, ["generate", str(role), "-o", str(out), "--template", str(template)]
    )
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    assert JAPANESE in text.replace("\n", "")
    fonts = _fonts(out)
    assert "Kit-Script" in fonts and not any("IPA" in name for name in fonts), fonts


def test_without_a_template_font_a_machines_font_is_named(
    write: Callable[[str, str], Path], tmp_path: Path
) -> None:
    # classic has no Japanese: this machine's IPA font draws it, and kitgen says so
    role = _workspace(write, JAPANESE)
    run = subprocess.run(  # a real process: the render's warning is on its stderr
        [sys.executable, "-m", "kitgen", "generate", str(role), "-o", str(tmp_path / "ja.pdf")],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    assert "drawn with this machine's IPAGothic" in run.stderr


def test_letters_no_font_has_are_an_error(
    write: Callable[[str, str], Path], tmp_path: Path
) -> None:
    role = _workspace(write, "Explain 𒀀𒀁 to a colleague.")  # cuneiform: in no installed font
    out = tmp_path / "cuneiform.pdf"
    result = CliRunner().invoke(main, ["generate", str(role), "-o", str(out)])
    assert result.exit_code == 1
    assert "the template's fonts have no letters for" in result.output
    assert "Traceback" not in result.output and not out.exists()
