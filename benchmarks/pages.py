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

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from tests.engines.paper import blank_shares  # noqa: E402  (the tests' own measure)


@dataclass(frozen=True)
class PageUse:
    file: str
    page: int
    blank: float  # share of the writing area below the last ink


def measure(folder: Path, work: Path) -> list[PageUse]:
    uses = []
    for pdf in sorted(folder.glob("*.pdf")):
        if pdf.stem.endswith("-candidate-brief"):
            continue
        for number, share in enumerate(blank_shares(pdf), start=1):
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
