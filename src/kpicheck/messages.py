"""The catalogue of every problem kpicheck reports: a stable code, what it means, what it says.

A code is dotted and lowercase and never changes meaning once released: a
script may match on it where the wording is free to improve. The family says
who has to act: ``plan.*`` a plan file, ``data.*`` a data or milestone file,
``output.*`` where the report goes, ``usage.*`` the command line, and
``warning.*`` what kpicheck assumed to read a file (reported, not refused).

``message`` says what is wrong; ``hint`` says what to do and may name
command-line flags, so the CLI prints it after the message and the Python API
leaves it out. Both are ``str.format`` templates with named arguments. Another
language is another table keyed by the same codes (``LANGUAGES``); a code that
table lacks is shown in English.

This module imports nothing heavy: ``errors`` renders from it on every run.
``scripts/error_catalogue.py`` writes the README's table of codes from it.
"""

from __future__ import annotations

from typing import NamedTuple


class Entry(NamedTuple):
    title: str  # what the code means, for the README's table
    message: str  # template: what is wrong
    hint: str = ""  # template: what to do


class Text(NamedTuple):
    message: str
    hint: str


_LEGACY = (
    "open it in Excel and save it as 'CSV UTF-8', or convert it to Unicode with "
    "Unikey's converter (Ctrl+Shift+F6)"
)
_GIVE_DATA = "give a CSV, .xlsx or .parquet file"
_NO_ROWS = "add one row per unit, indicator and year"

ENGLISH: dict[str, Entry] = {
    # Plan files: finding and reading them.
    "plan.targets-not-folder": Entry("--targets names no folder", "{path} is not a folder of plans"),
    "plan.env-not-folder": Entry(
        "$KPICHECK_TARGETS names no folder", "{path} is not a folder (set by ${variable})"
    ),
    "plan.no-such-path": Entry("A plan file or folder to validate does not exist", "no such file or folder"),
    "plan.no-such-file": Entry(
        "--plan names a file that does not exist",
        "no such plan file",
        "give a plan id (known: {known}) or a plan file",
    ),
    "plan.not-found": Entry("No plan has this id", "no plan with id {plan!r} (known: {known})"),
    "plan.too-large": Entry("The file is too large to be a plan", "the file is too large to be a plan"),
    "plan.unreadable": Entry("The plan file cannot be read", "cannot read the file: {reason}"),
    "plan.not-utf8": Entry("The plan file is not UTF-8 text", "not UTF-8", "save the plan as UTF-8"),
    "plan.yaml-syntax": Entry("The plan file is not valid YAML", "not valid YAML: {reason}"),
    "plan.empty": Entry("The plan file is empty", "the file is empty"),
    "plan.too-many-values": Entry(
        "The plan has more values than a plan can (an alias bomb)",
        "more than {limit:,} values (an alias bomb?)",
        "write the plan without YAML aliases",
    ),
    "plan.tag-not-allowed": Entry(
        "A YAML tag (!!python/..., custom tags) in a plan",
        "the tag {tag!r} is not allowed in a plan file",
        "remove it",
    ),
    "plan.duplicate-key": Entry(
        "A key given twice in one mapping", "duplicate key {key!r} (first on line {first})", "keep only one"
    ),
    "plan.not-mapping": Entry(
        "The plan file is not a mapping of keys", "a plan file must be a mapping of keys (id:, title:, ...)"
    ),
    # Plan files: the shape of each value (the models in plan/model.py).
    "plan.unknown-key": Entry(
        "A key the plan format does not have (a typo?)",
        "unknown key",
        "check its spelling against `kpicheck schema`",
    ),
    "plan.missing-key": Entry("A required key is missing", "required key is missing"),
    "plan.invalid-value": Entry("A value of the wrong type or form", "{reason} (got {value!r})"),
    "plan.invalid-structure": Entry("A list or mapping where the format wants another", "{reason}"),
    # Plan files: the rules that need the whole plan (plan/rules.py).
    "plan.period-reversed": Entry(
        "The period ends before it starts", "the period starts in {start} but ends in {end}"
    ),
    "plan.baseline-after-period": Entry(
        "The baseline year is after the period", "baseline year {year} is after the period {start}–{end}"
    ),
    "plan.duplicate-id": Entry(
        "Two goals, indicators or milestones with one id", "duplicate {kind} {id!r} (also item {first})"
    ),
    "plan.unknown-goal": Entry(
        "An indicator names a goal the plan does not have",
        "goal {goal!r} is not among the plan's goals ({goals})",
    ),
    "plan.mixed-standing-target": Entry(
        "An indicator has a standing target (no year) and dated ones",
        "mixes a standing target (no year) with other targets",
        "keep one kind",
    ),
    "plan.duplicate-target-year": Entry(
        "An indicator has two targets for one year", "a second target for {year} (first is item {first})"
    ),
    "plan.target-year-outside-period": Entry(
        "A target's year is outside the plan period",
        "year {year} is outside the plan period {start}–{end}",
    ),
    "plan.op-contradicts-direction": Entry(
        "The operator contradicts the indicator's direction (< for higher is better)",
        "operator {op!r} contradicts direction {direction!r} (use one of {allowed})",
    ),
    "plan.change-below-minus-100": Entry(
        "A relative target asks for a change below -100%", "a change cannot be below -100%"
    ),
    "plan.relative-without-baseline": Entry(
        "A relative target without a baseline year",
        "a relative target needs 'baseline_year' (here or on the plan)",
    ),
    "plan.relative-without-year": Entry(
        "A relative target without a year", "a relative target needs the year it is due"
    ),
    "plan.negative-target": Entry("A target value below zero", "{value:g} is negative"),
    "plan.target-above-maximum": Entry(
        "A target above what the unit allows (a percent above 100)",
        "{value:g} is above the unit's maximum {maximum:g}",
    ),
    "plan.baseline-on-absolute": Entry(
        "A baseline year on a target that is not relative", "only a relative target has a baseline year"
    ),
    "plan.milestone-due-ambiguous": Entry(
        "A milestone without exactly one deadline",
        "give exactly one of 'due' (a date) or 'due_each_year' (MM-DD)",
    ),
    "plan.milestone-due-outside-period": Entry(
        "A milestone due outside the plan period", "due {due} is outside the period {start}–{end}"
    ),
    # Plans together: ids and ``extends``.
    "plan.share-not-percent": Entry(
        "An indicator that is a share of sub-units is not a percent",
        "a share of units ('share_of') is a percent, not {unit}",
        "write 'unit: percent'",
    ),
    "plan.share-level": Entry(
        "An indicator is a share of units not below the plan's level",
        "a {level} plan cannot count shares of {share} units",
        "name a level below the plan's ('share_of: commune' in a district plan)",
    ),
    "plan.binds-above-plan": Entry(
        "A milestone binds a level above the plan's",
        "a {level} plan cannot bind the {binds} level",
        "bind the plan's own level or one below it",
    ),
    "plan.unknown-area": Entry(
        "The plan's area_unit is no official unit of the year the plan was issued",
        "no administrative unit is named or coded {query!r} in {year}",
        "give the code of the area on the map of that year (kpicheck units NAME); close: {candidates}",
    ),
    "plan.ambiguous-area": Entry(
        "The plan's area_unit names several official units",
        "{query!r} names several units: {units}",
        "give the area's code",
    ),
    "plan.unit-not-in-area": Entry(
        "A unit the plan lists is no official unit of its area",
        "{name!r} is no official unit of {area}",
        "write the official name; close: {candidates}",
    ),
    "plan.ambiguous-unit": Entry(
        "A unit the plan lists names several official units of its area",
        "{name!r} names several units: {units}",
        "write the full official name, with its type",
    ),
    "plan.misspelt-unit": Entry(
        "A unit the plan lists is an official name misspelt",
        "{name!r} is no official unit",
        "did you mean {candidates}?",
    ),
    "plan.id-mismatch": Entry(
        "The plan id differs from its file name", "the plan id {plan!r} must match the file name"
    ),
    "plan.unknown-parent": Entry(
        "`extends` names a plan that does not exist", "extends {parent!r}, which is not a known plan"
    ),
    "plan.extends-cycle": Entry(
        "Plans extend each other in a circle", "plans extend each other in a cycle: {cycle}"
    ),
    # Data files: finding, opening and decoding them.
    "data.no-files": Entry("No data file to read", "no data files given"),
    "data.pattern-matches-nothing": Entry("A file pattern matches no file", "the pattern matches no file"),
    "data.unreadable": Entry("The file cannot be read", "cannot read the file: {reason}"),
    "data.empty-file": Entry(
        "The file is empty", "the file is empty", "it needs a header line and data rows"
    ),
    "data.xls": Entry(
        "An Excel 97-2003 workbook, which kpicheck does not read",
        "an Excel 97-2003 (.xls) workbook",
        "open it in Excel and save it as .xlsx or 'CSV UTF-8'",
    ),
    "data.binary-file": Entry(
        "A binary file where text was expected",
        "not a text file: it holds control bytes (a binary file renamed .csv?)",
        _GIVE_DATA,
    ),
    "data.damaged-utf8": Entry(
        "UTF-8 text with bytes that are not UTF-8",
        "the file is UTF-8 with some bytes that are not (a damaged file, or text pasted in from "
        "another encoding?)",
        _LEGACY,
    ),
    "data.legacy-encoding": Entry(
        "Text in a legacy Vietnamese font encoding (TCVN3/ABC or VNI)",
        "the file is not UTF-8 and not Windows-1258 Vietnamese: it looks like a legacy Vietnamese font "
        "encoding (TCVN3/ABC or VNI)",
        _LEGACY,
    ),
    "data.legacy-font-name": Entry(
        "A name in a legacy font saved as Unicode",
        "{text!r} holds {char!r}, which Vietnamese does not use: it looks like text in a legacy font "
        "(TCVN3/ABC or VNI) saved as Unicode",
        _LEGACY,
    ),
    "data.bad-byte": Entry(
        "A byte that is not text in the file's encoding",
        "byte {byte:#04x} is not {encoding} text",
        _LEGACY,
    ),
    "data.bad-text": Entry(
        "Text that is not valid in the file's encoding", "the text is not valid {encoding}", _LEGACY
    ),
    "data.first-line-not-text": Entry(
        "The first line does not decode as text", "the first line is not valid text"
    ),
    # CSV files: their layout.
    "data.long-first-line": Entry(
        "A first line too long for a CSV header",
        "the first line is longer than {size} KiB; is this a CSV file?",
    ),
    "data.long-line": Entry(
        "A line too long for a CSV file", "a line longer than {size} MiB: is this a CSV file?"
    ),
    "data.header-not-csv": Entry("The header line is not CSV", "the header line is not CSV ({reason})"),
    "data.field-count": Entry(
        "A line with more or fewer fields than the header",
        "{got} fields where the header has {expected}",
        "check the delimiters and quotes on this line",
    ),
    "data.malformed-csv": Entry(
        "The file is not well-formed CSV",
        "not a well-formed CSV file ({reason})",
        "save it again as 'CSV UTF-8'",
    ),
    # Excel and Parquet files.
    "data.bad-workbook": Entry(
        "The workbook cannot be read",
        "cannot read it as an Excel workbook ({reason})",
        "save it again as .xlsx",
    ),
    "data.zip-not-workbook": Entry(
        "A zip archive that is not an Excel workbook",
        "not a text file: a zip archive that is not an Excel workbook ({reason})",
        _GIVE_DATA,
    ),
    "data.no-such-sheet": Entry(
        "--sheet names a sheet the workbook does not have",
        "the workbook has no sheet {sheet!r} (sheets: {sheets})",
    ),
    "data.no-table-in-workbook": Entry(
        "No sheet holds a table of figures",
        "no sheet has a header row with unit, indicator, year, value in its first {rows} rows "
        "(sheets: {sheets})",
    ),
    "data.many-sheets": Entry(
        "Several sheets hold a table of figures",
        "sheets {sheets} each hold a table of figures",
        "choose one with --sheet",
    ),
    "data.sheet-without-header": Entry(
        "The chosen sheet has no header row",
        "sheet {sheet!r} has no header row with unit, indicator, year, value in its first {rows} rows",
    ),
    "data.unnamed-column": Entry(
        "A column with figures but no name",
        "this column has figures but no name in the header",
        "name it or delete it",
    ),
    "data.bad-parquet": Entry(
        "The Parquet file cannot be read", "cannot read it as a Parquet file ({reason})", "write it again"
    ),
    "data.column-type": Entry(
        "A Parquet column of the wrong type", "the column holds {kind}; it must hold {expected}"
    ),
    # Every format: the header.
    "data.missing-column": Entry(
        "A required column is missing",
        "missing column {missing}",
        "the header must have unit,indicator,year,value (found: {found})",
    ),
    "data.duplicate-column": Entry(
        "A column named twice in the header", "column {header!r} appears twice in the header", "keep one"
    ),
    "data.no-indicator-columns": Entry(
        "A wide table with no indicator columns", "no indicator columns next to unit and year"
    ),
    "data.no-rows": Entry(
        "A header and no data rows", "the {container} has a header but no data rows", _NO_ROWS
    ),
    # Every format: the cells.
    "data.blank-name": Entry(
        "A row without a unit or an indicator", "{name} is blank; every row needs a unit and an indicator"
    ),
    "data.bad-unit-code": Entry(
        "A unit code that is not digits",
        "{text!r} is not a unit code",
        "write the statistics office's code (digits, such as 03433), or the name in the 'unit' column",
    ),
    "data.bad-year": Entry(
        "A year that is not four digits", "year is {shown}", "write the year as four digits, e.g. 2025"
    ),
    "data.ambiguous-number": Entry(
        "A number that reads two ways (1.000: one or a thousand?)",
        "{text!r} is ambiguous (decimal mark or thousands separator?)",
        "write it without a thousands separator and with a decimal point, or pass --decimal , if the "
        "file writes decimal commas and thousands dots",
    ),
    "data.percent-sign": Entry(
        "A figure written with a percent sign",
        "{text!r} has a percent sign",
        "write the number alone ({number}): the indicator's unit comes from the plan",
    ),
    "data.not-a-number": Entry(
        "A numerator or denominator that is not a number",
        "{text!r} is not a number",
        "write a plain number or leave it blank",
    ),
    "data.conflicting-duplicate": Entry(
        "One unit, indicator and year given twice with different values",
        "{unit} / {indicator} / {year} is given {count} times with different values ({places})",
        "keep one row",
    ),
    # Data against plans.
    "data.no-plan-for-unit": Entry(
        "No plan names a unit of the data",
        "no plan names the unit(s) {units}",
        "pass --plan ID (plans: {plans}) or add the units to a plan's 'units'",
    ),
    "data.unknown-unit": Entry(
        "A unit named in the data is no official unit",
        "{name!r} is no official unit",
        "write the official name or the unit's code (kpicheck units NAME); close: {candidates}",
    ),
    "data.unit-not-in-year": Entry(
        "A unit named for a year in which it did not exist",
        "{name!r} did not exist in {year}: {units}",
        "report on the unit it became ({successors}), or check the year",
    ),
    "data.unknown-unit-code": Entry(
        "A unit code that no unit had on the map of the row's year",
        "no unit has code {unit_code} on the {map} map ({year})",
        "on the {other} map: {elsewhere}; pass --unit-map {other} if the file uses those codes",
    ),
    "data.ambiguous-unit": Entry(
        "A unit name or code that may mean several official units",
        "{text!r} may be {units}",
        "give the unit's code in a 'unit_code' column, or its full official name",
    ),
    "data.unit-code-mismatch": Entry(
        "A row's unit code and unit name are two different units",
        "code {unit_code} is {official} in {year}, not {name!r}",
        "codes were reused on 1 July 2025: check the code and the year",
    ),
    "data.more-unit-problems": Entry(
        "More units than are told one by one are unknown, ambiguous or misdated",
        "and {count} more unit(s) like those above",
        "check the unit names and codes of the file against kpicheck units",
    ),
    "data.no-rollup-column": Entry(
        "--rollup names a column the data does not have",
        "the data has no '{name}' column naming each row's higher unit (add a column '{name}')",
    ),
    "data.blank-rollup-unit": Entry(
        "A row without the higher unit to roll up to", "{name} is blank; every row needs one to roll up"
    ),
    "data.rollup-unit-unknown": Entry(
        "--rollup by the hierarchy, and a unit that is no official unit",
        "the data has no '{name}' column, and {unit!r} is no official unit whose {name} kpicheck knows",
        "add a '{name}' column, or name the units by their official names or codes",
    ),
    "data.rate-without-parts": Entry(
        "A rate to roll up without numerator and denominator",
        "cannot roll up the rate '{indicator}' without numerator and denominator",
        "add both columns (a rate is never averaged)",
    ),
    # Milestone-status files.
    "data.not-utf8": Entry("The milestone file is not UTF-8 text", "not UTF-8", "save the file as CSV UTF-8"),
    "data.missing-milestone-column": Entry(
        "A required column of a milestone file is missing",
        "missing column {missing}",
        "the header must be unit,milestone,year,done",
    ),
    "data.bad-milestone-year": Entry(
        "A milestone row's year is not a year", "year {year!r} is not a year", "write four digits"
    ),
    "data.bad-date": Entry(
        "A date kpicheck cannot read", "{text!r} is not a date", "write YYYY-MM-DD or DD/MM/YYYY"
    ),
    "data.no-milestone-rows": Entry("A milestone file with no rows", "the file has a header but no rows"),
    "data.unknown-milestone": Entry(
        "A milestone the plan does not have", "milestone {milestone!r} is not in plan {plan} (known: {known})"
    ),
    # Where the report goes.
    "output.overwrites-input": Entry(
        "-o names a file the run reads", "refusing to overwrite an input file", "choose another -o"
    ),
    "output.no-folder": Entry("-o names a file in a folder that does not exist", "the folder does not exist"),
    # The command line.
    "usage.bad-choice": Entry("An option's value is not one it takes", "{value!r} is not one of {allowed}"),
    "usage.unknown-status": Entry(
        "--fail-on names a status that does not exist", "unknown status {statuses} (known: {known})"
    ),
    "usage.bad-date": Entry("--as-of is not a date", "{value!r} is not a date", "write YYYY-MM-DD"),
    "usage.bad-thresholds": Entry(
        "--progress-thresholds is not three ordered numbers",
        "{value!r} is not three numbers high,med,low with high >= med >= low",
        "for example 0.95,0.6,0",
    ),
    "usage.rollup-plan-without-area": Entry(
        "--rollup plan for a plan that names no area in the registry",
        "--rollup plan needs a plan whose area is an official unit ('area_unit')",
        "use --rollup district or province, or a column naming each row's higher unit",
    ),
    "usage.no-input": Entry(
        "evaluate was given nothing to read", "give at least one data file, or --milestones FILE"
    ),
    "usage.no-plan-files": Entry("validate found no plan file", "no plan files found"),
    "usage.bad-year": Entry(
        "--year is not a plausible year",
        "{value} is not a plausible year",
        "give a year from {low} to {high}",
    ),
    "usage.unknown-unit": Entry(
        "kpicheck units: no administrative unit has this name or code, nor one close to it",
        "no administrative unit is named or coded {query!r}",
        "check the spelling, or give the unit's code",
    ),
    "usage.unknown-unit-close": Entry(
        "kpicheck units: no administrative unit has this name or code; some come close",
        "no administrative unit is named or coded {query!r}",
        "did you mean {candidates}?",
    ),
    "usage.unit-not-in-year": Entry(
        "kpicheck units: the unit named did not exist in the year asked",
        "no administrative unit named or coded {query!r} existed in {year}",
        "without --year: {candidates}",
    ),
    "usage.plan-without-units": Entry(
        "template: the plan names no units and none were given",
        "plan {plan} names no units",
        "give them with --unit NAME",
    ),
    # What was assumed to read a file: reported, not refused.
    "warning.read-as-utf16": Entry(
        "A UTF-16 file (Excel's 'Unicode text') read as such", "read as UTF-16 text (Excel's 'Unicode text')"
    ),
    "warning.read-as-windows-1258": Entry(
        "A file that is not UTF-8 read as Windows-1258 (Vietnamese ANSI)",
        "read as Windows-1258 (Vietnamese ANSI), not UTF-8",
    ),
    "warning.excel-not-csv": Entry(
        "An Excel workbook under another suffix, read as a workbook",
        "the file is an Excel workbook, not {suffix} text; read as .xlsx",
    ),
    "warning.parquet-not-csv": Entry(
        "A Parquet file under another suffix, read as Parquet",
        "the file is a Parquet file, not {suffix} text; read as Parquet",
    ),
    "warning.unknown-columns": Entry(
        "Columns kpicheck does not know, ignored", "ignoring unknown column(s) {columns}"
    ),
    "warning.lone-numerator": Entry(
        "A numerator without a denominator (or the reverse), ignored",
        "ignoring column '{kept}': it needs a '{other}' column beside it",
    ),
    "warning.outside-area": Entry(
        "--plan judges units that lie outside the plan's area",
        "{units} lie outside the area of plan {plan} ({area}); judged against it as --plan asks",
    ),
    "warning.share-without-area": Entry(
        "A share of communes for a plan that names no area: the communes' rows are not judged",
        "plan {plan} names no area in the registry, so shares of its communes cannot be counted; "
        "their rows are left out",
        "give the plan an 'area_unit', or use --rollup district or province",
    ),
    "warning.history-rebuilt": Entry(
        "Figures before 2025 added up onto new units, so that their trend continues across the reform",
        "history before 2025 rebuilt for {count} new unit(s) from the old units they were made of: {units}",
    ),
    "warning.partial-left-out": Entry(
        "Units lying only partly in the unit they would be summed into were left out",
        "{units} lie(s) only partly in {areas}: left out of its figures (see 'partial')",
        "pass --partial include to count them in full",
    ),
    "warning.partial-counted": Entry(
        "Units lying only partly in the unit they were summed into were counted in full",
        "{units} lie(s) only partly in {areas}: counted in full, as --partial include asks (see 'partial')",
    ),
    "warning.year-with-word": Entry(
        "Years written as 'năm 2025', read as the number",
        "{count} year(s) written with the word 'năm' (first on line {first}: {text!r}); "
        "read as the number alone",
    ),
    "warning.sheet-chosen": Entry(
        "The one sheet holding figures was read",
        "read sheet {sheet!r}; the other sheets hold no table of figures",
    ),
    "warning.merged-header": Entry(
        "A header of merged cells over several rows, read as one",
        "merged header cells; rows {first}-{last} read as one header",
    ),
    "warning.title-rows": Entry(
        "Rows above the header (a title), skipped", "skipped {count} row(s) above the header (a title?)"
    ),
    "warning.merged-cells": Entry(
        "Merged cells below the header, read as repeated values",
        "{count} merged cell range(s) below the header read as repeated values",
    ),
    "warning.numbers-as-text": Entry(
        "Spreadsheet cells holding numbers as text, read as numbers",
        "{count} cell(s) hold numbers stored as text; read as numbers",
    ),
    "warning.fractions": Entry(
        "Every figure between 0 and 1: percent-formatted cells?",
        "every figure lies between 0 and 1",
        "if the cells are formatted as percentages, Excel holds 24% as 0.24: enter 24 instead",
    ),
}

# lang -> code -> entry. Vietnamese comes with issue 14, keyed by the same codes.
LANGUAGES: dict[str, dict[str, Entry]] = {"en": ENGLISH}


def render(code: str, lang: str = "en", **args: object) -> Text:
    """The message and hint of ``code`` in ``lang`` (English where that language lacks the code)."""
    entry = LANGUAGES.get(lang, ENGLISH).get(code) or ENGLISH[code]
    return Text(entry.message.format(**args), entry.hint.format(**args) if entry.hint else "")


def severity(code: str) -> str:
    """``warning`` for the ``warning.*`` family, else ``error``: the code decides, not the site."""
    return "warning" if code.startswith("warning.") else "error"


def fields(code: str) -> set[str]:
    """The argument names the English templates of ``code`` use."""
    import string

    entry = ENGLISH[code]
    return {
        name.split(".")[0].split("[")[0]
        for template in (entry.message, entry.hint)
        for _, name, _, _ in string.Formatter().parse(template)
        if name
    }


def markdown_table() -> str:
    """The README's table of codes, generated so that it cannot drift from this catalogue."""
    lines = ["| code | what it means | message | what to do |", "|---|---|---|---|"]
    for code, entry in ENGLISH.items():
        cells = [f"`{code}`", entry.title, _code_cell(entry.message), _code_cell(entry.hint)]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _code_cell(template: str) -> str:
    if not template:
        return ""
    # A backtick inside a code span would end it; a pipe would end the cell.
    text = template.replace("|", "\\|")
    return f"`` {text} ``" if "`" in text else f"`{text}`"


BEGIN = "<!-- error codes: made by scripts/error_catalogue.py; do not edit by hand -->\n"
END = "<!-- end of error codes -->\n"


def readme_section(readme: str) -> str:
    """The generated part of the README: what lies between the markers."""
    return readme.split(BEGIN, 1)[1].split(END, 1)[0]


def readme_block() -> str:
    """What belongs between the markers: the table, set apart by blank lines from the HTML comments."""
    return f"\n{markdown_table()}\n"
