"""One home for comparing names as people read them.

Text is NFC-normalised wherever it enters kpicheck (plans, data, the command
line); names of units are compared after ``fold``.
"""

from __future__ import annotations

import re
import unicodedata


def nfc(text: str) -> str:
    """``text`` in Unicode NFC, the form every comparison and output uses."""
    return unicodedata.normalize("NFC", text)


def fold(name: str) -> str:
    """The form two spellings of one name share: NFC, trimmed, case-folded."""
    return nfc(name).strip().casefold()


_LEADING_ZEROS = re.compile(r"\b0+(\d)")


def indicator_key(text: str) -> str:
    """The form all spellings of one indicator share: ``fold``, and numbers without their leading
    zeros, as plans write both ("dưới 05 tuổi" and "dưới 5 tuổi", "Chỉ tiêu 01" and "Chỉ tiêu 1")."""
    return _LEADING_ZEROS.sub(r"\1", fold(text))
