"""The fast candidate scan agrees with the plain definitions it replaces."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.rules.keys import SPACELESS, has_spaceless_script
from bot.rules.normalize import normalize
from bot.rules.scan import candidates, collapse_repeats

_REPEATS = re.compile(r"(.)\1+", re.DOTALL)
_NOT_WORD = re.compile(f"(?:[\\W_]|[{SPACELESS}])+")
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


def _pieces_as_first_written(skeleton: str) -> set[str]:
    """The plain definition: every whitespace chunk, punctuation removed, letters collapsed."""
    return set(_REPEATS.sub(r"\1", re.sub(r"[^\w\s]|_", "", skeleton)).split())


joined_up = st.lists(
    st.sampled_from(["n", "t", "r", "nn", ".", "||", "'", " ", "\n", "寝", "é", "😂", "_", "-", "1", "ok,"]), max_size=25
)


@settings(parent=settings.get_profile("rules"))
@given(text=st.one_of(st.text(), joined_up.map("".join)))
def test_words_and_pieces_hold_every_candidate_the_plain_definition_does(text: str) -> None:
    """Pieces are only the chunks with punctuation inside; together with the words they lose nothing."""
    skeleton = normalize(text).skeleton
    found = candidates(skeleton)
    plain = set(found.words) | _pieces_as_first_written(skeleton)
    could_be_keys = {piece for piece in plain if not has_spaceless_script(piece)}  # word keys never are
    assert found.words == _REPEATS.sub(r"\1", " ".join(_NOT_WORD.sub(" ", skeleton).split())).split()
    assert could_be_keys <= set(found.words) | set(found.pieces)
    assert set(found.pieces) <= _pieces_as_first_written(skeleton)
