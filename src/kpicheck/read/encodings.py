"""Which text encoding a data file is written in, decided from its first bytes.

The rule is explicit, not a statistical guess, and is applied in this order
to the first 64 KiB of the file:

1. A UTF-8 byte-order mark: UTF-8 (Excel's "CSV UTF-8"). Said nothing about.
2. A UTF-16 byte-order mark: UTF-16 (Excel's "Unicode text", tab-separated),
   read with a warning.
3. Bytes that are valid UTF-8: UTF-8.
4. Valid UTF-8 characters next to bytes that are not: refused as damaged.
5. Anything else is read as Windows-1258 (the Vietnamese ANSI code page, what
   Excel's plain "CSV" writes on a Vietnamese Windows) only when every
   non-ASCII character it decodes to is one Vietnamese text can hold:
   a Vietnamese letter (a vowel with Vietnamese marks, đ, Đ), a combining tone
   mark directly after a vowel (Windows-1258 writes most toned vowels as a
   base letter plus one of five combining marks), or typographic punctuation.
   Otherwise the file is refused as a legacy font encoding.

Why rule 5 tells Windows-1258 from TCVN3 ("ABC", the .VnTime fonts) and VNI:
TCVN3 puts ă â ê ô ơ ư đ at bytes 0xA8-0xAE and most toned vowels at
0xB5-0xBE and 0xC6-0xFE. In Windows-1258 the first two ranges are symbols
(¨ © ª « ¬ soft hyphen ® µ ¶ · ¸ ¹ » ¼ ½ ¾) that no Vietnamese text holds, and
TCVN3's è ề ị ỡ ũ (0xCC 0xD2 0xDE 0xEC 0xF2) are Windows-1258's combining
tone marks, which in TCVN3 text follow consonants. VNI writes a vowel followed
by a mark byte that Windows-1258 reads as a letter Vietnamese does not use
(ä ö ø ñ Ñ ...). Vietnamese text of any length needs one of these bytes, so a
TCVN3 or VNI file fails the rule on its first accented word.

TCVN3 and VNI are refused, not decoded: a TCVN3 file writes capitals by
switching to a capital font, so the bytes alone do not say whether "è" was
"è" or "È", and a decoded name could silently fail to match its plan.

Text read as Windows-1258 carries combining marks; it is NFC-normalised with
all other names before any comparison.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from kpicheck.errors import DataError, Problem

_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")
_VOWELS = "aăâeêioôơuưy"


def _vietnamese_letters() -> frozenset[str]:
    letters = {"đ", "Đ"}
    for vowel in _VOWELS:
        for tone in ("", *_TONES):
            for case in (vowel, vowel.upper()):
                letters.add(unicodedata.normalize("NFC", case + tone))
    return frozenset(letters)


VIETNAMESE_LETTERS = _vietnamese_letters()
# Vowels a combining tone mark may follow (untoned, in either case).
_TONE_BEARERS = frozenset(_VOWELS + _VOWELS.upper())
# What Excel and Word put into text besides letters: no-break space, dashes, quotes.
_PUNCTUATION = frozenset("\u00a0–—‘’“”…•")


@dataclass(frozen=True)
class Encoding:
    """How to decode a file: the codec name (Python's and pyarrow's) and what to tell the user."""

    codec: str
    bom: bytes = b""
    assumed: str | None = None  # the code of the warning that says what was assumed

    @property
    def is_utf8(self) -> bool:
        return self.codec == "utf-8"

    @property
    def label(self) -> str:
        return {"utf-8": "UTF-8", "utf-16": "UTF-16", "cp1258": "Windows-1258"}.get(self.codec, self.codec)

    def decode_head(self, head: bytes) -> str:
        """The sniffed bytes as text; a character cut at the end of ``head`` is dropped."""
        decoder = codecs.getincrementaldecoder(self.codec)(errors="strict")
        return decoder.decode(head[len(self.bom) :], final=False)


def sniff(head: bytes, name: str) -> Encoding:
    """The encoding of a file from its first bytes; legacy font encodings are refused."""
    if head.startswith(codecs.BOM_UTF8):
        return Encoding("utf-8", codecs.BOM_UTF8)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Python's utf-16 codec reads the mark itself and picks the byte order from it.
        return Encoding("utf-16", assumed="warning.read-as-utf16")
    try:
        Encoding("utf-8").decode_head(head)
    except UnicodeDecodeError:
        pass
    else:
        return Encoding("utf-8")
    damaged = head.decode("utf-8", errors="replace")
    if any(not c.isascii() and c != "\ufffd" for c in damaged):
        # Real UTF-8 characters next to bytes that are not: damaged, or two encodings mixed.
        line = damaged.count("\n", 0, damaged.index("\ufffd")) + 1
        raise DataError(Problem.of("data.damaged-utf8", name, line))
    text = head.decode("cp1258", errors="replace")
    bad = implausible(text)
    if bad is None:
        return Encoding("cp1258", assumed="warning.read-as-windows-1258")
    line = text.count("\n", 0, bad) + 1
    raise DataError(Problem.of("data.legacy-encoding", name, line))


def implausible(text: str) -> int | None:
    """Index of the first character Vietnamese text read as Windows-1258 cannot hold, or None."""
    previous = ""
    for i, char in enumerate(text):
        if char.isascii():
            pass
        elif char in _TONES:
            if previous not in _TONE_BEARERS:
                return i
        elif char not in VIETNAMESE_LETTERS and char not in _PUNCTUATION:
            return i
        previous = char
    return None


def foreign_letter(name: str) -> str | None:
    """A character of ``name`` that no Vietnamese name holds, as legacy-font text read as Unicode.

    TCVN3 or VNI text that was saved as UTF-8 (a .VnTime workbook saved as
    "CSV UTF-8") is valid Unicode made of Latin-1 symbols and letters
    Vietnamese does not use: "Tr­êng" for "Trường", "Vieät" for "Việt". One
    regular-expression search per name (a file may name 100,000 units).
    """
    found = _FOREIGN.search(name)
    return found.group() if found else None


# Latin-1 and Latin Extended (U+0080–U+024F) less what Vietnamese text holds: what foreign_letter finds.
_FOREIGN = re.compile(
    "["
    + "".join(
        re.escape(chr(code))
        for code in range(0x80, 0x250)
        if chr(code) not in VIETNAMESE_LETTERS and chr(code) not in _PUNCTUATION
    )
    + "]"
)
