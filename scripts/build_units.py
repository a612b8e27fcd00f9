"""Build kpicheck's file of administrative units from the data of ``vietnamadminunits``.

    pip install -e '.[units-data]'
    python scripts/build_units.py            # writes src/kpicheck/units/data/units.json

The statistics office's units (codes, official names, the hierarchy) before and
from the reform of 1 July 2025, and the official old -> new mapping, come from
the raw files the package ships (``data/dataset.db``, an SQLite database, and
``data/converter_2025.json``). They are read with sqlite3 and json only: the
package is located with ``importlib.util.find_spec`` and never imported, since
importing it loads shapely and geopy and sets up a network geocoder.

Nobody types a unit by hand: a test rebuilds this file and compares it with the
shipped one byte for byte. The output is plain JSON (not gzip, whose bytes
depend on the zlib build), columnar, one column per line so that a new release
of the source shows up as a readable diff.

Checks below fail the build when the source breaks what kpicheck relies on
(counts, codes unique per map, every old commune mapped, one partial flag per
old unit), instead of shipping a subtly different map.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import importlib.util
import json
import sqlite3
import sys
import unicodedata
from pathlib import Path

PACKAGE = "vietnamadminunits"
VERSION = "1.0.4"  # pinned in pyproject.toml's `units-data` extra; a new one needs a review of the diff
FILES = ("data/dataset.db", "data/converter_2025.json")
OUTPUT = Path(__file__).resolve().parent.parent / "src" / "kpicheck" / "units" / "data" / "units.json"

LEVELS = ("province", "district", "commune")  # the file stores a level as its index here
COUNTS = {  # units per level on each map, as Nghị quyết 202/2025/QH15 and the GSO lists give them
    "old": {"province": 63, "district": 696, "commune": 10_035},
    "new": {"province": 34, "district": 0, "commune": 3_321},
}


def package_dir() -> Path:
    """Where the package's files are, found without running its ``__init__``."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        sys.exit(f"{PACKAGE} is not installed: pip install -e '.[units-data]'")
    return Path(next(iter(spec.submodule_search_locations)))


# A unit's type is the prefix of its official name. The source's type columns
# disagree with the name for 17 units ("Phường 5" typed Xã, "Thị Trấn Prao" in
# another case); the name is the one printed in the decisions, so it wins, its
# prefix spelt as here.
TYPES = ("Thành phố", "Thị trấn", "Thị xã", "Đặc khu", "Phường", "Huyện", "Quận", "Tỉnh", "Xã")
fixed: list[str] = []  # the units whose type or prefix the source gives otherwise, for the build log


def split_name(code: str, name: str, source_type: str | None) -> tuple[str, str]:
    """(type, name without it), the type read from the name's prefix whatever its case."""
    for type_ in TYPES:
        if name[: len(type_) + 1].lower() == f"{type_} ".lower():
            note = f"{code} {name!r} (source type {source_type!r})"
            if (name[: len(type_)] != type_ or source_type not in (None, type_)) and note not in fixed:
                fixed.append(note)
            return type_, name[len(type_) + 1 :]
    raise SystemExit(f"unit {code}: {name!r} does not start with a unit type")


class Map:
    """One map's units, gathered row by row from the database."""

    def __init__(self) -> None:
        self.units: dict[str, tuple[str, str, str, str | None]] = {}  # code -> level, type, bare name, parent

    def add(self, code: str, level: str, name: str, source_type: str | None, parent: str | None) -> None:
        unit = (level, *split_name(code, name, source_type), parent)
        if self.units.setdefault(code, unit) != unit:  # the database repeats provinces and districts
            raise SystemExit(f"code {code} names two units: {self.units[code]} and {unit}")


def read_maps(root: Path) -> tuple[Map, Map, dict[str, str], dict[str, str], dict[tuple[str, str], str]]:
    """Both maps, and the name keys the converter uses, resolved to codes."""
    con = sqlite3.connect(f"file:{root / 'data' / 'dataset.db'}?mode=ro&immutable=1", uri=True)
    try:
        legacy = con.execute(
            "SELECT provinceCode, province, provinceKey, districtCode, district, districtType, districtKey,"
            " wardCode, ward, wardType, wardKey FROM admin_units_legacy"
        ).fetchall()
        current = con.execute(
            "SELECT provinceCode, province, provinceKey, wardCode, ward, wardType, wardKey FROM admin_units"
        ).fetchall()
    finally:
        con.close()

    old, new = Map(), Map()
    old_keys: dict[str, str] = {}  # "province_district_ward" or "province_district_" -> code
    province_keys: dict[str, str] = {}  # old and new province keys share one space in the converter
    new_keys: dict[tuple[str, str], str] = {}  # (new province key, ward key) -> code
    for pc, pn, pk, dc, dn, dt, dk, wc, wn, wt, wk in legacy:
        old.add(pc, "province", pn, None, None)
        old.add(dc, "district", dn, dt, pc)
        old_keys[f"{pk}_{dk}_"] = dc
        province_keys[f"old:{pk}"] = pc
        if wc:  # the island districts have no communes
            old.add(wc, "commune", wn, wt, dc)
            old_keys[f"{pk}_{dk}_{wk}"] = wc
    for pc, pn, pk, wc, wn, wt, wk in current:
        new.add(pc, "province", pn, None, None)
        new.add(wc, "commune", wn, wt, pc)
        province_keys[f"new:{pk}"] = pc
        new_keys[(pk, wk)] = wc
    return old, new, old_keys, province_keys, new_keys


def read_links(
    root: Path, old_keys: dict[str, str], province_keys: dict[str, str], new_keys: dict[tuple[str, str], str]
) -> dict[tuple[str, str], bool]:
    """(old code, new code) -> partial: only part of the old unit went into the new one."""
    conv = json.loads((root / "data" / "converter_2025.json").read_text(encoding="utf-8"))
    links: dict[tuple[str, str], bool] = {}

    def add(old: str, new: str, partial: bool) -> None:
        if links.setdefault((old, new), partial) != partial:
            raise SystemExit(f"link {old} -> {new} is listed both whole and partial")

    for new_pk, old_pks in conv["DICT_PROVINCE"].items():
        for old_pk in old_pks:
            add(province_keys[f"old:{old_pk}"], province_keys[f"new:{new_pk}"], False)
    for new_pk, wards in conv["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_wk, olds in wards.items():
            for key in olds:
                add(old_keys[key], new_keys[(new_pk, new_wk)], False)
    for new_pk, olds in conv["DICT_PROVINCE_WARD_DIVIDED"].items():
        for key, parts in olds.items():
            for part in parts:
                add(old_keys[key], new_keys[(new_pk, part["newWardKey"])], True)
    return links


def check(old: Map, new: Map, links: dict[tuple[str, str], bool]) -> None:
    """Refuse a source that breaks what the registry relies on."""
    for label, units in (("old", old.units), ("new", new.units)):
        counts = {level: sum(u[0] == level for u in units.values()) for level in LEVELS}
        if counts != COUNTS[label]:
            raise SystemExit(f"{label} map has {counts}, expected {COUNTS[label]}")
        for code, (_, _, name, _) in units.items():
            if name != unicodedata.normalize("NFC", name) or name != " ".join(name.split()):
                raise SystemExit(f"{label} unit {code}: name {name!r} is not NFC or has odd spacing")
    if any(o not in old.units or n not in new.units for o, n in links):
        raise SystemExit("a link names a code missing from its map")
    by_old: dict[str, list[bool]] = {}
    for (o, _), partial in links.items():
        by_old.setdefault(o, []).append(partial)
    for code, flags in by_old.items():
        # An old unit is either wholly in one new unit or divided between several.
        if flags != [False] and not (len(flags) > 1 and all(flags)):
            raise SystemExit(f"old unit {code} has links {flags}")
    unmapped = [c for c, u in old.units.items() if u[0] == "commune" and c not in by_old]
    orphans = set(new.units) - {n for _, n in links}
    if unmapped or orphans:
        raise SystemExit(f"old communes without successor {unmapped[:5]}, new units without origin {orphans}")


def _columns(units: Map, types: list[str]) -> dict[str, list[object]]:
    rows = sorted(units.units.items(), key=lambda item: (LEVELS.index(item[1][0]), item[0]))
    return {
        "code": [code for code, _ in rows],
        "level": [LEVELS.index(level) for _, (level, _, _, _) in rows],
        "type": [types.index(t) for _, (_, t, _, _) in rows],
        # The name without its type prefix: the type column says it, the reader joins them back.
        "name": [name for _, (_, _, name, _) in rows],
        "parent": [parent for _, (_, _, _, parent) in rows],
    }


def build(root: Path, version: str) -> bytes:
    """The units file's bytes, from the package installed at ``root``."""
    old, new, old_keys, province_keys, new_keys = read_maps(root)
    links = read_links(root, old_keys, province_keys, new_keys)
    check(old, new, links)
    types = sorted({u[1] for m in (old, new) for u in m.units.values()})
    pairs = sorted(links)
    body: dict[str, object] = {
        "source": {
            "package": PACKAGE,
            "version": version,
            "sha256": {name: hashlib.sha256((root / name).read_bytes()).hexdigest() for name in FILES},
        },
        "levels": list(LEVELS),
        "types": types,
        "old": {"valid_from": None, "valid_to": "2025-06-30", **_columns(old, types)},
        "new": {"valid_from": "2025-07-01", "valid_to": None, **_columns(new, types)},
        "links": {
            "old": [o for o, _ in pairs],
            "new": [n for _, n in pairs],
            "partial": [int(links[p]) for p in pairs],
        },
    }
    return _dump(body).encode("utf-8")


def _dump(body: dict[str, object]) -> str:
    """JSON with one column per line, so that a new source release reads as a diff."""

    def entry(key: str, value: object, pad: str) -> str:
        return f"{pad}{json.dumps(key)}: {json.dumps(value, ensure_ascii=False, separators=(',', ':'))}"

    lines = []
    for key, value in body.items():
        if isinstance(value, dict) and any(isinstance(v, list) for v in value.values()):
            inner = ",\n".join(entry(k, v, "  ") for k, v in value.items())
            lines.append(f" {json.dumps(key)}: {{\n{inner}\n }}")
        else:
            lines.append(entry(key, value, " "))
    return "{\n" + ",\n".join(lines) + "\n}\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    version = importlib.metadata.version(PACKAGE)
    if version != VERSION:
        sys.exit(
            f"{PACKAGE} {version} is installed; this script reads {VERSION}: pip install -e '.[units-data]'"
        )
    data = build(package_dir(), version)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_bytes(data)
    print(f"{args.output}: {len(data):,} bytes from {PACKAGE} {version}")
    print(f"type taken from the name's prefix for {len(fixed)} units:", *fixed, sep="\n  ")


if __name__ == "__main__":
    main()
