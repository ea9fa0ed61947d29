"""Code in a question or a key: a monospaced block in the kit, line for line in the PDF a
reader extracts, and a fence in Markdown that the code cannot break out of."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

from markdown_it import MarkdownIt

from kitgen import BuildRequest, OutputPlan, RenderOptions, build_kit, generate, render_formats
from kitgen.render.blocks import Block, lead, text_blocks

REVIEW = """Review this training loop aloud.

```python
for x, y in loader:
    if y.sum() < 0 and x.shape[0] > 1:
        loss = model(x) - y
    loss.backward()  # ``` is in the code
```

What would you change first?"""
KEY = """Three bugs.

```python
optimizer.zero_grad()
```
"""


def test_blocks_split_prose_from_code_and_keep_code_lines() -> None:
    blocks = text_blocks(REVIEW)
    assert [b.code for b in blocks] == [False, True, False]
    assert blocks[0] == Block("Review this training loop aloud.")
    assert blocks[1].language == "python"
    assert blocks[1].text.split("\n")[1] == "    if y.sum() < 0 and x.shape[0] > 1:"
    assert lead(REVIEW) == "Review this training loop aloud."
    # a fence left open keeps its code; paragraphs join their lines
    assert text_blocks("one\ntwo\n\n```\nx = 1") == [Block("one two"), Block("x = 1", code=True)]


def _workspace(write: Callable[[str, str], Path]) -> Path:
    indented = "\n".join("      " + line for line in REVIEW.split("\n"))
    key = "\n".join("      " + line for line in KEY.split("\n"))
    write("kitgen.toml", "")
    write(
        "banks/code.yaml",
        f"""
bank: code
title: Code
categories:
  - id: coding
    title: Coding
questions:
  - id: coding-review
    category: coding
    minutes: 20
    text: |
{indented}
    look_for: ["Finds the missing zero_grad", "Finds the loss", "Finds the branch"]
    follow_ups: ["Which bug costs most?"]
    rubric: {{1: "Finds none of the bugs", 2: "Finds one bug", 3: "Finds two bugs with fixes",
              4: "Finds all three and ranks them by cost"}}
    answer: |
{key}
""",
    )
    return write(
        "roles/coder.yaml",
        "role: Coder\nlevel: mid\nduration: 35\nbanks: [../banks/code.yaml]\n"
        "categories: {coding: 1}\n",
    )


def test_the_kit_prints_code_in_a_box_and_the_pdf_keeps_its_lines(
    write: Callable[[str, str], Path], tmp_path: Path
) -> None:
    role = _workspace(write)
    prepared = build_kit(role)
    formats = render_formats(prepared, ["html", "md"], RenderOptions())[0]
    html = formats["html"].decode()
    assert '<pre class="q-code">for x, y in loader:\n    if y.sum() &lt; 0 and' in html
    assert '<pre class="answer-code">optimizer.zero_grad()</pre>' in html
    assert html.count('class="q-text"') == 2  # the two paragraphs around the code

    generate(BuildRequest((role,)), RenderOptions(), OutputPlan(output=tmp_path / "out"))
    [pdf] = (tmp_path / "out").glob("*.pdf")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    lines = [line.strip() for line in text.splitlines()]
    assert "if y.sum() < 0 and x.shape[0] > 1:" in lines  # one line, not reflowed
    assert "optimizer.zero_grad()" in lines

    tokens = MarkdownIt("commonmark").parse(formats["md"].decode())
    fences = [t for t in tokens if t.type == "fence"]
    assert [t.info for t in fences] == ["python", "python"]
    assert "loss.backward()  # ``` is in the code" in fences[0].content  # not closed early
    paragraphs = [t.content for t in tokens if t.type == "inline"]
    assert "**What would you change first?**" in paragraphs
