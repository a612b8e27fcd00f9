"""Which indicator of a plan a row names, written the way offices write it.

A row may name an indicator by its id (in any case), its Vietnamese or English
name, the plan's own code ("Chỉ tiêu 12") where no other indicator shares it,
or one of the plan's ``aliases``; all are compared after ``names.fold``, as
unit names are, and without leading zeros (``names.indicator_key``). The text
is resolved once per distinct indicator string (a national file has two
million rows and some forty strings), never per row.

An id wins over a name, code or alias that happens to fold the same way; a
text that fits several indicators is ambiguous and refused with the
candidates, never guessed.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from kpicheck.errors import Problem
from kpicheck.names import indicator_key
from kpicheck.plan.model import Plan

UNKNOWN = -1
AMBIGUOUS = -2


@dataclass(frozen=True)
class IndicatorNames:
    """Every way a plan's indicators may be written, folded once per plan."""

    plan: str
    ids: list[str]
    by_id: dict[str, int]  # ids as the plan writes them: the fast path of files that use ids
    by_folded_id: dict[str, int]
    by_other: dict[str, tuple[int, ...]]  # folded names, codes and aliases -> positions

    @classmethod
    def of(cls, plan: Plan) -> IndicatorNames:
        ids = [i.id for i in plan.indicators]
        other: dict[str, list[int]] = {}
        for k, ind in enumerate(plan.indicators):
            for text in (ind.name, ind.name_en, ind.code, *ind.aliases):
                if text:
                    positions = other.setdefault(indicator_key(text), [])
                    if k not in positions:
                        positions.append(k)
        return cls(
            plan=plan.id,
            ids=ids,
            by_id={ident: k for k, ident in enumerate(ids)},
            by_folded_id={indicator_key(ident): k for k, ident in enumerate(ids)},
            by_other={key: tuple(ks) for key, ks in other.items()},
        )

    def candidates(self, text: str) -> tuple[int, ...]:
        """The positions of the indicators ``text`` may name: none, one, or several (ambiguous)."""
        if text in self.by_id:
            return (self.by_id[text],)
        folded = indicator_key(text)
        if folded in self.by_folded_id:
            return (self.by_folded_id[folded],)
        return self.by_other.get(folded, ())

    def positions(self, texts: Sequence[str]) -> np.ndarray:
        """Each text's indicator position, ``UNKNOWN`` or ``AMBIGUOUS``; a final ``UNKNOWN`` for code -1."""
        out = np.full(len(texts) + 1, UNKNOWN, dtype=np.int64)
        for n, text in enumerate(texts):
            found = self.candidates(str(text))
            out[n] = found[0] if len(found) == 1 else (AMBIGUOUS if found else UNKNOWN)
        return out

    def closest(self, text: str, count: int = 3) -> list[str]:
        """The ids of the indicators whose id, names, code or aliases look most like ``text``."""
        keys = [(key, self.ids[k]) for key, k in self.by_folded_id.items()]
        keys += [(key, self.ids[k]) for key, ks in self.by_other.items() for k in ks]
        matcher = difflib.SequenceMatcher(b=indicator_key(text), autojunk=False)
        scored = []
        for key, ident in keys:
            matcher.set_seq1(key)
            scored.append((matcher.ratio(), ident))
        out: list[str] = []
        for _, ident in sorted(scored, key=lambda s: -s[0]):
            if ident not in out:
                out.append(ident)
        return out[:count]


class Found(NamedTuple):
    """The problems of a table's indicators."""

    ambiguous: list[Problem]  # errors: a text that fits several indicators
    foreign: list[Problem]  # errors: a file none of whose indicators is the plan's
    unknown: list[Problem]  # warnings: a text that is no indicator of the plan, with the closest id


def indicator_problems(
    names: IndicatorNames,
    texts: Sequence[str],
    codes: np.ndarray,
    file: np.ndarray,
    file_names: Sequence[str],
    line: np.ndarray,
) -> Found:
    """What is wrong with the indicators of some rows (``codes`` index ``texts``), located at the
    first row of each text. Costs nothing per row unless some text is not the plan's."""
    per_text = names.positions(texts)[:-1]
    odd = np.flatnonzero(per_text < 0)
    if len(odd) == 0 or not names.ids:
        # A plan of milestones only has no indicator to suggest: its figures are unknown_indicator.
        return Found([], [], [])
    # A file in which no indicator is the plan's is a file for another plan, or ids nobody knows:
    # an error of its own, which says what its warnings would.
    n_texts = len(texts) + 1  # the last slot: blank indicators
    seen = np.zeros((len(file_names), n_texts), dtype=bool)
    seen[file, codes] = True
    in_plan = np.append(per_text != UNKNOWN, False)  # an ambiguous text is the plan's, twice over
    foreign = seen.any(axis=1) & ~(seen & in_plan).any(axis=1)
    told_by_file = seen[foreign].any(axis=0) & ~seen[~foreign].any(axis=0)
    found = Found([], [], [])
    for k in odd:
        rows = np.flatnonzero(codes == k)
        if len(rows) == 0:
            continue
        text, row = str(texts[int(k)]), int(rows[0])
        where = (str(file_names[int(file[row])]), int(line[row]), "indicator")
        if per_text[k] == AMBIGUOUS:
            fits = names.candidates(text)
            candidates = ", ".join(names.ids[i] for i in fits)
            found.ambiguous.append(
                Problem.of(
                    "data.ambiguous-indicator",
                    *where,
                    indicator=text,
                    count=len(fits),
                    plan=names.plan,
                    candidates=candidates,
                )
            )
        elif not told_by_file[k]:
            closest = names.closest(text, 1)[0]
            found.unknown.append(
                Problem.of(
                    "warning.unknown-indicator", *where, indicator=text, plan=names.plan, closest=closest
                )
            )
    for f in np.flatnonzero(foreign):
        first = int(np.flatnonzero(seen[f, :-1])[0]) if seen[f, :-1].any() else None
        closest = ", ".join(names.closest(str(texts[first]))) if first is not None else ""
        found.foreign.append(
            Problem.of("data.no-known-indicator", str(file_names[int(f)]), plan=names.plan, closest=closest)
        )
    return found
