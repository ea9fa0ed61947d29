"""Question text and answer keys as paragraphs and fenced code.

A bank writes a live exercise's code, or a script to review, in a ``` fence inside the
question text or the answer; templates print the code in a monospaced box and the rest
as paragraphs, and a table that shows a question in one line uses its first paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FENCE = re.compile(r"^\s*```\s*([\w+-]*)\s*$")


@dataclass(frozen=True)
class Block:
    text: str
    code: bool = False
    language: str = ""  # what the fence names (python, sql), or ""


def text_blocks(text: str) -> list[Block]:
    """Paragraphs (split at blank lines, their lines joined) and code blocks (kept line for
    line); a fence left open runs to the end, so nothing is lost."""
    blocks: list[Block] = []
    prose: list[str] = []
    code: list[str] | None = None
    language = ""

    def end_paragraph() -> None:
        if prose:
            blocks.append(Block(" ".join(prose)))
            prose.clear()

    for line in text.split("\n"):
        fence = FENCE.match(line)
        if code is not None:
            if fence and not fence[1]:
                blocks.append(Block(_dedent(code), code=True, language=language))
                code = None
            else:
                code.append(line.rstrip())
        elif fence:
            end_paragraph()
            code, language = [], fence[1].lower()
        elif line.strip():
            prose.append(line.strip())
        else:
            end_paragraph()
    end_paragraph()
    if code is not None:
        blocks.append(Block(_dedent(code), code=True, language=language))
    return [b for b in blocks if b.text.strip()]


def lead(text: str) -> str:
    """The first paragraph: what a one-line summary of the question shows."""
    for block in text_blocks(text):
        if not block.code:
            return block.text
    return text.strip().split("\n", 1)[0]


def _dedent(lines: list[str]) -> str:
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    indent = min((len(x) - len(x.lstrip()) for x in lines if x.strip()), default=0)
    return "\n".join(x[indent:] for x in lines)
