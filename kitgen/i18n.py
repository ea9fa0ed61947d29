"""The labels kitgen prints itself, in the panel's language.

Messages are English in the code and the templates; `kitgen/locale/<lang>/LC_MESSAGES/
kitgen.po` holds each language's translations, managed with Babel (see the README,
"Languages") and read directly at run time, so there is no compile step and nothing to
get out of date. Bank text (questions, anchors, category titles) is never translated:
it stays as its author wrote it.
"""

from __future__ import annotations

import datetime
import io
import re
from functools import cache
from pathlib import Path
from typing import Any

LANGUAGES: dict[str, str] = {"en": "English", "de": "Deutsch", "fr": "Français", "es": "Español"}
DEFAULT_LANGUAGE = "en"
LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "kitgen"
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def N_(message: str) -> str:
    """Marks a message for extraction where it is defined; it is translated where printed."""
    return message


class Labels:
    """gettext for one language, and the locale's date format."""

    def __init__(self, language: str = DEFAULT_LANGUAGE) -> None:
        self.language = language
        self._translations = translations(language)

    def gettext(self, message: str, **values: Any) -> str:
        text = str(self._translations.gettext(message))
        return text % values if values else text

    def ngettext(self, singular: str, plural: str, n: int, **values: Any) -> str:
        text = str(self._translations.ngettext(singular, plural, n))
        return text % {"num": n, **values}

    def pair(self, label: str, value: str) -> str:
        """ "Candidate: Ada": a label and its value, as the language writes them (French
        puts a space before the colon)."""
        return self.gettext("%(label)s: %(value)s", label=label, value=value)

    def number(self, value: float | None, digits: int = 2) -> str:
        """A score as the locale writes it (3.50, 3,50); "-" for none."""
        if value is None:
            return "-"
        from babel.numbers import format_decimal

        return str(format_decimal(value, format="0." + "0" * digits, locale=self.language))

    def percent(self, value: float | None) -> str:
        """A share of the scale as the locale writes it (66.7%, 66,7 %)."""
        if value is None:
            return "-"
        from babel import Locale
        from babel.numbers import format_percent

        # the locale's own pattern (66,7 % in French), with one decimal
        pattern = re.sub(
            r"0(?=\W*%)", "0.0", Locale.parse(self.language).percent_formats[None].pattern, count=1
        )
        return str(format_percent(value / 100, format=pattern, locale=self.language))

    def date(self, value: str) -> str:
        """An ISO date (2026-12-01) as the locale writes it ("1 December 2026",
        "1. Dezember 2026"); any other text is left as typed."""
        if not _ISO_DATE.match(value):
            return value
        try:
            day = datetime.date.fromisoformat(value)
        except ValueError:
            return value
        from babel.dates import format_date

        return format_date(day, format="long", locale=self.language)


# labels kitgen prints for values of the bank and profile formats
LEVEL_NAMES = {
    "junior": N_("Junior"),
    "mid": N_("Mid"),
    "senior": N_("Senior"),
    "staff": N_("Staff"),
}
KIND_NAMES = {
    "technical": N_("Technical"),
    "behavioral": N_("Behavioral"),
    "hypothetical": N_("Hypothetical"),
    "case": N_("Case"),
}
PAGE_OF = N_("Page %(page)s of %(pages)s")  # a page's footer
_COUNTER = re.compile(r"%\((page|pages)\)s")


def css_counters(text: str) -> str:
    """A message with %(page)s and %(pages)s as a CSS `content` value: "Seite "
    counter(page) " von " counter(pages)."""
    parts = []
    for index, piece in enumerate(_COUNTER.split(text)):
        if index % 2:
            parts.append(f"counter({piece})")
        elif piece:
            parts.append('"' + piece.replace("\\", "\\\\").replace('"', '\\"') + '"')
    return " ".join(parts)


def check_language(language: str) -> str:
    """The language code, or ValueError naming the ones kitgen ships."""
    if language not in LANGUAGES:
        raise ValueError(
            f"kitgen has no labels in {language!r}; choose one of {', '.join(LANGUAGES)}"
        )
    return language


@cache
def translations(language: str) -> Any:
    """Babel Translations for a shipped language (English: the messages as written)."""
    from babel.support import NullTranslations, Translations

    check_language(language)
    if language == DEFAULT_LANGUAGE:
        return NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with (LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as po:
        catalog = read_po(po, locale=language, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)  # a fuzzy guess is not a translation
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


@cache
def labels(language: str = DEFAULT_LANGUAGE) -> Labels:
    return Labels(language)
