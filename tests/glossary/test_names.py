"""Name keys: what counts as the same name, and which aliases chat matching may use."""

from __future__ import annotations

import pytest

from bot.glossary.names import is_lookup_only, name_key, romaji_key


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("Netorare", "netorare"),
        ("NTR", "ntr"),
        ("n.t.r", "ntr"),
        ("ＮＴＲ", "ntr"),  # full-width
        ("netoraré", "netorare"),
        ("ne-to-ra-re", "netorare"),
        ("slice  of\tlife", "sliceoflife"),
        ("girls' love", "girlslove"),
        ("寝取られ", "寝取られ"),
        ("ガールズラブ", "ガールズラブ"),  # kana voicing marks survive accent removal
        ("!!!", ""),
    ],
)
def test_name_key_ignores_case_width_accents_and_punctuation(typed: str, key: str) -> None:
    assert name_key(typed) == key


@pytest.mark.parametrize("spelling", ["shounen", "shōnen", "shonen", "shoonen", "SHOUNEN"])
def test_romaji_key_folds_long_vowels(spelling: str) -> None:
    assert romaji_key(spelling) == "shonen"


@pytest.mark.parametrize(
    ("alias", "lookup_only"),
    [("BL", True), ("gl", True), ("b.l", True), ("NTR", False), ("SoL", False), ("百合", False), ("逆", False)],
)
def test_short_latin_aliases_are_lookup_only(alias: str, lookup_only: bool) -> None:
    assert is_lookup_only(alias) is lookup_only
