"""Finding, reading and validating plan files.

Plans are looked up in the user's folder (``--targets``, ``$KPICHECK_TARGETS``,
or ``./targets``), then in the plans shipped with the package, so that a
district's own plan can extend a province plan that kpicheck ships.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kpicheck.errors import PlanError, Problem
from kpicheck.plan import cache

if TYPE_CHECKING:
    from kpicheck.plan.model import Plan

ENV_VAR = "KPICHECK_TARGETS"
PLAN_SUFFIXES = (".yaml", ".yml")
MAX_PLAN_BYTES = 2_000_000


def packaged_dir() -> Path:
    """The folder of plans shipped inside the package (found from this file: importlib.resources
    gives the same folder and takes 7 ms to import)."""
    return Path(__file__).parent.parent / "targets"


def search_dirs(explicit: Path | None = None) -> list[Path]:
    """Folders searched for plans, first match wins."""
    dirs: list[Path] = []
    if explicit is not None:
        if not explicit.is_dir():
            raise PlanError(Problem.of("plan.targets-not-folder", column="--targets", path=str(explicit)))
        dirs.append(explicit)
    elif os.environ.get(ENV_VAR):
        env_dir = Path(os.environ[ENV_VAR])
        if not env_dir.is_dir():
            raise PlanError(Problem.of("plan.env-not-folder", path=str(env_dir), variable=ENV_VAR))
        dirs.append(env_dir)
    elif Path("targets").is_dir():
        dirs.append(Path("targets"))
    dirs.append(packaged_dir())
    return _unique(dirs)


def read_plan_file(path: Path, official: bool = False, lang: str = "en") -> Plan:
    """Read and validate one plan file on its own; all its problems in one error. ``official``:
    also check its area and listed units against the unit registry (``kpicheck validate``)."""
    name = str(path)
    try:
        if path.stat().st_size > MAX_PLAN_BYTES:
            raise PlanError(Problem.of("plan.too-large", name))
        raw = path.read_bytes()
    except OSError as exc:
        raise PlanError(Problem.of("plan.unreadable", name, reason=exc.strerror)) from None
    kept = cache.load(raw, official)
    if kept is not None:
        return kept
    # Imported here: a run whose plans all come from the cache needs no YAML parser.
    from pydantic import ValidationError

    from kpicheck.plan.model import Plan
    from kpicheck.plan.rules import check_plan
    from kpicheck.plan.yamlsafe import dotted as _dotted
    from kpicheck.plan.yamlsafe import load_yaml

    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise PlanError(Problem.of("plan.not-utf8", name, line)) from None
    located = load_yaml(text, name)
    if not isinstance(located.data, dict):
        raise PlanError(Problem.of("plan.not-mapping", name, 1))
    try:
        plan = Plan.model_validate(located.data)
    except ValidationError as exc:
        problems = [
            _pydantic_problem(err, name, located.line_of(tuple(err["loc"])), _dotted(err["loc"]))
            for err in exc.errors()
        ]
        raise PlanError(problems) from None
    findings = check_plan(plan)
    if official and not findings:
        from kpicheck.plan.areas import official_findings

        findings = official_findings(plan, lang)
    if findings:
        raise PlanError(
            [Problem.of(f.code, name, located.line_of(f.path), _dotted(f.path), **f.args) for f in findings]
        )
    cache.store(raw, plan, plan.id, plan.extends, official)
    return plan


@dataclass
class Catalog:
    """All plans reachable from the search folders, read lazily by id."""

    dirs: list[Path]
    files: dict[str, Path] = field(default_factory=dict)
    _cache: dict[str, Plan] = field(default_factory=dict)

    @classmethod
    def discover(cls, explicit: Path | None = None) -> Catalog:
        catalog = cls(search_dirs(explicit))
        for folder in catalog.dirs:
            for path in sorted(folder.iterdir()):
                if path.suffix in PLAN_SUFFIXES and path.is_file():
                    # The file name is the plan id: cheap to list, no YAML read needed.
                    catalog.files.setdefault(path.stem, path)
        return catalog

    def ids(self) -> list[str]:
        return sorted(self.files)

    def get(self, plan_id: str) -> Plan:
        """The plan with ``plan_id``, with everything it extends merged in."""
        return self._resolve(plan_id, ())

    def load(self, ref: str) -> Plan:
        """A plan named by id or by the path of a file."""
        path = Path(ref)
        if path.suffix in PLAN_SUFFIXES or os.sep in ref:
            if not path.is_file():
                known = ", ".join(self.ids()) or "none"
                raise PlanError(Problem.of("plan.no-such-file", ref, column="--plan", known=known))
            plan = read_plan_file(path)
            self.remember(plan, path)
            return self.resolve(plan, path)
        return self.get(ref)

    def _resolve(self, plan_id: str, chain: tuple[str, ...]) -> Plan:
        if plan_id in chain:
            cycle = " -> ".join((*chain, plan_id))
            raise PlanError(Problem.of("plan.extends-cycle", cycle=cycle))
        path = self.files.get(plan_id)
        if path is None:
            known = ", ".join(self.ids()) or "none"
            raise PlanError(Problem.of("plan.not-found", plan=plan_id, known=known))
        plan = self._cache.get(plan_id)
        if plan is None:
            plan = read_plan_file(path)
            if plan.id != path.stem:
                raise PlanError(Problem.of("plan.id-mismatch", str(path), column="id", plan=plan.id))
            self._cache[plan_id] = plan
        return self._merge(plan, (*chain, plan_id), str(path))

    def remember(self, plan: Plan, path: Path) -> None:
        """Keep a plan read from ``path`` so that a plan extending it does not read it again."""
        known = self.files.get(plan.id)
        if known is None or _same(known, path):
            self._cache.setdefault(plan.id, plan)

    def resolve(self, plan: Plan, path: Path) -> Plan:
        """``plan`` (read from ``path``) with everything it extends merged in."""
        return self._merge(plan, (plan.id,), str(path))

    def _merge(self, plan: Plan, chain: tuple[str, ...], file: str) -> Plan:
        if plan.extends is None:
            return plan
        if plan.extends not in self.files and plan.extends not in chain:
            raise PlanError(Problem.of("plan.unknown-parent", file, column="extends", parent=plan.extends))
        parent = self._resolve(plan.extends, chain)
        return extend(parent, plan)


def validate_files(files: list[Path], catalog: Catalog, lang: str = "en") -> list[Problem]:
    """Every problem of every file, each file read once; ``extends`` resolved too.

    A plan whose id is not its file name is refused here as ``evaluate`` refuses
    it: plans are found by their file name, so such a plan could never be used.
    """
    if _known_valid(files, catalog):
        return []
    problems: list[Problem] = []
    plans: list[tuple[Plan, Path]] = []
    for path in files:
        try:
            plan = read_plan_file(path, official=True, lang=lang)
        except PlanError as exc:
            problems.extend(exc.problems)
            continue
        if plan.id != path.stem:
            problems.append(Problem.of("plan.id-mismatch", str(path), column="id", plan=plan.id))
            continue
        plans.append((plan, path))
        catalog.remember(plan, path)
    if problems:
        return problems
    for plan, path in plans:
        try:
            # A missing parent or a cycle is an error of the file that extends.
            catalog.resolve(plan, path)
        except PlanError as exc:
            problems.extend(exc.problems)
    return problems


def _known_valid(files: list[Path], catalog: Catalog) -> bool:
    """Whether every file, and every plan it extends, passed every check before (``cache``), and
    each ``extends`` chain ends without a gap or a cycle: then ``validate`` has nothing to say and
    needs neither YAML nor pydantic. Anything else (a file not seen, a problem) is left to the
    full check, which reports it as it always does."""

    def known(path: Path) -> tuple[str, str | None] | None:
        try:
            return cache.known(path.read_bytes())
        except OSError:
            return None

    for path in files:
        meta = known(path)
        if meta is None or meta[0] != path.stem:
            # A kept plan copied under another name is refused as the full check refuses it.
            return False
        chain = set()
        while meta is not None and meta[1] is not None:
            parent = meta[1]
            chain.add(meta[0])
            if parent in chain or parent not in catalog.files:
                return False
            meta = known(catalog.files[parent])
            if meta is None or meta[0] != parent:
                return False
        if meta is None:
            return False
    return True


def extend(parent: Plan, child: Plan) -> Plan:
    """The child plan with the parent's goals, indicators and milestones it does not redefine."""

    def merged(parent_items: list[Any], child_items: list[Any]) -> list[Any]:
        own = {item.id for item in child_items}
        return [p for p in parent_items if p.id not in own] + list(child_items)

    return child.model_copy(
        update={
            "goals": merged(parent.goals, child.goals),
            "indicators": merged(parent.indicators, child.indicators),
            "milestones": merged(parent.milestones, child.milestones),
            "baseline_year": child.baseline_year or parent.baseline_year,
            "progress_thresholds": child.progress_thresholds or parent.progress_thresholds,
        }
    )


def plan_files(paths: list[Path]) -> list[Path]:
    """Plan files named directly or found in the given folders."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(p for p in sorted(path.iterdir()) if p.suffix in PLAN_SUFFIXES)
        elif path.exists():
            found.append(path)
        else:
            raise PlanError(Problem.of("plan.no-such-path", str(path)))
    return found


# pydantic's error types that have a code of their own; the others are told in pydantic's words.
_PYDANTIC_CODES = {"extra_forbidden": "plan.unknown-key", "missing": "plan.missing-key"}


def _pydantic_problem(err: object, file: str, line: int | None, key: str | None) -> Problem:
    assert isinstance(err, dict)
    code = _PYDANTIC_CODES.get(str(err.get("type")))
    if code is not None:
        return Problem.of(code, file, line, key)
    if err.get("type") == "finite_number":  # .nan would pass every check, .inf meet every target
        return Problem.of("plan.not-finite", file, line, key, value=err.get("input"))
    reason = str(err.get("msg", "invalid value"))
    if "input" in err and not isinstance(err["input"], dict | list):
        return Problem.of("plan.invalid-value", file, line, key, reason=reason, value=err["input"])
    return Problem.of("plan.invalid-structure", file, line, key, reason=reason)


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def _unique(dirs: list[Path]) -> list[Path]:
    out: list[Path] = []
    for d in dirs:
        if not any(_same(d, o) for o in out):
            out.append(d)
    return out
