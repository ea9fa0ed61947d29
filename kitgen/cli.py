"""The command line: parses options, calls kitgen's public API, prints what it returns.

Every name comes from `kitgen` (loaded on first use), so `kitgen validate` never pays for
WeasyPrint. A KitgenError is the user's to fix: its located messages, exit 1. Anything
else is a bug in kitgen: an "internal error" line, the traceback, exit 70.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

# kitgen uses no pydantic plugins; looking for them scans every installed package's metadata,
# a noticeable share of a `kitgen validate` run.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

import kitgen
from kitgen.i18n import LANGUAGES

INTERNAL_ERROR = 70  # EX_SOFTWARE: a bug in kitgen, not in its input
ISSUES = "https://github.com/kitgen/kitgen/issues"

F = TypeVar("F", bound=Callable[..., Any])


class KitgenGroup(click.Group):
    """Turns kitgen's errors into exit codes: 1 for input, 70 for kitgen's own bugs."""

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        if os.environ.get("NO_COLOR"):  # https://no-color.org: set and not empty
            extra["color"] = False  # every command's context inherits it
        return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except kitgen.KitgenError as exc:
            click.echo(str(exc), err=True)
            ctx.exit(1)
        except (click.exceptions.Exit, click.ClickException, click.Abort, KeyboardInterrupt):
            raise
        except MemoryError:
            click.echo(
                f"kitgen: out of memory (the limit is {memory_limit_mb()} MB, "
                "KITGEN_MEMORY_LIMIT): an input is too large; see README, Safety and limits",
                err=True,
            )
            ctx.exit(1)
        except Exception:
            click.echo(
                f"kitgen: internal error (a bug in kitgen {kitgen.__version__}, not in your "
                f"files); please report it with the traceback below at {ISSUES}",
                err=True,
            )
            click.echo(traceback.format_exc().rstrip(), err=True)
            ctx.exit(INTERNAL_ERROR)


DEFAULT_MEMORY_MB = 2048


def memory_limit_mb() -> int:
    """KITGEN_MEMORY_LIMIT in MB (default 2048; 0 turns the cap off, else 256 to 1048576)."""
    value = os.environ.get("KITGEN_MEMORY_LIMIT", "")
    if not value:
        return DEFAULT_MEMORY_MB
    if not (value.isascii() and value.isdigit() and (value == "0" or 256 <= int(value) <= 2**20)):
        shown = repr(value[:20])
        sys.stderr.write(
            f"kitgen: KITGEN_MEMORY_LIMIT must be 0 (no cap) or 256 to 1048576 MB, not {shown}\n"
        )
        sys.exit(2)
    return int(value)


def run() -> None:
    """The `kitgen` command: caps the process's memory (its render workers inherit the cap),
    so no input can make kitgen take the machine down, then runs the CLI."""
    import resource

    limit = memory_limit_mb()
    if limit:
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        wanted = limit * 1024 * 1024
        if hard == resource.RLIM_INFINITY or wanted <= hard:
            resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))
    main(prog_name="kitgen")


QUIET = "kitgen.quiet"


def _set_quiet(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        ctx.meta[QUIET] = True  # meta is shared by the group's and the command's context


def quiet_option(command: F) -> F:
    """`-q, --quiet`, before the command (`kitgen -q lint ...`) or after it."""
    return click.option(
        "-q",
        "--quiet",
        is_flag=True,
        expose_value=False,
        callback=_set_quiet,
        help="No progress bar or summary line on stderr; problems are still printed.",
    )(command)


def note(message: str) -> None:
    """A summary line on stderr, unless --quiet."""
    if not click.get_current_context().meta.get(QUIET):
        click.echo(message, err=True)


def bank_option(help_text: str) -> Callable[[F], F]:
    """`--bank PATH`, repeatable: a bank to load beside the role's own."""
    return click.option(
        "--bank", "banks", multiple=True, type=click.Path(path_type=Path), help=help_text
    )


def _formats(ctx: click.Context, param: click.Parameter, value: str) -> tuple[str, ...]:
    formats = [f.strip().lower() for f in value.split(",") if f.strip()]
    unknown = [f for f in formats if f not in kitgen.FORMATS]
    if unknown or not formats:
        raise click.BadParameter(
            f"{', '.join(unknown) or value!r} is not one of {', '.join(kitgen.FORMATS)}"
        )
    return tuple(dict.fromkeys(formats))


@click.group(cls=KitgenGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(kitgen.__version__, prog_name="kitgen")
@quiet_option
def main() -> None:
    """Structured interview kits from YAML: a role profile in, a PDF guide and scorecard out.

    `kitgen COMMAND --help` shows a command's options and examples.

    \b
    Examples:
      kitgen init my-interviews && cd my-interviews
      kitgen generate roles/ -o out/
      kitgen -q generate roles/ -o out/ --force   # no progress bar or summary
    """


GENERATE_OPTIONS = [
    click.argument("roles", nargs=-1, required=True, type=click.Path(path_type=Path)),
    click.option(
        "-o",
        "--output",
        type=click.Path(path_type=Path),
        help="Output file (one role) or folder (default: the current folder).",
    ),
    click.option(
        "--format",
        "formats",
        default="pdf",
        show_default=True,
        callback=_formats,
        help="Comma-separated: pdf, html, md, json.",
    ),
    click.option("--seed", type=int, help="Rotate the questions (default: from the profile)."),
    click.option("--candidate", default="", help="Pre-fill the candidate's name."),
    click.option("--interviewer", default="", help="Pre-fill the interviewer."),
    click.option(
        "--date",
        "date_",
        default="",
        help="Pre-fill the interview date (2026-12-01 is written as the language writes dates).",
    ),
    click.option(
        "--language",
        type=click.Choice(list(LANGUAGES)),
        help="The kit's labels: en, de, fr or es (default: the profile's, kitgen.toml's, en).",
    ),
    click.option(
        "--paper",
        type=click.Choice(["a4", "letter"], case_sensitive=False),
        help="Paper size (default: kitgen.toml's, else a4).",
    ),
    bank_option("An extra question bank (repeatable)."),
    click.option("--template", help="Bundled template name or a template folder."),
    click.option(
        "--fillable/--no-fillable",
        default=True,
        show_default=True,
        help="PDF form fields, or a flat document for print.",
    ),
    click.option(
        "--rebuild",
        is_flag=True,
        help="Render every document, even those up to date (replaces them).",
    ),
    click.option(
        "--tags/--no-tags",
        default=True,
        show_default=True,
        help="A tagged PDF (PDF/UA-1) that screen readers can follow.",
    ),
    click.option(
        "--candidates",
        "candidates_file",
        type=click.Path(path_type=Path),
        help="CSV of name, interviewer, date: one pre-filled kit per row and role.",
    ),
    click.option(
        "--brief",
        is_flag=True,
        help="Also write the candidate's brief (<role>-candidate-brief): format and focus "
        "areas, no questions.",
    ),
    click.option(
        "--combined",
        is_flag=True,
        help="A loop as one document, not one packet per round.",
    ),
    click.option(
        "--jobs",
        type=click.IntRange(min=1),
        default=1,
        show_default=True,
        help="Render kits in this many processes.",
    ),
    click.option("--verbose", is_flag=True, help="Markdown: also the seed and each question's id."),
    click.option(
        "--watch",
        is_flag=True,
        help="Render again whenever a role, bank, template or kitgen.toml is saved "
        "(Ctrl-C stops; replaces the outputs it wrote).",
    ),
    click.option(
        "--force",
        is_flag=True,
        help="Replace output files that are out of date (up-to-date ones stay).",
    ),
    click.option("--keep-going", is_flag=True, help="Write what can be written; report the rest."),
]


def _generate_options(command: F) -> F:
    for option in reversed(GENERATE_OPTIONS):
        command = option(command)
    return command


@main.command()
@_generate_options
@quiet_option
def generate(**given: Any) -> None:
    """Write one interview kit per ROLE profile (a folder means its *.yaml files).

    \b
    Examples:
      kitgen generate roles/nlp-engineer.yaml -o nlp.pdf
      kitgen generate roles/ -o out/ --format pdf,md --jobs 2
      kitgen generate roles/ml.yaml --candidates drive.csv -o out/
      kitgen generate roles/lead-loop.yaml --brief -o out/   # a packet per round
      kitgen generate roles/nlp.yaml -o nlp.pdf --watch     # while editing a template
    """
    request = kitgen.BuildRequest(
        tuple(given["roles"]),
        given["seed"],
        tuple(given["banks"]),
        given["template"],
        given["candidates_file"],
        given["language"],
    )
    options = _render_options(given)
    plan = kitgen.OutputPlan(
        given["formats"],
        given["output"],
        given["force"],
        given["keep_going"],
        given["jobs"],
        combined=given["combined"],
        brief=given["brief"],
        rebuild=given["rebuild"],
    )
    if given["watch"]:
        _watch(request, options, plan)
        return
    report = _generate_with_progress(request, options, plan)
    for written in report.written:
        click.echo("\n".join(str(path) for path in written.paths))
    note(f"{report.summary()}, {report.seconds:.1f} s")
    if report.failed:
        raise kitgen.KitgenError(report.failed)


def _watch(
    request: kitgen.BuildRequest, options: kitgen.RenderOptions, plan: kitgen.OutputPlan
) -> None:
    """generate --watch: each round's files or problems, until Ctrl-C (exit 0)."""
    from kitgen.output.watch import watch_and_generate

    def report(done: kitgen.GenerateReport | None, problems: list[kitgen.Problem]) -> None:
        for written in done.written if done is not None else []:
            click.echo("\n".join(str(path) for path in written.paths))
        for problem in problems:
            click.echo(str(problem), err=True)
        if done is not None:
            note(f"{done.summary()}, {done.seconds:.1f} s")
        note("watching for changes (Ctrl-C to stop)")

    try:
        watch_and_generate(request, options, plan, report)
    except KeyboardInterrupt:
        note("stopped watching")


def _render_options(given: dict[str, Any]) -> kitgen.RenderOptions:
    for name in ("candidate", "interviewer", "date_"):  # printed on the cover, into a field
        if len(given[name]) > 200 or not given[name].isprintable():
            raise click.BadParameter(
                "at most 200 printable characters", param_hint=f"--{name.rstrip('_')}"
            )
    return kitgen.RenderOptions(
        given["candidate"],
        given["interviewer"],
        given["date_"],
        (given["paper"] or "").lower(),
        given["fillable"],
        tagged=given["tags"],
        verbose=given["verbose"],
    )


def _generate_with_progress(
    request: kitgen.BuildRequest, options: kitgen.RenderOptions, plan: kitgen.OutputPlan
) -> kitgen.GenerateReport:
    """Generate, with a progress bar on stderr once there is more than one file to write
    (none with --quiet)."""
    bar: Any = None
    quiet = click.get_current_context().meta.get(QUIET)

    def start(total: int) -> None:
        nonlocal bar
        if total > 1 and not quiet:
            bar = click.progressbar(length=total, label="Writing kits", file=sys.stderr)
            bar.__enter__()

    def done(_: object) -> None:
        if bar is not None:
            bar.update(1)

    try:
        return kitgen.generate(request, options, plan, on_start=start, on_done=done)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@bank_option("An extra question bank for the roles (repeatable).")
@quiet_option
def validate(paths: tuple[Path, ...], banks: tuple[Path, ...]) -> None:
    """Check role profiles, banks and template folders; list every problem.

    \b
    Examples:
      kitgen validate                  # the bundled content, ./roles and ./banks
      kitgen validate roles/ banks/our-questions.yaml
    """
    report = kitgen.validate(paths, banks)
    for line in report.checked:
        click.echo(f"ok  {line}")
    if report.problems:
        raise kitgen.KitgenError(report.problems)
    count = len(report.checked)
    note(f"{count} file{'s' if count != 1 else ''} checked, no problems")


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
def list_(what: str, folders: tuple[Path, ...], banks: tuple[Path, ...], **filters: Any) -> None:
    """Browse roles (in FOLDERS, default ./roles and examples/roles), banks, categories or
    questions: the bundled banks, the workspace's own (./banks) and any --bank.

    \b
    Examples:
      kitgen list questions --category nlp --level senior
      kitgen list roles examples/roles
    """
    from kitgen.commands.browse import QuestionFilter

    click.echo(kitgen.browse(what, banks, folders, QuestionFilter(**filters)))


@main.command()
@click.argument("question_id")
@bank_option("Also look in this bank (repeatable).")
def show(question_id: str, banks: tuple[Path, ...]) -> None:
    """Show one question in full, from the bundled banks, ./banks or a --bank.

    \b
    Example:
      kitgen show nlp-positional-information
    """
    click.echo(kitgen.show_question(question_id, banks))


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
    "--language",
    type=click.Choice(list(LANGUAGES)),
    help="Labels of the table, Markdown and PDF debrief (default: kitgen.toml's, else en).",
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
def score(pdfs: tuple[Path, ...], ratings: Path | None, kit_file: Path | None, **how: Any) -> None:
    """Score filled kit PDFs (and paper ratings); several interviewers give a debrief.

    \b
    Examples:
      kitgen score ada.pdf grace.pdf -o debrief.pdf
      kitgen score --ratings panel.csv --kit nlp-engineer.pdf --format md
    """
    if (ratings is None) != (kit_file is None):
        raise click.UsageError("--ratings and --kit go together: the ratings and their kit")
    if ratings is None and not pdfs:
        raise click.UsageError("give filled kit PDFs, or --ratings FILE.csv --kit KIT")
    paper = (ratings, kit_file) if ratings is not None and kit_file is not None else None
    # kitgen.score is also the name of the subpackage, which an import of any of its
    # modules binds on `kitgen`: the function is taken from where it lives
    from kitgen.score.panel import score

    panel = score(list(pdfs), paper=paper)
    from kitgen.config import config_for

    language = how["language"] or config_for(Path.cwd()).defaults.language or "en"
    output: Path | None = how["output"]
    if output is None:
        click.echo(kitgen.debrief_text(panel, how["fmt"], language).rstrip("\n"))
        return
    inputs = [*pdfs, *(p for p in (ratings, kit_file) if p is not None)]
    template = Path(how["template"])
    if template.is_dir():  # a template folder of one's own is an input too
        inputs += [p for p in template.rglob("*") if p.is_file()]
    kitgen.check_output_file(output, force=how["force"], inputs=inputs)
    suffix = output.suffix.lstrip(".").lower()
    if suffix == "pdf":
        data = kitgen.debrief_pdf(panel, how["template"], language=language)
    else:  # the file's suffix picks its format
        fmt = suffix if suffix in kitgen.DEBRIEF_FORMATS else how["fmt"]
        data = kitgen.debrief_text(panel, fmt, language).encode()
    kitgen.write_atomic(output, data, replace=how["force"])
    click.echo(str(output))


@main.command()
@click.argument("folder", type=click.Path(path_type=Path), default=".")
@quiet_option
def init(folder: Path) -> None:
    """Create a starter workspace in FOLDER: roles/, banks/ and templates/.

    \b
    Example:
      kitgen init my-interviews && cd my-interviews
      kitgen validate && kitgen lint roles banks && kitgen generate roles -o out
    """
    for path in kitgen.init_workspace(folder):
        click.echo(str(path))
    note(f"next: {_own_command()} generate {folder / 'roles'}")


def _own_command() -> str:
    """How to run this kitgen again: `kitgen` when it is on the PATH, else the path it was
    run by (`.venv/bin/kitgen` after `make demo`)."""
    import shutil

    here, found = Path(sys.argv[0]), shutil.which("kitgen")
    on_path = found is not None and Path(found).resolve() == here.resolve()
    return str(here) if here.name == "kitgen" and here.is_file() and not on_path else "kitgen"


@main.command()
@click.argument("kind", type=click.Choice(["role", "bank"]))
def schema(kind: str) -> None:
    """Print the JSON Schema of a role profile or bank, for editors' YAML completion.

    \b
    Example:
      kitgen schema role > role.schema.json
      # in a role file, for the YAML language server:
      # yaml-language-server: $schema=role.schema.json
    """
    import json

    click.echo(json.dumps(kitgen.json_schema(kind), indent=2))


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@bank_option("An extra question bank for the roles (repeatable).")
@click.option("--ignore", multiple=True, help="A code to leave out, e.g. KG201 (repeatable).")
@quiet_option
def lint(paths: tuple[Path, ...], banks: tuple[Path, ...], ignore: tuple[str, ...]) -> None:
    """Check interview quality and fairness of role profiles and banks (codes KG1xx for
    questions, KG2xx for roles); exits 1 when there are findings.

    \b
    Examples:
      kitgen lint roles/ banks/
      kitgen lint roles/ml-engineer.yaml --ignore KG104
    """
    unknown = [code for code in ignore if code.upper() not in kitgen.LINT_RULES]
    if unknown:
        raise click.BadParameter(f"unknown code {unknown[0]!r}", param_hint="--ignore")
    findings = kitgen.lint(paths, banks, ignore)
    for finding in findings:
        click.echo(str(finding))
    note(f"{len(findings)} finding{'s' if len(findings) != 1 else ''}")
    if findings:
        sys.exit(1)
