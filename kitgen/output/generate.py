"""Stage 4, the one generate path: plan every output, render, write.

One role, many roles and a batch of candidates all go the same way: every kit is built
and every output path checked before anything is written; each role's documents (its
kit, or a loop's packets and JSON, its brief, a copy per candidate) are then rendered
(here, or in a process pool with `jobs`) and written together, whole or not at all. A kit
with many pre-filled copies is rendered once and each copy gets its fields set.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from kitgen._files import kind_of, write_files
from kitgen.errors import KitgenError, OutputError, Problem, RenderError, raise_if
from kitgen.output.builds import build_hash, record, recorded
from kitgen.output.candidates import read_candidates
from kitgen.output.files import (
    OutputTarget,
    existing_files,
    plan_targets,
    remove_stale_temp_files,
)
from kitgen.pipeline import (
    BuildRequest,
    DocumentKind,
    PreparedKit,
    build_kits_reporting,
    expand_roles,
)
from kitgen.render.markdown import brief_to_markdown, kit_to_markdown
from kitgen.render.templates import RenderOptions
from kitgen.select.kit import loop_json

FORMATS = ("pdf", "html", "md", "json")


@dataclass(frozen=True)
class OutputPlan:
    """Where and how to write: formats, the output file or folder (default: the current
    folder), whether to replace existing files, to go on past a failing role, and how
    many processes render."""

    formats: tuple[str, ...] = ("pdf",)
    output: Path | None = None
    force: bool = False  # replace what is out of date
    keep_going: bool = False
    jobs: int = 1
    combined: bool = False  # a loop as one document instead of a packet per round
    brief: bool = False  # also the candidate's brief, per role
    rebuild: bool = False  # render everything, up to date or not


@dataclass(frozen=True)
class WrittenKit:
    """One document written: a `kit`, a loop's `packet`, a `loop`'s JSON or a `brief`."""

    source: Path
    kit_id: str  # a loop's JSON: the loop ID
    paths: list[Path]
    pages: int
    kind: DocumentKind = "kit"


@dataclass
class GenerateReport:
    written: list[WrittenKit] = field(default_factory=list)
    failed: list[Problem] = field(default_factory=list)
    seconds: float = 0.0
    up_to_date: list[WrittenKit] = field(default_factory=list)  # left as they were

    @property
    def pages(self) -> int:
        return sum(kit.pages for kit in self.written)

    def summary(self) -> str:
        """ "10 kits, 3 packets, 1 loop, 11 briefs, 97 pages": what was written, by kind."""
        counts = Counter(w.kind for w in self.written)
        fresh = f"{len(self.up_to_date)} up to date" if self.up_to_date else ""
        if fresh and not self.written:
            return fresh
        parts = [
            f"{counts[kind]} {kind}{'s' if counts[kind] != 1 else ''}"
            for kind in ("kit", "packet", "loop", "brief")
            if counts[kind] or (kind == "kit" and not self.written)
        ]
        pages = f", {self.pages} pages" if self.pages else ""
        return ", ".join(parts) + pages + (f"; {fresh}" if fresh else "")


Copy = tuple[RenderOptions, OutputTarget]  # one document set: its field values, its files
Unit = list[tuple[PreparedKit, list[Copy]]]  # one role's documents, written together
OnDone = Callable[[WrittenKit | None], None]


def generate(
    request: BuildRequest,
    options: RenderOptions,
    plan: OutputPlan,
    *,
    on_start: Callable[[int], None] | None = None,
    on_done: OnDone | None = None,
) -> GenerateReport:
    """Build every kit of `request` and write it as `plan` says.

    `on_start` hears how many copies will be written, `on_done` each one as it is
    written (None for one that failed under `keep_going`). Raises KitgenError for bad
    input (nothing is written then) or, without `keep_going`, for the first failed render.
    """
    started = time.perf_counter()
    report = GenerateReport()
    request = replace(request, roles=tuple(expand_roles(request.roles)))
    pool = None
    try:
        work = _plan_work(request, options, plan, report)
        # Workers start once there is work: an up-to-date workspace never imports WeasyPrint
        workers = min(plan.jobs, len(work))  # no more workers than roles to render
        pool = _start_pool(workers) if workers > 1 else None
        if on_start is not None:
            on_start(sum(_copies(unit) for unit in work))
        if pool is not None and len(work) > 1:
            _render_in_pool(pool, work, report, plan, on_done)
        else:
            for unit in work:
                task = partial(write_unit, unit, overwrite=plan.force or plan.rebuild)
                _collect(task, _copies(unit), report, plan.keep_going, on_done)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    report.seconds = time.perf_counter() - started
    return report


def _copies(unit: Unit) -> int:
    return sum(len(copies) for _, copies in unit)


def _plan_work(
    request: BuildRequest, options: RenderOptions, plan: OutputPlan, report: GenerateReport
) -> list[Unit]:
    """Build the kits and decide every file, checking all of them before any is written."""
    kits, problems = build_kits_reporting(request)
    if problems and not plan.keep_going:
        raise_if(problems)
    report.failed.extend(problems)
    variants = [("", options)]
    if request.candidates is not None:
        variants = [
            (
                f"-{c.slug}",
                replace(
                    options,
                    candidate=c.name,
                    interviewer=c.interviewer or options.interviewer,
                    date=c.date or options.date,
                ),
            )
            for c in read_candidates(request.candidates)
        ]
    documents: list[tuple[int, PreparedKit, list[tuple[str, RenderOptions]], tuple[str, ...]]]
    if plan.brief and not any(f in BRIEF_FORMATS for f in plan.formats):
        message = "--brief writes pdf, html or md; add one of them to --format"
        raise OutputError([Problem(None, 0, 0, message)])
    documents = []
    for index, kit in enumerate(kits):
        for doc, stem, formats in _documents(kit, plan):
            if doc.document == "brief":  # one per role, for the candidate: nothing to fill
                blank = replace(options.without_values(), fillable=False)
                documents.append((index, doc, [(stem, blank)], formats))
                continue
            # a loop's round names its own interviewer; other values fill rounds without one
            copies = [
                (stem + suffix, replace(opts, interviewer=doc.kit.interviewer or opts.interviewer))
                for suffix, opts in variants
            ]
            documents.append((index, doc, copies, formats))
    inputs = [*request.roles, *request.banks, *(path for kit in kits for path in kit.inputs)]
    if request.candidates is not None:
        inputs.append(request.candidates)
        if plan.output is not None and plan.output.suffix and kind_of(plan.output) != "folder":
            raise OutputError(
                [Problem(str(plan.output), 0, 0, "with --candidates, -o is a folder")]
            )
    names = [
        (stem, formats, _what(doc, stem))
        for _, doc, copies, formats in documents
        for stem, _ in copies
    ]
    hint = None
    if plan.brief:
        hint = "--brief writes a second file, the brief; -o names a folder"
    if any(k.is_loop for k in kits) and not plan.combined:
        hint = "a loop writes a packet per round; -o names a folder, or use --combined"
    targets = iter(
        plan_targets(
            names,
            plan.output if plan.output is not None else workspace_output(kits),
            force=True,  # existing files are checked below: an up-to-date one is no problem
            inputs=inputs,
            hint=hint,
        )
    )
    work: list[Unit] = [[] for _ in kits]  # a role's documents are written together
    stale: list[OutputTarget] = []
    for index, doc, copies, formats in documents:
        data = kit_json(doc)
        todo = []
        for _, opts in copies:
            target = next(targets)
            target = replace(target, build=build_hash(doc, opts, formats, data))
            if not plan.rebuild and _up_to_date(target):
                report.up_to_date.append(
                    WrittenKit(
                        doc.source, _written_id(doc), list(target.paths.values()), 0, doc.kind
                    )
                )
            else:
                todo.append((opts, target))
                stale.append(target)
        if todo:
            work[index].append((doc, todo))
    if not (plan.force or plan.rebuild):
        raise_if(existing_files(stale), OutputError)
    remove_stale_temp_files(
        path.parent
        for unit in work
        for _, copies in unit
        for _, target in copies
        for path in target.paths.values()
    )
    return [unit for unit in work if unit]


BRIEF_FORMATS = ("pdf", "html", "md")


def workspace_output(kits: Sequence[PreparedKit]) -> Path | None:
    """Where kits go without -o: the output folder of the roles' kitgen.toml (default
    out/ beside it) when they share one; otherwise None, the current folder."""
    configs = {kit.config.path for kit in kits}
    if len(configs) != 1 or None in configs:
        return None
    return kits[0].config.output_folder()


def _documents(
    kit: PreparedKit, plan: OutputPlan
) -> list[tuple[PreparedKit, str, tuple[str, ...]]]:
    """What one role writes, each with its file stem and formats: its kit, or a loop's
    packets (`<role>-<round>`) and the loop's JSON (`<role>.json`), and the brief."""
    stem = kit.source.stem
    documents = []
    if kit.is_loop and not plan.combined:
        pages = tuple(f for f in plan.formats if f != "json")
        if pages:
            for packet in kit.packets():
                assert packet.kit.round is not None
                documents.append((packet, f"{stem}-{packet.kit.round.slug}", pages))
        if "json" in plan.formats:
            documents.append((replace(kit, json_data=loop_json(kit.kit)), stem, ("json",)))
    else:
        documents.append((kit, stem, plan.formats))
    if plan.brief:
        formats = tuple(f for f in plan.formats if f in BRIEF_FORMATS)
        documents.append((replace(kit, document="brief"), f"{stem}-candidate-brief", formats))
    return documents


def _what(doc: PreparedKit, stem: str) -> str:
    """A document as messages name it: "lead.yaml round 'System design'"."""
    name = doc.source.name
    if doc.kind == "brief":
        return f"the brief of {name}"
    if doc.kit.round is not None:
        return f"{name} round {doc.kit.round.name!r}" + (
            f" ({stem})" if stem != f"{doc.source.stem}-{doc.kit.round.slug}" else ""
        )
    return f"{name} ({stem})" if stem != doc.source.stem else name


def _up_to_date(target: OutputTarget) -> bool:
    """Every file of the target exists and records the target's build hash."""
    return all(recorded(path, fmt) == target.build for fmt, path in target.paths.items())


def write_unit(unit: Unit, *, overwrite: bool = False) -> list[WrittenKit]:
    """Render every document of one role and write all their files at once, all or none
    (a loop's packets, its JSON and the brief together); without `overwrite`, no file
    that exists is replaced, not even one that appeared after the plan was checked."""
    files: list[tuple[Path, bytes]] = []
    written: list[WrittenKit] = []
    for prepared, copies in unit:
        for rendered, target, pages in _render_copies(prepared, copies):
            files += [
                # a PDF recorded its build as it was written
                (
                    path,
                    record(fmt, rendered[fmt], target.build)
                    if fmt != "pdf" and target.build
                    else rendered[fmt],
                )
                for fmt, path in target.paths.items()
            ]
            paths = list(target.paths.values())
            written.append(
                WrittenKit(prepared.source, _written_id(prepared), paths, pages, prepared.kind)
            )
    _exit_if_orphaned()  # a worker whose kitgen is gone writes nothing
    write_files(files, replace=overwrite)
    return written


def _render_copies(
    prepared: PreparedKit, copies: Sequence[Copy]
) -> list[tuple[dict[str, bytes], OutputTarget, int]]:
    """Each copy's files as bytes; many fillable copies share one render of the PDF and
    each gets its own field values."""
    from kitgen.render.forms import fill_text_fields, needs_unicode_font

    shared_pdf, shared_pages = None, 0
    first = copies[0][0]
    if len(copies) > 1 and "pdf" in copies[0][1].paths and first.fillable:
        names = [text for options, _ in copies for text in options.field_values().values()]
        blank = replace(first.without_values(), unicode_field_font=needs_unicode_font(names))
        rendered, shared_pages = render_formats(prepared, ["pdf"], blank)
        shared_pdf = rendered["pdf"]
    result = []
    for options, target in copies:
        todo = [f for f in target.paths if f != "pdf" or shared_pdf is None]
        rendered, pages = (
            render_formats(prepared, todo, options, build=target.build) if todo else ({}, 0)
        )
        if shared_pdf is not None:
            rendered["pdf"] = fill_text_fields(shared_pdf, options.field_values(), target.build)
        result.append((rendered, target, pages or shared_pages))
    return result


def _written_id(prepared: PreparedKit) -> str:
    if prepared.kind == "loop" and prepared.kit.loop is not None:
        return prepared.kit.loop.loop_id
    return prepared.kit.kit_id


def kit_json(prepared: PreparedKit) -> str:
    data = prepared.json_data if prepared.json_data is not None else prepared.kit.to_json()
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def render_formats(
    prepared: PreparedKit, formats: Sequence[str], options: RenderOptions, *, build: str = ""
) -> tuple[dict[str, bytes], int]:
    """Every requested format as bytes, and the PDF's page count (0 without a PDF); a
    `build` hash is recorded in the PDF as it is written (the other formats' files get
    theirs from `write_unit`).

    A failure that names no file of its own is reported on the role it was rendering.
    """
    try:
        return _render_formats(prepared, formats, options, build)
    except KitgenError as exc:
        if all(p.path is not None for p in exc.problems):
            raise
        raise RenderError(
            [
                p
                if p.path is not None
                else Problem(str(prepared.source), 0, 0, f"cannot render the kit: {p.message}")
                for p in exc.problems
            ]
        ) from None


def _render_formats(
    prepared: PreparedKit, formats: Sequence[str], options: RenderOptions, build: str = ""
) -> tuple[dict[str, bytes], int]:
    from kitgen.i18n import labels

    # an ISO date is written as the kit's locale writes it, in the page and in the field
    options = replace(options, date=labels(prepared.kit.language).date(options.date))
    if prepared.document == "brief":
        return _render_brief(prepared, formats, options, build)
    out: dict[str, bytes] = {}
    pages = 0
    if "html" in formats or "pdf" in formats:
        from kitgen.render.html import render_html  # Jinja only when a document is rendered
        from kitgen.render.standalone import standalone_html

        if "html" in formats or not options.fillable:
            html = render_html(prepared.kit, prepared.template, options, config=prepared.config)
        if "html" in formats:  # for a browser: standalone, its fonts inside it
            out["html"] = standalone_html(html, prepared.template.folder).encode()
        if "pdf" in formats:
            from kitgen.render.forms import finish_form
            from kitgen.render.pdf import html_to_pdf  # WeasyPrint only to write a PDF

            if options.fillable:  # values go into the fields, never also into the page
                html = render_html(
                    prepared.kit,
                    prepared.template,
                    options.without_values(),
                    author=options.interviewer,
                    config=prepared.config,
                )
            pdf, pages = html_to_pdf(
                html,
                prepared.template.folder,
                kit_json(prepared).encode(),
                tagged=options.tagged,
            )
            if options.fillable:
                pdf = finish_form(
                    pdf,
                    options.field_values(),
                    unicode_font=options.unicode_field_font,
                    build=build,
                )
            elif build:
                pdf = record("pdf", pdf, build)
            out["pdf"] = pdf
    if "md" in formats:
        out["md"] = kit_to_markdown(prepared.kit, options).encode()
    if "json" in formats:
        out["json"] = kit_json(prepared).encode()
    return out, pages


def _render_brief(
    prepared: PreparedKit, formats: Sequence[str], options: RenderOptions, build: str = ""
) -> tuple[dict[str, bytes], int]:
    out: dict[str, bytes] = {}
    pages = 0
    if "html" in formats or "pdf" in formats:
        from kitgen.render.html import brief_template, render_brief_html

        template = brief_template(prepared.template)
        html = render_brief_html(prepared.kit, template, options, prepared.config)
        if "html" in formats:  # for a browser: standalone, like the kit's HTML
            from kitgen.render.standalone import standalone_html

            out["html"] = standalone_html(html, template.folder).encode()
        if "pdf" in formats:
            from kitgen.render.pdf import html_to_pdf

            out["pdf"], pages = html_to_pdf(html, template.folder, tagged=options.tagged)
            if build:
                out["pdf"] = record("pdf", out["pdf"], build)
    if "md" in formats:
        out["md"] = brief_to_markdown(prepared.kit, prepared.config.candidate.contact).encode()
    return out, pages


def _collect(
    task: Callable[[], list[WrittenKit]],
    copies: int,
    report: GenerateReport,
    keep_going: bool,
    on_done: OnDone | None,
) -> None:
    try:
        written: list[WrittenKit | None] = list(task())
    except KitgenError as exc:
        if not keep_going:
            raise
        report.failed.extend(exc.problems)
        written = [None] * copies
    report.written.extend(w for w in written if w is not None)
    if on_done is not None:
        for one in written:
            on_done(one)


def _start_pool(jobs: int) -> ProcessPoolExecutor:
    # fork is cheap and safe while WeasyPrint is not loaded in this process (it is known to
    # crash in children forked after it was imported); otherwise, spawn.
    method = "fork" if "weasyprint" not in sys.modules and sys.platform == "linux" else "spawn"
    pool = ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=multiprocessing.get_context(method),
        initializer=_warm_worker,
        initargs=(os.getpid(),),
    )
    for _ in range(jobs):  # start every worker now, not at the first task
        pool.submit(_nothing)
    return pool


_parent: int | None = None  # in a render worker: the kitgen process it works for


def _warm_worker(parent: int) -> None:
    global _parent
    _parent = parent
    _die_with_parent()
    _exit_if_orphaned()  # the parent may have died before the line above took effect
    from kitgen.render.pdf import warm_up

    warm_up()


def _die_with_parent() -> None:
    """Ask Linux to kill this worker when kitgen dies (even by SIGKILL), so no worker goes
    on rendering, writing and holding memory for nobody."""
    if sys.platform != "linux":
        return
    import ctypes
    import signal

    libc = ctypes.CDLL(None, use_errno=True)
    pr_set_pdeathsig = 1
    libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)


def _exit_if_orphaned() -> None:
    if _parent is not None and os.getppid() != _parent:
        os._exit(1)


def _nothing() -> None:
    return None


def _render_in_pool(
    pool: ProcessPoolExecutor,
    work: list[Unit],
    report: GenerateReport,
    plan: OutputPlan,
    on_done: OnDone | None,
) -> None:
    # Longest roles first, so that no worker is left with a long one at the end.
    order = sorted(range(len(work)), key=lambda i: -_weight(work[i]))
    futures: dict[int, Future[list[WrittenKit]]] = {
        i: pool.submit(write_unit, work[i], overwrite=plan.force or plan.rebuild) for i in order
    }
    for index, unit in enumerate(work):  # results in the order the roles were given
        # A worker's own bug re-raises here with the worker's traceback attached: it is
        # an internal error, reported as one by the CLI, not a failed write.
        _collect(futures[index].result, _copies(unit), report, plan.keep_going, on_done)


def _weight(unit: Unit) -> int:
    """About how long a role takes to render: its documents' questions, per copy."""
    return sum(
        len(prepared.kit.questions) * len(copies)
        for prepared, copies in unit
        if prepared.document == "kit" and prepared.json_data is None
    )
