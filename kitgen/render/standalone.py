"""HTML for a browser: one file that needs nothing beside it (SPEC "Machine-readable
outputs"): the template's fonts and images inlined as data: URLs.

The PDF is rendered from the same HTML by WeasyPrint, which reads fonts and images from
the template folder; a browser opening the HTML file alone has no such folder. So every
URL in the HTML's styles, <link> and <img> elements that names a file inside the template
folder becomes a data: URL, and anything else (a file outside the folder, a symlink out
of it, a web address) is refused, as the PDF's fetcher refuses it.

Fonts are subset: only the @font-face rules a browser would use on screen are kept (a
small cascade of the document's own CSS finds them; the "Kit Field" face of the PDF's
form fields is not used on screen), each cut down with fontTools to Latin-1, Latin
Extended-A, general punctuation and every other character of the document, as WOFF2.
Letters typed into the page's fields are mostly in that set too. Inter's four faces are
about 1 MB; the three a kit uses come to about 75 KB.

A Content-Security-Policy in the page lets the browser load nothing but the page and its
data: URLs, whatever a template adds, and a short note (on screen only) says that what is
typed into the page is not saved: the PDF is the kit to fill in and score.
"""

from __future__ import annotations

import base64
import html as html_lib
import io
import mimetypes
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit
from urllib.request import url2pathname

import cssselect2  # type: ignore[import-untyped]
import tinycss2  # type: ignore[import-untyped]
import tinyhtml5  # type: ignore[import-untyped]

from kitgen._files import read_capped
from kitgen.errors import RenderError

MAX_FILE_BYTES = 50 * 1024 * 1024  # one file a template loads, as for the PDF
MAX_INLINED_BYTES = 20 * 1024 * 1024  # all data: URLs of one page together, encoded

CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; font-src data:; img-src data:; "
    "base-uri 'none'; form-action 'none'"
)
NOTE_CLASS = "kitgen-screen-note"
NOTE = (
    f'<p class="{NOTE_CLASS}" role="note">This page is for reading and printing: what you '
    "type into it is not saved. Fill in ratings and notes in the kit's PDF, which "
    "kitgen score reads.</p>"
)
NOTE_STYLE = f"<style>@media print {{ .{NOTE_CLASS} {{ display: none !important; }} }}</style>"

# Every subset font holds these, whatever the document: the letters of names and notes in
# most European languages that use the Latin script, typed into the page's fields, and the
# classic template's signs. Documents within this set share one subset (cached).
BASE_CHARACTERS = frozenset(
    [*range(0x20, 0x7F), *range(0xA0, 0x180), *range(0x2010, 0x2028), 0x20AC, 0x2122]
) | {0x2192, 0x25CF}  # an arrow, the loop's coverage ticks

_MIME = {
    ".otf": "font/otf",
    ".ttf": "font/ttf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".ico": "image/x-icon",
}
_GENERIC_FAMILIES = {
    "serif",
    "sans-serif",
    "monospace",
    "cursive",
    "fantasy",
    "system-ui",
    "ui-serif",
    "ui-sans-serif",
    "ui-monospace",
    "ui-rounded",
    "math",
    "emoji",
    "fangsong",
}
_SYSTEM_FONTS = {"caption", "icon", "menu", "message-box", "small-caption", "status-bar"}
_WIDE_KEYWORDS = {"inherit", "initial", "unset", "revert", "revert-layer"}
_FORM_CONTROLS = {"input", "textarea", "select", "button"}  # a browser gives them its font
_TEXTLESS_INPUTS = {"checkbox", "radio", "hidden", "image", "range", "color", "file"}
_NO_TEXT = {"head", "script", "style", "template", "title"}
# A browser's own style sheet, as far as fonts go.
_UA_CSS = """
h1, h2, h3, h4, h5, h6, th, b, strong { font-weight: bold; }
b, strong { font-weight: bolder; }
i, em, cite, var, dfn, address { font-style: italic; }
pre, code, kbd, samp, tt { font-family: monospace; }
"""

_STYLE_ELEMENT = re.compile(r"(<style\b[^>]*>)(.*?)(</style\s*>)", re.S | re.I)
_LINK_ELEMENT = re.compile(r"<link\b[^>]*>", re.I)
_IMG_ELEMENT = re.compile(r"<img\b[^>]*>", re.I)
_STYLE_ATTRIBUTE = re.compile(r"""(\sstyle\s*=\s*)("[^"]*"|'[^']*')""", re.I)
_ATTRIBUTE = re.compile(r"""\s([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+)""")


def standalone_html(html: str, template_folder: Path) -> str:
    """`html` with every file it refers to in `template_folder` inlined."""
    page = _Page(template_folder.resolve())
    html = _with_note(html)
    html = _LINK_ELEMENT.sub(page.link, html)
    sheets = [_Sheet.parse(match.group(2)) for match in _STYLE_ELEMENT.finditer(html)]
    root = tinyhtml5.parse(html)
    used = _used_faces(root, sheets)
    characters = BASE_CHARACTERS | _characters(root, sheets)
    styles = iter(sheets)

    def style(match: re.Match[str]) -> str:
        css = page.stylesheet(next(styles), used, characters)
        return match.group(1) + css + match.group(3)

    html = _STYLE_ELEMENT.sub(style, html)
    html = _STYLE_ATTRIBUTE.sub(page.style_attribute, html)
    html = _IMG_ELEMENT.sub(page.img, html)
    return _with_policy(html)


def _refused(message: str) -> RenderError:
    return RenderError(message)


class _Page:
    """The template folder and the bytes inlined so far into one page."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.base = folder.as_uri() + "/"
        self.inlined = 0

    def file(self, url: str) -> Path:
        """The file inside the template folder that `url` names, or a RenderError."""
        absolute = urljoin(self.base, url.strip())
        parts = urlsplit(absolute)
        if parts.scheme == "file" and parts.netloc in ("", "localhost"):
            resolved = Path(url2pathname(parts.path)).resolve()  # symlinks followed
            if resolved.is_relative_to(self.folder):
                if resolved.is_file():
                    return resolved
                raise _refused(
                    f"missing resource {url!r}: no such file in the template folder {self.folder}"
                )
        raise _refused(
            f"blocked resource {url!r}: templates may only use data: URLs and files "
            f"inside {self.folder}"
        )

    def read(self, path: Path) -> bytes:
        return read_capped(path, MAX_FILE_BYTES, RenderError)

    def data_url(self, data: bytes, mime: str) -> str:
        url = f"data:{mime};base64," + base64.b64encode(data).decode("ascii")
        self.inlined += len(url)
        if self.inlined > MAX_INLINED_BYTES:
            raise _refused(
                f"the HTML would inline over {MAX_INLINED_BYTES:,} bytes of fonts and "
                "images from its template folder"
            )
        return url

    def inline(self, url: str) -> str:
        """`url` as a data: URL (a same-document #fragment, or data: URL, as it is)."""
        if url.startswith("#") or url.lower().startswith("data:"):
            return url
        path = self.file(url)
        return self.data_url(self.read(path), _mime(path))

    def stylesheet(self, sheet: _Sheet, used: set[int], characters: frozenset[int]) -> str:
        return "".join(self._rules(sheet, sheet.nodes, used, characters))

    def _rules(
        self, sheet: _Sheet, nodes: list[Any], used: set[int], characters: frozenset[int]
    ) -> Iterator[str]:
        for node in nodes:
            if node.type != "at-rule":
                if node.type == "qualified-rule":
                    self._inline_tokens(node.prelude)
                    self._inline_tokens(node.content)
                yield node.serialize()
                continue
            keyword = node.lower_at_keyword
            if keyword == "import":
                raise _refused(
                    "@import is not supported in a template's HTML output; include the "
                    "style sheet with {% include %}"
                )
            if keyword == "font-face":
                if id(node) in used:
                    yield self._font_face(node, characters)
                continue  # a face the page does not use is left out
            children = sheet.children.get(id(node))
            if children is None:
                self._inline_tokens(node.prelude)
                self._inline_tokens(node.content or [])
                yield node.serialize()
            else:
                prelude = tinycss2.serialize(node.prelude)
                body = "".join(self._rules(sheet, children, used, characters))
                yield f"@{node.at_keyword}{prelude}{{{body}}}"

    def _font_face(self, rule: Any, characters: frozenset[int]) -> str:
        declarations = []
        for declaration in _declarations(rule.content or []):
            if declaration.lower_name == "src":
                urls = [url for url in _urls(declaration.value) if not url.startswith("#")]
                local = [u for u in urls if not u.lower().startswith("data:")]
                files = [self.file(url) for url in local]  # each checked, the first used
                if files:
                    data = self.read(files[0])
                    font = _subset(data, characters)
                    source = (
                        f'url("{self.data_url(font, "font/woff2")}") format("woff2")'
                        if font is not None
                        else f'url("{self.data_url(data, _mime(files[0]))}")'
                    )
                    declarations.append(f"src: {source}")
                    continue
            declarations.append(declaration.serialize())
        return "@font-face { " + "; ".join(declarations) + "; }"

    def _inline_tokens(self, tokens: Iterable[Any]) -> None:
        """Replace, in place, every url() among `tokens` by its data: URL."""
        for token in tokens:
            # tinycss2 writes a token out from its `representation`: both are set
            if token.type == "url":
                token.value = self.inline(token.value)
                token.representation = f'url("{_css_string(token.value)}")'
            elif token.type == "function":
                if token.lower_name in ("url", "src"):
                    for argument in token.arguments:
                        if argument.type == "string":
                            argument.value = self.inline(argument.value)
                            argument.representation = f'"{_css_string(argument.value)}"'
                else:
                    self._inline_tokens(token.arguments)
            elif token.type in ("() block", "[] block", "{} block"):
                self._inline_tokens(token.content)

    def style_attribute(self, match: re.Match[str]) -> str:
        quoted = match.group(2)
        css = html_lib.unescape(quoted[1:-1])
        if "url(" not in css.lower() and "src(" not in css.lower():
            return match.group(0)
        tokens = tinycss2.parse_component_value_list(css)
        self._inline_tokens(tokens)
        return match.group(1) + '"' + html_lib.escape(tinycss2.serialize(tokens)) + '"'

    def img(self, match: re.Match[str]) -> str:
        tag = match.group(0)
        attributes = _attributes(tag)
        if "srcset" in attributes:
            raise _refused("srcset is not supported in a template's HTML output; use src")
        if "src" not in attributes:
            return tag
        url = self.inline(attributes["src"])
        return _with_attribute(tag, "src", url)

    def link(self, match: re.Match[str]) -> str:
        tag = match.group(0)
        attributes = _attributes(tag)
        href = attributes.get("href")
        if href is None:
            return tag
        if "stylesheet" in attributes.get("rel", "").lower().split():
            if href.lower().startswith("data:"):
                raise _refused("a data: style sheet in <link> is not supported; use <style>")
            path = self.file(href)
            tokens = tinycss2.parse_component_value_list(
                self.read(path).decode("utf-8", errors="replace")
            )
            _absolute_urls(tokens, path.as_uri())  # its URLs are relative to where it is
            css = tinycss2.serialize(tokens)
            media = attributes.get("media")
            if media:
                css = f"@media {media} {{\n{css}\n}}"
            if re.search(r"</style", css, re.I):
                raise _refused(f"{path.name}: a style sheet may not contain </style")
            return f"<style>{css}</style>"
        if "preload" in attributes.get("rel", "").lower().split():
            return ""  # the file is inlined where it is used
        return _with_attribute(tag, "href", self.inline(href))


def _absolute_urls(tokens: Iterable[Any], base: str) -> None:
    for token in tokens:
        if token.type == "url" and not token.value.startswith("#"):
            token.value = urljoin(base, token.value)
        elif token.type == "function":
            if token.lower_name in ("url", "src"):
                for argument in token.arguments:
                    if argument.type == "string" and not argument.value.startswith("#"):
                        argument.value = urljoin(base, argument.value)
            else:
                _absolute_urls(token.arguments, base)
        elif token.type in ("() block", "[] block", "{} block"):
            _absolute_urls(token.content, base)


def _attributes(tag: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for name, value in _ATTRIBUTE.findall(tag):
        if value[:1] in "\"'":
            value = value[1:-1]
        found.setdefault(name.lower(), html_lib.unescape(value))
    return found


def _with_attribute(tag: str, name: str, value: str) -> str:
    def replace(match: re.Match[str]) -> str:
        if match.group(1).lower() != name:
            return match.group(0)
        return f' {match.group(1)}="{html_lib.escape(value)}"'

    return _ATTRIBUTE.sub(replace, tag)


def _mime(path: Path) -> str:
    suffix = path.suffix.lower()
    return _MIME.get(suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def _with_note(html: str) -> str:
    body = re.search(r"<body\b[^>]*>", html, re.I)
    if body is None:
        return html
    return html[: body.end()] + "\n" + NOTE + html[body.end() :]


def _with_policy(html: str) -> str:
    meta = f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
    head = re.search(r"<meta\s+charset\b[^>]*>", html, re.I) or re.search(
        r"<head\b[^>]*>", html, re.I
    )  # the charset first: browsers look for it in the first 1024 bytes
    if head is not None:
        return html[: head.end()] + "\n" + meta + "\n" + NOTE_STYLE + html[head.end() :]
    doctype = re.match(r"\s*<!doctype[^>]*>", html, re.I)
    at = doctype.end() if doctype else 0
    return html[:at] + meta + NOTE_STYLE + html[at:]


@lru_cache(maxsize=16)
def _subset(font: bytes, characters: frozenset[int]) -> bytes | None:
    """`font` cut down to `characters` as WOFF2, or None if fontTools cannot read it."""
    from fontTools import subset  # only for HTML output
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.layout_features = ["*"]  # tabular figures and whatever else the CSS asks for
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]  # the copyright and licence stay
    options.hinting = False
    options.notdef_outline = True
    try:
        loaded = TTFont(io.BytesIO(font))
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=characters)
        subsetter.subset(loaded)
        loaded.flavor = "woff2"
        out = io.BytesIO()
        loaded.save(out)
    except Exception:  # not a font fontTools reads (or no brotli): inlined whole
        return None
    return out.getvalue()


# The cascade, as far as fonts go.


@dataclass
class _Sheet:
    """One style sheet, parsed once; an at-rule's nested rules are kept by its id."""

    nodes: list[Any]
    children: dict[int, list[Any]] = field(default_factory=dict)

    @classmethod
    def parse(cls, css: str) -> _Sheet:
        sheet = cls(tinycss2.parse_stylesheet(css))
        sheet._nest(sheet.nodes)
        return sheet

    def _nest(self, nodes: list[Any]) -> None:
        for node in nodes:
            if (
                node.type == "at-rule"
                and node.content is not None
                and node.lower_at_keyword in ("media", "supports", "layer", "container")
            ):
                children = tinycss2.parse_rule_list(node.content)
                self.children[id(node)] = children
                self._nest(children)


@dataclass(frozen=True)
class _Face:
    rule: int  # id() of the @font-face rule
    family: str
    weights: tuple[float, float]
    style: str


@dataclass
class _Rule:
    selectors: list[Any]
    font: dict[str, tuple[bool, Any]]  # property -> (important, value)
    conditional: bool  # only at some widths (a media feature) or with some support


def _declarations(content: list[Any]) -> list[Any]:
    return [
        d
        for d in tinycss2.parse_declaration_list(content, skip_comments=True, skip_whitespace=True)
        if d.type == "declaration"
    ]


def _urls(tokens: Iterable[Any]) -> Iterator[str]:
    for token in tokens:
        if token.type == "url":
            yield token.value
        elif token.type == "function" and token.lower_name in ("url", "src"):
            for argument in token.arguments:
                if argument.type == "string":
                    yield argument.value


def _significant(tokens: Iterable[Any]) -> list[Any]:
    return [t for t in tokens if t.type not in ("whitespace", "comment")]


def _families(tokens: list[Any]) -> tuple[str, ...] | None:
    names: list[str] = []
    words: list[str] = []
    for token in [*tokens, None]:
        if token is None or (token.type == "literal" and token.value == ","):
            if not words:
                return None
            names.append(" ".join(words).lower())
            words = []
        elif token.type in ("string", "ident"):
            words.append(token.value)
        elif token.type != "whitespace":
            return None
    return tuple(names)


def _font_properties(declarations: list[Any]) -> dict[str, tuple[bool, Any]]:
    font: dict[str, tuple[bool, Any]] = {}
    for declaration in declarations:
        name = declaration.lower_name
        tokens = _significant(declaration.value)
        important = bool(declaration.important)
        if not tokens or any(t.type == "function" and t.lower_name == "var" for t in tokens):
            continue
        keyword = tokens[0].lower_value if tokens[0].type == "ident" else None
        if name == "font-family":
            families = keyword if keyword in _WIDE_KEYWORDS else _families(declaration.value)
            if families is not None:
                font[name] = (important, families)
        elif name in ("font-weight", "font-style"):
            font[name] = (important, _keyword_or_number(tokens[0]))
        elif name == "font":
            for key, value in _shorthand(tokens).items():
                font[key] = (important, value)
    return font


def _keyword_or_number(token: Any) -> Any:
    if token.type == "number":
        return float(token.value)
    if token.type == "ident":
        return token.lower_value
    return None


def _shorthand(tokens: list[Any]) -> dict[str, Any]:
    if len(tokens) == 1 and tokens[0].type == "ident":
        keyword = tokens[0].lower_value
        if keyword in _WIDE_KEYWORDS:
            return dict.fromkeys(("font-family", "font-weight", "font-style"), keyword)
        if keyword in _SYSTEM_FONTS:
            return {"font-family": (), "font-weight": "normal", "font-style": "normal"}
        return {}
    values: dict[str, Any] = {"font-weight": "normal", "font-style": "normal"}
    for index, token in enumerate(tokens):
        if token.type in ("dimension", "percentage") or (
            token.type == "ident"
            and token.lower_value.endswith(("small", "large", "medium", "smaller", "larger"))
        ):
            rest = tokens[index + 1 :]
            if rest and rest[0].type == "literal" and rest[0].value == "/":
                rest = rest[2:]
            families = _families(_spaced(rest))
            if families is not None:
                values["font-family"] = families
            return values
        value = _keyword_or_number(token)
        if value in ("italic", "oblique"):
            values["font-style"] = value
        elif value in ("bold", "bolder", "lighter") or isinstance(value, float):
            values["font-weight"] = value
    return {}


def _spaced(tokens: list[Any]) -> list[Any]:
    """Significant tokens with the whitespace a family name of several words needs back."""
    spaced: list[Any] = []
    for token in tokens:
        if spaced and token.type == "ident" and spaced[-1].type == "ident":
            spaced.append(tinycss2.ast.WhitespaceToken(0, 0, " "))
        spaced.append(token)
    return spaced


def _media_applies(prelude: list[Any], medium: str) -> tuple[bool, bool]:
    """(whether an @media prelude may apply to `medium`, whether only at some sizes)."""
    text = tinycss2.serialize(prelude).strip().lower()
    if not text:
        return True, False
    for query in text.split(","):
        words = query.split()
        negated = bool(words) and words[0] == "not"
        words = words[1:] if words and words[0] in ("not", "only") else words
        media = words[0] if words and not words[0].startswith("(") else "all"
        conditional = "(" in query
        applies = media in ("all", medium)
        if negated and not conditional:
            applies = not applies
        if applies or (negated and conditional):
            return True, conditional
    return False, False


def _collect(
    sheet: _Sheet,
    nodes: list[Any],
    medium: str,
    conditional: bool,
    rules: list[_Rule],
    faces: list[_Face],
) -> None:
    for node in nodes:
        if node.type == "qualified-rule":
            font = _font_properties(_declarations(node.content))
            if font:
                try:
                    selectors = cssselect2.compile_selector_list(node.prelude)
                except cssselect2.SelectorError:
                    continue
                rules.append(_Rule(selectors, font, conditional))
        elif node.type == "at-rule":
            keyword = node.lower_at_keyword
            if keyword == "font-face":
                face = _face(node)
                if face is not None:
                    faces.append(face)
            elif id(node) in sheet.children:
                applies, sized = (
                    _media_applies(node.prelude, medium) if keyword == "media" else (True, True)
                )
                if keyword == "layer":
                    sized = False
                if applies:
                    children = sheet.children[id(node)]
                    _collect(sheet, children, medium, conditional or sized, rules, faces)


def _face(rule: Any) -> _Face | None:
    family = None
    weights = (400.0, 400.0)
    style = "normal"
    for declaration in _declarations(rule.content or []):
        tokens = _significant(declaration.value)
        if declaration.lower_name == "font-family":
            names = _families(declaration.value)
            family = names[0] if names and len(names) == 1 else None
        elif declaration.lower_name == "font-weight" and tokens:
            numbers = [_weight(_keyword_or_number(t), 400.0) for t in tokens[:2]]
            weights = (min(numbers), max(numbers))
        elif declaration.lower_name == "font-style" and tokens and tokens[0].type == "ident":
            style = "normal" if tokens[0].lower_value == "normal" else tokens[0].lower_value
    if family is None:
        return None
    return _Face(id(rule), family, weights, "oblique" if style.startswith("oblique") else style)


def _weight(value: Any, parent: float) -> float:
    if isinstance(value, float):
        return value
    if value == "bold":
        return 700.0
    if value == "bolder":
        return 400.0 if parent < 350 else 700.0 if parent < 550 else 900.0
    if value == "lighter":
        return 100.0 if parent < 550 else 400.0 if parent < 750 else 700.0
    return 400.0  # normal, or what is not understood


def _match_face(faces: list[_Face], weight: float, style: str) -> _Face | None:
    """The face a browser picks for a weight and style (CSS Fonts 4, font matching)."""
    preference = {
        "italic": ("italic", "oblique", "normal"),
        "oblique": ("oblique", "italic", "normal"),
    }.get(style, ("normal", "oblique", "italic"))
    for wanted in preference:
        candidates = [f for f in faces if f.style == wanted]
        if candidates:
            return min(candidates, key=lambda f: _weight_distance(f.weights, weight))
    return None


def _weight_distance(weights: tuple[float, float], desired: float) -> tuple[int, float]:
    low, high = weights
    if low <= desired <= high:
        return (0, 0.0)
    if 400 <= desired <= 500:
        if desired < low <= 500:
            return (1, low - desired)
        if high < desired:
            return (2, desired - high)
        return (3, low - desired)
    if desired < 400:
        return (1, desired - high) if high < desired else (2, low - desired)
    return (1, low - desired) if low > desired else (2, desired - high)


@dataclass
class _Font:
    families: tuple[str, ...]
    weight: float
    style: str


def _used_faces(root: Any, sheets: list[_Sheet]) -> set[int]:
    """The id()s of the @font-face rules that text on the page is drawn with, on a
    screen of any width or printed from the browser."""
    used: set[int] = set()
    user_agent = _Sheet.parse(_UA_CSS)
    for medium in ("screen", "print"):
        rules: list[_Rule] = []
        faces: list[_Face] = []
        _collect(user_agent, user_agent.nodes, medium, False, rules, faces)
        author_from = len(rules)
        for sheet in sheets:
            _collect(sheet, sheet.nodes, medium, False, rules, faces)
        by_family: dict[str, list[_Face]] = {}
        for face in faces:
            by_family.setdefault(face.family, []).append(face)
        if not by_family:
            continue
        matcher = cssselect2.Matcher()
        for index, rule in enumerate(rules):
            for selector in rule.selectors:
                if selector.pseudo_element is None:
                    matcher.add_selector(selector, index)
        cascade = _Cascade(matcher, rules, author_from, by_family, used)
        for with_conditional in (False, True):  # at any width: the union
            cascade.with_conditional = with_conditional
            cascade.walk(cssselect2.ElementWrapper.from_html_root(root), _Font((), 400.0, "normal"))
    return used


@dataclass
class _Cascade:
    matcher: Any
    rules: list[_Rule]
    author_from: int  # rules before this index are the browser's own
    by_family: dict[str, list[_Face]]
    used: set[int]
    with_conditional: bool = False

    def walk(self, element: Any, parent: _Font) -> None:
        name = element.local_name.lower()
        if name in _NO_TEXT:
            return
        font = self.font(element, name, parent)
        if _draws_text(element, name):
            for family in font.families:
                if family in _GENERIC_FAMILIES:
                    break  # always there: later families are never reached
                if family in self.by_family:
                    face = _match_face(self.by_family[family], font.weight, font.style)
                    if face is not None:
                        self.used.add(face.rule)
        for child in element.iter_children():
            self.walk(child, font)

    def font(self, element: Any, name: str, parent: _Font) -> _Font:
        winners: dict[str, tuple[tuple[Any, ...], Any]] = {}
        for specificity, order, _pseudo, index in self.matcher.match(element):
            rule = self.rules[index]
            if rule.conditional and not self.with_conditional:
                continue
            for prop, (important, value) in rule.font.items():
                key = (important, index >= self.author_from, specificity, order)
                if prop not in winners or key > winners[prop][0]:
                    winners[prop] = (key, value)
        style_attribute = element.etree_element.get("style")
        if style_attribute:
            for prop, (important, value) in _font_properties(
                _declarations(style_attribute)
            ).items():
                key = (important, True, (9999, 0, 0), 0)
                if prop not in winners or key > winners[prop][0]:
                    winners[prop] = (key, value)
        # A browser gives form controls a font of its own instead of the inherited one.
        start = _Font((), 400.0, "normal") if name in _FORM_CONTROLS else parent
        families = _resolve(winners.get("font-family"), start.families, parent.families, ())
        weight = _resolve(winners.get("font-weight"), start.weight, parent.weight, 400.0)
        style = _resolve(winners.get("font-style"), start.style, parent.style, "normal")
        return _Font(
            families,
            _weight(weight, parent.weight),
            style if style in ("italic", "oblique") else "normal",
        )


def _resolve(winner: tuple[Any, Any] | None, start: Any, parent: Any, initial: Any) -> Any:
    if winner is None:
        return start
    value = winner[1]
    if value in ("inherit", "unset", "revert", "revert-layer"):
        return parent
    if value == "initial" or value is None:
        return initial
    return value


def _draws_text(element: Any, name: str) -> bool:
    if name in ("textarea", "select", "button"):
        return True
    if name == "input":
        return (element.etree_element.get("type") or "text").lower() not in _TEXTLESS_INPUTS
    etree = element.etree_element
    if etree.text and etree.text.strip():
        return True
    return any(child.tail and child.tail.strip() for child in etree)


def _characters(root: Any, sheets: list[_Sheet]) -> frozenset[int]:
    """Every character the page may show: its text, field values and generated content."""
    text: list[str] = []
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.rsplit("}", 1)[-1] not in _NO_TEXT:
            text.append(element.text or "")
            text.extend(element.get(a, "") for a in ("value", "placeholder", "alt"))
        text.append(element.tail or "")
    for sheet in sheets:
        text.extend(_content_strings(sheet.nodes))
    joined = "".join(text)
    joined += joined.upper() + joined.lower()  # text-transform
    return frozenset(ord(c) for c in joined if c.isprintable())


def _content_strings(tokens: Iterable[Any]) -> Iterator[str]:
    for token in tokens:
        if token.type == "string":
            yield token.value
        for attribute in ("prelude", "content", "arguments"):
            nested = getattr(token, attribute, None)
            if isinstance(nested, list):
                yield from _content_strings(nested)


def _css_string(value: str) -> str:
    """A value made safe inside a double-quoted CSS string (data: URLs hold no quotes)."""
    return value.replace("\\", "%5C").replace('"', "%22").replace("\n", "")
