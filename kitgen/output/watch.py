"""`kitgen generate --watch`: render, then render again whenever an input is saved.

The inputs are what the kits are made from: the role files, their banks, their template
folders and kitgen.toml (and a candidates CSV). Their folders are watched, not the files
themselves, because editors save by writing a new file and renaming it over the old one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from kitgen.config import find_config
from kitgen.errors import KitgenError, Problem
from kitgen.output.generate import GenerateReport, OutputPlan, generate
from kitgen.pipeline import BuildRequest, build_kits_reporting
from kitgen.render.templates import RenderOptions

Report = Callable[[GenerateReport | None, list[Problem]], None]


def watched_inputs(request: BuildRequest) -> set[Path]:
    """Every file (or template folder) the request's kits are made from, resolved."""
    kits, _ = build_kits_reporting(request)
    inputs = {*request.roles, *request.banks}
    if request.candidates is not None:
        inputs.add(request.candidates)
    for path in request.roles:  # a broken role's own kitgen.toml and banks/ too
        config = find_config(path)
        if config is not None:
            inputs.add(config)
    for kit in kits:
        inputs.update(kit.inputs)
        inputs.add(kit.template.folder)
        if kit.config.logo_path is not None:
            inputs.add(kit.config.logo_path)
    return {path.resolve() for path in inputs}


def watch_and_generate(
    request: BuildRequest,
    options: RenderOptions,
    plan: OutputPlan,
    report: Report,
    *,
    stop: Callable[[], bool] = lambda: False,
) -> None:
    """Generate now, and again after each save of an input, until interrupted.

    Each round replaces the outputs of the round before (as `--force` would); a round
    whose inputs are broken reports its problems and waits for the next save.
    """
    from watchfiles import watch  # only when watching

    inputs: set[Path] = set()
    while True:
        inputs = _round(request, options, plan, report, inputs)
        plan = replace(plan, force=True)  # later rounds replace what the first one wrote
        folders = {path if path.is_dir() else path.parent for path in inputs}
        for changes in watch(
            *sorted(folders), stop_event=None, rust_timeout=500, yield_on_timeout=True
        ):
            if stop():
                return
            if any(_relevant(Path(name).resolve(), inputs) for _, name in changes):
                break


def _round(
    request: BuildRequest,
    options: RenderOptions,
    plan: OutputPlan,
    report: Report,
    before: set[Path],
) -> set[Path]:
    """One generate; the inputs to watch next: this round's, and while a save is broken
    also the last good round's (so that fixing a bank or kitgen.toml renders again)."""
    try:
        written = generate(request, options, plan)
    except KitgenError as exc:
        report(None, exc.problems)
    else:
        report(written, written.failed)
    roles = {path.resolve() for path in (*request.roles, *request.banks)}
    try:
        return watched_inputs(request) | roles
    except KitgenError:
        return before | roles


def _relevant(path: Path, inputs: set[Path]) -> bool:
    return any(path == item or (item.is_dir() and path.is_relative_to(item)) for item in inputs)
