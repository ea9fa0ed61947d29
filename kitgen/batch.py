"""Generate many kits: validate all first, then render (in a process pool with --jobs)."""

from __future__ import annotations

import multiprocessing
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from kitgen.build import PreparedKit, build_kit, build_kits
from kitgen.errors import KitgenError, OutputError, Problem
from kitgen.generate import WrittenKit, write_kit
from kitgen.output.files import OutputTarget, plan_targets, remove_stale_temp_files
from kitgen.render.templates import RenderOptions


@dataclass
class BatchReport:
    written: list[WrittenKit] = field(default_factory=list)
    failed: list[Problem] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def pages(self) -> int:
        return sum(kit.pages for kit in self.written)


def expand_roles(paths: Iterable[Path]) -> list[Path]:
    """Role files as given; a folder stands for the *.yaml files in it."""
    roles: list[Path] = []
    for path in paths:
        if path.is_dir():
            roles.extend(sorted(path.glob("*.yaml")) + sorted(path.glob("*.yml")))
        else:
            roles.append(path)
    return roles


def generate_kits(
    role_paths: Sequence[Path],
    *,
    formats: Sequence[str],
    output: Path | None,
    options: RenderOptions,
    seed: int | None = None,
    banks: Sequence[Path] = (),
    template: str | None = None,
    force: bool = False,
    keep_going: bool = False,
    jobs: int = 1,
    on_done: Callable[[WrittenKit | None], None] | None = None,
) -> BatchReport:
    started = time.perf_counter()
    report = BatchReport()
    # Workers start first, so they import WeasyPrint while this process checks the inputs.
    pool = _start_pool(jobs) if jobs > 1 and len(role_paths) > 1 else None
    try:
        if keep_going:
            prepared = []
            for path in role_paths:
                try:
                    prepared.append(
                        build_kit(path, seed=seed, extra_banks=banks, template=template)
                    )
                except KitgenError as exc:
                    report.failed.extend(exc.problems)
        else:
            prepared = build_kits(role_paths, seed=seed, extra_banks=banks, template=template)
        inputs = [*role_paths, *banks, *(path for p in prepared for path in p.inputs)]
        targets = plan_targets(
            [p.source.stem for p in prepared], formats, output, force=force, inputs=inputs
        )
        remove_stale_temp_files(path.parent for target in targets for path in target.paths.values())
        jobs_list = list(zip(prepared, targets, strict=True))
        if pool is not None:
            _render_in_pool(pool, jobs_list, options, report, keep_going, on_done)
        else:
            for kit, target in jobs_list:
                _collect(partial(write_kit, kit, target, options), report, keep_going, on_done)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    report.seconds = time.perf_counter() - started
    return report


def _collect(
    task: Callable[[], WrittenKit],
    report: BatchReport,
    keep_going: bool,
    on_done: Callable[[WrittenKit | None], None] | None,
) -> None:
    written: WrittenKit | None = None
    try:
        written = task()
    except KitgenError as exc:
        if not keep_going:
            raise
        report.failed.extend(exc.problems)
    else:
        report.written.append(written)
    if on_done is not None:
        on_done(written)


def _start_pool(jobs: int) -> ProcessPoolExecutor:
    # fork is cheap and safe while WeasyPrint is not loaded in this process (it is known to
    # crash in children forked after it was imported); otherwise, spawn.
    method = "fork" if "weasyprint" not in sys.modules and sys.platform == "linux" else "spawn"
    pool = ProcessPoolExecutor(
        max_workers=jobs, mp_context=multiprocessing.get_context(method), initializer=_warm_worker
    )
    for _ in range(jobs):  # start every worker now, not at the first task
        pool.submit(_nothing)
    return pool


def _warm_worker() -> None:
    from kitgen.render.pdf import warm_up

    warm_up()


def _nothing() -> None:
    return None


def _render_in_pool(
    pool: ProcessPoolExecutor,
    jobs_list: list[tuple[PreparedKit, OutputTarget]],
    options: RenderOptions,
    report: BatchReport,
    keep_going: bool,
    on_done: Callable[[WrittenKit | None], None] | None,
) -> None:
    # Longest kits first, so that no worker is left with a long one at the end.
    order = sorted(range(len(jobs_list)), key=lambda i: -len(jobs_list[i][0].kit.questions))
    futures: dict[int, Future[WrittenKit]] = {
        i: pool.submit(write_kit, jobs_list[i][0], jobs_list[i][1], options) for i in order
    }
    for index in range(len(jobs_list)):  # results in the order the roles were given
        try:
            _collect(futures[index].result, report, keep_going, on_done)
        except KitgenError:
            raise
        except Exception as exc:  # a worker died: report it as a failed write
            raise OutputError(f"a render worker failed: {exc}") from None


def generate_for_candidates(
    role_path: Path,
    candidates_file: Path,
    *,
    formats: Sequence[str],
    output: Path | None,
    options: RenderOptions,
    seed: int | None = None,
    banks: Sequence[Path] = (),
    template: str | None = None,
    force: bool = False,
    on_done: Callable[[WrittenKit | None], None] | None = None,
) -> BatchReport:
    """One pre-filled kit per candidate: the same questions for all, rendered once."""
    from kitgen.generate import render_formats
    from kitgen.output.files import write_atomic
    from kitgen.output.prefill import prefill, read_candidates

    started = time.perf_counter()
    candidates = read_candidates(candidates_file)
    prepared = build_kit(role_path, seed=seed, extra_banks=banks, template=template)
    folder = output if output is not None else Path.cwd()
    if folder.suffix and not folder.is_dir():
        raise OutputError([Problem(str(folder), 0, 0, "with --candidates, -o is a folder")])
    stems = [f"{role_path.stem}-{c.slug}" for c in candidates]
    targets = plan_targets(
        stems, formats, folder, force=force, inputs=[candidates_file, *banks, *prepared.inputs]
    )
    remove_stale_temp_files([folder])
    report = BatchReport()
    shared: dict[str, bytes] = {}
    pages = 0
    if "pdf" in formats and options.fillable:  # the fast path: render once, fill per copy
        from kitgen.render.forms import needs_unicode_font

        names = [text for c in candidates for text in (c.name, c.interviewer, c.date)]
        blank = replace(options.without_values(), unicode_field_font=needs_unicode_font(names))
        rendered, pages = render_formats(prepared, ["pdf"], blank)
        shared["pdf"] = rendered["pdf"]
    for candidate, target in zip(candidates, targets, strict=True):
        mine = replace(
            options,
            candidate=candidate.name,
            interviewer=candidate.interviewer or options.interviewer,
            date=candidate.date or options.date,
        )
        todo = [f for f in target.paths if f not in shared]
        rendered, own_pages = render_formats(prepared, todo, mine) if todo else ({}, 0)
        if "pdf" in shared:
            rendered["pdf"] = prefill(
                shared["pdf"], replace(candidate, interviewer=mine.interviewer, date=mine.date)
            )
        for fmt, path in target.paths.items():
            write_atomic(path, rendered[fmt])
        written = WrittenKit(
            role_path, prepared.kit.kit_id, list(target.paths.values()), own_pages or pages
        )
        report.written.append(written)
        if on_done is not None:
            on_done(written)
    report.seconds = time.perf_counter() - started
    return report
