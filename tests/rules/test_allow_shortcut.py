"""The allow list is searched only in text whose words could hold a phrase; skipping it never changes a finding."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.rules import CompiledPolicy, GuildPolicy, compile_policy
from bot.rules.normalize import normalize
from bot.rules.scan import candidates

# Words of the shipped allow phrases and terms, stretched and plural forms, and what sits between words.
pieces = st.lists(
    st.sampled_from([
        "no", "noo", "NO", "ntr", "NTR", "ntrs", "n.t.r", "netorare", "netorares", "free", "FREE", "jr", "jr.",
        "junior", "juniors", "ok", "ж", "é", "寝取られ", " ", "  ", "-", "'", "\n", ",", "_", "😂", "||",
        # spelled in letters: N.T.R., n t r, N.o
        "n", "t", "r", "N.", "T.", "R.", "a", "n.o", "f.r.e.e", "j.r.", "ne.to.ra.re", "fr.ee", "jun.ior",
    ]),
    max_size=14,
)


@settings(parent=settings.get_profile("rules"))
@given(words=pieces, separator=st.sampled_from(["", " "]))
def test_skipping_the_phrase_search_finds_the_same(
    default_compiled: CompiledPolicy, words: list[str], separator: str
) -> None:
    index = default_compiled.index
    # The Python reading with no shortcut: the compiled finder takes the shortcut too.
    always_searching = replace(index, allow_phrase_words=None, finder=None)
    text = normalize(separator.join(words))
    assert index.find(text) == always_searching.find(text)


def test_the_shortcut_is_taken_for_text_with_no_phrase_and_not_for_text_with_one(
    default_compiled: CompiledPolicy,
) -> None:
    index = default_compiled.index
    assert index.allow_phrase_words is not None

    def scanned(text: str):
        return candidates(normalize(text).skeleton)  # collapsed: "free" is "fre"

    assert not index._may_hold_a_phrase(scanned("the ending is pure ntr"))
    assert index._may_hold_a_phrase(scanned("this one is ntr free"))
    assert index._may_hold_a_phrase(scanned("no ntrs here"))  # the last word may be plural
    assert index._may_hold_a_phrase(scanned("no ne.to.ra.re here"))  # a piece, not a word
    assert index._may_hold_a_phrase(scanned("no n t r here"))  # letters: always searched
    assert index.find(normalize("this one is ntr free")) == []
    assert [hit.term.category for hit in index.find(normalize("the ending is pure ntr"))] == ["ntr"]


def test_a_phrase_with_a_letter_beyond_ascii_is_always_searched(default_policy: GuildPolicy) -> None:
    # The scan may read "ж" as a separator, so the words it hands over cannot rule such a phrase out.
    compiled = compile_policy(replace(default_policy, allow=("жуть ntr",)))
    assert compiled.index.allow_phrase_words is None
    assert compiled.index.find(normalize("that жуть ntr arc")) == []
    assert compiled.index.find(normalize("that ntr arc")) != []
