"""The command line: parses options and calls kitgen's API. Work is imported per command,
so that `kitgen validate` never pays for WeasyPrint."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

# kitgen uses no pydantic plugins; looking for them scans every installed package's metadata,
# a noticeable share of a `kitgen validate` run.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

from kitgen import __version__

FORMATS = ("pdf", "html", "md", "json")


F = TypeVar("F", bound=Callable[..., Any])


def bank_option(help_text: str) -> Callable[[F], F]:
    """`--bank PATH`, repeatable: a bank to load beside the role's own (five commands)."""
    return click.option(
        "--bank", "banks", multiple=True, type=click.Path(path_type=Path), help=help_text
    )


def _formats(ctx: click.Context, param: click.Parameter, value: str) -> list[str]:
    formats = [f.strip().lower() for f in value.split(",") if f.strip()]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise click.BadParameter(
            f"{', '.join(unknown) or value!r} is not one of {', '.join(FORMATS)}"
        )
    return list(dict.fromkeys(formats))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kitgen")
def main() -> None:
    """Structured interview kits from YAML: a role profile in, a PDF guide and scorecard out."""


@main.command()
@click.argument("roles", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Output file (one role) or folder (default: the current folder).",
)
@click.option(
    "--format",
    "formats",
    default="pdf",
    show_default=True,
    callback=_formats,
    help="Comma-separated: pdf, html, md, json.",
)
@click.option("--seed", type=int, help="Rotate the questions (default: from the profile).")
@click.option("--candidate", default="", help="Pre-fill the candidate's name.")
@click.option("--interviewer", default="", help="Pre-fill the interviewer.")
@click.option("--date", "date_", default="", help="Pre-fill the interview date.")
@click.option(
    "--paper",
    type=click.Choice(["a4", "letter"], case_sensitive=False),
    default="a4",
    show_default=True,
)
@bank_option("An extra question bank (repeatable).")
@click.option("--template", help="Bundled template name or a template folder.")
@click.option(
    "--fillable/--no-fillable",
    default=True,
    show_default=True,
    help="PDF form fields, or a flat document for print.",
)
@click.option(
    "--candidates",
    "candidates_file",
    type=click.Path(path_type=Path),
    help="CSV of name, interviewer, date: one pre-filled kit per row (one role).",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Render kits in this many processes.",
)
@click.option("--force", is_flag=True, help="Replace existing output files.")
@click.option("--keep-going", is_flag=True, help="Write what can be written; report the rest.")
def generate(
    roles: tuple[Path, ...],
    output: Path | None,
    formats: list[str],
    seed: int | None,
    candidate: str,
    interviewer: str,
    date_: str,
    paper: str,
    banks: tuple[Path, ...],
    template: str | None,
    fillable: bool,
    candidates_file: Path | None,
    jobs: int,
    force: bool,
    keep_going: bool,
) -> None:
    """Write one interview kit per ROLE profile (a folder means its *.yaml files)."""
    from kitgen.batch import expand_roles, generate_for_candidates, generate_kits
    from kitgen.errors import KitgenError
    from kitgen.render.templates import RenderOptions

    role_paths = expand_roles(roles)
    if not role_paths:
        raise click.UsageError("no role profiles found in the given folders")
    options = RenderOptions(candidate, interviewer, date_, paper.lower(), fillable)
    if candidates_file is not None:
        if len(role_paths) != 1:
            raise click.UsageError("--candidates takes exactly one role profile")
        if keep_going or jobs > 1:
            raise click.UsageError(
                "--keep-going and --jobs do not apply to --candidates, which renders the kit once"
            )
        rows = max(len([line for line in _lines(candidates_file) if line.strip()]) - 1, 1)
        with click.progressbar(length=rows, label="Pre-filling kits", file=sys.stderr) as bar:
            report = generate_for_candidates(
                role_paths[0],
                candidates_file,
                formats=formats,
                output=output,
                options=options,
                seed=seed,
                banks=list(banks),
                template=template,
                force=force,
                on_done=lambda _: bar.update(1),
            )
    else:
        many = len(role_paths) > 1
        with (
            click.progressbar(length=len(role_paths), label="Rendering kits", file=sys.stderr)
            if many
            else _NoBar()
        ) as bar:
            report = generate_kits(
                role_paths,
                formats=formats,
                output=output,
                options=options,
                seed=seed,
                banks=list(banks),
                template=template,
                force=force,
                keep_going=keep_going,
                jobs=jobs,
                on_done=lambda _: bar.update(1),
            )
    for written in report.written:
        for path in written.paths:
            click.echo(str(path))
    click.echo(
        f"{len(report.written)} kit{'s' if len(report.written) != 1 else ''}, "
        f"{report.pages} pages, {report.seconds:.1f} s",
        err=True,
    )
    if report.failed:
        raise KitgenError(report.failed)


def _lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return []  # read_candidates reports the problem with its location


class _NoBar:
    def __enter__(self) -> _NoBar:
        return self

    def __exit__(self, *args: object) -> None:
        return None

    def update(self, steps: int) -> None:
        return None


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@bank_option("An extra question bank for the roles (repeatable).")
def validate(paths: tuple[Path, ...], banks: tuple[Path, ...]) -> None:
    """Check role profiles, banks and template folders; list every problem."""
    from kitgen.errors import KitgenError
    from kitgen.commands.validate import default_targets, validate_paths

    report = validate_paths(paths or default_targets(), banks)
    for line in report.checked:
        click.echo(f"ok  {line}")
    if report.problems:
        raise KitgenError(report.problems)
    click.echo(f"{len(report.checked)} files checked, no problems", err=True)


@main.command(name="list")
@click.argument("what", type=click.Choice(["roles", "banks", "categories", "questions"]))
@click.argument("folders", nargs=-1, type=click.Path(path_type=Path))
@bank_option("Also list this bank (repeatable).")
@click.option("--category", help="Only questions of this category.")
@click.option("--tag", help="Only questions with this tag.")
@click.option(
    "--level",
    type=click.Choice(["junior", "mid", "senior", "staff"]),
    help="Only questions for this level.",
)
@click.option(
    "--kind",
    type=click.Choice(["technical", "behavioral", "hypothetical", "case"]),
    help="Only questions of this kind.",
)
def list_(
    what: str,
    folders: tuple[Path, ...],
    banks: tuple[Path, ...],
    category: str | None,
    tag: str | None,
    level: str | None,
    kind: str | None,
) -> None:
    """Browse roles (in FOLDERS, default ./roles and examples/roles), banks, categories or
    questions."""
    from kitgen.commands import browse

    if what == "roles":
        default = [p for p in (Path("roles"), Path("examples/roles")) if p.is_dir()]
        click.echo(browse.list_roles(folders or default))
        return
    library = browse.library_for(banks)
    if what == "banks":
        click.echo(browse.list_banks(library))
    elif what == "categories":
        click.echo(browse.list_categories(library))
    else:
        questions = browse.filter_questions(
            library, category=category, tag=tag, level=level, kind=kind
        )
        click.echo(browse.list_questions(questions))


@main.command()
@click.argument("question_id")
@bank_option("Also look in this bank (repeatable).")
def show(question_id: str, banks: tuple[Path, ...]) -> None:
    """Show one question in full."""
    from kitgen.commands import browse

    click.echo(browse.show_question(browse.library_for(banks), question_id))


@main.command()
@click.argument("pdfs", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--ratings",
    type=click.Path(path_type=Path),
    help="Ratings typed from printed kits (CSV: interviewer,question,rating[,notes]).",
)
@click.option(
    "--kit",
    "kit_file",
    type=click.Path(path_type=Path),
    help="The kit the --ratings were given on: its PDF or its JSON.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv", "md"]),
    default="table",
    show_default=True,
    help="How to print the scores.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Write the debrief to a file; .pdf renders the template's debrief.html.",
)
@click.option(
    "--template",
    default="classic",
    show_default=True,
    help="Template (name or folder) whose debrief.html renders a PDF debrief.",
)
@click.option("--force", is_flag=True, help="Replace an existing output file.")
def score(
    pdfs: tuple[Path, ...],
    ratings: Path | None,
    kit_file: Path | None,
    fmt: str,
    output: Path | None,
    template: str,
    force: bool,
) -> None:
    """Score filled kit PDFs (and paper ratings); several interviewers give a debrief.

    \b
    Examples:
      kitgen score ada.pdf grace.pdf -o debrief.pdf
      kitgen score --ratings panel.csv --kit nlp-engineer.pdf --format md
    """
    from kitgen.score import debrief
    from kitgen.output.files import check_output_file, write_atomic
    from kitgen.score.scoring import score_files
    from kitgen.render.templates import resolve_template

    if ratings is None and kit_file is not None:
        raise click.UsageError("--kit goes with --ratings")
    if ratings is not None and kit_file is None:
        raise click.UsageError("--ratings needs --kit: the kit's PDF or JSON")
    if ratings is None and not pdfs:
        raise click.UsageError("give filled kit PDFs, or --ratings FILE.csv --kit KIT")
    paper = (ratings, kit_file) if ratings is not None and kit_file is not None else None
    panel = score_files(list(pdfs), paper=paper)
    suffix = output.suffix.lstrip(".").lower() if output is not None else ""
    if suffix in ("json", "csv", "md"):  # the file's suffix picks its format
        fmt = suffix
    renderers = {
        "table": debrief.as_table,
        "json": debrief.as_json,
        "csv": debrief.as_csv,
        "md": debrief.as_markdown,
    }
    if output is None:
        click.echo(renderers[fmt](panel).rstrip("\n"))
        return
    inputs = [*pdfs, *(p for p in (ratings, kit_file) if p is not None)]
    check_output_file(output, force=force, inputs=inputs)
    if suffix == "pdf":
        data = debrief.debrief_pdf(panel, resolve_template(template, Path.cwd()))
    else:
        data = renderers[fmt](panel).encode()
    write_atomic(output, data)
    click.echo(str(output))


@main.command()
@click.argument("folder", type=click.Path(path_type=Path), default=".")
def init(folder: Path) -> None:
    """Create a starter workspace in FOLDER: roles/, banks/ and templates/."""
    from kitgen.commands.workspace import init_workspace

    for path in init_workspace(folder):
        click.echo(str(path))
    click.echo(f"next: kitgen generate {folder / 'roles'}", err=True)


@main.command()
@click.argument("kind", type=click.Choice(["role", "bank"]))
def schema(kind: str) -> None:
    """Print the JSON Schema of a role profile or bank, for editors' YAML completion."""
    import json

    from kitgen.schema.models import Bank, RoleProfile

    model = RoleProfile if kind == "role" else Bank
    click.echo(json.dumps(model.model_json_schema(), indent=2))


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@bank_option("An extra question bank for the roles (repeatable).")
@click.option("--ignore", multiple=True, help="A code to leave out, e.g. KG201 (repeatable).")
def lint(paths: tuple[Path, ...], banks: tuple[Path, ...], ignore: tuple[str, ...]) -> None:
    """Check interview quality and fairness of role profiles and banks (codes KG1xx for
    questions, KG2xx for roles); exits 1 when there are findings."""
    from kitgen.batch import expand_roles
    from kitgen.commands.lint import RULES, lint_paths

    unknown = [code for code in ignore if code.upper() not in RULES]
    if unknown:
        raise click.BadParameter(f"unknown code {unknown[0]!r}", param_hint="--ignore")
    skip = {code.upper() for code in ignore}
    findings = [f for f in lint_paths(expand_roles(paths), banks) if f.code not in skip]
    for finding in findings:
        click.echo(str(finding))
    click.echo(f"{len(findings)} finding{'s' if len(findings) != 1 else ''}", err=True)
    if findings:
        sys.exit(1)
