"""Give WeasyPrint's form the structure every viewer reads the same way (SPEC "Form fields").

WeasyPrint writes a radio group as a parent whose kids repeat its name (engines then see
`rating:q.rating:q`), lists every kid in `/AcroForm /Fields` as well (qpdf reports loops),
names the on-states `/0`, `/1`, ... with the values in `/Opt`, gives a kid no `/Off`
appearance, and points the text fields at a two-byte font that tools which regenerate
appearances (qpdf) cannot write into. After the render this module rewrites the form
with pikepdf:

- one terminal field per name; radio widgets are kids without `/T` or `/TU`;
- a radio widget's on-state is its export value (`3`, `na`, `strong-yes`), no `/Opt`;
- `/Fields` lists each field once;
- every radio widget has an appearance for its on-state and for `/Off`;
- text fields use Helvetica (`/Helv`, WinAnsi), the font every PDF engine has;
- pre-filled values are field values with an appearance, never printed into the page.
  A value Helvetica cannot hold (Łukasz, Δήμητρα) is drawn with the field font
  WeasyPrint embedded (Latin, Greek, Cyrillic), kept only when such a value is asked for.

`NeedAppearances` is set only while a field has no appearance of its own (a value no
embedded font covers), so viewers draw exactly what the kit shows.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from functools import cache

import pikepdf
from pikepdf import Array, Dictionary, Name, Object, Pdf, String

FIELD_FONT = "/Helv"
BUILD_INFO = "/KitgenBuild"  # the document information key of kitgen.output.builds
UNICODE_FONT = "/KitF"
_MULTILINE = 1 << 12
# DA may hold only text state and colour; WeasyPrint adds an ExtGState (`/a1.0 gs`).
_COLOUR = re.compile(rb"(?<![^ ])([-0-9.]+ [-0-9.]+ [-0-9.]+ rg|[-0-9.]+ g)(?![^ ])")
_SIZE = re.compile(rb"(?<![^ ])([0-9.]+) Tf(?![^ ])")
_FONT_NAME = re.compile(rb"(/[^ /]+) [0-9.]+ Tf")


def needs_unicode_font(texts: Iterable[str]) -> bool:
    """Whether pre-filled texts hold letters Helvetica (Windows-1252) cannot draw."""
    return any(_win_ansi(text) is None for text in texts)


def finish_form(
    pdf: bytes,
    values: Mapping[str, str] | None = None,
    *,
    unicode_font: bool = False,
    build: str = "",
) -> bytes:
    """The rendered kit with its form restructured and `values` filled into text fields.

    `unicode_font` keeps the embedded field font for values filled in later (a batch of
    candidates); it is kept anyway when `values` need it. `build` is recorded in the
    document information (kitgen.output.builds), in the same save.
    """
    values = dict(values or {})
    with Pdf.open(io.BytesIO(pdf)) as document:
        form = document.Root.get("/AcroForm")
        if form is None:  # a flat kit (--no-fillable) has no form
            return _save(document, build) if build else pdf
        helvetica = document.make_indirect(
            Dictionary(
                Type=Name.Font,
                Subtype=Name.Type1,
                BaseFont=Name.Helvetica,
                Encoding=Name.WinAnsiEncoding,
            )
        )
        fonts = Dictionary({FIELD_FONT: helvetica})
        keep_unicode_font = unicode_font or needs_unicode_font(values.values())
        fields = Array()
        groups: set[tuple[int, int]] = set()
        # WeasyPrint gives each radio appearance the whole page's resources (every font);
        # a circle needs only its graphics states.
        self_contained: dict[tuple[int, int], Object] = {}
        for page in document.pages:
            for widget in page.get("/Annots", Array()):
                if widget.get("/Subtype") != Name.Widget:
                    continue
                parent = widget.get("/Parent")
                if parent is not None:
                    if parent.objgen not in groups:
                        groups.add(parent.objgen)
                        _restructure_radio_group(document, parent, self_contained)
                        fields.append(parent)
                    continue
                if widget.get("/FT") == Name.Tx:
                    if keep_unicode_font and UNICODE_FONT not in fonts:
                        embedded = _embedded_field_font(document, form, widget)
                        if embedded is not None:
                            fonts[UNICODE_FONT] = embedded
                    _use_field_font(widget)
                fields.append(widget)
        # An indirect form dictionary lets viewers (pdf.js) update it in place when saving.
        document.Root.AcroForm = document.make_indirect(
            Dictionary(
                Fields=fields,
                DR=Dictionary(Font=fonts),
                DA=String(f"{FIELD_FONT} 10 Tf 0 g"),
            )
        )
        _fill(document, values)
        # WeasyPrint's field font is no longer used by any page (nor by a field, unless kept).
        document.remove_unreferenced_resources()
        return _save(document, build)


def fill_text_fields(pdf: bytes, values: Mapping[str, str], build: str = "") -> bytes:
    """A finished kit with `values` (field name -> text) set, each drawn once."""
    with Pdf.open(io.BytesIO(pdf)) as document:
        _fill(document, dict(values))
        return _save(document, build)


def _save(document: Pdf, build: str = "") -> bytes:
    if build:
        document.docinfo[BUILD_INFO] = build
    out = io.BytesIO()
    # deterministic_id: the file identifier comes from the content, not from chance
    document.save(
        out,
        deterministic_id=True,
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
        compress_streams=True,
    )
    return out.getvalue()


def _restructure_radio_group(
    document: Pdf, group: Object, self_contained: dict[tuple[int, int], Object]
) -> None:
    options = [str(o) for o in group.get("/Opt", Array())]
    for index, kid in enumerate(group.Kids):
        for key in ("/T", "/TU"):  # the group is the field; its widgets have no names
            if key in kid:
                del kid[key]
        normal = kid.AP.N
        states = [str(k) for k in normal if k != "/Off"]
        on = states[0] if states else f"/{index}"
        if options and on.removeprefix("/").isdigit() and int(on[1:]) < len(options):
            value = Name("/" + options[int(on[1:])])
            normal[value] = normal[on]
            del normal[on]
            if kid.get("/AS") == Name(on):
                kid.AS = value
                group.V = value
        for state in list(normal.keys()):
            resources = normal[state].get("/Resources")
            if resources is not None and "/ExtGState" in resources:
                shared = resources.objgen
                if shared not in self_contained or shared == (0, 0):
                    self_contained[shared] = Dictionary(ExtGState=resources.ExtGState)
                normal[state].Resources = self_contained[shared]
        if "/Off" not in normal:
            width, height = _size(kid)
            normal.Off = document.make_stream(
                b"", Type=Name.XObject, Subtype=Name.Form, BBox=Array([0, 0, width, height])
            )
        if "/AS" not in kid:
            kid.AS = Name.Off
    if "/Opt" in group:
        del group["/Opt"]
    if "/V" not in group:
        group.V = Name.Off


def _use_field_font(widget: Object) -> None:
    da = bytes(widget.get("/DA", String(b"")))
    size = _SIZE.search(da)
    colour = _COLOUR.search(da)
    widget.DA = String(
        f"{FIELD_FONT} {size.group(1).decode() if size else '10'} Tf "
        + (colour.group(1).decode() if colour else "0 g")
    )


def _embedded_field_font(document: Pdf, form: Object, widget: Object) -> Object | None:
    """WeasyPrint's embedded field font (a whole OpenType font as Type0, Identity-H), with
    the glyph widths filled in: WeasyPrint lists only those the pages used."""
    found = _FONT_NAME.search(bytes(widget.get("/DA", String(b""))))
    if found is None:
        return None
    font = form.get("/DR", Dictionary()).get("/Font", Dictionary()).get(found.group(1).decode())
    if font is None or font.get("/Subtype") != Name.Type0:
        return None
    descendant = font.DescendantFonts[0]
    glyphs = _font_glyphs(descendant.FontDescriptor.FontFile3.read_bytes())
    descendant.W = Array([0, Array(glyphs.widths)])
    # so the drawn value can be copied, searched and read aloud
    font.ToUnicode = document.make_stream(glyphs.to_unicode_cmap())
    return font


class _Glyphs:
    """A font program's glyph ids by character and advance widths (1/1000 em)."""

    def __init__(self, program: bytes) -> None:
        from fontTools.ttLib import TTFont  # fontTools comes with WeasyPrint

        font = TTFont(io.BytesIO(program), lazy=True)
        scale = 1000 / font["head"].unitsPerEm
        metrics = font["hmtx"].metrics
        self.widths = [round(metrics[name][0] * scale) for name in font.getGlyphOrder()]
        self.ids = {cp: font.getGlyphID(name) for cp, name in font.getBestCmap().items()}

    def to_unicode_cmap(self) -> bytes:
        """A ToUnicode CMap from glyph ids back to the characters they draw."""
        pairs = sorted({gid: cp for cp, gid in self.ids.items() if cp <= 0xFFFF}.items())
        chunks = [pairs[i : i + 100] for i in range(0, len(pairs), 100)]  # 100 per block
        body = "".join(
            f"{len(chunk)} beginbfchar\n"
            + "".join(f"<{gid:04X}> <{cp:04X}>\n" for gid, cp in chunk)
            + "endbfchar\n"
            for chunk in chunks
        )
        return (
            "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            "/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
            "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
            f"{body}endcmap CMapName currentdict /CMap defineresource pop end end\n"
        ).encode()

    def encode(self, text: str) -> bytes | None:
        """Two-byte glyph ids (Identity-H), or None when a letter is missing."""
        if any(ord(ch) not in self.ids for ch in text):
            return None
        return b"".join(self.ids[ord(ch)].to_bytes(2, "big") for ch in text)


@cache
def _font_glyphs(program: bytes) -> _Glyphs:
    return _Glyphs(program)


def _fill(document: Pdf, values: dict[str, str]) -> None:
    """Set text values and draw each as its field's appearance (viewers redraw on edit)."""
    form = document.Root.AcroForm
    fonts = form.DR.Font
    unicode_font = fonts.get(UNICODE_FONT)
    glyphs = None
    if unicode_font is not None:
        program = unicode_font.DescendantFonts[0].FontDescriptor.FontFile3.read_bytes()
        glyphs = _font_glyphs(program)
    left_to_viewer = False
    for page in document.pages:
        for widget in page.get("/Annots", Array()):
            if widget.get("/FT") != Name.Tx or "/T" not in widget:
                continue
            name = str(widget.T)
            if name in values:
                widget.V = String(values[name])
            text = str(widget.get("/V", "")).replace("\r\n", "\n").replace("\r", "\n")
            multiline = bool(int(widget.get("/Ff", 0)) & _MULTILINE)
            lines = text.split("\n") if multiline else text.split("\n")[:1]
            drawn = _draw_lines(lines, glyphs)
            if drawn is None:  # no embedded font has these letters: the viewer draws them
                if "/AP" in widget:
                    del widget["/AP"]
                left_to_viewer = True
                continue
            font_name, encoded = drawn
            font = fonts[font_name]
            widget.AP = Dictionary(N=_text_appearance(document, widget, encoded, font_name, font))
    if left_to_viewer:
        form.NeedAppearances = True
    elif "/NeedAppearances" in form:
        del form["/NeedAppearances"]


def _draw_lines(lines: list[str], glyphs: _Glyphs | None) -> tuple[str, list[bytes]] | None:
    """The font and encoded lines that draw `lines`: Helvetica where it can, else the
    embedded field font; None when neither has every letter."""
    win_ansi = [_win_ansi(line) for line in lines]
    if all(code is not None for code in win_ansi):
        return FIELD_FONT, [code for code in win_ansi if code is not None]
    if glyphs is not None:
        encoded = [glyphs.encode(line) for line in lines]
        if all(code is not None for code in encoded):
            return UNICODE_FONT, [code for code in encoded if code is not None]
    return None


def _text_appearance(
    document: Pdf, widget: Object, lines: list[bytes], font_name: str, font: Object
) -> pikepdf.Stream:
    width, height = _size(widget)
    da = bytes(widget.DA)
    found = _SIZE.search(da)
    size = float(found.group(1)) if found else 10.0
    colour = _COLOUR.search(da)
    state = f"{font_name} {size:g} Tf ".encode() + (colour.group(1) if colour else b"0 g")
    content = b"/Tx BMC\n"
    if any(lines):
        if len(lines) == 1:  # one line, centred vertically as viewers draw it
            top = max((float(height) - size * 0.72) / 2, 1.0)
        else:
            top = float(height) - size - 1
        # clipped to the box, as viewers clip what they draw in a field
        content += f"q 1 1 {float(width) - 2:.2f} {float(height) - 2:.2f} re W n ".encode()
        content += b"BT " + state + f" {size * 1.2:.2f} TL 2 {top:.2f} Td ".encode()
        content += b" T* ".join(_pdf_string(line, font_name) + b" Tj" for line in lines)
        content += b" ET Q\n"
    content += b"EMC\n"
    return document.make_stream(
        content,
        Type=Name.XObject,
        Subtype=Name.Form,
        BBox=Array([0, 0, width, height]),
        Resources=Dictionary(Font=Dictionary({font_name: font})),
    )


def _win_ansi(text: str) -> bytes | None:
    """The text in Helvetica's encoding, or None when it has a letter outside it."""
    try:
        return text.encode("cp1252")
    except UnicodeEncodeError:
        return None


def _pdf_string(data: bytes, font_name: str) -> bytes:
    if font_name != FIELD_FONT:  # two-byte glyph ids: a hex string
        return b"<" + data.hex().encode() + b">"
    escaped = data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    return b"(" + escaped + b")"


def _size(widget: Object) -> tuple[Decimal, Decimal]:
    x1, y1, x2, y2 = (Decimal(str(v)) for v in widget.Rect)
    return abs(x2 - x1), abs(y2 - y1)
