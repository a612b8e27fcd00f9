"""``kpicheck targets`` as Rich tables: the targets as the plans state them (no pandas needed)."""

from __future__ import annotations

import sys

from kpicheck.plan.model import Plan
from kpicheck.report import terminal
from kpicheck.report.labels import UNIT_SUFFIX, Lang, label


def print_table(plans: list[Plan], lang: Lang, color: bool) -> None:
    """The targets as Rich tables; rich is imported here so ``--format json`` skips it."""
    from rich.table import Table
    from rich.text import Text

    console = terminal.console(sys.stdout, color)
    for plan in plans:
        table = Table(title=plan.title if lang == "vi" else plan.title_en, title_justify="left")
        # The id, the code and the name: what a row of data may write to name the indicator.
        for key in ("id", "code", "indicator", "direction", "year", "target"):
            table.add_column(label(key, lang), no_wrap=key == "id")
        for ind in plan.indicators:
            name = ind.name if lang == "vi" else ind.name_en
            if ind.aliases:
                name += f"\n({label('or', lang)}: {', '.join(ind.aliases)})"
            for n, t in enumerate(ind.targets):
                suffix = UNIT_SUFFIX[ind.unit.value]
                value = f"{t.value:g}".replace(".", "," if lang == "vi" else ".")
                target = f"{t.op.value} {value}{'%' if t.basis.value == 'relative' else suffix}"
                if t.basis.value == "relative":
                    target += f" ({label('change_vs', lang)} {t.baseline_year or plan.baseline_year})"
                table.add_row(
                    Text(ind.id if n == 0 else "", style="bold"),
                    Text(ind.code or "" if n == 0 else ""),
                    Text(name if n == 0 else ""),
                    Text(label(ind.direction.value, lang) if n == 0 else ""),
                    Text(str(t.year) if t.year is not None else label("every_year", lang)),
                    Text(target),
                )
        if plan.indicators:
            console.print(table)
        else:
            console.print(Text(plan.title if lang == "vi" else plan.title_en, style="bold"))
        if plan.milestones:
            ms_table = Table(title=label("milestone", lang), title_justify="left")
            for key in ("milestone", "owner", "due"):
                ms_table.add_column(label(key, lang))
            for m in plan.milestones:
                due = (
                    m.due.strftime("%d/%m/%Y")
                    if m.due
                    else f"{_day_month(m.due_each_year)} {label('every_year', lang)}"
                )
                ms_table.add_row(Text(m.name if lang == "vi" else m.name_en), Text(m.owner), Text(due))
            console.print(ms_table)


def _day_month(month_day: str | None) -> str:
    """``12-14`` as Vietnamese offices write it: ``14/12``."""
    if not month_day:
        return ""
    month, day = month_day.split("-")
    return f"{day}/{month}"
