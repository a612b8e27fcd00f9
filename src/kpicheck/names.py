"""One home for comparing names as people read them.

Text is NFC-normalised wherever it enters kpicheck (plans, data, the command
line); names of units are compared after ``fold``.
"""

from __future__ import annotations

import unicodedata


def nfc(text: str) -> str:
    """``text`` in Unicode NFC, the form every comparison and output uses."""
    return unicodedata.normalize("NFC", text)


def fold(name: str) -> str:
    """The form two spellings of one name share: NFC, trimmed, case-folded."""
    return nfc(name).strip().casefold()
