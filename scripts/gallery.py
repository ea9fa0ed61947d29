"""`make gallery`: a picture of the first pages of every example kit, for docs/gallery/.

Renders each example role (a loop: each packet, and its candidate brief) with kitgen,
draws its first two pages with poppler's pdftoppm and sets them side by side in one PNG,
then writes docs/gallery/README.md listing them. Run after changing a template.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw

REPO = Path(__file__).resolve().parent.parent
GALLERY = REPO / "docs" / "gallery"
DPI = 40
BACKGROUND = (229, 231, 235)
PAD = 16
BRIEF = "senior-mlops-engineer-loop"  # the example whose candidate brief is shown


def main() -> None:
    GALLERY.mkdir(parents=True, exist_ok=True)
    for old in GALLERY.glob("*.png"):
        old.unlink()
    with tempfile.TemporaryDirectory(prefix="kitgen-gallery-") as temp:
        out = Path(temp) / "kits"
        roles = REPO / "examples" / "roles"
        kitgen = [sys.executable, "-m", "kitgen", "-q", "generate", roles, "-o", out]
        subprocess.run([*kitgen, "--jobs", "2", "--brief"], check=True)
        entries = []
        for pdf in sorted(out.glob("*.pdf")):
            if pdf.stem.endswith("-candidate-brief") and pdf.stem != f"{BRIEF}-candidate-brief":
                continue  # one brief shows them all
            prefix = Path(temp) / pdf.stem
            subprocess.run(
                ["pdftoppm", "-r", str(DPI), "-f", "1", "-l", "2", "-png", pdf, prefix], check=True
            )
            pages = [
                Image.open(p).convert("RGB") for p in sorted(Path(temp).glob(f"{pdf.stem}-*.png"))
            ]
            width = sum(p.width for p in pages) + PAD * (len(pages) + 1)
            height = max(p.height for p in pages) + 2 * PAD
            sheet = Image.new("RGB", (width, height), BACKGROUND)
            x = PAD
            for page in pages:
                sheet.paste(page, (x, PAD))
                ImageDraw.Draw(sheet).rectangle(
                    [x - 1, PAD - 1, x + page.width, PAD + page.height], outline=(156, 163, 175)
                )
                x += page.width + PAD
            target = GALLERY / f"{pdf.stem}.png"
            # a page is mostly white and a few inks: 64 colours keep it sharp and small
            sheet.quantize(colors=64, dither=Image.Dither.NONE).save(target, optimize=True)
            entries.append(pdf.stem)
            for png in Path(temp).glob(f"{pdf.stem}-*.png"):
                png.unlink()
    lines = [
        "# Gallery: the first pages of every example kit",
        "",
        "Made by `make gallery` from `examples/roles/` with the bundled `classic` template",
        "(a loop has a packet per round; the `-candidate-brief` is what its candidate gets).",
        "",
    ]
    for stem in entries:
        lines += [f"## {stem}", "", f"![{stem}]({stem}.png)", ""]
    (GALLERY / "README.md").write_text("\n".join(lines), encoding="utf-8")
    print(f"{len(entries)} pictures in {GALLERY.relative_to(REPO)}")


if __name__ == "__main__":
    main()
