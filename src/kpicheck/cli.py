"""The command line: parses, wires and prints. It computes no status itself.

Heavy modules (pandas, the engine, the formats) are imported inside the
commands that need them, so ``--help``, ``validate`` and ``targets`` start fast.

No ``from __future__ import annotations`` here: typer reads the parameters of
every command on every run, and string annotations would make it compile and
eval each of them again (about 6 ms of each start-up).
"""

import datetime as dt
import itertools
import os
import signal
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

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
LANG_VAR = "KPICHECK_LANG"
LangOpt = Annotated[
    str,
    typer.Option(
        "--lang",
        envvar=LANG_VAR,
        show_envvar=False,
        help=f"Language of labels and messages: vi (default) or en; also ${LANG_VAR}.",
    ),
]
# What the first word of a problem's line says, in each language.
SEVERITY: dict[str, dict[str, str]] = {
    "vi": {"error": "lỗi", "warning": "cảnh báo"},
    "en": {"error": "error", "warning": "warning"},
}
DONE: dict[str, dict[str, str]] = {
    "vi": {"plans-ok": "{count} tệp kế hoạch hợp lệ", "written": "đã ghi {count} dòng vào {path}"},
    "en": {"plans-ok": "{count} plan file(s) OK", "written": "{count} row(s) written to {path}"},
}


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
def user_errors(lang: str = "vi") -> Iterator[None]:
    """Turn input errors into one line per problem on stderr, in ``lang``, and exit code 2.

    ``lang`` is the --lang given, checked or not: a wrong one is itself
    reported, in Vietnamese."""
    try:
        yield
    except KpicheckError as exc:
        for problem in exc.problems:
            _tell(problem, lang)
        raise typer.Exit(EXIT_USAGE) from None


def _tell(problem: Problem, lang: str = "vi") -> None:
    """``kpicheck: lỗi: file:line: column: message; hint`` (``cảnh báo`` for a warning; ``error`` and
    ``warning`` in English) on stderr, said in ``lang``."""
    lang = lang if lang in LANGS else "vi"
    problem = problem.in_language(lang)
    hint = f"; {problem.hint}" if problem.hint else ""
    typer.echo(f"kpicheck: {SEVERITY[lang][problem.severity]}: {problem}{hint}", err=True)


@app.command()
def evaluate(
    data: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Data files, folders, patterns (CSV, xlsx, parquet): unit,indicator,year,value; "
            "- reads standard input."
        ),
    ] = None,
    plan: Annotated[
        str | None,
        typer.Option("--plan", "-p", help="Plan id or plan file to judge every row against."),
    ] = None,
    year: Annotated[
        list[str] | None, typer.Option("--year", metavar="YEAR", help="Only these years (repeatable).")
    ] = None,
    unit: Annotated[list[str] | None, typer.Option("--unit", help="Only these units (repeatable).")] = None,
    fmt: Annotated[str | None, typer.Option("--format", "-f", help=help_text())] = None,
    output: Annotated[
        str | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write the report to this file (- is stdout)."),
    ] = None,
    fail_on: Annotated[
        str, typer.Option("--fail-on", help="Statuses that make the exit code 1, comma-separated.")
    ] = ",".join(sorted(DEFAULT_FAIL_ON)),
    lang: LangOpt = "vi",
    decimal: Annotated[
        str | None,
        typer.Option(
            "--decimal",
            help="Decimal mark the data writes: . or , (without it, 1.000 is refused as ambiguous).",
        ),
    ] = None,
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
    with user_errors(lang):
        # Options first: a mistyped one is reported at once, before any file is read.
        output_path = _output(output)
        if output_path is not None and str(output_path) == "-":
            output_path = None  # "-o -" is standard output, as if -o were not given
        chosen_fmt = _format(fmt, output_path)
        chosen_lang = _lang(lang)
        chosen_decimal = None if decimal is None else _choice(decimal, [".", ","], "--decimal")
        chosen_fail_on = _statuses(fail_on)
        chosen_as_of = _as_of(as_of)
        chosen_partial = _choice(partial, ["exclude", "include"], "--partial")
        chosen_map = _choice(unit_map, ["auto", "old", "new"], "--unit-map")
        years = [_integer(y, "--year") for y in year or []]
        units = [_not_empty(u, "--unit", "a unit's name or code") for u in unit or []]
        ahead = _start_reading(data or [], chosen_decimal)
        from kpicheck.judge.projection import METHODS, Projection
        from kpicheck.pipeline import Options, run

        chosen_projection = Projection(
            _choice(projection, list(METHODS), "--projection"), _thresholds(progress_thresholds)
        )

        options = Options(
            data=data or [],  # as given: run() finds the files again (a folder without any is named)
            plan=plan,
            years=years,
            units=units,
            fmt=chosen_fmt,
            output=output_path,
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
            warn=lambda problem: _tell(problem, chosen_lang),
            strict=False,  # a bad file is set aside, told on stderr and listed first in the report
            layout=RenderOptions(bom=bom, summary_first=summary_first, only_failed=only_failed),
        )
        outcome = run(options)
        if quiet:
            _print_summary(outcome.counts, chosen_lang)
        elif outcome.report is not None and output_path is None:
            from kpicheck.report.formats import renderer

            out = sys.stdout.buffer if FORMATS[chosen_fmt].binary else sys.stdout
            renderer(chosen_fmt)(outcome.report, out, wants_color(sys.stdout))
            out.flush()
        if outcome.errors:
            raise typer.Exit(EXIT_USAGE)
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
    with user_errors(lang):
        from kpicheck.plan.listing import from_cache, listing, target_rows

        catalog = _catalog(targets)
        refs = plans or catalog.ids()
        # Plans all kept as checked in full need no pydantic; any other reads the files.
        chosen = from_cache(catalog, refs)
        if chosen is None:
            chosen = [listing(catalog.load(ref)) for ref in refs]
        if _choice(fmt, ["table", "json"], "--format") == "json":
            from kpicheck.report import strict_json

            sys.stdout.write(strict_json.dumps(target_rows(chosen)))
        else:
            from kpicheck.report.targets_table import print_table

            print_table(chosen, _lang(lang), wants_color(sys.stdout))


@app.command()
def units(
    query: Annotated[str, typer.Argument(help="A unit's name (with or without its type) or code.")],
    year: Annotated[
        str | None,
        typer.Option(
            "--year",
            metavar="YEAR",
            help="Only units that existed in this year (codes: the map of that year).",
        ),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
    lang: LangOpt = "vi",
) -> None:
    """Find administrative units by name or code: what each became on 1/7/2025 or came from."""
    with user_errors(lang):
        chosen_fmt = _choice(fmt, ["table", "json"], "--format")
        chosen_lang = _lang(lang)
        chosen_year = None if year is None else _integer(year, "--year")
        if chosen_year is not None and not MIN_YEAR <= chosen_year <= MAX_YEAR:
            raise UsageError(
                Problem.of("usage.bad-year", column="--year", value=chosen_year, low=MIN_YEAR, high=MAX_YEAR)
            )
        from kpicheck.units.describe import not_found, record
        from kpicheck.units.registry import registry

        reg = registry()
        found = reg.find(query, chosen_year)
        if not found:
            raise UsageError(not_found(reg, query, chosen_year, chosen_lang))
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
    lang: LangOpt = "vi",
    targets: TargetsOpt = None,
) -> None:
    """Check plan files; exit 2 on any error."""
    with user_errors(lang):
        chosen_lang = _lang(lang)
        from kpicheck.plan.catalog import plan_files, validate_files

        catalog = _catalog(targets)
        files = plan_files(paths) if paths else list(catalog.files.values())
        if not files:
            raise UsageError(Problem.of("usage.no-plan-files"))
        problems = validate_files(files, catalog, chosen_lang)
        if problems:
            raise KpicheckError(problems)
        typer.echo(DONE[chosen_lang]["plans-ok"].format(count=len(files)), err=True)


@app.command()
def template(
    plan: Annotated[str, typer.Argument(help="Plan id or plan file.")],
    year: Annotated[
        str | None, typer.Option("--year", metavar="YEAR", help="Year to report (default: this year).")
    ] = None,
    unit: Annotated[
        list[str] | None, typer.Option("--unit", help="Units to list (default: the plan's units).")
    ] = None,
    output: Annotated[
        str | None, typer.Option("--output", "-o", metavar="FILE", help="Write to FILE.csv or FILE.xlsx.")
    ] = None,
    lang: LangOpt = "vi",
    targets: TargetsOpt = None,
) -> None:
    """Write the empty submission file a unit fills in for a plan."""
    with user_errors(lang):
        from kpicheck.report.template import template_rows, write_template

        chosen_lang = _lang(lang)
        chosen_year = None if year is None else _integer(year, "--year")
        output_path = _output(output)
        rows = template_rows(_catalog(targets).load(plan), chosen_year, unit or [], chosen_lang)
        write_template(rows, output_path, sys.stdout, chosen_lang)
        if output_path is not None:
            typer.echo(DONE[chosen_lang]["written"].format(count=len(rows), path=output_path), err=True)


@app.command()
def schema() -> None:
    """Print the JSON Schema of plan files, for editors' YAML plug-ins."""
    import json

    from kpicheck.plan.model import Plan

    body = Plan.model_json_schema(by_alias=True)
    body["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    body["title"] = "kpicheck plan"
    typer.echo(json.dumps(body, ensure_ascii=False, indent=2))


def _start_reading(data: list[Path], decimal: str | None) -> "ReadAhead":
    """Start parsing the CSV files named, found in folders or matched by patterns now, before pandas
    and the engine are imported (see ``kpicheck.read.readahead``)."""
    from kpicheck.read.files import data_files
    from kpicheck.read.readahead import ReadAhead

    return ReadAhead.start(data_files(data), decimal)


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


def _integer(text: str, option: str) -> int:
    """A whole number given on the command line (typer's own message would take three lines)."""
    try:
        return int(text.strip())
    except ValueError:
        raise UsageError(Problem.of("usage.not-an-integer", column=option, value=text)) from None


def _not_empty(text: str, option: str, what: str) -> str:
    if not text.strip():
        raise UsageError(Problem.of("usage.empty-value", column=option, what=what))
    return text


def _output(text: str | None) -> Path | None:
    """``-o``'s file; an empty name is refused here (as a path it would mean the current folder)."""
    if text is None:
        return None
    return Path(_not_empty(text, "-o", "the name of the file to write the report to"))


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
STOPPED = {"vi": "kpicheck: đã dừng do tín hiệu {signal}", "en": "kpicheck: stopped by {signal}"}
DEBUG_VAR = "KPICHECK_DEBUG"

# The signals that end a process unless it handles them (SIGINT is Python's KeyboardInterrupt already).
# SIGPROF and SIGVTALRM are left to profilers; SIGPIPE is ignored by Python, which raises instead.
_ENDING_SIGNALS = ("SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGALRM", "SIGXCPU")


class Interrupted(BaseException):
    """A signal asked the process to end: raised where the program is, so that the temporary file of a
    report being written is removed on the way out (``write_atomically``), as Ctrl-C's is."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def _raise_interrupted(signum: int, frame: object) -> None:
    for name in _ENDING_SIGNALS:  # a second signal must not cut short the clean-up of the first
        number = getattr(signal, name, None)
        if number is not None and signal.getsignal(number) == _raise_interrupted:
            signal.signal(number, signal.SIG_IGN)
    raise Interrupted(signum)


def _handle_signals() -> dict[int, Any]:
    """Turn the ending signals into ``Interrupted``; a signal a parent set to be ignored (``nohup``)
    stays ignored. The handlers that were there, to put back."""
    before: dict[int, Any] = {}
    for name in _ENDING_SIGNALS:
        number = getattr(signal, name, None)
        if number is not None and signal.getsignal(number) == signal.SIG_DFL:
            before[number] = signal.signal(number, _raise_interrupted)
    return before


# typer raises click's exceptions (from click, or from its own copy of it): found from a public one.
_CLICK_ERROR: type[Exception] = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")


def _command_line_error(exc: Exception) -> int:
    """Click's usage box (Usage, Try, Error on three lines) as one coded line; its exit code."""
    if type(exc).__name__ == "NoArgsIsHelpError":  # ``kpicheck`` alone: the help, as before
        exc.show()  # type: ignore[attr-defined]
        return int(getattr(exc, "exit_code", EXIT_USAGE))
    text = exc.format_message().strip().rstrip(".")  # type: ignore[attr-defined]
    ctx = getattr(exc, "ctx", None)
    command = ctx.command_path if ctx is not None else "kpicheck"
    _tell(Problem.of("usage.command-line", text=text[:1].lower() + text[1:], command=command), _argv_lang())
    return int(getattr(exc, "exit_code", EXIT_USAGE))


def main() -> None:
    """Console-script entry point: each problem in one line, a bug said to be one without a traceback,
    and a signal that ends the run leaves no temporary file behind."""
    before = _handle_signals()
    try:
        code = app(standalone_mode=False)
        sys.exit(code if isinstance(code, int) else EXIT_OK)
    except Interrupted as stop:
        typer.echo(STOPPED[_argv_lang()].format(signal=stop), err=True)
        sys.exit(128 + stop.signum)
    except _CLICK_ERROR as exc:
        sys.exit(_command_line_error(exc))
    except Exception as exc:
        if os.environ.get(DEBUG_VAR):
            raise
        english = _argv_lang() == "en"
        text = (
            f"kpicheck: internal error ({type(exc).__name__}: {exc}); this is a bug in kpicheck, "
            f"not in your files: please report it with the command you ran "
            f"(set {DEBUG_VAR}=1 to see the details)"
            if english
            else f"kpicheck: lỗi nội bộ ({type(exc).__name__}: {exc}); đây là lỗi của kpicheck, không phải "
            f"của tệp của bạn: hãy báo lỗi kèm theo lệnh đã chạy (đặt {DEBUG_VAR}=1 để xem chi tiết)"
        )
        typer.echo(text, err=True)
        sys.exit(EXIT_INTERNAL)
    finally:
        for number, handler in before.items():  # for a caller in the same process (tests)
            signal.signal(number, handler)


def _lang_args(argv: list[str]) -> list[str]:
    """The values given to --lang on a command line that never got as far as parsing them."""
    return [b for a, b in itertools.pairwise(argv) if a == "--lang"] + [
        a.split("=", 1)[1] for a in argv if a.startswith("--lang=")
    ]


def _argv_lang() -> str:
    """The language of a message said before (or without) the command line being parsed:
    English if --lang en or $KPICHECK_LANG=en says so, else Vietnamese."""
    return "en" if "en" in (os.environ.get(LANG_VAR), *_lang_args(sys.argv)) else "vi"
