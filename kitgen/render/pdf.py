"""Write a kit's HTML as PDF with WeasyPrint. The only module that imports WeasyPrint."""

from __future__ import annotations

import logging
import re
import sys
from functools import cache
from pathlib import Path
from typing import Any

from weasyprint import HTML, Attachment
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from kitgen._files import read_capped
from kitgen._limits import time_limit
from kitgen.errors import RenderError
from kitgen.select.kit import KIT_DATA_NAME

MAX_RESOURCE_BYTES = 50 * 1024 * 1024  # one file a template loads (a font, an image)


class BlockedResource(FatalURLFetchingError):  # type: ignore[misc]
    """A template asked for a resource outside its own folder."""


class TemplateFolderFetcher(URLFetcher):  # type: ignore[misc]
    """Allow only `data:` URLs and files inside the template's folder; block the rest.

    Raising a FatalURLFetchingError stops the render: a template that asks for
    /etc/passwd or a web address fails loudly instead of leaking or leaving a hole.
    """

    def __init__(self, folder: Path) -> None:
        super().__init__(
            timeout=5,
            allowed_protocols={"data", "file"},
            allow_redirects=False,
            fail_on_errors=True,
        )
        self.folder = folder.resolve()

    def fetch(self, url: str, headers: Any = None) -> Any:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if url.startswith("file:"):
            from urllib.request import url2pathname

            path = Path(url2pathname(url.split("?")[0].split("#")[0].removeprefix("file:")))
            resolved = path.resolve()
            if resolved.is_relative_to(self.folder) and resolved.is_file():
                # a font or image, capped: a template may not make kitgen read gigabytes
                try:
                    data = read_capped(resolved, MAX_RESOURCE_BYTES, RenderError)
                except RenderError as exc:  # stops the render, as a blocked resource does
                    raise BlockedResource(f"{resolved.name}: {exc.problems[0].message}") from None
                return URLFetcherResponse(url, data)
            if resolved.is_relative_to(self.folder):
                raise BlockedResource(
                    f"missing resource {url!r}: no such file in the template folder {self.folder}"
                )
        raise BlockedResource(
            f"blocked resource {url!r}: templates may only use data: URLs "
            f"and files inside {self.folder}"
        )


def warm_up() -> None:
    """Load what every render shares, once per process (batch workers call this at start)."""
    _font_config()
    import kitgen.render.forms  # noqa: F401  (pikepdf, for the form restructuring after each render)


@cache
def _font_config() -> FontConfiguration:
    # Loading Fontconfig is costly: one per process, shared by every render.
    return FontConfiguration()


_SLOW_SUBSET = "Using fontTools instead of HarfBuzz-Subset"
_warned_slow_subset = False


class _LogCollector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.startswith(_SLOW_SUBSET):  # slower, but the kit is right: only a warning
            _warn_slow_subset()
        else:
            self.messages.append(message)


def _warn_slow_subset() -> None:
    global _warned_slow_subset
    if not _warned_slow_subset:
        _warned_slow_subset = True
        sys.stderr.write(
            "kitgen: warning: libharfbuzz-subset0 is missing, so WeasyPrint subsets fonts with "
            "the much slower fontTools; install it (apt-get install libharfbuzz-subset0)\n"
        )


def html_to_pdf(
    html: str,
    template_folder: Path,
    kit_data: bytes | None = None,
    *,
    missing_glyphs_fail: bool = True,
    tagged: bool = True,
) -> tuple[bytes, int]:
    """Render HTML whose relative URLs point into `template_folder`.

    `kit_data` (the kit's JSON) is embedded as a file, so a filled PDF alone can be scored.
    With `missing_glyphs_fail=False` (documents quoting what interviewers typed), letters
    the fonts lack are a warning rather than a failure.

    `tagged` writes PDF/UA-1: a structure tree (headings, lists, tables with header
    cells, form fields with their labels) that screen readers follow, the language and
    the title shown.

    WeasyPrint's warnings and errors fail the render rather than yield a silently broken
    kit, and a render past the time limit is stopped.
    """
    variant = {"pdf_variant": "pdf/ua-1"} if tagged else {}
    collector = _LogCollector()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collector)
    try:
        with time_limit("rendering the PDF"):
            document = HTML(
                string=html,
                base_url=template_folder.resolve().as_uri() + "/",
                url_fetcher=TemplateFolderFetcher(template_folder),
            )
            rendered = document.render(font_config=_font_config(), **variant)
            _refuse_attachments(rendered)
            fill_page_slack(rendered)
            attachments = []
            if kit_data is not None:
                attachments.append(
                    Attachment(
                        string=kit_data,
                        name=KIT_DATA_NAME,
                        description="kitgen kit data",
                        url_fetcher=TemplateFolderFetcher(template_folder),
                    )
                )
            pdf: bytes = rendered.write_pdf(attachments=attachments, **variant)
            _warn_borrowed_fonts(rendered, html)
    except BlockedResource as exc:
        raise RenderError(str(exc)) from None
    finally:
        logger.removeHandler(collector)
    missing = [
        m.split('"')[1]
        for m in collector.messages
        if m.startswith(".notdef glyph") and m.count('"') >= 2
    ]
    if missing and not missing_glyphs_fail:
        sys.stderr.write(
            "kitgen: warning: the template's fonts have no letters for "
            f"{ascii(''.join(dict.fromkeys(missing)))[:60]}; they show as boxes\n"
        )
        collector.messages = [m for m in collector.messages if not m.startswith(".notdef glyph")]
    elif missing:
        letters = ascii("".join(dict.fromkeys(missing)))[:60]
        raise RenderError(
            f"the template's fonts have no letters for {letters}; "
            "use a template whose fonts cover them (see README, Templates)"
        )
    if collector.messages:  # each cut short: a message may quote a whole data: URL
        messages = [m if len(m) <= 300 else m[:300] + "…" for m in collector.messages]
        raise RenderError("WeasyPrint reported: " + "; ".join(dict.fromkeys(messages)))
    return pdf, len(rendered.pages)


_CONTAINERS = ("html", "body", "section", "main", "textarea")
GROWS = "grows"  # the class of elements that take the blank space left at a page's foot
MIN_SLACK_PX = 8  # less than this is not worth moving boxes for
SLACK_MARGIN_PX = 2  # rounding: never grow a box past the page's content edge


# a family a template names in @font-face, as in `@font-face { font-family: "Kit Sans"; ...`
_FACE_FAMILY = re.compile(r"@font-face\s*\{[^}]*?font-family:\s*[\"']([^\"']+)[\"']", re.S)
# DejaVu is the fallback kitgen's set-up installs (fonts-dejavu-core), so every machine
# with kitgen has it; code blocks use its monospace
_EVERYWHERE = ("DejaVu",)


def _warn_borrowed_fonts(rendered: Any, html: str) -> None:
    """Say so when letters the template's fonts lack were drawn with a font of this
    machine: the kit prints, but looks different where that font is missing."""
    declared = set(_FACE_FAMILY.findall(html))
    borrowed = sorted(
        {
            str(font.family)
            for font in getattr(rendered, "fonts", {}).values()
            if str(font.family) not in declared and not str(font.family).startswith(_EVERYWHERE)
        }
    )
    if borrowed:
        sys.stderr.write(
            f"kitgen: warning: some letters are drawn with this machine's {', '.join(borrowed)}, "
            "which the template does not carry; add a font for them to the template (README, "
            '"Other scripts") so the kit looks the same on every machine\n'
        )


def fill_page_slack(rendered: Any) -> None:
    """Give the blank space at the foot of each page to its `.grows` boxes.

    Question blocks never split, so a page ends where the next block did not fit. The
    space left is shared out among the page's notes boxes (class `grows`): each grows,
    and what follows it on the page moves down by as much. Nothing moves to another page,
    so pagination is unchanged; the links, bookmarks and form fields of the page are
    gathered again from the moved boxes. This works on WeasyPrint's laid-out boxes after
    `render()`, which costs no second layout; if the boxes are not as expected, the page
    is left as laid out.
    """
    from weasyprint.anchors import gather_anchors
    from weasyprint.layout.background import layout_box_backgrounds

    for page in rendered.pages:
        try:
            root = page._page_box
            paths = list(_growable_paths(root))
            if not paths:
                continue
            content_bottom = root.content_box_y() + root.height
            used = max(  # the containers a page break cuts run on to the page's foot
                box.position_y + box.margin_height()
                for box in _descendants(root.children[0])
                if hasattr(box, "margin_height") and box.element_tag not in _CONTAINERS
            )
            slack = content_bottom - used - SLACK_MARGIN_PX
            path = paths[-1]  # the last: what follows it on the page is little and plain
            moved = _following(path)
            if slack < MIN_SLACK_PX or any(_has_image(box) for box in moved):
                continue
            _grow(path, slack)
            # backgrounds are placed at layout: the grown box's ruled lines and the moved
            # boxes' fills are placed again (none of them holds an image)
            for box in [path[-1], *moved]:
                layout_box_backgrounds(root, box, _no_images, layout_children=box is not path[-1])
            page.anchors.clear()
            page.links.clear()
            page.bookmarks.clear()
            page.forms.clear()
            page.forms[None] = []
            gather_anchors(root, page.anchors, page.links, page.bookmarks, page.forms)
        except (AttributeError, IndexError, TypeError, ValueError):  # a WeasyPrint we do
            continue  # not know: the page stays as laid out, which is still a right kit


def _no_images(**_: Any) -> None:
    return None  # a growing box's background is laid out again; it fetches nothing new


def _descendants(box: Any) -> Any:
    yield box
    for child in getattr(box, "children", ()):
        yield from _descendants(child)


def _growable_paths(root: Any) -> Any:
    """The chain of boxes from the page's root to each `.grows` box, in page order."""
    stack = [(root, [root])]
    found = []
    while stack:
        box, path = stack.pop()
        element = getattr(box, "element", None)
        classes = (element.get("class") or "").split() if element is not None else []
        inner = path[-2:-1] and getattr(path[-2], "element", None) is element
        if GROWS in classes and box is not root and not inner:
            found.append(path)
            continue
        for child in reversed(getattr(box, "children", ())):
            stack.append((child, [*path, child]))
    return found


def _following(path: list[Any]) -> list[Any]:
    """The boxes after the last box of `path` on its page: they move down when it grows."""
    moved = []
    for parent, child in zip(reversed(path[:-1]), reversed(path[1:]), strict=True):
        if parent is path[0]:
            break
        siblings = list(parent.children)
        moved += siblings[siblings.index(child) + 1 :]
    return moved


def _has_image(box: Any) -> bool:
    return any(layer[0] != "none" for layer in box.style["background_image"]) or any(
        _has_image(child) for child in getattr(box, "children", ())
    )


def _grow(path: list[Any], by: float) -> None:
    """Grow the last box of `path` (and every box around it) by `by`; move what follows."""
    target = path[-1]
    target.height += by
    for parent, child in zip(reversed(path[:-1]), reversed(path[1:]), strict=True):
        if parent is path[0]:
            break  # the page box keeps its size
        parent.height += by
        after = False
        for sibling in parent.children:
            if after:
                sibling.translate(dy=by)
            after = after or sibling is child


def _refuse_attachments(rendered: Any) -> None:
    # A kit goes to candidates and colleagues: a template must not smuggle files into it.
    links = [
        target for page in rendered.pages for kind, target, *_ in page.links if kind == "attachment"
    ]
    if rendered.metadata.attachments or links:
        raise RenderError(
            "templates may not attach files to the PDF (rel=attachment); "
            "remove the attachment link from the template"
        )
