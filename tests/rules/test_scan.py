"""The fast candidate scan agrees with the plain definitions it replaces."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.rules.normalize import normalize
from bot.rules.scan import candidates, collapse_repeats

_REPEATS = re.compile(r"(.)\1+", re.DOTALL)
repetitive = st.lists(
    st.sampled_from(["a", "aa", "b", " ", "  ", "é", "éé", "寝", "寝寝", "😂😂", "\ud800"]), max_size=30
)


@settings(parent=settings.get_profile("rules"))
@given(text=st.one_of(st.text(), repetitive.map("".join)))
def test_collapse_repeats_matches_the_regex(text: str) -> None:
    assert collapse_repeats(text) == _REPEATS.sub(r"\1", text)


def test_candidates() -> None:
    found = candidates("so nnttrr, n.t.r and a n t r")
    assert found.words == ["so", "ntr", "n", "t", "r", "and", "a", "n", "t", "r"]
    assert "ntr" in found.pieces
    assert found.letter_runs == ["ntr", "antr"]


@settings(parent=settings.get_profile("rules"))
@given(text=st.text())
def test_latin_only_shortcut_finds_the_same_latin_words(text: str) -> None:
    """Replacing other characters by separators loses no word made of ASCII letters."""
    skeleton = normalize(text).skeleton
    full = candidates(skeleton)
    fast = candidates(skeleton, latin_keys_only=True)
    assert {w for w in full.words if w.isascii()} <= set(fast.words)
