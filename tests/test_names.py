"""``fold``: one name, however people type it, compares equal; a different name does not."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kpicheck.names import fold, fold_all

# Real names (of units of the statistics office), with the tone-mark places in dispute.
NAMES = [
    "Xã Bum Nưa",
    "Xã Pa Vệ Sủ",
    "Thị trấn Mường Tè",
    "Tỉnh Khánh Hòa",
    "Huyện Yên Thủy",
    "Huyện Kiến Thụy",
    "Phường Hoàn Kiếm",
    "Xã Hòa Khỏe",
    "Thành phố Hồ Chí Minh",
    "Đặc khu Côn Đảo",
]


@pytest.mark.parametrize(
    ("typed", "official"),
    [
        ("xã bum nưa", "Xã Bum Nưa"),
        ("XÃ BUM NƯA", "Xã Bum Nưa"),
        ("Xã  Bum\u00a0Nưa ", "Xã Bum Nưa"),  # double and non-breaking space, trailing space
        ("\tXã Bum Nưa\r\n", "Xã Bum Nưa"),
        ("Xã Bum\u200b Nưa\ufeff", "Xã Bum Nưa"),  # zero-width space, BOM
        ("Xã Bum Nư\u00ada", "Xã Bum Nưa"),  # soft hyphen
        (unicodedata.normalize("NFD", "Xã Bum Nưa"), "Xã Bum Nưa"),
        ("Tỉnh Khánh Hoà", "Tỉnh Khánh Hòa"),
        ("Huyện Yên Thuỷ", "Huyện Yên Thủy"),
        ("Huyện Kiến Thuỵ", "Huyện Kiến Thụy"),
        ("Xã Hoà Khoẻ", "Xã Hòa Khỏe"),
        ("xã pa ủ", "Xã Pa Ủ"),  # the source spells it "Xã Pa ủ"
    ],
)
def test_spellings_of_one_name_fold_alike(typed: str, official: str) -> None:
    assert fold(typed) == fold(official)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Xã Pa Vệ Sủ", "Xã Pa Vệ Sử"),  # ủ and ử are different letters
        ("Hòa", "Hóa"),  # different tones
        ("Hòa", "Hoa"),
        ("Xã Bum Nưa", "Xã Bum Nua"),
        ("Pa Ủ", "PaỦ"),
    ],
)
def test_different_names_stay_different(one: str, other: str) -> None:
    assert fold(one) != fold(other)


def test_fold_all_is_fold_of_each() -> None:
    names = [*NAMES, "", "  ", "a\nb", "\u200b"]
    assert fold_all(names) == [fold(n) for n in names]
    assert fold_all([]) == []
    assert fold("a\nb") == "a b"


# Tone marks on the first vowel of oa, oe, uy and their places on the second.
_MOVES = {
    "òa": "oà",
    "óa": "oá",
    "ỏa": "oả",
    "õa": "oã",
    "ọa": "oạ",
    "ủy": "uỷ",
    "ụy": "uỵ",
    "úy": "uý",
    "ỏe": "oẻ",
}


@st.composite
def spellings(draw: st.DrawFn) -> tuple[str, str]:
    """A real name and the same name as someone might type or paste it."""
    name = draw(st.sampled_from(NAMES))
    text = name
    for old_style, new_style in _MOVES.items():
        if draw(st.booleans()):
            text = text.replace(old_style, new_style)
    out = []
    for ch in text:
        if ch == " ":
            ch = draw(st.sampled_from([" ", "  ", "\u00a0", "\t", " \u200b", "\u2009"]))
        elif draw(st.integers(0, 9)) == 0:
            ch += draw(st.sampled_from(["\u200b", "\u200d", "\ufeff", "\u00ad", "\u2060"]))
        out.append(ch.upper() if draw(st.booleans()) else ch)
    text = draw(st.sampled_from(["", " ", "\u00a0"])) + "".join(out) + draw(st.sampled_from(["", " ", "\n"]))
    form = draw(st.sampled_from(["NFC", "NFD", None]))  # None: composed as typed, marks moved or not
    return name, text if form is None else unicodedata.normalize(form, text)


@given(spellings())
def test_fold_is_blind_to_case_spacing_invisibles_form_and_tone_place(pair: tuple[str, str]) -> None:
    name, typed = pair
    assert fold(typed) == fold(name)


@given(st.text())
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@given(st.lists(st.text(), max_size=5))
def test_fold_all_agrees_with_fold_for_any_text(texts: list[str]) -> None:
    assert fold_all(texts) == [fold(t) for t in texts]
