"""Text for people: untrusted text made inert, excerpts, terminal tables."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kitgen._text import CONTROL, LINE_LIMIT, clean_text, excerpt, table


@given(st.text())
def test_clean_text_leaves_no_control_character(text: str) -> None:
    for multiline in (True, False):
        cleaned = clean_text(text, multiline=multiline)
        assert not CONTROL.search(cleaned)
        assert "\r" not in cleaned and "\t" not in cleaned
        if not multiline:
            assert "\n" not in cleaned and len(cleaned) <= LINE_LIMIT + 1


def test_clean_text_keeps_line_breaks_of_notes_and_joins_names() -> None:
    assert clean_text("one\r\ntwo\rthree\n", multiline=True) == "one\ntwo\nthree"
    assert clean_text(" Ada\n  Lovelace ", multiline=False) == "Ada Lovelace"
    assert clean_text("\x1b[2Kfake", multiline=False) == "\ufffd[2Kfake"


def test_excerpt_is_short_quoted_and_printable() -> None:
    assert excerpt("x" * 100).endswith("…'") and len(excerpt("x" * 100)) < 50
    assert excerpt("a\x00b") == "'a?b'"


def test_table_aligns_columns() -> None:
    assert table([["a", "long"]], ["h1", "h2"]).splitlines() == ["h1  h2", "--  ----", "a   long"]
