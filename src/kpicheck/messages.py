"""The catalogue of every problem kpicheck reports: a stable code, what it means, what it says.

A code is dotted and lowercase and never changes meaning once released: a
script may match on it where the wording is free to improve. The family says
who has to act: ``plan.*`` a plan file, ``data.*`` a data or milestone file,
``output.*`` where the report goes, ``usage.*`` the command line, and
``warning.*`` what kpicheck assumed to read a file, or what a reader of the
report should know (reported, not refused).

``message`` says what is wrong; ``hint`` says what to do and may name
command-line flags, so the CLI prints it after the message and the Python API
leaves it out. Both are ``str.format`` templates with named arguments. Each
language is a table keyed by the same codes (``LANGUAGES``): Vietnamese, the
command line's default, and English; a code a table lacks is shown in English.
A problem is made in English (``Problem.of``) and said again in the reader's
language from its code and arguments (``Problem.in_language``).

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
    "plan.merge-key": Entry(
        "A YAML merge key (<<:) in a plan",
        "a YAML merge key ('<<') is not supported in a plan file",
        "write the keys out, or build on another plan with 'extends'",
    ),
    "plan.bad-date": Entry(
        "A date that is not on the calendar (2024-02-30)",
        "{value!r} is not a date",
        "write a real date as YYYY-MM-DD",
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
    "plan.not-finite": Entry(
        "A target or limit that is not a finite number (.nan, .inf)",
        "{value!r} is not a finite number",
        "write the number the plan states, e.g. 23.2",
    ),
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
    "plan.alias-taken": Entry(
        "An indicator's alias is another indicator's id, code, name or alias",
        "the alias {alias!r} already names indicator {other!r}",
        "remove it or write another",
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
        "The plan id differs from its file name",
        "the plan id {plan!r} must match the file name",
        "rename the file {plan}.yaml, or change the id",
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
    "data.not-a-file": Entry(
        "A path that is not a regular file (a folder, a named pipe, a device)",
        "not a regular file but {kind}",
        _GIVE_DATA,
    ),
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
    "data.sheet-too-large": Entry(
        "A sheet whose cells reach further than kpicheck reads (a stray cell far away)",
        "sheet {sheet!r} reaches cell {cell}: a table of {rows:,} rows × {columns:,} columns, more than "
        "kpicheck reads ({limit:,} {measure})",
        "delete the stray cells (Ctrl+End goes to the last one) or copy the table to a new sheet",
    ),
    "data.workbook-too-large": Entry(
        "A workbook part that unpacks to more bytes than kpicheck reads (a zip bomb?)",
        "{part} of the workbook unpacks to more than {limit:,} bytes",
        "copy the table to a new workbook",
    ),
    "data.formula-without-result": Entry(
        "A formula saved without its result (the workbook was not saved by Excel)",
        "cell {cell} of sheet {sheet!r} holds a formula saved without its result",
        "open the workbook in Excel or LibreOffice and save it, so that each formula's result is stored",
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
        "A year that is not a whole number", "year is {shown}", "write the year as four digits, e.g. 2025"
    ),
    "data.year-out-of-range": Entry(
        "A year outside the years plans can have",
        "year {year} is outside {first}–{last}",
        "write the year the figure is for, e.g. 2025",
    ),
    "data.ambiguous-number": Entry(
        "A number that reads two ways (1.000: one or a thousand?) when no decimal mark was given",
        "{text!r} is ambiguous (decimal mark or thousands separator?)",
        "pass --decimal . if the file writes decimal points (1.000 is one), or --decimal , if it writes "
        "decimal commas and thousands dots (1.000 is a thousand)",
    ),
    "data.comma-in-number": Entry(
        "A comma in a number read with a decimal point (24,5 or 1,000)",
        "{text!r} has a comma where a number with a decimal point is read",
        "write it with a decimal point and no thousands separator, or pass --decimal , if the file "
        "writes decimal commas and thousands dots",
    ),
    "data.point-in-number": Entry(
        "A point that groups no thousands in a number read with a decimal comma (24.6 under --decimal ,)",
        "{text!r} has a point, but with decimal commas a point only groups thousands (1.000)",
        "write it as {suggest}, or pass --decimal . if the file writes decimal points",
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
    "data.not-finite": Entry(
        "A numerator or denominator that is infinite or too large (inf, 1e400)",
        "{text!r} is not a finite number",
        "write a plain number or leave it blank",
    ),
    "data.more-problems": Entry(
        "More problems than are listed (the first 50 of a run are)",
        "and {count:,} more problem(s) not listed",
        "correct these and run again",
    ),
    "data.conflicting-duplicate": Entry(
        "One unit, indicator and year given twice with different values",
        "{unit} / {indicator} / {year} is given {count} times with different values ({places})",
        "keep one row",
    ),
    # Data against plans.
    "data.no-plan-for-unit": Entry(
        "No plan names a unit of the data",
        "no plan names the unit {unit!r}",
        "pass --plan ID (plans: {plans}) or add the unit to a plan's 'units'",
    ),
    "data.more-units-without-plan": Entry(
        "More units that no plan names than are listed one by one",
        "and {count:,} more unit(s) that no plan names",
    ),
    "data.ambiguous-plan": Entry(
        "Two plans of the same level both name a unit",
        "plans {plans} each name the unit {unit!r}",
        "choose one with --plan ID, or remove the unit from all but one plan",
    ),
    "data.ambiguous-indicator": Entry(
        "An indicator name or code that fits several indicators of the plan",
        "{indicator!r} names {count} indicators of plan {plan}: {candidates}",
        "write the indicator's id instead",
    ),
    "data.no-known-indicator": Entry(
        "A file none of whose indicators is in the plan",
        "none of the indicators in this file are in plan {plan} (closest ids: {closest})",
        "write each indicator's id, code or name as `kpicheck targets {plan}` lists them",
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
        "on the {other_map} map: {elsewhere}; pass --unit-map {other} if the file uses those codes",
    ),
    "data.no-such-unit-code": Entry(
        "A unit code that no unit had on either map",
        "no unit has code {unit_code}, before or after the reform of 1 July 2025",
        "check the code against the statistics office's list (kpicheck units CODE), or write the unit's name",
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
    "output.is-folder": Entry(
        "-o names a folder",
        "this is a folder, not a file",
        "give the name of the file to write the report to",
    ),
    "output.cannot-write": Entry(
        "The report cannot be written where -o says (a read-only folder, a full disk)",
        "cannot write the report: {reason}",
        "choose another place with -o",
    ),
    "output.binary-to-terminal": Entry(
        "A binary format (a workbook) was asked for on a terminal",
        "{format} is a binary file, not for a terminal",
        "add -o FILE.{format} (or redirect: > FILE.{format})",
    ),
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
    "usage.no-data-in-folder": Entry(
        "evaluate was given only folders without a data file",
        "no data file (.csv, .tsv, .txt, .xlsx, .parquet) in this folder",
        "give at least one data file, or --milestones FILE",
    ),
    "usage.command-line": Entry(
        "The command line does not parse (an unknown option, a missing value)",
        "{text}",
        "see '{command} --help'",
    ),
    "usage.not-an-integer": Entry(
        "An option that takes a whole number given something else", "{value!r} is not a valid integer"
    ),
    "usage.empty-value": Entry("An option given an empty value", "the value is empty", "give {what}"),
    "usage.unit-not-in-data": Entry(
        "--unit names a unit the data does not have",
        "{unit!r} is not a unit of the data read",
        "the closest units in the data: {close}",
    ),
    "usage.year-not-in-data": Entry(
        "--year names a year the data does not have",
        "{year} is not a year of the data read",
        "its years: {years}",
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
    "warning.unknown-indicator": Entry(
        "An indicator the plan does not have: its rows are unknown_indicator",
        "{indicator!r} is not an indicator of plan {plan}; did you mean {closest}?",
        "write its id, code or name as `kpicheck targets {plan}` lists them",
    ),
    "warning.lone-numerator": Entry(
        "A numerator without a denominator (or the reverse), ignored",
        "ignoring column '{kept}': it needs a '{other}' column beside it",
    ),
    "warning.outside-area": Entry(
        "--plan judges units that lie outside the plan's area",
        "outside the area of plan {plan} ({area}): {units}; judged against it as --plan asks",
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
    "warning.no-results": Entry(
        "--unit and --year together match no result",
        "no result matches {filters}",
        "years before a plan's baseline year are history: they get no status",
    ),
    "warning.fractions": Entry(
        "Every figure between 0 and 1: percent-formatted cells?",
        "every figure lies between 0 and 1",
        "if the cells are formatted as percentages, Excel holds 24% as 0.24: enter 24 instead",
    ),
}

_LEGACY_VI = (
    "hãy mở tệp bằng Excel và lưu lại dưới dạng 'CSV UTF-8', hoặc chuyển sang Unicode bằng công cụ "
    "chuyển mã của Unikey (Ctrl+Shift+F6)"
)
_GIVE_DATA_VI = "hãy dùng tệp CSV, .xlsx hoặc .parquet"
_NO_ROWS_VI = "hãy ghi mỗi đơn vị, chỉ tiêu và năm trên một dòng"
_INDICATOR_HINT_VI = "hãy ghi mã, số hiệu hoặc tên chỉ tiêu như `kpicheck targets {plan}` liệt kê"

# The same codes in Vietnamese, the language of the command line by default. Wording for the
# officials who read it: "tệp", "dòng", "cột", "giá trị", and "hãy ..." for what to do. What a
# library or the system said ({reason}) is English: it is set apart as "chi tiết kỹ thuật".
VIETNAMESE: dict[str, Entry] = {
    "plan.targets-not-folder": Entry(
        "--targets không chỉ tới một thư mục", "{path} không phải là thư mục kế hoạch"
    ),
    "plan.env-not-folder": Entry(
        "$KPICHECK_TARGETS không chỉ tới một thư mục", "{path} không phải là thư mục (đặt trong ${variable})"
    ),
    "plan.no-such-path": Entry(
        "Tệp hoặc thư mục kế hoạch cần kiểm tra không tồn tại", "không có tệp hoặc thư mục này"
    ),
    "plan.no-such-file": Entry(
        "--plan ghi một tệp không tồn tại",
        "không có tệp kế hoạch này",
        "hãy ghi mã kế hoạch (hiện có: {known}) hoặc đường dẫn tới tệp kế hoạch",
    ),
    "plan.not-found": Entry(
        "Không có kế hoạch mang mã này", "không có kế hoạch mã {plan!r} (hiện có: {known})"
    ),
    "plan.too-large": Entry("Tệp quá lớn để là một kế hoạch", "tệp quá lớn, không thể là tệp kế hoạch"),
    "plan.unreadable": Entry(
        "Không đọc được tệp kế hoạch", "không đọc được tệp (chi tiết kỹ thuật: {reason})"
    ),
    "plan.not-utf8": Entry(
        "Tệp kế hoạch không phải văn bản UTF-8",
        "tệp không ở dạng UTF-8",
        "hãy lưu tệp kế hoạch dưới dạng UTF-8",
    ),
    "plan.yaml-syntax": Entry(
        "Tệp kế hoạch sai cú pháp YAML", "sai cú pháp YAML (chi tiết kỹ thuật: {reason})"
    ),
    "plan.empty": Entry("Tệp kế hoạch trống", "tệp trống"),
    "plan.too-many-values": Entry(
        "Kế hoạch có nhiều giá trị hơn mức một kế hoạch có thể có (bí danh YAML lồng nhau)",
        "có hơn {limit} giá trị (bí danh YAML lồng nhau?)",
        "hãy viết kế hoạch không dùng bí danh (alias) YAML",
    ),
    "plan.tag-not-allowed": Entry(
        "Thẻ YAML (!!python/..., thẻ tự đặt) trong kế hoạch",
        "không được dùng thẻ {tag!r} trong tệp kế hoạch",
        "hãy xóa thẻ này",
    ),
    "plan.merge-key": Entry(
        "Khóa gộp YAML (<<:) trong kế hoạch",
        "tệp kế hoạch không hỗ trợ khóa gộp YAML ('<<')",
        "hãy ghi đầy đủ từng khóa, hoặc kế thừa một kế hoạch khác bằng 'extends'",
    ),
    "plan.bad-date": Entry(
        "Ngày không có trên lịch (2024-02-30)",
        "{value!r} không phải là ngày có thật",
        "hãy ghi một ngày có thật theo dạng YYYY-MM-DD",
    ),
    "plan.duplicate-key": Entry(
        "Một khóa được ghi hai lần trong cùng một mục",
        "khóa {key!r} bị ghi lặp (lần đầu ở dòng {first})",
        "chỉ giữ lại một",
    ),
    "plan.not-mapping": Entry(
        "Tệp kế hoạch không phải là tập hợp các khóa",
        "tệp kế hoạch phải là tập hợp các khóa (id:, title:, ...)",
    ),
    "plan.unknown-key": Entry(
        "Khóa không có trong định dạng kế hoạch (gõ nhầm?)",
        "khóa không hợp lệ",
        "hãy kiểm tra chính tả theo `kpicheck schema`",
    ),
    "plan.missing-key": Entry("Thiếu một khóa bắt buộc", "thiếu khóa bắt buộc"),
    "plan.invalid-value": Entry(
        "Giá trị sai kiểu hoặc sai dạng",
        "giá trị không hợp lệ: đang ghi {value!r} (chi tiết kỹ thuật: {reason})",
    ),
    "plan.not-finite": Entry(
        "Chỉ tiêu hoặc ngưỡng không phải là một số hữu hạn (.nan, .inf)",
        "{value!r} không phải là một số hữu hạn",
        "hãy ghi con số mà kế hoạch nêu, ví dụ 23.2",
    ),
    "plan.invalid-structure": Entry(
        "Danh sách hoặc tập khóa đặt sai chỗ trong định dạng kế hoạch",
        "cấu trúc không hợp lệ (chi tiết kỹ thuật: {reason})",
    ),
    "plan.period-reversed": Entry(
        "Thời kỳ kế hoạch kết thúc trước khi bắt đầu", "thời kỳ bắt đầu năm {start} nhưng kết thúc năm {end}"
    ),
    "plan.baseline-after-period": Entry(
        "Năm gốc nằm sau thời kỳ kế hoạch", "năm gốc {year} nằm sau thời kỳ {start}–{end}"
    ),
    "plan.duplicate-id": Entry(
        "Hai nhóm mục tiêu, chỉ tiêu hoặc nhiệm vụ trùng mã",
        "{kind} {id!r} bị trùng mã (trùng với mục thứ {first})",
    ),
    "plan.unknown-goal": Entry(
        "Chỉ tiêu ghi một nhóm mục tiêu mà kế hoạch không có",
        "nhóm mục tiêu {goal!r} không có trong kế hoạch (hiện có: {goals})",
    ),
    "plan.mixed-standing-target": Entry(
        "Chỉ tiêu vừa có mục tiêu áp dụng mọi năm (không ghi năm) vừa có mục tiêu theo năm",
        "vừa có mục tiêu áp dụng mọi năm (không ghi năm) vừa có mục tiêu theo năm",
        "chỉ giữ một loại",
    ),
    "plan.duplicate-target-year": Entry(
        "Chỉ tiêu có hai mục tiêu cho cùng một năm",
        "có mục tiêu thứ hai cho năm {year} (mục tiêu đầu là mục thứ {first})",
    ),
    "plan.target-year-outside-period": Entry(
        "Năm của mục tiêu nằm ngoài thời kỳ kế hoạch", "năm {year} nằm ngoài thời kỳ kế hoạch {start}–{end}"
    ),
    "plan.op-contradicts-direction": Entry(
        "Phép so sánh ngược với chiều của chỉ tiêu (dùng < cho chỉ tiêu càng cao càng tốt)",
        "phép so sánh {op!r} ngược với chiều {direction!r} (hãy dùng một trong {allowed})",
    ),
    "plan.change-below-minus-100": Entry("Mục tiêu tương đối đòi giảm quá 100%", "không thể giảm quá 100%"),
    "plan.relative-without-baseline": Entry(
        "Mục tiêu tương đối không có năm gốc",
        "mục tiêu tương đối cần 'baseline_year' (ghi ở đây hoặc ở phần đầu kế hoạch)",
    ),
    "plan.relative-without-year": Entry(
        "Mục tiêu tương đối không ghi năm", "mục tiêu tương đối cần ghi năm phải đạt"
    ),
    "plan.negative-target": Entry("Giá trị mục tiêu là số âm", "{value:g} là số âm"),
    "plan.target-above-maximum": Entry(
        "Mục tiêu vượt giới hạn của đơn vị đo (tỷ lệ trên 100%)",
        "{value:g} vượt giá trị tối đa {maximum:g} của đơn vị đo",
    ),
    "plan.baseline-on-absolute": Entry(
        "Năm gốc ghi cho một mục tiêu không phải mục tiêu tương đối", "chỉ mục tiêu tương đối mới có năm gốc"
    ),
    "plan.milestone-due-ambiguous": Entry(
        "Nhiệm vụ không có đúng một thời hạn",
        "hãy ghi đúng một trong hai: 'due' (một ngày) hoặc 'due_each_year' (MM-DD)",
    ),
    "plan.milestone-due-outside-period": Entry(
        "Thời hạn của nhiệm vụ nằm ngoài thời kỳ kế hoạch", "thời hạn {due} nằm ngoài thời kỳ {start}–{end}"
    ),
    "plan.alias-taken": Entry(
        "Tên gọi khác của một chỉ tiêu trùng với mã, số hiệu, tên hoặc tên gọi khác của chỉ tiêu khác",
        "tên gọi khác {alias!r} đã dùng để chỉ chỉ tiêu {other!r}",
        "hãy xóa hoặc ghi tên khác",
    ),
    "plan.id-mismatch": Entry(
        "Mã kế hoạch khác tên tệp",
        "mã kế hoạch {plan!r} phải trùng với tên tệp",
        "hãy đổi tên tệp thành {plan}.yaml, hoặc sửa mã kế hoạch",
    ),
    "plan.unknown-parent": Entry(
        "`extends` ghi một kế hoạch không tồn tại", "kế thừa từ {parent!r}, nhưng không có kế hoạch này"
    ),
    "plan.extends-cycle": Entry(
        "Các kế hoạch kế thừa lẫn nhau thành vòng", "các kế hoạch kế thừa lẫn nhau thành vòng: {cycle}"
    ),
    "data.no-files": Entry("Không có tệp số liệu nào để đọc", "không có tệp số liệu nào"),
    "data.pattern-matches-nothing": Entry(
        "Mẫu tên tệp không khớp với tệp nào", "mẫu tên tệp không khớp với tệp nào"
    ),
    "data.unreadable": Entry("Không đọc được tệp", "không đọc được tệp (chi tiết kỹ thuật: {reason})"),
    "data.not-a-file": Entry(
        "Đường dẫn không phải tệp thông thường (thư mục, ống dẫn có tên, thiết bị)",
        "không phải tệp thông thường mà là {kind}",
        _GIVE_DATA_VI,
    ),
    "data.empty-file": Entry("Tệp trống", "tệp trống", "tệp cần có một dòng tiêu đề và các dòng số liệu"),
    "data.xls": Entry(
        "Sổ Excel 97-2003, kpicheck không đọc",
        "đây là sổ Excel 97-2003 (.xls)",
        "hãy mở tệp bằng Excel và lưu lại dưới dạng .xlsx hoặc 'CSV UTF-8'",
    ),
    "data.binary-file": Entry(
        "Tệp nhị phân ở chỗ cần tệp văn bản",
        "không phải tệp văn bản: tệp chứa byte điều khiển (tệp nhị phân bị đổi đuôi thành .csv?)",
        _GIVE_DATA_VI,
    ),
    "data.damaged-utf8": Entry(
        "Văn bản UTF-8 lẫn các byte không phải UTF-8",
        "tệp ở dạng UTF-8 nhưng có một số byte không phải UTF-8 (tệp bị hỏng, hoặc có đoạn dán vào từ "
        "bảng mã khác?)",
        _LEGACY_VI,
    ),
    "data.legacy-encoding": Entry(
        "Văn bản dùng bảng mã tiếng Việt cũ (TCVN3/ABC hoặc VNI)",
        "tệp không ở dạng UTF-8, cũng không phải Windows-1258: có vẻ tệp dùng bảng mã tiếng Việt cũ "
        "(TCVN3/ABC hoặc VNI)",
        _LEGACY_VI,
    ),
    "data.legacy-font-name": Entry(
        "Tên gõ bằng phông cũ rồi lưu dưới dạng Unicode",
        "{text!r} có ký tự {char!r} không dùng trong tiếng Việt: có vẻ chữ được gõ bằng phông cũ "
        "(TCVN3/ABC hoặc VNI) rồi lưu dưới dạng Unicode",
        _LEGACY_VI,
    ),
    "data.bad-byte": Entry(
        "Byte không phải văn bản theo bảng mã của tệp",
        "byte {byte:#04x} không phải văn bản {encoding}",
        _LEGACY_VI,
    ),
    "data.bad-text": Entry(
        "Văn bản không hợp lệ theo bảng mã của tệp",
        "văn bản không hợp lệ theo bảng mã {encoding}",
        _LEGACY_VI,
    ),
    "data.first-line-not-text": Entry(
        "Dòng đầu không đọc được thành văn bản", "dòng đầu không phải văn bản hợp lệ"
    ),
    "data.long-first-line": Entry(
        "Dòng đầu quá dài để là dòng tiêu đề CSV", "dòng đầu dài hơn {size} KiB; đây có phải tệp CSV không?"
    ),
    "data.long-line": Entry(
        "Một dòng quá dài đối với tệp CSV", "có dòng dài hơn {size} MiB: đây có phải tệp CSV không?"
    ),
    "data.header-not-csv": Entry(
        "Dòng tiêu đề không đúng dạng CSV", "dòng tiêu đề không đúng dạng CSV (chi tiết kỹ thuật: {reason})"
    ),
    "data.field-count": Entry(
        "Dòng có số ô khác với dòng tiêu đề",
        "dòng có {got} ô trong khi dòng tiêu đề có {expected}",
        "hãy kiểm tra dấu phân cách và dấu ngoặc kép ở dòng này",
    ),
    "data.malformed-csv": Entry(
        "Tệp không đúng định dạng CSV",
        "tệp CSV không đúng định dạng (chi tiết kỹ thuật: {reason})",
        "hãy lưu lại dưới dạng 'CSV UTF-8'",
    ),
    "data.bad-workbook": Entry(
        "Không đọc được sổ Excel",
        "không đọc được tệp dưới dạng sổ Excel (chi tiết kỹ thuật: {reason})",
        "hãy lưu lại dưới dạng .xlsx",
    ),
    "data.zip-not-workbook": Entry(
        "Tệp nén zip không phải sổ Excel",
        "không phải tệp văn bản: đây là tệp nén zip nhưng không phải sổ Excel (chi tiết kỹ thuật: {reason})",
        _GIVE_DATA_VI,
    ),
    "data.no-such-sheet": Entry(
        "--sheet ghi một trang tính mà sổ Excel không có",
        "sổ Excel không có trang tính {sheet!r} (các trang: {sheets})",
    ),
    "data.no-table-in-workbook": Entry(
        "Không trang tính nào có bảng số liệu",
        "không trang tính nào có dòng tiêu đề gồm đơn vị, chỉ tiêu, năm, giá trị trong {rows} dòng đầu "
        "(các trang: {sheets})",
    ),
    "data.many-sheets": Entry(
        "Nhiều trang tính cùng có bảng số liệu",
        "các trang tính {sheets} đều có bảng số liệu",
        "hãy chọn một trang bằng --sheet",
    ),
    "data.sheet-without-header": Entry(
        "Trang tính được chọn không có dòng tiêu đề",
        "trang tính {sheet!r} không có dòng tiêu đề gồm đơn vị, chỉ tiêu, năm, giá trị trong {rows} dòng đầu",
    ),
    "data.unnamed-column": Entry(
        "Cột có số liệu nhưng không có tên",
        "cột này có số liệu nhưng không có tên ở dòng tiêu đề",
        "hãy đặt tên cho cột hoặc xóa cột",
    ),
    "data.sheet-too-large": Entry(
        "Trang tính có ô nằm xa hơn giới hạn kpicheck đọc (một ô sót lại ở xa)",
        "trang tính {sheet!r} kéo dài tới ô {cell}: một bảng {rows:,} dòng × {columns:,} cột, vượt giới hạn "
        "kpicheck đọc ({limit:,} {measure})",
        "hãy xóa các ô sót lại (Ctrl+End đưa tới ô cuối cùng) hoặc chép bảng sang một trang tính mới",
    ),
    "data.workbook-too-large": Entry(
        "Một phần của sổ Excel khi giải nén vượt số byte kpicheck đọc (bom nén?)",
        "phần {part} của sổ Excel khi giải nén vượt quá {limit:,} byte",
        "hãy chép bảng sang một sổ Excel mới",
    ),
    "data.formula-without-result": Entry(
        "Công thức được lưu mà không có kết quả (sổ chưa từng được lưu bằng Excel)",
        "ô {cell} của trang tính {sheet!r} chứa công thức được lưu mà không có kết quả",
        "hãy mở sổ bằng Excel hoặc LibreOffice rồi lưu lại, để kết quả của từng công thức được lưu cùng",
    ),
    "data.bad-parquet": Entry(
        "Không đọc được tệp Parquet",
        "không đọc được tệp dưới dạng Parquet (chi tiết kỹ thuật: {reason})",
        "hãy ghi lại tệp",
    ),
    "data.column-type": Entry(
        "Cột của tệp Parquet sai kiểu dữ liệu", "cột chứa {kind}; cột này phải chứa {expected}"
    ),
    "data.missing-column": Entry(
        "Thiếu một cột bắt buộc",
        "thiếu cột {missing}",
        "dòng tiêu đề phải có unit,indicator,year,value hoặc Đơn vị, Chỉ tiêu, Năm, Giá trị "
        "(hiện có: {found})",
    ),
    "data.duplicate-column": Entry(
        "Một cột có tên hai lần ở dòng tiêu đề",
        "cột {header!r} xuất hiện hai lần ở dòng tiêu đề",
        "chỉ giữ một",
    ),
    "data.no-indicator-columns": Entry(
        "Bảng dạng ngang không có cột chỉ tiêu nào", "không có cột chỉ tiêu nào bên cạnh cột đơn vị và năm"
    ),
    "data.no-rows": Entry(
        "Có dòng tiêu đề nhưng không có dòng số liệu",
        "{container} có dòng tiêu đề nhưng không có dòng số liệu nào",
        _NO_ROWS_VI,
    ),
    "data.blank-name": Entry(
        "Dòng không ghi đơn vị hoặc chỉ tiêu",
        "{name} để trống; dòng nào cũng cần có đơn vị và chỉ tiêu",
    ),
    "data.bad-year": Entry(
        "Năm không phải số nguyên", "năm không hợp lệ: {shown}", "hãy ghi năm bằng bốn chữ số, ví dụ 2025"
    ),
    "data.year-out-of-range": Entry(
        "Năm nằm ngoài khoảng năm mà kế hoạch có thể có",
        "năm {year} nằm ngoài khoảng {first}–{last}",
        "hãy ghi năm của số liệu, ví dụ 2025",
    ),
    "data.ambiguous-number": Entry(
        "Số có thể hiểu theo hai cách (1.000: một hay một nghìn?) khi chưa khai báo dấu thập phân",
        "{text!r} không rõ nghĩa (dấu thập phân hay dấu phân cách hàng nghìn?)",
        "hãy thêm --decimal . nếu tệp dùng dấu chấm thập phân (1.000 là một), hoặc --decimal , nếu tệp "
        "dùng dấu phẩy thập phân và dấu chấm phân cách hàng nghìn (1.000 là một nghìn)",
    ),
    "data.comma-in-number": Entry(
        "Dấu phẩy trong số được đọc theo dấu chấm thập phân (24,5 hoặc 1,000)",
        "{text!r} có dấu phẩy trong khi số được đọc theo dấu chấm thập phân",
        "hãy ghi số với dấu chấm thập phân và không có dấu phân cách hàng nghìn, hoặc thêm --decimal , "
        "nếu tệp dùng dấu phẩy thập phân và dấu chấm phân cách hàng nghìn",
    ),
    "data.point-in-number": Entry(
        "Dấu chấm không phân cách hàng nghìn trong số đọc theo dấu phẩy thập phân (24.6 với --decimal ,)",
        "{text!r} có dấu chấm, nhưng khi dùng dấu phẩy thập phân thì dấu chấm chỉ để phân cách hàng nghìn "
        "(1.000)",
        "hãy ghi là {suggest}, hoặc thêm --decimal . nếu tệp dùng dấu chấm thập phân",
    ),
    "data.percent-sign": Entry(
        "Số liệu ghi kèm dấu phần trăm",
        "{text!r} có dấu phần trăm",
        "hãy chỉ ghi con số ({number}): đơn vị đo của chỉ tiêu lấy theo kế hoạch",
    ),
    "data.not-a-number": Entry(
        "Tử số hoặc mẫu số không phải là số", "{text!r} không phải là số", "hãy ghi một con số hoặc để trống"
    ),
    "data.not-finite": Entry(
        "Tử số hoặc mẫu số là vô cùng hoặc quá lớn (inf, 1e400)",
        "{text!r} không phải là một số hữu hạn",
        "hãy ghi một con số hoặc để trống",
    ),
    "data.more-problems": Entry(
        "Còn nhiều lỗi hơn số được liệt kê (mỗi lần chạy liệt kê 50 lỗi đầu)",
        "và còn {count:,} lỗi khác không được liệt kê",
        "hãy sửa các lỗi này rồi chạy lại",
    ),
    "data.conflicting-duplicate": Entry(
        "Cùng đơn vị, chỉ tiêu và năm được ghi hai lần với giá trị khác nhau",
        "{unit} / {indicator} / {year} được ghi {count} lần với giá trị khác nhau ({places})",
        "chỉ giữ một dòng",
    ),
    "data.ambiguous-indicator": Entry(
        "Tên hoặc số hiệu chỉ tiêu ứng với nhiều chỉ tiêu của kế hoạch",
        "{indicator!r} ứng với {count} chỉ tiêu của kế hoạch {plan}: {candidates}",
        "hãy ghi mã của chỉ tiêu",
    ),
    "data.no-known-indicator": Entry(
        "Tệp không có chỉ tiêu nào thuộc kế hoạch",
        "không chỉ tiêu nào trong tệp này thuộc kế hoạch {plan} (mã gần giống nhất: {closest})",
        _INDICATOR_HINT_VI,
    ),
    "data.no-plan-for-unit": Entry(
        "Không kế hoạch nào ghi đơn vị có trong số liệu",
        "không kế hoạch nào ghi đơn vị {unit!r}",
        "hãy thêm --plan MÃ (các kế hoạch: {plans}) hoặc thêm đơn vị này vào mục 'units' của một kế hoạch",
    ),
    "data.more-units-without-plan": Entry(
        "Số đơn vị không có kế hoạch nhiều hơn số được liệt kê từng đơn vị",
        "và {count} đơn vị khác không kế hoạch nào ghi",
    ),
    "data.ambiguous-plan": Entry(
        "Hai kế hoạch cùng cấp cùng ghi một đơn vị",
        "các kế hoạch {plans} đều ghi đơn vị {unit!r}",
        "hãy chọn một kế hoạch bằng --plan MÃ, hoặc chỉ giữ đơn vị này trong một kế hoạch",
    ),
    "data.no-rollup-column": Entry(
        "--rollup ghi một cột mà số liệu không có",
        "số liệu không có cột '{name}' ghi đơn vị cấp trên của từng dòng (hãy thêm cột '{name}')",
    ),
    "data.blank-rollup-unit": Entry(
        "Dòng không ghi đơn vị cấp trên để tổng hợp",
        "{name} để trống; dòng nào cũng cần có đơn vị cấp trên để tổng hợp",
    ),
    "data.rate-without-parts": Entry(
        "Tỷ lệ cần tổng hợp nhưng thiếu tử số và mẫu số",
        "không thể tổng hợp tỷ lệ '{indicator}' khi thiếu tử số và mẫu số",
        "hãy thêm cả hai cột numerator và denominator (tỷ lệ không bao giờ được lấy trung bình)",
    ),
    "data.not-utf8": Entry(
        "Tệp nhiệm vụ không phải văn bản UTF-8", "tệp không ở dạng UTF-8", "hãy lưu tệp dưới dạng CSV UTF-8"
    ),
    "data.missing-milestone-column": Entry(
        "Tệp nhiệm vụ thiếu một cột bắt buộc",
        "thiếu cột {missing}",
        "dòng tiêu đề phải là unit,milestone,year,done",
    ),
    "data.bad-milestone-year": Entry(
        "Năm trong tệp nhiệm vụ không phải là năm",
        "{year!r} không phải là năm",
        "hãy ghi năm bằng bốn chữ số",
    ),
    "data.bad-date": Entry(
        "Ngày tháng không đọc được",
        "{text!r} không phải là ngày",
        "hãy ghi theo dạng YYYY-MM-DD hoặc DD/MM/YYYY",
    ),
    "data.no-milestone-rows": Entry(
        "Tệp nhiệm vụ không có dòng nào", "tệp có dòng tiêu đề nhưng không có dòng nào"
    ),
    "data.unknown-milestone": Entry(
        "Nhiệm vụ không có trong kế hoạch",
        "nhiệm vụ {milestone!r} không có trong kế hoạch {plan} (hiện có: {known})",
    ),
    "output.overwrites-input": Entry(
        "-o ghi đè lên một tệp đang được đọc", "không ghi đè lên tệp đầu vào", "hãy chọn tệp khác cho -o"
    ),
    "output.no-folder": Entry("-o ghi vào một thư mục không tồn tại", "thư mục không tồn tại"),
    "output.is-folder": Entry(
        "-o ghi vào một thư mục",
        "đây là thư mục, không phải tệp",
        "hãy ghi tên tệp sẽ lưu báo cáo",
    ),
    "output.cannot-write": Entry(
        "Không ghi được báo cáo vào nơi -o chỉ định (thư mục chỉ đọc, ổ đĩa đầy)",
        "không ghi được báo cáo (chi tiết kỹ thuật: {reason})",
        "hãy chọn nơi khác cho -o",
    ),
    "output.binary-to-terminal": Entry(
        "Định dạng nhị phân (sổ tính Excel) được yêu cầu ghi ra màn hình",
        "{format} là tệp nhị phân, không ghi ra màn hình",
        "hãy thêm -o TỆP.{format} (hoặc chuyển hướng: > TỆP.{format})",
    ),
    "usage.bad-choice": Entry(
        "Giá trị của tùy chọn không thuộc các giá trị cho phép", "{value!r} không phải một trong {allowed}"
    ),
    "usage.unknown-status": Entry(
        "--fail-on ghi một kết quả không tồn tại", "không có kết quả {statuses} (hiện có: {known})"
    ),
    "usage.bad-date": Entry(
        "--as-of không phải là ngày", "{value!r} không phải là ngày", "hãy ghi theo dạng YYYY-MM-DD"
    ),
    "usage.bad-thresholds": Entry(
        "--progress-thresholds không phải ba số theo thứ tự",
        "{value!r} không phải ba số high,med,low với high >= med >= low",
        "ví dụ 0.95,0.6,0",
    ),
    "usage.no-input": Entry(
        "evaluate không có gì để đọc", "hãy đưa vào ít nhất một tệp số liệu, hoặc --milestones TỆP"
    ),
    "usage.no-data-in-folder": Entry(
        "evaluate chỉ được đưa vào các thư mục không có tệp số liệu",
        "thư mục này không có tệp số liệu nào (.csv, .tsv, .txt, .xlsx, .parquet)",
        "hãy đưa vào ít nhất một tệp số liệu, hoặc --milestones TỆP",
    ),
    "usage.command-line": Entry(
        "Dòng lệnh không hợp lệ (tùy chọn không tồn tại, thiếu giá trị)",
        "dòng lệnh không hợp lệ (chi tiết kỹ thuật: {text})",
        "xem '{command} --help'",
    ),
    "usage.not-an-integer": Entry(
        "Tùy chọn cần một số nguyên nhưng được đưa vào giá trị khác", "{value!r} không phải là số nguyên"
    ),
    "usage.empty-value": Entry("Tùy chọn có giá trị trống", "giá trị trống", "hãy đưa vào {what}"),
    "usage.unit-not-in-data": Entry(
        "--unit ghi một đơn vị không có trong số liệu",
        "{unit!r} không phải là đơn vị có trong số liệu đã đọc",
        "các đơn vị gần giống nhất trong số liệu: {close}",
    ),
    "usage.year-not-in-data": Entry(
        "--year ghi một năm không có trong số liệu",
        "số liệu đã đọc không có năm {year}",
        "các năm có trong số liệu: {years}",
    ),
    "usage.no-plan-files": Entry(
        "validate không tìm thấy tệp kế hoạch nào", "không tìm thấy tệp kế hoạch nào"
    ),
    "usage.bad-year": Entry(
        "--year không phải một năm hợp lý",
        "{value} không phải một năm hợp lý",
        "hãy đưa vào một năm từ {low} đến {high}",
    ),
    "usage.unknown-unit": Entry(
        "kpicheck units: không có đơn vị hành chính nào có tên hoặc mã này, cũng không có đơn vị gần giống",
        "không có đơn vị hành chính nào có tên hoặc mã {query!r}",
        "hãy kiểm tra chính tả, hoặc đưa vào mã của đơn vị",
    ),
    "usage.unknown-unit-close": Entry(
        "kpicheck units: không có đơn vị hành chính nào có tên hoặc mã này; có đơn vị gần giống",
        "không có đơn vị hành chính nào có tên hoặc mã {query!r}",
        "có phải là {candidates}?",
    ),
    "usage.unit-not-in-year": Entry(
        "kpicheck units: đơn vị được nêu không tồn tại vào năm được hỏi",
        "không có đơn vị hành chính nào có tên hoặc mã {query!r} vào năm {year}",
        "nếu bỏ --year: {candidates}",
    ),
    "usage.plan-without-units": Entry(
        "template: kế hoạch không ghi đơn vị nào và lệnh cũng không đưa vào đơn vị nào",
        "kế hoạch {plan} không ghi đơn vị nào",
        "hãy ghi đơn vị bằng --unit TÊN",
    ),
    "warning.read-as-utf16": Entry(
        "Tệp UTF-16 (dạng 'Unicode text' của Excel) được đọc theo UTF-16",
        "đã đọc tệp theo văn bản UTF-16 (dạng 'Unicode text' của Excel)",
    ),
    "warning.read-as-windows-1258": Entry(
        "Tệp không phải UTF-8 được đọc theo Windows-1258 (bảng mã ANSI tiếng Việt)",
        "đã đọc tệp theo bảng mã Windows-1258 (bảng mã ANSI tiếng Việt), không phải UTF-8",
    ),
    "warning.excel-not-csv": Entry(
        "Sổ Excel mang đuôi tệp khác, được đọc như sổ Excel",
        "tệp là sổ Excel, không phải văn bản {suffix}; đã đọc như tệp .xlsx",
    ),
    "warning.parquet-not-csv": Entry(
        "Tệp Parquet mang đuôi tệp khác, được đọc như tệp Parquet",
        "tệp là tệp Parquet, không phải văn bản {suffix}; đã đọc như tệp Parquet",
    ),
    "warning.unknown-indicator": Entry(
        "Chỉ tiêu không có trong kế hoạch: các dòng của nó có kết quả unknown_indicator",
        "{indicator!r} không phải chỉ tiêu của kế hoạch {plan}; có phải là {closest}?",
        _INDICATOR_HINT_VI,
    ),
    "warning.unknown-columns": Entry(
        "Các cột kpicheck không biết, được bỏ qua", "bỏ qua các cột không xác định {columns}"
    ),
    "warning.lone-numerator": Entry(
        "Có tử số mà không có mẫu số (hoặc ngược lại), được bỏ qua",
        "bỏ qua cột '{kept}': cột này cần có cột '{other}' đi kèm",
    ),
    "warning.year-with-word": Entry(
        "Năm ghi kèm chữ 'năm', được đọc thành con số",
        "{count} năm được ghi kèm chữ 'năm' (lần đầu ở dòng {first}: {text!r}); đã đọc thành con số",
    ),
    "warning.sheet-chosen": Entry(
        "Đọc trang tính duy nhất có bảng số liệu",
        "đã đọc trang tính {sheet!r}; các trang khác không có bảng số liệu",
    ),
    "warning.merged-header": Entry(
        "Dòng tiêu đề gồm các ô gộp qua nhiều dòng, được đọc thành một dòng",
        "ô tiêu đề bị gộp; các dòng {first}-{last} được đọc thành một dòng tiêu đề",
    ),
    "warning.title-rows": Entry(
        "Các dòng phía trên dòng tiêu đề (tên bảng), được bỏ qua",
        "đã bỏ qua {count} dòng phía trên dòng tiêu đề (tên bảng?)",
    ),
    "warning.merged-cells": Entry(
        "Ô gộp bên dưới dòng tiêu đề, được đọc thành giá trị lặp lại",
        "{count} vùng ô gộp bên dưới dòng tiêu đề được đọc thành giá trị lặp lại",
    ),
    "warning.numbers-as-text": Entry(
        "Ô bảng tính chứa số lưu dưới dạng văn bản, được đọc thành số",
        "{count} ô chứa số lưu dưới dạng văn bản; đã đọc thành số",
    ),
    "warning.fractions": Entry(
        "Mọi số liệu đều nằm giữa 0 và 1: các ô định dạng phần trăm?",
        "mọi số liệu đều nằm trong khoảng từ 0 đến 1",
        "nếu các ô được định dạng phần trăm thì Excel lưu 24% thành 0,24: hãy nhập 24",
    ),
    "warning.no-results": Entry(
        "--unit và --year cùng lúc không khớp kết quả nào",
        "không có kết quả nào khớp với {filters}",
        "các năm trước năm gốc của kế hoạch là số liệu lịch sử: không được đánh giá",
    ),
    # Units in data and plans, the 2025 reform, shares of communes (issue 13).
    "plan.share-not-percent": Entry(
        "Chỉ tiêu là tỷ lệ đơn vị cấp dưới nhưng không tính bằng phần trăm",
        "tỷ lệ đơn vị ('share_of') phải tính bằng phần trăm, không phải {unit}",
        "hãy ghi 'unit: percent'",
    ),
    "plan.share-level": Entry(
        "Chỉ tiêu là tỷ lệ đơn vị không thấp hơn cấp của kế hoạch",
        "kế hoạch cấp {level} không thể tính tỷ lệ đơn vị cấp {share}",
        "hãy nêu một cấp thấp hơn cấp của kế hoạch ('share_of: commune' trong kế hoạch cấp huyện)",
    ),
    "plan.binds-above-plan": Entry(
        "Nhiệm vụ giao cho cấp cao hơn cấp của kế hoạch",
        "kế hoạch cấp {level} không thể giao nhiệm vụ cho cấp {binds}",
        "hãy giao cho cấp của kế hoạch hoặc cấp dưới",
    ),
    "plan.unknown-area": Entry(
        "area_unit của kế hoạch không phải đơn vị hành chính nào của năm ban hành",
        "không có đơn vị hành chính nào có tên hoặc mã {query!r} vào năm {year}",
        "hãy ghi mã của địa bàn theo danh mục năm đó (kpicheck units TÊN); gần giống: {candidates}",
    ),
    "plan.ambiguous-area": Entry(
        "area_unit của kế hoạch ứng với nhiều đơn vị hành chính",
        "{query!r} ứng với nhiều đơn vị: {units}",
        "hãy ghi mã của địa bàn",
    ),
    "plan.unit-not-in-area": Entry(
        "Đơn vị kế hoạch liệt kê không phải đơn vị hành chính của địa bàn",
        "{name!r} không phải đơn vị hành chính của {area}",
        "hãy ghi tên chính thức; gần giống: {candidates}",
    ),
    "plan.ambiguous-unit": Entry(
        "Đơn vị kế hoạch liệt kê ứng với nhiều đơn vị hành chính của địa bàn",
        "{name!r} ứng với nhiều đơn vị: {units}",
        "hãy ghi đầy đủ tên chính thức, kèm loại đơn vị",
    ),
    "plan.misspelt-unit": Entry(
        "Đơn vị kế hoạch liệt kê là tên chính thức viết sai",
        "{name!r} không phải đơn vị hành chính",
        "có phải là {candidates} không?",
    ),
    "data.bad-unit-code": Entry(
        "Mã đơn vị không phải là chữ số",
        "{text!r} không phải mã đơn vị",
        "hãy ghi mã của cơ quan thống kê (chữ số, như 03433), hoặc ghi tên vào cột 'unit'",
    ),
    "data.unknown-unit": Entry(
        "Đơn vị nêu trong số liệu không phải đơn vị hành chính",
        "{name!r} không phải đơn vị hành chính",
        "hãy ghi tên chính thức hoặc mã của đơn vị (kpicheck units TÊN); gần giống: {candidates}",
    ),
    "data.unit-not-in-year": Entry(
        "Đơn vị được nêu cho một năm nó không tồn tại",
        "{name!r} không tồn tại vào năm {year}: {units}",
        "hãy báo cáo theo đơn vị mới ({successors}), hoặc kiểm tra lại năm",
    ),
    "data.unknown-unit-code": Entry(
        "Mã đơn vị không có trong danh mục của năm ghi trên dòng",
        "không có đơn vị nào mang mã {unit_code} trong danh mục {map} (năm {year})",
        "trong danh mục {other_map}: {elsewhere}; thêm --unit-map {other} nếu tệp dùng mã theo danh mục đó",
    ),
    "data.no-such-unit-code": Entry(
        "Mã đơn vị không có trong cả hai danh mục",
        "không có đơn vị nào mang mã {unit_code}, cả trước và sau ngày 1/7/2025",
        "hãy đối chiếu mã với danh mục của cơ quan thống kê (kpicheck units MÃ), hoặc ghi tên đơn vị",
    ),
    "data.ambiguous-unit": Entry(
        "Tên hoặc mã đơn vị ứng với nhiều đơn vị hành chính",
        "{text!r} có thể là {units}",
        "hãy ghi mã đơn vị vào cột 'unit_code', hoặc ghi đầy đủ tên chính thức",
    ),
    "data.unit-code-mismatch": Entry(
        "Mã đơn vị và tên đơn vị trên một dòng là hai đơn vị khác nhau",
        "vào năm {year}, mã {unit_code} là {official}, không phải {name!r}",
        "từ ngày 1/7/2025 có mã được dùng lại cho đơn vị khác: hãy kiểm tra mã và năm",
    ),
    "data.more-unit-problems": Entry(
        "Còn nhiều đơn vị chưa xác định được hơn số được nêu từng đơn vị",
        "và {count} đơn vị khác có vấn đề như trên",
        "hãy đối chiếu tên và mã đơn vị trong tệp với kpicheck units",
    ),
    "data.rollup-unit-unknown": Entry(
        "--rollup theo phân cấp hành chính nhưng có đơn vị không phải đơn vị hành chính",
        "số liệu không có cột '{name}', và {unit!r} không phải đơn vị hành chính, "
        "nên kpicheck không biết {name} của nó",
        "hãy thêm cột '{name}', hoặc ghi đơn vị bằng tên chính thức hay mã",
    ),
    "usage.rollup-plan-without-area": Entry(
        "--rollup plan cho kế hoạch không nêu địa bàn trong danh mục đơn vị",
        "--rollup plan cần kế hoạch có địa bàn là đơn vị hành chính ('area_unit')",
        "hãy dùng --rollup district hoặc province, hoặc một cột ghi đơn vị cấp trên của từng dòng",
    ),
    "warning.outside-area": Entry(
        "--plan đánh giá cả đơn vị nằm ngoài địa bàn của kế hoạch",
        "{units} nằm ngoài địa bàn của kế hoạch {plan} ({area}); "
        "vẫn đánh giá theo kế hoạch này như --plan yêu cầu",
    ),
    "warning.share-without-area": Entry(
        "Tỷ lệ xã cho kế hoạch không nêu địa bàn: các dòng của xã không được đánh giá",
        "kế hoạch {plan} không nêu địa bàn trong danh mục đơn vị, nên không tính được tỷ lệ xã; "
        "các dòng của xã được bỏ qua",
        "hãy thêm 'area_unit' cho kế hoạch, hoặc dùng --rollup district hay province",
    ),
    "warning.history-rebuilt": Entry(
        "Số liệu trước năm 2025 được cộng dồn cho đơn vị mới để xu hướng tiếp tục qua đợt sắp xếp",
        "số liệu trước năm 2025 được dựng lại cho {count} đơn vị mới từ các đơn vị cũ hợp thành: {units}",
    ),
    "warning.partial-left-out": Entry(
        "Đơn vị chỉ nằm một phần trong đơn vị được cộng dồn đã bị loại ra",
        "{units} chỉ nằm một phần trong {areas}: không cộng vào số liệu (xem cột 'partial')",
        "thêm --partial include để cộng toàn bộ",
    ),
    "warning.partial-counted": Entry(
        "Đơn vị chỉ nằm một phần trong đơn vị được cộng dồn đã được cộng toàn bộ",
        "{units} chỉ nằm một phần trong {areas}: đã cộng toàn bộ theo --partial include (xem cột 'partial')",
    ),
}

# Argument values that are words, not the user's text: said in the message's language.
# (An argument of another name, or another value, is shown as it is.)
WORDS: dict[str, dict[str, dict[str, str]]] = {
    "vi": {
        "container": {"file": "tệp", "sheet": "trang tính"},
        "shown": {"blank": "ô trống"},
        "expected": {"numbers": "số", "text": "chữ"},
        "kind": {
            "goal": "nhóm mục tiêu",
            "indicator": "chỉ tiêu",
            "milestone": "nhiệm vụ",
            "a folder": "thư mục",
            "a named pipe (FIFO)": "ống dẫn có tên (FIFO)",
            "a device": "thiết bị",
            "a socket": "socket",
            "a special file": "tệp đặc biệt",
        },
        "measure": {"rows": "dòng", "columns": "cột", "cells": "ô"},
        "name": {"unit": "đơn vị", "indicator": "chỉ tiêu"},
        # The levels of a plan and of the units it counts or binds, and the two maps of the reform.
        "level": {"province": "tỉnh", "district": "huyện", "commune": "xã"},
        "share": {"province": "tỉnh", "district": "huyện", "commune": "xã"},
        "binds": {"province": "tỉnh", "district": "huyện", "commune": "xã"},
        "map": {"old": "trước 1/7/2025", "new": "từ 1/7/2025"},
        "other_map": {"old": "trước 1/7/2025", "new": "từ 1/7/2025"},
        "what": {
            "a unit's name or code": "tên hoặc mã của đơn vị",
            "the name of the file to write the report to": "tên tệp sẽ lưu báo cáo",
        },
    }
}

# lang -> code -> entry; Vietnamese first, the command line's default.
LANGUAGES: dict[str, dict[str, Entry]] = {"vi": VIETNAMESE, "en": ENGLISH}
LANG_NAMES = tuple(LANGUAGES)


def render(code: str, lang: str = "en", **args: object) -> Text:
    """The message and hint of ``code`` in ``lang`` (English where that language lacks the code)."""
    entry = LANGUAGES.get(lang, ENGLISH).get(code)
    if entry is None:
        entry, lang = ENGLISH[code], "en"
    words = WORDS.get(lang, {})
    shown = {k: words.get(k, {}).get(v, v) if isinstance(v, str) else v for k, v in args.items()}
    return Text(entry.message.format(**shown), entry.hint.format(**shown) if entry.hint else "")


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
