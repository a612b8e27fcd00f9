"""Timing kpicheck from outside: wrap its public functions wherever they are bound.

The benchmark scripts hook only public names (no leading underscore) of
kpicheck's modules, so a refactoring inside a module does not silently stop
them from measuring; a name that is gone is reported as missing.

kpicheck's modules import each other's functions by name (``from
kpicheck.read.actuals import read_actuals``), so one function has several
bindings: ``wrap_everywhere`` replaces each of them. ``after_import`` runs a
callback as soon as a module has been imported, so a script can wrap a module
that the command line imports lazily without importing it earlier itself,
which would move the cost of that import.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any


def resolve(module: str, attr: str) -> tuple[Any, str, Any] | None:
    """``(owner, name, object)`` for ``attr`` ("func" or "Class.method") of an imported module, or None."""
    try:
        owner: Any = importlib.import_module(module)
    except ModuleNotFoundError:  # an older version (run.py --ref) without this module
        return None
    *outer, last = attr.split(".")
    for part in outer:
        owner = getattr(owner, part, None)
        if owner is None:
            return None
    if last.startswith("_") or not hasattr(owner, last):
        return None
    return owner, last, getattr(owner, last)


def wrap_everywhere(owner: Any, name: str, make: Callable[[Callable[..., Any]], Callable[..., Any]]) -> None:
    """Replace ``owner.name`` by ``make(original)``: in its class, or in every kpicheck module bound to it."""
    if isinstance(owner, type):
        raw = owner.__dict__.get(name)
        if isinstance(raw, classmethod):
            setattr(owner, name, classmethod(make(raw.__func__)))
        elif isinstance(raw, staticmethod):
            setattr(owner, name, staticmethod(make(raw.__func__)))
        else:
            setattr(owner, name, make(getattr(owner, name)))
        return
    original = getattr(owner, name)
    wrapped = make(original)
    for module in list(sys.modules.values()):
        if module is None or not getattr(module, "__name__", "").startswith("kpicheck"):
            continue
        for key, value in list(vars(module).items()):
            if value is original:
                setattr(module, key, wrapped)


class _AfterImport(importlib.abc.MetaPathFinder):
    def __init__(self) -> None:
        self.callbacks: dict[str, list[Callable[[ModuleType], None]]] = {}

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        callbacks = self.callbacks.pop(fullname, None)
        if not callbacks:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None:
            return spec
        loader = spec.loader
        execute = loader.exec_module

        def exec_module(module: ModuleType) -> None:
            execute(module)
            for callback in callbacks:
                callback(module)

        loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


_FINDER = _AfterImport()


def after_import(module: str, callback: Callable[[ModuleType], None]) -> None:
    """Call ``callback(module)`` once ``module`` is imported (now, if it already is)."""
    if module in sys.modules:
        callback(sys.modules[module])
        return
    _FINDER.callbacks.setdefault(module, []).append(callback)
    if _FINDER not in sys.meta_path:
        sys.meta_path.insert(0, _FINDER)
