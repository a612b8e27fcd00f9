"""The command line: parses, wires and prints. It computes no status itself.

Heavy modules (pandas, the engine, the formats) are imported inside the
commands that need them, so ``--help``, ``validate`` and ``targets`` start fast.

No ``from __future__ import annotations`` here: typer reads the parameters of
every command on every run, and string annotations would make it compile and
eval each of them again (about 6 ms of each start-up).
"""

import datetime as dt
import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kpicheck import __version__
from kpicheck.errors import EXIT_FAILED, EXIT_OK, EXIT_USAGE, KpicheckError, Problem, UsageError
from kpicheck.report.formats import FORMATS, help_text
from kpicheck.report.labels import LANGS, Lang
from kpicheck.report.terminal import wants_color
from kpicheck.statuses import DEFAULT_FAIL_ON

if TYPE_CHECKING:
    from kpicheck.plan.catalog import Catalog
    from kpicheck.plan.model import ProgressThresholds
    from kpicheck.read.readahead import ReadAhead

ABOUT = "Đối chiếu số liệu trẻ em với chỉ tiêu kế hoạch. Check child figures against plan targets."
app = typer.Typer(
    name="kpicheck",
    help=ABOUT,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

TargetsOpt = Annotated[
    Path | None,
    typer.Option(
        "--targets",
        help="Folder of plan files (default: $KPICHECK_TARGETS, ./targets, the bundled plans).",
    ),
]
LangOpt = Annotated[str, typer.Option("--lang", help="Label language: vi or en.")]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kpicheck {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit."),
    ] = False,
) -> None:
    """Đối chiếu số liệu trẻ em với chỉ tiêu kế hoạch. Check child figures against plan targets."""


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn input errors into one line per problem on stderr and exit code 2."""
    try:
        yield
    except KpicheckError as exc:
        for problem in exc.problems:
            _tell(problem)
        raise typer.Exit(EXIT_USAGE) from None


def _tell(problem: Problem) -> None:
    """``kpicheck: error: file:line: column: message; hint`` (or ``warning``) on stderr."""
    hint = f"; {problem.hint}" if problem.hint else ""
    typer.echo(f"kpicheck: {problem.severity}: {problem}{hint}", err=True)


@app.command()
def evaluate(
    data: Annotated[
        list[Path] | None,
        typer.Argument(help="Data files, folders, patterns (CSV, xlsx, parquet): unit,indicator,year,value."),
    ] = None,
    plan: Annotated[
        str | None,
        typer.Option("--plan", "-p", help="Plan id or plan file to judge every row against."),
    ] = None,
    year: Annotated[list[int] | None, typer.Option("--year", help="Only these years (repeatable).")] = None,
    unit: Annotated[list[str] | None, typer.Option("--unit", help="Only these units (repeatable).")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help=help_text())] = "table",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the report to this file.")
    ] = None,
    fail_on: Annotated[
        str, typer.Option("--fail-on", help="Statuses that make the exit code 1, comma-separated.")
    ] = ",".join(sorted(DEFAULT_FAIL_ON)),
    lang: LangOpt = "vi",
    decimal: Annotated[str, typer.Option("--decimal", help="Decimal mark used in the data: . or ,")] = ".",
    milestones: Annotated[
        Path | None,
        typer.Option("--milestones", help="Milestone status file: unit,milestone,year,done."),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="Judge milestones as of this date (YYYY-MM-DD; default today)."),
    ] = None,
    projection: Annotated[
        str,
        typer.Option(
            "--projection",
            help="cagr (compound annual growth, as open-sdg measures progress) or linear (least squares).",
        ),
    ] = "cagr",
    progress_thresholds: Annotated[
        str | None,
        typer.Option(
            "--progress-thresholds",
            help="high,med,low of the progress value toward a target, for every indicator "
            "(default: the plan's, else 0.95,0.6,0).",
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only the summary line.")] = False,
    rollup: Annotated[
        str | None,
        typer.Option(
            "--rollup",
            help="Aggregate to the higher unit: district, province or plan (the plan's area) from the "
            "unit registry, or the unit named in a data column of that name (parent, district, province).",
        ),
    ] = None,
    partial: Annotated[
        str,
        typer.Option(
            "--partial",
            help="A unit lying only partly in the unit it is rolled up into: exclude (default) or include.",
        ),
    ] = "exclude",
    unit_map: Annotated[
        str,
        typer.Option(
            "--unit-map",
            help="Read unit codes on the map before 1/7/2025 (old), after it (new), or by each row's "
            "year (auto: to 2024 old, from 2025 new).",
        ),
    ] = "auto",
    sheet: Annotated[
        str | None,
        typer.Option("--sheet", help="Excel: the sheet to read (default: the one sheet holding figures)."),
    ] = None,
    targets: TargetsOpt = None,
) -> None:
    """Judge submitted figures against their plan's targets."""
    with user_errors():
        # Options first: a mistyped one is reported at once, before any file is read.
        chosen_fmt = _choice(fmt, list(FORMATS), "--format")
        chosen_lang = _lang(lang)
        chosen_decimal = _choice(decimal, [".", ","], "--decimal")
        chosen_fail_on = _statuses(fail_on)
        chosen_as_of = _as_of(as_of)
        chosen_partial = _choice(partial, ["exclude", "include"], "--partial")
        chosen_map = _choice(unit_map, ["auto", "old", "new"], "--unit-map")
        files, ahead = _start_reading(data or [], chosen_decimal)
        from kpicheck.judge.projection import METHODS, Projection
        from kpicheck.pipeline import Options, run

        chosen_projection = Projection(
            _choice(projection, list(METHODS), "--projection"), _thresholds(progress_thresholds)
        )

        options = Options(
            data=files,
            plan=plan,
            years=year or [],
            units=unit or [],
            fmt=chosen_fmt,
            output=output,
            fail_on=chosen_fail_on,
            lang=chosen_lang,
            decimal=chosen_decimal,
            milestones=milestones,
            as_of=chosen_as_of,
            projection=chosen_projection,
            quiet=quiet,
            targets=targets,
            rollup=rollup,
            unit_map=chosen_map,
            partial=chosen_partial,
            sheet=sheet,
            ahead=ahead,
            progress=_with_progress,
            warn=_tell,
        )
        outcome = run(options)
        if quiet:
            _print_summary(outcome.counts, chosen_lang)
        elif outcome.report is not None and output is None:
            from kpicheck.report.formats import renderer

            renderer(chosen_fmt)(outcome.report, sys.stdout, wants_color(sys.stdout))
        failed = outcome.failed
    raise typer.Exit(EXIT_FAILED if failed else EXIT_OK)


@app.command("targets")
def list_targets(
    plans: Annotated[
        list[str] | None, typer.Argument(help="Plan ids or files (default: every plan).")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
    lang: LangOpt = "vi",
    targets: TargetsOpt = None,
) -> None:
    """Show the targets as the plans state them."""
    with user_errors():
        from kpicheck.plan.listing import target_rows

        catalog = _catalog(targets)
        chosen = [catalog.load(ref) for ref in (plans or catalog.ids())]
        rows = target_rows(chosen)
        if _choice(fmt, ["table", "json"], "--format") == "json":
            import json

            typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        else:
            from kpicheck.report.targets_table import print_table

            print_table(chosen, _lang(lang), wants_color(sys.stdout))


@app.command()
def units(
    query: Annotated[str, typer.Argument(help="A unit's name (with or without its type) or code.")],
    year: Annotated[
        int | None,
        typer.Option("--year", help="Only units that existed in this year (codes: the map of that year)."),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
    lang: LangOpt = "vi",
) -> None:
    """Find administrative units by name or code: what each became on 1/7/2025 or came from."""
    with user_errors():
        chosen_fmt = _choice(fmt, ["table", "json"], "--format")
        chosen_lang = _lang(lang)
        if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
            raise UsageError(
                Problem.of("usage.bad-year", column="--year", value=year, low=MIN_YEAR, high=MAX_YEAR)
            )
        from kpicheck.units.describe import not_found, record
        from kpicheck.units.registry import registry

        reg = registry()
        found = reg.find(query, year)
        if not found:
            raise UsageError(not_found(reg, query, year))
        records = [record(reg, unit) for unit in found]
        if chosen_fmt == "json":
            import json

            typer.echo(json.dumps(records, ensure_ascii=False, indent=2))
        else:
            from kpicheck.report.units_table import print_table

            print_table(records, query, reg.source, chosen_lang, wants_color(sys.stdout))


MIN_YEAR, MAX_YEAR = 1945, 2100  # as plan years


@app.command()
def validate(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Plan files or folders (default: the plans in use).")
    ] = None,
    targets: TargetsOpt = None,
) -> None:
    """Check plan files; exit 2 on any error."""
    with user_errors():
        from kpicheck.plan.catalog import plan_files, validate_files

        catalog = _catalog(targets)
        files = plan_files(paths) if paths else list(catalog.files.values())
        if not files:
            raise UsageError(Problem.of("usage.no-plan-files"))
        problems = validate_files(files, catalog)
        if problems:
            raise KpicheckError(problems)
        typer.echo(f"{len(files)} plan file(s) OK", err=True)


@app.command()
def template(
    plan: Annotated[str, typer.Argument(help="Plan id or plan file.")],
    year: Annotated[int | None, typer.Option("--year", help="Year to report (default: this year).")] = None,
    unit: Annotated[
        list[str] | None, typer.Option("--unit", help="Units to list (default: the plan's units).")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to FILE.csv or FILE.xlsx.")
    ] = None,
    targets: TargetsOpt = None,
) -> None:
    """Write the empty submission file a unit fills in for a plan."""
    with user_errors():
        from kpicheck.report.template import template_rows, write_template

        rows = template_rows(_catalog(targets).load(plan), year, unit or [])
        write_template(rows, output, sys.stdout)
        if output is not None:
            typer.echo(f"{len(rows)} row(s) written to {output}", err=True)


@app.command()
def schema() -> None:
    """Print the JSON Schema of plan files, for editors' YAML plug-ins."""
    import json

    from kpicheck.plan.model import Plan

    body = Plan.model_json_schema(by_alias=True)
    body["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    body["title"] = "kpicheck plan"
    typer.echo(json.dumps(body, ensure_ascii=False, indent=2))


def _start_reading(data: list[Path], decimal: str) -> "tuple[list[Path], ReadAhead]":
    """The data files named, found in folders or matched by patterns; their CSV parse starts now,
    before pandas and the engine are imported (see ``kpicheck.read.readahead``)."""
    from kpicheck.read.files import data_files
    from kpicheck.read.readahead import ReadAhead

    files = data_files(data)
    return files, ReadAhead.start(files, decimal)


PROGRESS_FROM = 20  # files; fewer read too fast for a bar to help


def _with_progress(files: list[Path]) -> Iterable[Path]:
    """The files, with a progress bar on stderr when it is a terminal and the run is long."""
    if len(files) < PROGRESS_FROM or not sys.stderr.isatty():
        return files
    from rich.progress import track

    from kpicheck.report import terminal

    return track(
        files, description="Đọc số liệu / reading", console=terminal.console(sys.stderr, True), transient=True
    )


def _print_summary(counts: dict[str, int], lang: Lang) -> None:
    """The one summary line of ``--quiet``, on stderr; plain text needs no Rich (0.03 s to import)."""
    from kpicheck.report.style import summary_parts

    if not wants_color(sys.stderr):
        typer.echo("".join(piece for piece, _ in summary_parts(counts, lang)), err=True)
        return
    from kpicheck.report import terminal
    from kpicheck.report.formats.table_format import summary_line

    terminal.console(sys.stderr, True).print(summary_line(counts, lang))


def _catalog(targets: Path | None) -> "Catalog":
    from kpicheck.plan.catalog import Catalog

    return Catalog.discover(targets)


def _choice(value: str, allowed: list[str], option: str) -> str:
    if value not in allowed:
        raise UsageError(
            Problem.of("usage.bad-choice", column=option, value=value, allowed=", ".join(allowed))
        )
    return value


def _lang(value: str) -> Lang:
    for lang in LANGS:
        if value == lang:
            return lang
    raise UsageError(Problem.of("usage.bad-choice", column="--lang", value=value, allowed=", ".join(LANGS)))


def _statuses(text: str) -> frozenset[str]:
    from kpicheck.statuses import ALL_STATUSES

    chosen = frozenset(s.strip() for s in text.split(",") if s.strip())
    unknown = sorted(chosen - set(ALL_STATUSES))
    if unknown:
        raise UsageError(
            Problem.of(
                "usage.unknown-status",
                column="--fail-on",
                statuses=", ".join(unknown),
                known=", ".join(ALL_STATUSES),
            )
        )
    return chosen


def _as_of(text: str | None) -> dt.date:
    if text is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(Problem.of("usage.bad-date", column="--as-of", value=text)) from None


def _thresholds(text: str | None) -> "ProgressThresholds | None":
    if text is None:
        return None
    from kpicheck.plan.model import ProgressThresholds

    try:
        high, med, low = (float(part) for part in text.split(","))
        return ProgressThresholds(high=high, med=med, low=low)
    except ValueError:  # also pydantic's ValidationError: not finite, or out of order
        raise UsageError(
            Problem.of("usage.bad-thresholds", column="--progress-thresholds", value=text)
        ) from None


EXIT_INTERNAL = 3
DEBUG_VAR = "KPICHECK_DEBUG"


def main() -> None:
    """Console-script entry point: a bug in kpicheck says so in one line, without a traceback."""
    try:
        app()
    except Exception as exc:
        if os.environ.get(DEBUG_VAR):
            raise
        typer.echo(
            f"kpicheck: internal error ({type(exc).__name__}: {exc}); this is a bug in kpicheck, "
            f"not in your files: please report it with the command you ran "
            f"(set {DEBUG_VAR}=1 to see the details)",
            err=True,
        )
        sys.exit(EXIT_INTERNAL)
