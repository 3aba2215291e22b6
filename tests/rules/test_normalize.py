"""Folding text for matching while keeping the way back to the member's characters."""

from __future__ import annotations

import unicodedata

import pytest

from bot.rules.normalize import _NEEDS_FOLDING, normalize


@pytest.mark.parametrize(
    ("text", "skeleton"),
    [
        ("NTR", "ntr"),
        ("ｎｔｒ", "ntr"),  # fullwidth (NFKC)
        ("𝐧𝐭𝐫", "ntr"),  # mathematical bold (NFKC)
        ("ñtŕ", "ntr"),  # accents
        ("n\u200bt\u200dr\ufeff", "ntr"),  # zero-width characters
        ("n\u00adtr", "ntr"),  # soft hyphen
        ("nтr", "ntr"),  # Cyrillic te
        ("ΝΤR", "ntr"),  # Greek capitals
        ("ɴᴛʀ", "ntr"),  # small capitals
        ("🇳🇹🇷", "ntr"),  # regional indicator letters
        ("🅝🅣🅡 🅽🆃🆁 🄽🅃🅁", "ntr ntr ntr"),  # negative circled, negative squared, squared letters
        ("ⓝⓣⓡ ᴺᵀᴿ", "ntr ntr"),  # circled and superscript letters (NFKC)
        ("n7r", "ntr"),  # leetspeak
        ("cuck0ld", "cuckoid"),  # 0 -> o, and l read as i like 1 and I
        ("寝取られ", "寝取られ"),
    ],
)
def test_skeleton_sees_through_disguises(text: str, skeleton: str) -> None:
    assert normalize(text).skeleton == skeleton


def test_origin_maps_back_to_original_indices() -> None:
    text = "a\u200bñ ｂ"
    normalized = normalize(text)
    assert normalized.folded == "an b"
    assert [normalized.original_index(i) for i in range(len(normalized.folded))] == [0, 2, 3, 4]
    assert normalized.original_span(1, 4) == (2, 5)


def test_ascii_keeps_indices() -> None:
    normalized = normalize("Hello World")
    assert normalized.origin is None
    assert normalized.original_span(6, 11) == (6, 11)


def test_characters_left_unfolded_are_already_stable() -> None:
    """The fast path copies these ranges untouched, which is only right if folding would not change them."""
    unfolded = [chr(c) for c in range(0x80, 0x10000) if not _NEEDS_FOLDING.match(chr(c))]
    assert unfolded  # the CJK fast path exists
    for char in unfolded:
        assert unicodedata.normalize("NFKC", char) == char
        assert char.casefold() == char == char.lower()
