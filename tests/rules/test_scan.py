"""The fast candidate scan agrees with the plain definitions it replaces."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.rules.keys import SPACELESS, has_spaceless_script
from bot.rules.normalize import normalize
from bot.rules.scan import (
    _collapse_ascii,
    _inner_punctuation,
    candidates,
    collapse_repeats,
)

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
    st.sampled_from(["n", "t", "r", "nn", ".", "||", "'", " ", "\n", "寝", "é", "😂", "_", "-", "1", "ok,"]),
    max_size=25,
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


ascii_text = st.text(alphabet=st.characters(min_codepoint=1, max_codepoint=127))
ascii_repetitive = st.lists(st.sampled_from(["a", "aa", "b", " ", "  ", ".", "..", "1", "11", "\n", "Z"]), max_size=30)


@settings(parent=settings.get_profile("rules"))
@given(text=st.one_of(ascii_text, ascii_repetitive.map("".join)))
def test_the_ascii_collapse_matches_the_regex(text: str) -> None:
    assert _collapse_ascii(text.encode("ascii")) == _REPEATS.sub(r"\1", text).encode("ascii")


@settings(parent=settings.get_profile("rules"))
@given(text=st.one_of(ascii_text, joined_up.map("".join).filter(str.isascii)))
def test_inner_punctuation_is_punctuation_between_two_letters_or_digits(text: str) -> None:
    plain = re.search(r"[a-z0-9][^a-z0-9\s]+[a-z0-9]", text) is not None
    assert _inner_punctuation(text.encode("ascii")) is plain


def _letter_runs_as_first_written(words: list[str]) -> list[str]:
    """Maximal runs of two or more one-character words, joined."""
    runs, current = [], []
    for word in [*words, "end"]:
        if len(word) == 1:
            current.append(word)
            continue
        if len(current) > 1:
            runs.append("".join(current))
        current = []
    return runs


@settings(parent=settings.get_profile("rules"))
@given(text=st.one_of(st.text(), joined_up.map("".join)))
def test_letter_runs_are_runs_of_one_letter_words(text: str) -> None:
    found = candidates(normalize(text).skeleton)
    assert found.letter_runs == _letter_runs_as_first_written(found.words)
