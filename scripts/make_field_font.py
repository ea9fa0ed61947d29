"""Make templates/classic/fonts/KitField-Regular.otf, the font of the kit's form fields.

PDF viewers need the whole font of a form field (a filled-in name may use any glyph), so
WeasyPrint embeds field fonts whole. Inter is 250 KB; this subset of it is ~47 KB.
Run once after changing the character set: .venv/bin/python scripts/make_field_font.py
"""

from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

FONTS = Path(__file__).resolve().parent.parent / "templates" / "classic" / "fonts"
# Basic Latin, Latin-1 Supplement, Latin Extended-A, Greek, Cyrillic and common punctuation:
# names, dates and notes in most European languages.
CHARACTERS = [
    *range(0x20, 0x7F),
    *range(0xA0, 0x180),
    *range(0x370, 0x400),
    *range(0x400, 0x530),
    0x2013,
    0x2014,
    0x2018,
    0x2019,
    0x201C,
    0x201D,
    0x2022,
    0x2026,
    0x20AC,
    0x2122,
]


def main() -> None:
    options = subset.Options()
    options.name_IDs = ["*"]
    options.layout_features = []
    options.hinting = False
    font = TTFont(FONTS / "Inter-Regular.otf")
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=CHARACTERS)
    subsetter.subset(font)
    for record in font["name"].names:  # a modified font takes a name of its own (OFL)
        if record.nameID in (1, 4, 16):
            record.string = "Kit Field"
        elif record.nameID == 6:
            record.string = "KitField-Regular"
    font.save(FONTS / "KitField-Regular.otf")


if __name__ == "__main__":
    main()
