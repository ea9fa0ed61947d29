"""The HTML output in a real browser (SPEC "Machine-readable outputs", issue 13): Debian's
Chromium, headless, driven by Playwright. No browser is downloaded: the tests use the
system's /usr/bin/chromium, which `make test` installs (TEST_PACKAGES), and fail without it.

The pages are written to a folder of their own, with no fonts/ beside them: what they show
comes from the one file.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image, ImageStat
from playwright.sync_api import Browser, Page, sync_playwright

import kitgen
from kitgen.errors import RenderError
from kitgen.render.standalone import standalone_html

from ..conftest import EXAMPLES, REPO

CHROMIUM = Path("/usr/bin/chromium")
WIDTHS = (390, 1280)
CLASSIC = REPO / "templates" / "classic"
# Letters beyond ASCII in a name a field shows: the fonts' subsets must hold them.
CANDIDATE = "Zoë Ångström-Łukasiewicz"


@dataclass(frozen=True)
class Document:
    path: Path
    questions: tuple[str, ...]
    labels: tuple[str, ...]  # the rating scale's labels (a kit's: "Not assessed" last)


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Document]:
    folder = tmp_path_factory.mktemp("html")
    options = kitgen.RenderOptions(candidate=CANDIDATE, interviewer="Ada", date="2026-12-01")
    kits = {
        "nlp-engineer": kitgen.build_kit(EXAMPLES / "nlp-engineer.yaml"),
        "loop-packet": kitgen.build_kit(EXAMPLES / "senior-mlops-engineer-loop.yaml").packets()[1],
    }
    found = {}
    for name, prepared in kits.items():
        out, _ = kitgen.render_formats(prepared, ["html"], options)
        path = folder / f"{name}.html"
        path.write_bytes(out["html"])
        found[name] = Document(
            path,
            tuple(item.question.text for item in prepared.kit.questions),
            # a kit's cover explains N/A as "Not assessed"; a packet's cover has the loop
            (
                *(label for _, label in prepared.kit.rating_scale),
                *(() if prepared.kit.loop else ("Not assessed",)),
            ),
        )
    return found


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (make test installs it)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield launched
        launched.close()


@dataclass
class Opened:
    page: Page
    requests: list[str]
    errors: list[str]


def open_page(browser: Browser, document: Document, width: int) -> Opened:
    phone = width < 600  # a phone as Chromium emulates one: it lays out 980 px wide
    page = browser.new_page(  # unless the page asks for the device's width
        viewport={"width": width, "height": 900},
        is_mobile=phone,
        device_scale_factor=1,
    )
    opened = Opened(page, [], [])
    page.on("request", lambda request: opened.requests.append(request.url))
    page.on(
        "console",
        lambda message: opened.errors.append(message.text) if message.type == "error" else None,
    )
    page.on("pageerror", lambda error: opened.errors.append(str(error)))
    page.goto(document.path.as_uri())
    page.evaluate("document.fonts.ready.then(() => true)")
    return opened


def test_the_html_holds_its_fonts_subset(documents: dict[str, Document]) -> None:
    whole = sum(f.stat().st_size for f in (CLASSIC / "fonts").glob("Inter-*.otf"))
    for document in documents.values():
        html = document.path.read_text(encoding="utf-8")
        urls = re.findall(r"""url\(\s*["']?([^"')]{0,40})""", html)
        assert urls and all(url.startswith("data:") for url in urls), urls
        assert "fonts/" not in html
        # Only the faces the page uses (test_the_html_prints... checks each is used): of
        # the template's six, not Inter's italic; every one a subset, as WOFF2.
        faces = re.findall(r"@font-face \{[^}]*\}", html)
        assert 0 < len(faces) < 6
        assert all('src: url("data:font/woff2;base64,' in face for face in faces)
        assert len(html) < 400_000 < whole, (len(html), whole)
        assert "Content-Security-Policy" in html and "not saved" in html


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", ["nlp-engineer", "loop-packet"])
def test_the_html_on_a_screen(
    browser: Browser, documents: dict[str, Document], name: str, width: int, tmp_path: Path
) -> None:
    document = documents[name]
    opened = open_page(browser, document, width)
    page = opened.page
    try:
        # Nothing wider than the window: no horizontal scrollbar.
        scroll_width, inner_width = page.evaluate(
            "[document.documentElement.scrollWidth, window.innerWidth]"
        )
        assert scroll_width <= inner_width == width  # and a phone shows it at its width

        # Every face loads, the kit font is what text and fields are drawn with.
        faces = page.evaluate(
            """async () => {
                await Promise.all([...document.fonts].map(face => face.load()));
                return [...document.fonts].map(face => [face.family, face.status]);
            }"""
        )
        assert faces and all(status == "loaded" for _, status in faces), faces
        assert page.evaluate(
            """['400', '600', '700'].every(w => document.fonts.check(`${w} 16px "Kit Sans"`))"""
        )
        for selector in ("body", "input[name=candidate]", "textarea"):
            family = page.evaluate(
                "s => getComputedStyle(document.querySelector(s)).fontFamily", selector
            )
            assert family.startswith('"Kit Sans"'), (selector, family)
        assert not drawn_in_other_fonts(page), "text drawn in a fallback font"

        # Nothing loaded but the page: its fonts are inside it.
        assert all(
            url == document.path.as_uri() or url.startswith("data:") for url in opened.requests
        ), opened.requests
        assert not opened.errors, opened.errors

        # The rating labels, "Not assessed" included, are whole and inside the window;
        # no text runs out of the page's column.
        cut = page.evaluate(CUT_LABELS, list(document.labels))
        assert not cut, cut
        outside = page.evaluate(OUTSIDE_COLUMN)
        assert not outside, outside

        shot = tmp_path / f"{name}-{width}.png"
        page.screenshot(path=shot, full_page=True)
        with Image.open(shot) as image:
            assert image.width == width and image.height > 2000
            grey = image.convert("L")
            assert ImageStat.Stat(grey).stddev[0] > 20  # not blank: text and rules on white
            dark = sum(grey.histogram()[:128]) / (grey.width * grey.height)
            assert 0.01 < dark < 0.5, dark
    finally:
        page.close()


def drawn_in_other_fonts(page: Page) -> list[str]:
    """The elements whose own text Chromium draws with any font not inside the page."""
    count = page.evaluate(
        """() => {
            let n = 0;
            for (const e of document.body.querySelectorAll('*')) {
                const own = [...e.childNodes].some(c => c.nodeType === 3 && c.data.trim())
                    || (e.matches('input[type=text]') && e.value);
                if (own && e.getClientRects().length) e.dataset.fontProbe = n++;
            }
            return n;
        }"""
    )
    assert count > 100
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    nodes = cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": "[data-font-probe]"})
    others = []
    for node in nodes["nodeIds"]:
        fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        if not fonts or not all(font["isCustomFont"] for font in fonts):
            html = cdp.send("DOM.getOuterHTML", {"nodeId": node})["outerHTML"]
            others.append(f"{html[:80]}: {fonts}")
    cdp.detach()
    return others


# Text nodes holding a label whose box leaves the window or a box that clips it.
CUT_LABELS = """labels => {
    const cut = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    let seen = 0;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (const label of labels) {
            const at = node.data.indexOf(label);
            if (at < 0) continue;
            seen++;
            const range = document.createRange();
            range.setStart(node, at);
            range.setEnd(node, at + label.length);
            const box = range.getBoundingClientRect();
            if (box.width === 0) continue;  // not shown (the running header's string)
            let clipped = box.left < 0 || box.right > window.innerWidth;
            for (let e = node.parentElement; e && !clipped; e = e.parentElement) {
                const style = getComputedStyle(e);
                if (style.overflowX !== 'visible' || style.textOverflow === 'ellipsis') {
                    const r = e.getBoundingClientRect();
                    clipped = box.left < r.left - 0.5 || box.right > r.right + 0.5;
                }
            }
            if (clipped) cut.push(`${label} in <${node.parentElement.tagName.toLowerCase()}>`);
        }
    }
    if (seen < labels.length) cut.push(`only ${seen} labels found`);
    return cut;
}"""


# Text whose box is wider than the body's content box (the column), or overflows its cell;
# text cut short on purpose (with an ellipsis: the questions at a glance) aside.
OUTSIDE_COLUMN = """() => {
    const body = document.body.getBoundingClientRect();
    const style = getComputedStyle(document.body);
    const left = body.left + parseFloat(style.paddingLeft) - 0.5;
    const right = body.right - parseFloat(style.paddingRight) + 0.5;
    const outside = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (!node.data.trim()) continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        const box = range.getBoundingClientRect();
        if (box.width === 0) continue;
        if (getComputedStyle(node.parentElement).textOverflow === 'ellipsis') continue;
        const cell = node.parentElement.closest('td, th');
        const limit = cell ? cell.getBoundingClientRect() : null;
        if (box.left < left || box.right > right
                || (limit && (box.right > limit.right + 0.5 || box.left < limit.left - 0.5))) {
            const where = `${Math.round(box.left)}-${Math.round(box.right)}`;
            outside.push(`${node.data.trim().slice(0, 30)}: ${where}`);
        }
    }
    return outside;
}"""


@pytest.mark.parametrize("name", ["nlp-engineer", "loop-packet"])
def test_the_html_prints_from_the_browser_as_the_kit(
    browser: Browser, documents: dict[str, Document], name: str, tmp_path: Path
) -> None:
    document = documents[name]
    opened = open_page(browser, document, 1280)
    page = opened.page
    pdf = tmp_path / f"{name}.pdf"
    try:
        # Every face inlined is used, on screen or on paper (Kit Field: fields printed).
        page.emulate_media(media="print")
        faces = page.evaluate(
            """document.body.offsetHeight && document.fonts.ready.then(
                () => [...document.fonts].map(face => [face.family, face.status]))"""
        )
        assert faces and all(status == "loaded" for _, status in faces), faces
        page.pdf(path=pdf, prefer_css_page_size=True, print_background=True)
    finally:
        page.close()
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    for question in document.questions:
        assert " ".join(question.split()) in flat, question
    for label in (*document.labels, CANDIDATE, "Scorecard"):
        assert label in flat, label
    assert "not saved" not in flat  # the screen's note stays off paper


# standalone_html on its own: what it inlines and what it refuses


def page_with(style: str = "", body: str = "") -> str:
    return (
        "<!DOCTYPE html><html><head><style>"
        + style
        + "</style></head><body><p>Text</p>"
        + body
        + "</body></html>"
    )


FACE = '@font-face { font-family: "K"; src: url("%s"); } p { font-family: "K"; }'


def test_fonts_and_images_in_the_folder_are_inlined(tmp_path: Path) -> None:
    (tmp_path / "fonts").mkdir()
    inter = (CLASSIC / "fonts" / "Inter-Regular.otf").read_bytes()
    (tmp_path / "fonts" / "k.otf").write_bytes(inter)
    (tmp_path / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\nlogo")
    unused = '@font-face { font-family: "Unused"; src: url("fonts/k.otf"); }'
    (tmp_path / "band.png").write_bytes(b"\x89PNG\r\n\x1a\nband")
    css = FACE % "fonts/k.otf" + unused + ".cover { background-image: url(band.png); }"
    body = '<img src="logo.png" alt=""><div class="cover" style="background: url(\'band.png\')">'
    html = standalone_html(page_with(css, body + "</div>"), tmp_path)
    assert 'src: url("data:font/woff2;base64,' in html
    assert "Unused" not in html  # a face nothing on the page uses is left out
    assert 'src="data:image/png;base64,' in html
    # images named in CSS, in a style sheet and in a style attribute, are inlined too
    assert html.count("data:image/png;base64,iVBORw0KGgpiYW5k") == 2
    assert "k.otf" not in html and "logo.png" not in html and "band.png" not in html


@pytest.mark.parametrize(
    "url",
    ["../secret.otf", "/etc/passwd", "file:///etc/passwd", "https://example.com/k.otf", "out.otf"],
)
def test_what_is_outside_the_folder_is_refused(tmp_path: Path, url: str) -> None:
    folder = tmp_path / "template"
    folder.mkdir()
    (tmp_path / "secret.otf").write_bytes(b"secret")
    (folder / "out.otf").symlink_to(tmp_path / "secret.otf")  # a symlink out of the folder
    with pytest.raises(RenderError, match="blocked resource"):
        standalone_html(page_with(FACE % url), folder)
    with pytest.raises(RenderError, match="blocked resource"):
        standalone_html(page_with(body=f'<img src="{url}">'), folder)


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(RenderError, match=r"missing resource 'fonts/none\.otf'"):
        standalone_html(page_with(FACE % "fonts/none.otf"), tmp_path)
