"""How well kits use paper: pages per example kit, and the blank share of each page.

The blank share of a page is the rows of white below its last ink, above the footer, as a
share of the page's writing area; pdftoppm (poppler) draws the pages. A kit that wastes
paper shows pages well over a fifth blank before its last page.

    .venv/bin/python benchmarks/pages.py [--paper a4|letter] [--out DIR]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

REPO = Path(__file__).resolve().parent.parent
DPI = 30  # enough to see where ink ends; fast
FOOTER_SHARE = 0.07  # the bottom margin and running footer, left out of the measure
HEADER_SHARE = 0.05  # the top margin


@dataclass(frozen=True)
class PageUse:
    file: str
    page: int
    blank: float  # share of the writing area below the last ink


def blank_shares(pdf: Path, work: Path) -> list[float]:
    """The blank share of every page of `pdf`."""
    prefix = work / pdf.stem
    subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", "-png", pdf, prefix], check=True)
    shares = []
    for png in sorted(work.glob(f"{pdf.stem}-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1])):
        image = Image.open(png).convert("L")
        width, height = image.size
        top, bottom = int(height * HEADER_SHARE), int(height * (1 - FOOTER_SHARE))
        pixels = image.load()
        assert pixels is not None
        last_ink = top
        for y in range(top, bottom):
            if any(pixels[x, y] < 200 for x in range(0, width, 2)):  # type: ignore[operator]
                last_ink = y
        shares.append((bottom - last_ink) / (bottom - top))
        png.unlink()
    return shares


def measure(folder: Path, work: Path) -> list[PageUse]:
    uses = []
    for pdf in sorted(folder.glob("*.pdf")):
        if pdf.stem.endswith("-candidate-brief"):
            continue
        for number, share in enumerate(blank_shares(pdf, work), start=1):
            uses.append(PageUse(pdf.name, number, share))
    return uses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paper", default="a4", choices=["a4", "letter"])
    parser.add_argument("--out", type=Path, help="an existing folder of kits to measure")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kitgen-pages-") as temp:
        work = Path(temp)
        folder = args.out
        if folder is None:
            folder = work / "kits"
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "kitgen",
                    "generate",
                    REPO / "examples" / "roles",
                    "-o",
                    folder,
                    "--paper",
                    args.paper,
                    "--jobs",
                    "2",
                ],
                check=True,
            )
        uses = measure(folder, work)
    by_file: dict[str, list[PageUse]] = {}
    for use in uses:
        by_file.setdefault(use.file, []).append(use)
    worst_all = 0.0
    print(f"{'kit':58} pages  worst blank (not last)  mean blank (not last)")
    for file, pages in by_file.items():
        inner = [p.blank for p in pages[:-1]] or [0.0]
        worst_all = max(worst_all, max(inner))
        print(f"{file:58} {len(pages):5}  {max(inner):22.0%}  {sum(inner) / len(inner):21.0%}")
    print(f"{len(by_file)} kits, {len(uses)} pages; worst page but the last: {worst_all:.0%} blank")


if __name__ == "__main__":
    main()
