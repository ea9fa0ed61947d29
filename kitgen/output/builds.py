"""Up-to-date outputs: a build hash of everything a document is made from, recorded in
every file written for it, so an unchanged kit is not rendered again.

The hash covers the role profile's bytes, its banks', every file of its template folder
(a brief: of the folder `brief_template` picks), kitgen.toml's and its logo's, the
selected kit (its JSON: seed, questions, round), the language, what is written (kind,
formats) with which options (field values, paper, fillable, tagged), and kitgen's
version. Reading it back needs no WeasyPrint: a PDF keeps it in its document information
(`/KitgenBuild`), HTML in a `<meta name="kitgen-build">` near its top, Markdown in a
comment on its last line, JSON under the key "build".
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from kitgen import __version__
from kitgen._files import folder_stamp
from kitgen.pipeline import PreparedKit
from kitgen.render.templates import RenderOptions, brief_template

BUILD_KEY = "kitgen-build"
FORMATS = ("pdf", "html", "md", "json")  # each records the build its own way
PDF_KEY = "/KitgenBuild"
_HEX = r"([0-9a-f]{64})"
_HTML_MARK = re.compile(rb'<meta name="kitgen-build" content="' + _HEX.encode() + rb'">')
_MD_MARK = re.compile(rb"<!-- kitgen-build: " + _HEX.encode() + rb" -->\s*$")
HEAD_BYTES = 4096  # the HTML's mark is within its first lines, before the inlined fonts


def build_hash(
    prepared: PreparedKit, options: RenderOptions, formats: Sequence[str], kit_data: str
) -> str:
    """The hash of everything one copy of a document is made from (see the module)."""
    digest = hashlib.sha256()

    def part(label: str, data: bytes) -> None:  # length-prefixed: no two inputs run together
        digest.update(f"{label}:{len(data)}:".encode())
        digest.update(data)

    part("kitgen", __version__.encode())
    part("role", _read(prepared.source))
    for bank in prepared.bank_paths:
        part("bank", str(bank).encode() + b"\0" + _read(bank))
    folder = (
        brief_template(prepared.template) if prepared.document == "brief" else prepared.template
    )
    part("template", _digest_files(folder_stamp(folder.folder)).encode())
    config = prepared.config
    if config.path is not None:
        part("config", _read(config.path))
    part("brand", config.brand.model_dump_json().encode())
    part("defaults", config.defaults.model_dump_json().encode())
    part("contact", config.candidate.model_dump_json().encode())
    part("logo", config.logo_data_url.encode())
    part("kit", kit_data.encode())
    part("language", prepared.kit.language.encode())
    part("document", f"{prepared.document}:{prepared.kind}:{','.join(formats)}".encode())
    part("options", json.dumps(dataclasses.asdict(options), sort_keys=True).encode())
    return digest.hexdigest()


def record(fmt: str, data: bytes, build: str) -> bytes:
    """The file's bytes with the build hash in its metadata."""
    if fmt == "pdf":
        import pikepdf

        with pikepdf.open(io.BytesIO(data)) as pdf:
            pdf.docinfo[PDF_KEY] = build
            out = io.BytesIO()
            pdf.save(out, deterministic_id=True)
            return out.getvalue()  # (a kit's form step records it in its own save instead)
    if fmt == "html":
        mark = f'<meta name="{BUILD_KEY}" content="{build}">'.encode()
        head = data.find(b"<head>", 0, HEAD_BYTES)
        if head >= 0:
            at = head + len(b"<head>")
            return data[:at] + b"\n" + mark + data[at:]
        return mark + b"\n" + data
    if fmt == "md":
        return data.rstrip(b"\n") + f"\n\n<!-- {BUILD_KEY}: {build} -->\n".encode()
    if fmt == "json":
        content = json.loads(data)
        content["build"] = build
        return (json.dumps(content, indent=2, ensure_ascii=False) + "\n").encode()
    return data


def recorded(path: Path, fmt: str) -> str | None:
    """The build hash a file records, or None: absent, unreadable or damaged."""
    try:
        if fmt == "pdf":
            import pikepdf

            with pikepdf.open(path) as pdf:
                value = pdf.docinfo.get(PDF_KEY)
                return str(value) if value is not None else None
        if fmt == "html":
            with path.open("rb") as file:
                found = _HTML_MARK.search(file.read(HEAD_BYTES))
            return found[1].decode() if found else None
        if fmt == "md":
            with path.open("rb") as file:
                file.seek(max(0, path.stat().st_size - 200))
                found = _MD_MARK.search(file.read())
            return found[1].decode() if found else None
        if fmt == "json":
            value = json.loads(path.read_bytes()).get("build")
            return value if isinstance(value, str) else None
    except Exception:  # a damaged output is simply not up to date: it is rendered again
        return None
    return None


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b"(unreadable)"


@lru_cache(maxsize=32)
def _digest_files(stamp: tuple[tuple[str, int, int], ...]) -> str:
    """A folder's files, read once per process while none of them changes."""
    digest = hashlib.sha256()
    for name, _, _ in stamp:
        digest.update(name.encode() + b"\0")
        digest.update(_read(Path(name)) + b"\0")
    return digest.hexdigest()
