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
from kpicheck.report.formats import FORMATS, for_path, help_text
from kpicheck.report.labels import LANGS, Lang
from kpicheck.report.layout import RenderOptions
from kpicheck.report.terminal import wants_color
from kpicheck.statuses import DEFAULT_FAIL_ON

if TYPE_CHECKING:
    from kpicheck.plan.catalog import Catalog
    from kpicheck.plan.model import ProgressThresholds
    from kpicheck.read.readahead import ReadAhead


def _plain_options() -> None:
    """Coerce kpicheck's options without pydantic.

    typer 0.29 builds a pydantic ``TypeAdapter`` for every option a command
    receives, which imports pydantic (0.1 s) and builds the adapters: half of
    what ``validate`` and ``targets`` took once their plans come from the cache
    (``kpicheck.plan.cache``). kpicheck's options are str, int, bool and Path,
    or lists of them, with no constraints on them, for which ``int()`` and
    typer's own path coercion do the same, with the same messages. Any other
    option, or a typer without these internals, goes through typer's adapters as before.
    """
    try:
        from dataclasses import dataclass
        from typing import Any, get_args, get_origin

        import typer.core as core
        from typer._click.exceptions import BadParameter
        from typer._coercion import RuntimeParam
        from typer._param_types import coerce_cli_path
    except ImportError:  # pragma: no cover - another typer: its own coercion
        return
    original = core.build_runtime_param

    @dataclass(frozen=True)
    class Plain(RuntimeParam):
        leaf: Any = str
        many: bool = False

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            if self.many:
                items = value if isinstance(value, list | tuple) else [value]
                return [self._one(item, param, ctx) for item in items]
            return self._one(value, param, ctx)

        def _one(self, value: Any, param: Any, ctx: Any) -> Any:
            if self.leaf is bool or not isinstance(value, str):
                return value if self.leaf is not Path else Path(value)
            if self.leaf is int:
                try:
                    return int(value)
                except ValueError:
                    message = "Input should be a valid integer, unable to parse string as an integer"
                    raise BadParameter(message, ctx=ctx, param=param) from None
            if self.leaf is Path:
                return coerce_cli_path(Path(value), self.parameter_info, path_type=Path, param=param, ctx=ctx)
            return value

    def build(descriptor: Any) -> Any:
        annotation, info = descriptor.annotation, descriptor.parameter_info
        many = get_origin(annotation) is list
        leaf = get_args(annotation)[0] if many else annotation
        plain = (
            leaf in (str, int, bool, Path)
            and descriptor.file_annotation is None
            and info.parser is None
            and info.min is None
            and info.max is None
            and info.path_type is None
        )
        if not plain:
            return original(descriptor)
        return Plain(info, annotation, leaf, many)

    core.build_runtime_param = build


_plain_options()

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
    fmt: Annotated[str | None, typer.Option("--format", "-f", help=help_text())] = None,
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
            help="Aggregate to the higher unit named in this data column (parent, district, province).",
        ),
    ] = None,
    sheet: Annotated[
        str | None,
        typer.Option("--sheet", help="Excel: the sheet to read (default: the one sheet holding figures)."),
    ] = None,
    targets: TargetsOpt = None,
    bom: Annotated[
        bool, typer.Option("--bom", help="csv: start with a byte-order mark, for Excel on Windows.")
    ] = False,
    summary_first: Annotated[
        bool | None,
        typer.Option(
            "--summary-first/--summary-last",
            help="table: the per-unit summary before the detail (default: first when the detail is long).",
        ),
    ] = None,
    only_failed: Annotated[
        bool,
        typer.Option("--only-failed", help="table: show only the failing results, then the summaries."),
    ] = False,
) -> None:
    """Judge submitted figures against their plan's targets."""
    with user_errors():
        # Options first: a mistyped one is reported at once, before any file is read.
        chosen_fmt = _format(fmt, output)
        chosen_lang = _lang(lang)
        chosen_decimal = _choice(decimal, [".", ","], "--decimal")
        chosen_fail_on = _statuses(fail_on)
        chosen_as_of = _as_of(as_of)
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
            sheet=sheet,
            ahead=ahead,
            progress=_with_progress,
            warn=_tell,
            layout=RenderOptions(bom=bom, summary_first=summary_first, only_failed=only_failed),
        )
        outcome = run(options)
        if quiet:
            _print_summary(outcome.counts, chosen_lang)
        elif outcome.report is not None and output is None:
            from kpicheck.report.formats import renderer

            out = sys.stdout.buffer if FORMATS[chosen_fmt].binary else sys.stdout
            renderer(chosen_fmt)(outcome.report, out, wants_color(sys.stdout))
            out.flush()
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


def _format(fmt: str | None, output: Path | None) -> str:
    """``--format`` as given, else the one ``-o``'s extension names, else the table."""
    chosen = _choice(fmt, list(FORMATS), "--format") if fmt is not None else None
    if chosen is None:
        chosen = (for_path(output) if output is not None else None) or "table"
    if FORMATS[chosen].binary and output is None and sys.stdout.isatty():
        raise UsageError(Problem.of("output.binary-to-terminal", column="--format", format=chosen))
    return chosen


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
