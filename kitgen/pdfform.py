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
- text fields use Helvetica (`/Helv`, WinAnsi), the font every PDF engine has, and
  pre-filled values are field values with an appearance, never printed into the page.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from decimal import Decimal

import pikepdf
from pikepdf import Array, Dictionary, Name, Object, Pdf, String

FIELD_FONT = "/Helv"
_MULTILINE = 1 << 12
# DA may hold only text state and colour; WeasyPrint adds an ExtGState (`/a1.0 gs`).
_COLOUR = re.compile(rb"(?<![^ ])([-0-9.]+ [-0-9.]+ [-0-9.]+ rg|[-0-9.]+ g)(?![^ ])")
_SIZE = re.compile(rb"(?<![^ ])([0-9.]+) Tf(?![^ ])")


def finish_form(pdf: bytes, values: Mapping[str, str] | None = None) -> bytes:
    """The rendered kit with its form restructured and `values` filled into text fields."""
    with Pdf.open(io.BytesIO(pdf)) as document:
        form = document.Root.get("/AcroForm")
        if form is None:  # a flat kit (--no-fillable) has no form
            return pdf
        font = document.make_indirect(
            Dictionary(
                Type=Name.Font,
                Subtype=Name.Type1,
                BaseFont=Name.Helvetica,
                Encoding=Name.WinAnsiEncoding,
            )
        )
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
                elif widget.get("/FT") == Name.Tx:
                    _use_field_font(widget, font)
                    fields.append(widget)
                else:
                    fields.append(widget)
        form.Fields = fields
        form.DR = Dictionary(Font=Dictionary({FIELD_FONT: font}))
        form.DA = String(f"{FIELD_FONT} 10 Tf 0 g")
        form.NeedAppearances = True
        _fill(document, dict(values or {}))
        # The field font WeasyPrint embedded is no longer used by any field or page.
        document.remove_unreferenced_resources()
        return _save(document)


def fill_text_fields(pdf: bytes, values: Mapping[str, str]) -> bytes:
    """A finished kit with `values` (field name -> text) set, each drawn once."""
    with Pdf.open(io.BytesIO(pdf)) as document:
        _fill(document, dict(values))
        return _save(document)


def _save(document: Pdf) -> bytes:
    out = io.BytesIO()
    # deterministic_id: the same kit gives the same bytes (no random file identifier)
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
            normal.Off = document.make_stream(b"", BBox=Array([0, 0, width, height]))
        if "/AS" not in kid:
            kid.AS = Name.Off
    if "/Opt" in group:
        del group["/Opt"]
    if "/V" not in group:
        group.V = Name.Off


def _use_field_font(widget: Object, font: Object) -> None:
    da = bytes(widget.get("/DA", String(b"")))
    size = _SIZE.search(da)
    colour = _COLOUR.search(da)
    widget.DA = String(
        f"{FIELD_FONT} {size.group(1).decode() if size else '10'} Tf "
        + (colour.group(1).decode() if colour else "0 g")
    )


def _fill(document: Pdf, values: dict[str, str]) -> None:
    """Set text values and draw each as its field's appearance (viewers redraw on edit)."""
    font = document.Root.AcroForm.DR.Font[FIELD_FONT]
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
            encoded = [_win_ansi(line) for line in lines]
            if any(line and not code for line, code in zip(lines, encoded, strict=True)):
                # Helvetica cannot draw it: leave the drawing to the viewer (NeedAppearances)
                if "/AP" in widget:
                    del widget["/AP"]
                continue
            widget.AP = Dictionary(N=_text_appearance(document, widget, encoded, font))


def _text_appearance(
    document: Pdf, widget: Object, lines: list[bytes], font: Object
) -> pikepdf.Stream:
    width, height = _size(widget)
    da = bytes(widget.DA)
    found = _SIZE.search(da)
    size = float(found.group(1)) if found else 10.0
    content = b"/Tx BMC\n"
    if any(lines):
        if len(lines) == 1:  # one line, centred vertically as viewers draw it
            top = max((float(height) - size * 0.72) / 2, 1.0)
        else:
            top = float(height) - size - 1
        content += b"q BT " + da + f" {size * 1.2:.2f} TL 2 {top:.2f} Td ".encode()
        content += b" T* ".join(_pdf_string(line) + b" Tj" for line in lines)
        content += b" ET Q\n"
    content += b"EMC\n"
    return document.make_stream(
        content,
        Type=Name.XObject,
        Subtype=Name.Form,
        BBox=Array([0, 0, width, height]),
        Resources=Dictionary(Font=Dictionary({FIELD_FONT: font})),
    )


def _win_ansi(text: str) -> bytes:
    """The text in Helvetica's encoding; a value it cannot hold is left to the viewer to draw."""
    try:
        return text.encode("cp1252")
    except UnicodeEncodeError:
        return b""


def _pdf_string(data: bytes) -> bytes:
    escaped = data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    return b"(" + escaped + b")"


def _size(widget: Object) -> tuple[Decimal, Decimal]:
    x1, y1, x2, y2 = (Decimal(str(v)) for v in widget.Rect)
    return abs(x2 - x1), abs(y2 - y1)
