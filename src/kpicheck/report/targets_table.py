"""``kpicheck targets`` as Rich tables: the targets as the plans state them (no pandas needed).

Rich lays out a long listing of wrapped Vietnamese text slowly (a quarter of a
second for the bundled plans), and the same plans on the same terminal give the
same bytes every time. So the text Rich made is kept in the plan cache, under
the SHA-256 of everything it depends on: the listings, the language, what the
console is (width, colours, encoding), and the code that draws it (this
module, the labels, Rich itself); the next run with the same key writes those
bytes instead of laying the tables out again.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from kpicheck.plan import cache
from kpicheck.plan.listing import Listing
from kpicheck.report import terminal
from kpicheck.report.labels import UNIT_SUFFIX, Lang, label

if TYPE_CHECKING:
    from rich.console import Console


def print_table(plans: list[Listing], lang: Lang, color: bool) -> None:
    """The targets as Rich tables, on stdout; rich is imported here so ``--format json`` skips it."""
    console = terminal.console(sys.stdout, color)
    name = f"targets-{_key(plans, lang, console)}.txt"
    text = cache.load_text(name)
    if text is None:
        with console.capture() as captured:
            _print(console, plans, lang)
        text = captured.get()
        cache.store_text(name, text)
    console.file.write(text)
    console.file.flush()


def _key(plans: list[Listing], lang: Lang, console: Console) -> str:
    """What the text printed depends on, hashed."""
    import rich

    here = Path(__file__).parent
    code = [here / "targets_table.py", here / "labels.py", here / "terminal.py", here.parent / "__init__.py"]
    rich_dir = Path(rich.__file__).parent
    code += sorted(Path(entry.path) for entry in os.scandir(rich_dir) if entry.name.endswith(".py"))
    stamps = [f"{path}:{st.st_size}:{st.st_mtime_ns}" for path in code for st in [path.stat()]]
    screen = [
        console.width,
        console.color_system,
        console.is_terminal,
        console.no_color,
        console.encoding,
        console.legacy_windows,
        console.is_dumb_terminal,
        console.options.ascii_only,
    ]
    what = json.dumps([plans, lang, screen, stamps], ensure_ascii=True)
    return hashlib.sha256(what.encode()).hexdigest()


def _print(console: Console, plans: list[Listing], lang: Lang) -> None:
    from rich.table import Table
    from rich.text import Text

    for plan in plans:
        title = plan["title"] if lang == "vi" else plan["title_en"]
        table = Table(title=title, title_justify="left")
        # The id, the code and the name: what a row of data may write to name the indicator.
        for key in ("id", "code", "indicator", "direction", "year", "target"):
            table.add_column(label(key, lang), no_wrap=key == "id")
        for ind in plan["indicators"]:
            name = ind["name"] if lang == "vi" else ind["name_en"]
            if ind["aliases"]:
                name += f"\n({label('or', lang)}: {', '.join(ind['aliases'])})"
            for n, t in enumerate(ind["targets"]):
                suffix = UNIT_SUFFIX[ind["unit"]]
                value = f"{t['value']:g}".replace(".", "," if lang == "vi" else ".")
                relative = t["basis"] == "relative"
                target = f"{t['op']} {value}{'%' if relative else suffix}"
                if relative:
                    target += f" ({label('change_vs', lang)} {t['baseline_year'] or plan['baseline_year']})"
                table.add_row(
                    Text(ind["id"] if n == 0 else "", style="bold"),
                    Text(ind["code"] or "" if n == 0 else ""),
                    Text(name if n == 0 else ""),
                    Text(label(ind["direction"], lang) if n == 0 else ""),
                    Text(str(t["year"]) if t["year"] is not None else label("every_year", lang)),
                    Text(target),
                )
        if plan["indicators"]:
            console.print(table)
        else:
            console.print(Text(title, style="bold"))
        if plan["milestones"]:
            ms_table = Table(title=label("milestone", lang), title_justify="left")
            for key in ("milestone", "owner", "due"):
                ms_table.add_column(label(key, lang))
            for m in plan["milestones"]:
                due = m["due"] or f"{_day_month(m['due_each_year'])} {label('every_year', lang)}"
                task = m["name"] if lang == "vi" else m["name_en"]
                ms_table.add_row(Text(task), Text(m["owner"]), Text(due))
            console.print(ms_table)


def _day_month(month_day: str | None) -> str:
    """``12-14`` as Vietnamese offices write it: ``14/12``."""
    if not month_day:
        return ""
    month, day = month_day.split("-")
    return f"{day}/{month}"
