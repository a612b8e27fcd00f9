"""The Python API: the same job as ``kpicheck evaluate`` and ``kpicheck targets``, for scripts and notebooks.

    import pandas as pd
    import kpicheck

    results = kpicheck.evaluate(pd.read_csv("samples/muong-te-ct28.csv"))
    results[results["status"] == "not_met"]

Every function raises ``kpicheck.KpicheckError`` (with ``.problems``, each
with a code, a message and a location) for bad input, as the command line
exits with code 2; nothing is printed. Messages and kpicheck's notes are in
Vietnamese unless ``lang="en"``, as on the command line; the codes are the same.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from kpicheck.errors import KpicheckError, Problem, UsageError

if TYPE_CHECKING:
    import pandas as pd

    from kpicheck.plan.model import Plan


def load_plan(plan: str | Path, *, targets: str | Path | None = None, lang: str = "vi") -> Plan:
    """The plan with this id (from ``targets``, ``$KPICHECK_TARGETS``, ``./targets`` or the bundled
    plans) or in this file, with everything it ``extends`` merged in."""
    from kpicheck.plan.catalog import Catalog

    with _said_in(lang):
        return Catalog.discover(_path(targets)).load(str(plan))


def evaluate(
    data: pd.DataFrame | str | Path | Sequence[str | Path],
    plan: str | Path | Plan | None = None,
    *,
    as_of: dt.date | str | None = None,
    projection: str = "cagr",
    rollup: str | None = None,
    decimal: str | None = None,
    targets: str | Path | None = None,
    partial: str = "exclude",
    unit_map: str = "auto",
    lang: str = "vi",
) -> pd.DataFrame:
    """Judge figures against their plan: one row per result, columns in the order of the CSV output.

    ``data`` is a DataFrame with the columns of a submission file (``unit``,
    ``indicator``, ``year``, ``value``, ...; text or numbers, as
    ``pandas.read_csv`` returns them; a wide table works too), or the paths of
    data files, folders or patterns. ``plan`` (an id, a plan file or a loaded
    plan) judges every row; without it each unit's plan is found from its
    name. ``as_of`` is the date milestone files among the paths are judged
    against (default today); their results are in ``.attrs["milestones"]``, one dict per
    milestone (``pandas.DataFrame(results.attrs["milestones"])`` makes them a table).
    ``decimal`` is the decimal mark text cells are written with, "." or ",";
    without it "1.000" is refused as ambiguous (a numeric column is a number
    whatever it says). ``rollup`` is ``district``, ``province``, ``plan`` (by
    the unit registry) or a column naming each row's higher unit; ``partial``
    (``exclude`` or ``include``) what to do with a unit lying only partly in
    the higher one; ``unit_map`` (``auto``, ``old``, ``new``) the map unit codes
    are read on. Text columns of the result are pandas categoricals;
    kpicheck's ``note`` is in ``lang`` (``vi`` or ``en``), the unit's own
    ``user_note`` as written.
    """
    with _said_in(lang):
        return _evaluate(data, plan, as_of, projection, rollup, decimal, targets, lang, partial, unit_map)


def _evaluate(
    data: pd.DataFrame | str | Path | Sequence[str | Path],
    plan: str | Path | Plan | None,
    as_of: dt.date | str | None,
    projection: str,
    rollup: str | None,
    decimal: str | None,
    targets: str | Path | None,
    lang: str,
    partial: str,
    unit_map: str,
) -> pd.DataFrame:
    import pandas as pd

    from kpicheck.judge.projection import METHODS
    from kpicheck.pipeline import Options, run

    if projection not in METHODS:
        raise UsageError(
            Problem.of("usage.bad-choice", column="projection", value=projection, allowed=", ".join(METHODS))
        )
    if lang not in ("vi", "en"):
        raise UsageError(Problem.of("usage.bad-choice", column="lang", value=lang, allowed="vi, en"))
    if decimal not in (".", ",", None):
        raise UsageError(Problem.of("usage.bad-choice", column="decimal", value=decimal, allowed="., ,"))
    if partial not in ("exclude", "include"):
        raise UsageError(
            Problem.of("usage.bad-choice", column="partial", value=partial, allowed="exclude, include")
        )
    if unit_map not in ("auto", "old", "new"):
        raise UsageError(
            Problem.of("usage.bad-choice", column="unit_map", value=unit_map, allowed="auto, old, new")
        )
    chosen: str | None = None
    plan_object = None
    if plan is not None and not isinstance(plan, str | Path):
        plan_object = plan
    elif plan is not None:
        chosen = str(plan)
    options = Options(
        data=[] if isinstance(data, pd.DataFrame) else [Path(p) for p in _paths(data)],
        plan=chosen,
        as_of=_date(as_of),
        projection=projection,
        rollup=rollup,
        decimal=decimal,
        targets=_path(targets),
        partial=partial,
        unit_map=unit_map,
        lang=lang,
        every_result=True,
    )
    frame = None
    if isinstance(data, pd.DataFrame):
        from kpicheck.read.actuals import read_frame

        frame = read_frame(data, decimal).frame
    outcome = run(options, frame=frame, plan=plan_object)
    assert outcome.report is not None  # no output file, not quiet: the report is built
    results = outcome.report.results
    # Records, not a table: pandas compares attrs when it concatenates or merges, and a DataFrame
    # there makes every concat of two results fail ("truth value of a DataFrame is ambiguous").
    milestones = outcome.report.milestones.astype(object)
    results.attrs["milestones"] = milestones.where(milestones.notna(), None).to_dict("records")
    return results


def targets(
    plan: str | Path | Plan | None = None, *, targets: str | Path | None = None, lang: str = "vi"
) -> pd.DataFrame:
    """The targets as the plan states them (every plan when ``plan`` is None): one row per target,
    the columns of ``kpicheck targets --format json``."""
    with _said_in(lang):
        return _targets(plan, targets)


def _targets(plan: str | Path | Plan | None, targets: str | Path | None) -> pd.DataFrame:
    import pandas as pd

    from kpicheck.plan.catalog import Catalog
    from kpicheck.plan.listing import listing, target_rows

    catalog = Catalog.discover(_path(targets))
    if plan is None:
        plans = [catalog.get(pid) for pid in catalog.ids()]
    elif isinstance(plan, str | Path):
        plans = [catalog.load(str(plan))]
    else:
        plans = [plan]
    return pd.DataFrame(target_rows([listing(p) for p in plans]))


@contextmanager
def _said_in(lang: str) -> Iterator[None]:
    """Bad input raises its problems said in ``lang``."""
    try:
        yield
    except KpicheckError as exc:
        raise exc.in_language(lang if lang in ("vi", "en") else "vi") from None


def _paths(data: str | Path | Sequence[str | Path]) -> list[str | Path]:
    if isinstance(data, str | Path):
        return [data]
    return list(data)


def _path(value: str | Path | None) -> Path | None:
    return None if value is None else Path(value)


def _date(value: dt.date | str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(Problem.of("usage.bad-date", column="as_of", value=value)) from None


__all__ = ["KpicheckError", "evaluate", "load_plan", "targets"]
