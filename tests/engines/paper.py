"""How a printed page is used, seen by poppler's renderer (pdftoppm): the share of each
page's writing area left white below its last ink."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from PIL import Image

DPI = 40  # enough to see where ink ends, a 1 px box border included
HEADER_SHARE = 0.05  # the top margin, left out of the measure
FOOTER_SHARE = 0.07  # the bottom margin and running footer, left out too
INK = 235  # a grey this dark or darker is ink (light rules and borders count)


def blank_shares(pdf: Path) -> list[float]:
    """The blank share of every page of `pdf`, in page order."""
    with tempfile.TemporaryDirectory(prefix="kitgen-paper-") as temp:
        prefix = Path(temp) / "page"
        subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", "-png", pdf, prefix], check=True)
        pages = sorted(Path(temp).glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-")[1]))
        return [_blank_share(png) for png in pages]


def _blank_share(png: Path) -> float:
    image = Image.open(png).convert("L")
    width, height = image.size
    top, bottom = int(height * HEADER_SHARE), int(height * (1 - FOOTER_SHARE))
    pixels = image.crop((0, top, width, bottom)).tobytes()  # one byte a pixel, row by row
    last_ink = 0
    for y in range(bottom - top):
        if min(pixels[y * width : (y + 1) * width]) < INK:
            last_ink = y
    return (bottom - top - last_ink) / (bottom - top)
