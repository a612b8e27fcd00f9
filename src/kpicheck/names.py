"""One home for comparing names as people read them.

Text is NFC-normalised wherever it enters kpicheck (plans, data, the command
line); names of units are compared after ``fold``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# Characters a copy from a web page or a spreadsheet carries and nobody sees: soft hyphen,
# zero-width space/non-joiner/joiner, direction marks and embeddings, word joiner, BOM.
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]+")
# A run of whitespace that is not one plain space (tabs, non-breaking spaces, doubled spaces).
# Names are joined by "\n" below, so "\n" is left alone here.
_ODD_SPACE = re.compile("[^\\S \n][^\\S\n]*| [^\\S\n]+")
_EDGE_SPACE = re.compile(" \n ?|\n ")  # a space left at the end or start of a name


def _tone_moves() -> dict[str, str]:
    """The two placements of a tone mark that spelling reforms left in use: "hòa"/"hoà",
    "khỏe"/"khoẻ", "thủy"/"thuỷ" (on the first vowel of oa, oe, uy, or on the second).
    Both fold to the second; elsewhere the place of a tone mark is not in dispute."""
    moves = {}
    for tone in "\u0300\u0301\u0303\u0309\u0323":  # grave, acute, tilde, hook, dot below
        for first, second in (("o", "a"), ("o", "e"), ("u", "y")):
            moves[nfc(first + tone) + second] = first + nfc(second + tone)
    return moves


def nfc(text: str) -> str:
    """``text`` in Unicode NFC, the form every comparison and output uses."""
    return unicodedata.normalize("NFC", text)


_TONE_MOVES = _tone_moves()
_TONE_ON_FIRST = re.compile("|".join(_TONE_MOVES))


def fold(name: str) -> str:
    """The form all spellings of one name share, for comparing names, never for showing them.

    Two names fold alike when they differ only in case, spacing (non-breaking and
    repeated spaces too), invisible characters, Unicode form (NFC or NFD) and the
    place of the tone mark ("Hòa"/"Hoà", "Thủy"/"Thuỷ"). Letters and marks that
    change the name ("Sủ"/"Sử", "Hòa"/"Hóa") still differ.
    """
    return fold_all([name])[0]


def fold_all(names: Iterable[str]) -> list[str]:
    """``fold`` of many names at once: each step is one pass over all of them (the registry's
    14,000 names in about 20 ms, where a Python loop over names takes several times as long)."""
    names = list(names)
    if not names:
        return []
    text = "\n".join(names)
    if text.count("\n") != len(names) - 1:  # a name with a line break: it is whitespace there
        text = "\n".join(name.replace("\n", " ") for name in names)
    text = _INVISIBLE.sub("", text)
    text = _EDGE_SPACE.sub("\n", _ODD_SPACE.sub(" ", text)).strip(" ")
    text = nfc(nfc(text).casefold())  # casefold may decompose a letter; NFC puts it together again
    text = _TONE_ON_FIRST.sub(lambda m: _TONE_MOVES[m.group()], text)
    return text.split("\n")


_LEADING_ZEROS = re.compile(r"\b0+(\d)")


def indicator_key(text: str) -> str:
    """The form all spellings of one indicator share: ``fold``, and numbers without their leading
    zeros, as plans write both ("dưới 05 tuổi" and "dưới 5 tuổi", "Chỉ tiêu 01" and "Chỉ tiêu 1")."""
    return _LEADING_ZEROS.sub(r"\1", fold(text))
