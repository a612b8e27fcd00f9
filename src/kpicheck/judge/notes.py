"""kpicheck's own remarks on a result, as codes with arguments.

A result's ``note`` column is said in the run's language (``--lang``: JSON,
CSV and every other format carry it so); every text comes from one template
below, so a reader can turn an English note back into its code and arguments
(``parse``) and say it in another language (``translate``). Text a user wrote
(a figure that is not a number) is only ever an argument: it is shown as
written, never translated.
"""

from __future__ import annotations

import re
from functools import cache

import numpy as np
import pandas as pd

# code -> English template; arguments are inserted as already-formatted text.
TEMPLATES: dict[str, str] = {
    "missing-value": "missing value",
    "negative-value": "negative value",
    "above-maximum": "above {limit}, impossible for the unit",
    "not-a-number": "not a number: {raw}",
    "no-figure": "no figure submitted",
    "not-yes-no": "for a share of units, a unit reports yes (1, đạt, có) or no (0, không đạt, không)",
    "not-in-plan": "not an indicator of plan {plan}",
    "no-milestone-row": "no row in the milestone file",
}


# The same notes in Vietnamese, by code.
TEMPLATES_VI: dict[str, str] = {
    "missing-value": "thiếu giá trị",
    "negative-value": "giá trị âm",
    "above-maximum": "vượt {limit}, không thể có với đơn vị đo",
    "not-a-number": "không phải là số: {raw}",
    "no-figure": "chưa có số liệu",
    "not-yes-no": "với tỷ lệ đơn vị, mỗi đơn vị báo đạt (1, đạt, có) hoặc không đạt (0, không đạt, không)",
    "not-in-plan": "không phải chỉ tiêu của kế hoạch {plan}",
    "no-milestone-row": "không có dòng nào trong tệp nhiệm vụ",
}
LANGUAGES: dict[str, dict[str, str]] = {"en": TEMPLATES, "vi": TEMPLATES_VI}


def text(code: str, **args: str) -> str:
    """The English text of a note."""
    return TEMPLATES[code].format(**args)


def translate(note: str, lang: str) -> str:
    """An English note of kpicheck's in ``lang``; any other text as it is."""
    if lang == "en":
        return note
    parsed = parse(note)
    if parsed is None:
        return note
    code, args = parsed
    return LANGUAGES.get(lang, TEMPLATES)[code].format(**args)


@cache
def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    out = []
    for code, template in TEMPLATES.items():
        pieces = re.split(r"\{(\w+)\}", template)
        regex = "".join(
            re.escape(piece) if i % 2 == 0 else f"(?P<{piece}>.+)" for i, piece in enumerate(pieces)
        )
        out.append((code, re.compile(regex, re.DOTALL)))
    return out


def parse(note: str) -> tuple[str, dict[str, str]] | None:
    """The code and arguments of a note kpicheck wrote; None for any other text."""
    for code, pattern in _patterns():
        match = pattern.fullmatch(note)
        if match:
            return code, match.groupdict()
    return None


class Notes:
    """Result notes as codes into a short list of texts: 2M results share a handful of notes."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self._index: dict[str, int] = {}

    def code(self, note: str, **args: str) -> int:
        """The position of the note ``note`` (a code of ``TEMPLATES``) with these arguments."""
        body = text(note, **args)
        if body not in self._index:
            self._index[body] = len(self.texts)
            self.texts.append(body)
        return self._index[body]

    def invalid(
        self, invalid: np.ndarray, value: np.ndarray, maximum: np.ndarray, raw: np.ndarray | None
    ) -> np.ndarray:
        """Why each invalid value is invalid (-1 for valid rows); ``raw`` the cells that were not numbers."""
        codes = np.full(len(invalid), -1, dtype=np.int32)
        if not invalid.any():
            return codes
        with np.errstate(invalid="ignore"):
            codes[invalid & np.isnan(value)] = self.code("missing-value")
            codes[invalid & (value < 0)] = self.code("negative-value")
            over = invalid & (value > maximum)
        for limit in np.unique(maximum[over]):
            codes[over & (maximum == limit)] = self.code("above-maximum", limit=f"{limit:g}")
        if raw is not None:
            for i in np.flatnonzero(invalid & pd.notna(raw)):
                codes[i] = self.code("not-a-number", raw=repr(str(raw[i])))
        return codes
