"""pdf.js (Firefox's PDF engine, npm pdfjs-dist) fills a kit's form as the Firefox viewer does.

Runs `node tests/engines/pdfjs_fill.mjs SOURCE TARGET -` with the spec on standard input; the
script stores values in pdf.js's annotationStorage exactly as the viewer's annotation layer does
for a user's typing and clicks, then saves with `saveDocument()`. Needs node and
`npm ci --prefix tests/engines` (make test runs it).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPT = HERE / "pdfjs_fill.mjs"
PDFJS = HERE / "node_modules" / "pdfjs-dist" / "package.json"
TIMEOUT_S = 120


def available() -> bool:
    """Whether node and the installed pdfjs-dist are there to run."""
    return shutil.which("node") is not None and PDFJS.is_file()


def fill(source: Path, target: Path, text: dict[str, str], choices: dict[str, str]) -> None:
    """Fill `source`'s form with pdf.js as the Firefox viewer does, and save it to `target`."""
    node = shutil.which("node")
    if node is None:
        raise AssertionError("pdf.js engine: node is not on PATH")
    if not PDFJS.is_file():
        raise AssertionError(
            f"pdf.js engine: pdfjs-dist is not installed in {HERE / 'node_modules'}: "
            "run make test, which runs npm ci"
        )
    spec = json.dumps({"text": text, "choices": choices}, ensure_ascii=False)
    try:
        result = subprocess.run(
            [node, str(SCRIPT), str(Path(source).resolve()), str(Path(target).resolve()), "-"],
            input=spec,
            capture_output=True,
            text=True,
            encoding="utf-8",
            cwd=HERE,
            timeout=TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise AssertionError(f"pdf.js engine: node did not finish in {TIMEOUT_S} s") from error
    if result.returncode != 0:
        details = result.stderr.strip() or result.stdout.strip()
        raise AssertionError(
            f"pdf.js engine failed (exit {result.returncode}) on {source}:\n{details}"
        )
    if not Path(target).is_file():
        raise AssertionError(f"pdf.js engine wrote no {target}")
