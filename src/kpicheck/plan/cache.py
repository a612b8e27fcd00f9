"""Validated plans kept between runs, keyed by the bytes of their file and kpicheck's version.

Reading a plan is parsing YAML with line numbers, validating the model and
checking the plan's rules: most of what ``validate`` and ``targets`` cost
after start-up. A plan file that passed all of it once is kept as a pickle in
the user's cache folder (``$KPICHECK_CACHE_DIR``, else ``$XDG_CACHE_HOME/kpicheck``,
else ``~/.cache/kpicheck``) under the SHA-256 of its bytes, kpicheck's
version and the size and time of the modules that read a plan (so that a
working copy being edited is never served a plan its new code would refuse):
the same bytes read by the same kpicheck give the same plan, any edit or
upgrade misses, and a file with problems is never kept, so its
problems are reported every time. ``KPICHECK_NO_CACHE=1`` turns it off. A
cache that cannot be read or written is simply not used.

Beside each plan, its small JSON file keeps the plan's id and parent, whether the
unit registry's checks were among those it passed (``official``), and its listing
(``kpicheck.plan.listing``): ``validate`` and ``targets`` answer from that file
alone, without pydantic. Other small files kept here (``targets``' rendered tables)
go through :func:`load_text` and :func:`store_text`.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kpicheck.plan.model import Plan

DIR_VAR = "KPICHECK_CACHE_DIR"
OFF_VAR = "KPICHECK_NO_CACHE"


def folder() -> Path | None:
    """Where plans are kept, or None when the cache is off."""
    if os.environ.get(OFF_VAR):
        return None
    if os.environ.get(DIR_VAR):
        return Path(os.environ[DIR_VAR])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "kpicheck"


# The modules whose code decides what a plan file becomes, and kpicheck's __init__.py, which holds
# its version: stamped by size and time rather than imported, since the package imports the API.
_READERS = (
    "model.py",
    "rules.py",
    "catalog.py",
    "yamlsafe.py",
    "areas.py",
    "cache.py",
    "listing.py",
    "../__init__.py",
    "../units/data/units.json",
)


def key(raw: bytes) -> str:
    here = Path(__file__).parent
    stamps = [f"{name}:{st.st_size}:{st.st_mtime_ns}" for name in _READERS for st in [(here / name).stat()]]
    code = "\n".join(stamps).encode()
    return hashlib.sha256(code + b"\0" + raw).hexdigest()


def load(raw: bytes, official: bool = False) -> Plan | None:
    """The plan validated from exactly these bytes by this version, if it was kept; ``official``:
    only if its area and units were also checked against the unit registry (``validate``)."""
    where = folder()
    if where is None:
        return None
    if official and _meta(where, raw).get("official") is not True:
        return None
    import pickle  # here: validate and targets answer from the JSON beside it

    try:
        with (where / f"plan-{key(raw)}.pickle").open("rb") as handle:
            plan: Plan = pickle.load(handle)
        return plan
    except Exception:  # absent, unreadable or from another Python: read the file instead
        return None


def known(raw: bytes) -> tuple[str, str | None] | None:
    """The id and parent (``extends``) of the plan kept for these bytes, without unpickling it:
    enough for ``validate`` to say a file it has seen pass is still fine."""
    where = folder()
    if where is None:
        return None
    meta = _meta(where, raw)
    if meta.get("official") is not True:  # evaluate keeps plans validate has yet to check in full
        return None
    return str(meta["id"]), None if meta["extends"] is None else str(meta["extends"])


def listing(raw: bytes) -> dict[str, Any] | None:
    """The listing (``kpicheck.plan.listing``) of the plan kept for these bytes, if one was kept.
    Any kept plan will do, checked against the unit registry or not: ``targets`` shows what a plan
    states and never checked its area (``validate`` does, and trusts only ``official`` entries)."""
    where = folder()
    if where is None:
        return None
    kept = _meta(where, raw).get("listing")
    return kept if isinstance(kept, dict) else None


def _meta(where: Path, raw: bytes) -> dict[str, Any]:
    try:
        meta = json.loads((where / f"plan-{key(raw)}.json").read_text(encoding="utf-8"))
    except Exception:
        return {}
    return meta if isinstance(meta, dict) and "id" in meta and "extends" in meta else {}


def store(raw: bytes, plan: Plan, plan_id: str, extends: str | None, official: bool = False) -> None:
    """Keep a plan that passed every check (and its id and parent apart, and whether the registry
    checks were among them); each file written whole or not at all, the plan before what says
    it exists."""
    where = folder()
    if where is None:
        return
    name = f"plan-{key(raw)}"
    import pickle

    official = official or _meta(where, raw).get("official") is True  # never forgotten
    from kpicheck.plan.listing import listing as plain  # imported with the model it reads

    meta = {"id": plan_id, "extends": extends, "official": official, "listing": plain(plan)}
    try:
        where.mkdir(parents=True, exist_ok=True)
        _write(where, name + ".pickle", pickle.dumps(plan, protocol=pickle.HIGHEST_PROTOCOL))
        _write(where, name + ".json", json.dumps(meta).encode())
    except OSError:
        return


TEXTS_KEPT = 32  # rendered tables: one per plan set, language and terminal; the oldest go


def load_text(name: str) -> str | None:
    """A text kept under ``name`` by :func:`store_text`, if there is one."""
    where = folder()
    if where is None:
        return None
    try:
        return (where / name).read_text(encoding="utf-8")
    except Exception:  # absent or unreadable: made again
        return None


def store_text(name: str, text: str) -> None:
    """Keep ``text`` under ``name`` (written whole or not at all); of the files named like it
    (the same part before the first ``-``), only the newest ``TEXTS_KEPT`` stay."""
    where = folder()
    if where is None:
        return
    try:
        where.mkdir(parents=True, exist_ok=True)
        _write(where, name, text.encode("utf-8"))
        kin = sorted(where.glob(name.split("-", 1)[0] + "-*"), key=lambda p: p.stat().st_mtime_ns)
        for old in kin[:-TEXTS_KEPT]:
            old.unlink(missing_ok=True)
    except OSError:
        return


def _write(where: Path, name: str, data: bytes) -> None:
    import tempfile

    fd, tmp = tempfile.mkstemp(prefix=".plan-", dir=where)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(tmp, where / name)
