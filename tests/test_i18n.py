"""Kits in the panel's language: the catalogs cover every label, every example renders
with no English label left, dates follow the locale, and scores do not depend on it."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from click.testing import CliRunner, Result

from kitgen import BuildRequest, RenderOptions, build_kit
from kitgen.cli import main
from kitgen.i18n import LANGUAGES, LOCALE_DIR
from kitgen.render.html import brief_template, render_brief_html, render_html
from kitgen.render.markdown import brief_to_markdown, kit_to_markdown

from .conftest import EXAMPLES, REPO
from .engines import pdfium

TRANSLATED = [language for language in LANGUAGES if language != "en"]
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def _template() -> dict[str, object]:
    with (LOCALE_DIR / "kitgen.pot").open("rb") as pot:
        return {m.id if isinstance(m.id, str) else m.id[0]: m for m in read_po(pot) if m.id}


def test_the_catalog_template_holds_every_message_in_the_source() -> None:
    # what Babel extracts from the code and templates now, against kitgen.pot: a message
    # added without `make messages` would print in English in every language
    with (LOCALE_DIR / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found = {
        message if isinstance(message, str) else message[0]
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(REPO), method_map, options_map
        )
    }
    assert found == set(_template()), "run `make messages`"


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated_with_its_placeholders(language: str) -> None:
    with (LOCALE_DIR / language / "LC_MESSAGES" / "kitgen.po").open("rb") as po:
        catalog = read_po(po, locale=language)
    assert not catalog.obsolete
    for msgid, template in _template().items():
        message = catalog[template.id]
        assert message is not None, msgid
        assert not message.fuzzy, msgid
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert len(strings) == (catalog.num_plurals if message.pluralizable else 1), msgid
        for text in strings:
            assert text.strip(), msgid
            assert set(PLACEHOLDER.findall(text)) <= set(PLACEHOLDER.findall(str(template.id))), (
                msgid,
                text,
            )
            if "%(" not in msgid and "%" in text:  # printed as written: no stray format
                assert "%%" not in text, (msgid, text)


def _english_fragments() -> list[str]:
    """Literal pieces of kitgen's own multi-word labels, long enough not to occur in a
    question by chance: "Questions at a glance", "How to run this interview", ..."""
    fragments = []
    for message in _template().values():
        for msgid in message.id if isinstance(message.id, tuple) else (message.id,):
            pieces = [p.strip(" .,:()·") for p in PLACEHOLDER.split(msgid)[::2]]
            longest = max(pieces, key=len)
            if len(longest) >= 14 and " " in longest:
                fragments.append(longest)
    return fragments


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_example_renders_with_no_english_label_left(language: str) -> None:
    fragments = _english_fragments()
    assert len(fragments) >= 60
    for role in sorted(EXAMPLES.glob("*.yaml")):
        prepared = build_kit(role, BuildRequest((role,), language=language))
        texts = {}
        for kit in [prepared.kit, *(p.kit for p in prepared.packets())]:
            # the template's HTML (not the standalone file, whose fonts take long to inline)
            texts[f"html {kit.kit_id}"] = render_html(kit, prepared.template, RenderOptions())
            texts[f"md {kit.kit_id}"] = kit_to_markdown(kit)
        texts["brief"] = render_brief_html(
            prepared.kit, brief_template(prepared.template), RenderOptions()
        )
        texts["brief md"] = brief_to_markdown(prepared.kit)
        assert f'<html lang="{language}"' in texts[f"html {prepared.kit.kit_id}"]
        for name, text in texts.items():
            if name.startswith(("html", "brief")) and not name.endswith("md"):
                text = re.sub(r"<style.*?</style>|<[^>]+>", " ", text, flags=re.S)
            left = [f for f in fragments if f in text]
            assert left == [], (role.name, name, left)


def test_the_language_comes_from_the_command_the_profile_or_kitgen_toml(
    write: Callable[[str, str], Path],
) -> None:
    write("ws/kitgen.toml", '[defaults]\nlanguage = "de"\n')
    role = write(
        "ws/roles/r.yaml",
        "role: R\nlevel: mid\nduration: 60\ncategories: {nlp: 1, evaluation: 1}\n",
    )
    own = write(
        "ws/roles/fr.yaml",
        "role: R\nlevel: mid\nduration: 60\nlanguage: fr\ncategories: {nlp: 1}\n",
    )
    assert build_kit(role).kit.language == "de"  # kitgen.toml's default
    assert build_kit(own).kit.language == "fr"  # the profile's own
    assert build_kit(own, BuildRequest((own,), language="es")).kit.language == "es"
    # the same questions in every language: a German kit is the English kit, relabelled
    ids = {
        language: [
            q.question.id
            for q in build_kit(own, BuildRequest((own,), language=language)).kit.questions
        ]
        for language in LANGUAGES
    }
    assert len({tuple(v) for v in ids.values()}) == 1
    wrong = write("ws/roles/it.yaml", "role: R\nlevel: mid\nlanguage: it\ncategories: {nlp: 1}\n")
    result = _run("validate", wrong)
    assert result.exit_code == 1
    assert f"{wrong}:3:11:" in result.output and "'en', 'de', 'fr' or 'es'" in result.output


def test_an_iso_date_is_written_as_the_language_writes_it(tmp_path: Path) -> None:
    role = EXAMPLES / "nlp-engineer.yaml"
    for language, written in (("de", "1. Dezember 2026"), ("fr", "1 décembre 2026")):
        out = tmp_path / f"{language}.pdf"
        args = ["generate", role, "-o", out, "--language", language, "--date", "2026-12-01"]
        assert _run(*args).exit_code == 0
        with pikepdf.open(out) as pdf:
            values = {str(f.T): str(f.get("/V", "")) for f in pdf.Root.AcroForm.Fields}
        assert values["date"] == written
    out = tmp_path / "typed.pdf"
    assert (
        _run("generate", role, "-o", out, "--language", "de", "--date", "next Monday").exit_code
        == 0
    )
    with pikepdf.open(out) as pdf:
        assert {str(f.T): str(f.get("/V", "")) for f in pdf.Root.AcroForm.Fields}[
            "date"
        ] == "next Monday"


def test_scores_do_not_depend_on_the_kits_language(tmp_path: Path) -> None:
    role = EXAMPLES / "nlp-engineer.yaml"
    kits = {}
    for language in ("en", "de"):
        blank = tmp_path / f"{language}.pdf"
        assert _run("generate", role, "-o", blank, "--language", language).exit_code == 0
        with pikepdf.open(blank) as pdf:
            names = [str(f.T) for f in pdf.Root.AcroForm.Fields]
        filled = tmp_path / f"{language}-filled.pdf"
        ratings = {n: "3" for n in names if n.startswith("rating:")}
        ratings |= {n: "4" for n in names if n.startswith("category:")}
        pdfium.fill(blank, filled, {"interviewer": "Ada"}, {**ratings, "recommendation": "yes"})
        kits[language] = filled
    scored = {
        language: json.loads(_run("score", pdf, "--format", "json").output)
        for language, pdf in kits.items()
    }
    for data in scored.values():
        for card in data["scorecards"]:
            card.pop("file", None)
    assert scored["en"] == scored["de"]
    german = _run("score", kits["en"], "--language", "de").output
    english = _run("score", kits["de"]).output
    assert "Empfehlung" in german and "Recommendation" not in german
    assert "Recommendation: Yes" in english
    debrief = tmp_path / "debrief.pdf"
    assert _run("score", kits["de"], "--language", "fr", "-o", debrief).exit_code == 0
    with pikepdf.open(debrief) as pdf:
        assert str(pdf.Root.Lang) == "fr"


def test_a_bank_in_another_language_is_a_lint_finding(write: Callable[[str, str], Path]) -> None:
    german = write(
        "roles/de.yaml",
        "role: R\nlevel: mid\nduration: 60\nlanguage: de\nbanks: [ai-ml]\ncategories: {nlp: 1}\n",
    )
    result = _run("lint", german)
    assert f"{german}:4:11: KG205 the kit's labels are in 'de' but bank 'ai-ml'" in result.output
    english = write("roles/en.yaml", "role: R\nlevel: mid\nduration: 60\ncategories: {nlp: 1}\n")
    assert "KG205" not in _run("lint", english).output


@pytest.mark.parametrize("name", ["kit.html", "brief.html", "debrief.html"])
def test_the_bundled_templates_print_no_words_of_their_own(name: str) -> None:
    # every word a reader sees comes from the data or through _(): what a template writes
    # itself, between tags or in title and alt, would stay English in every language
    source = (REPO / "templates" / "classic" / name).read_text()
    source = re.sub(r"\{#.*?#\}", "", source, flags=re.S)
    source = re.sub(r"<style.*?</style>|<svg.*?<title>|</title>.*?</svg>", " ", source, flags=re.S)
    source = re.sub(r"<title>.*?</title>", " ", source, flags=re.S)  # the page title: _() inside
    jinja = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
    visible = []
    for attribute in re.findall(r'\b(?:title|alt|content|aria-label)="([^"]*)"', source):
        visible.append(jinja.sub("", attribute))
    text = re.sub(r"<[^>]*>", " ", jinja.sub(" ", source))
    visible += text.split("\n")
    visible = [re.sub(r"&\w+;|\bkitgen\b", " ", line) for line in visible]  # the product's name
    words = [line.strip() for line in visible if re.search(r"[A-Za-z]{2,}", line)]
    allowed = {"width=device-width, initial-scale=1"}  # the viewport meta: not for readers
    assert [w for w in words if w not in allowed] == []
