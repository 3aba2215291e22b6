"""Did-you-mean, autocomplete and search, as a member typing in Discord would meet them."""

from __future__ import annotations

import pytest

from bot.glossary import Glossary, UnknownTerm
from tests.glossary.factories import make_entry


@pytest.mark.parametrize(
    ("typed", "expected_first"),
    [
        ("netorae", "netorare"),  # a dropped letter
        ("netorrare", "netorare"),  # a doubled letter
        ("ntorare", "netorare"),
        ("netoris", "netori"),
        ("tsundre", "tsundere"),
        ("yandare", "yandere"),
        ("isekia", "isekai"),  # swapped letters
        ("hentia", "hentai"),
        ("cukold", "cuckoldry"),
        ("mind brake", "mind-break"),
        ("spoliers", "spoiler"),
        ("trigger warnign", "trigger-warning"),
        ("reverse harm", "reverse-harem"),
        ("slice of live", "slice-of-life"),
        ("magical girls", "magical-girl"),
        ("light novle", "light-novel"),
        ("wiafu", "waifu"),
        ("shoonen", "shounen"),  # romaji long vowel written another way
        ("shōnen", "shounen"),
        ("shojo ai", "yuri"),  # the older fan word leads to yuri
        ("oujo sama", "ojou-sama"),
        ("chunibyo", "chuunibyou"),
    ],
)
def test_suggestions_put_the_intended_entry_first(shipped: Glossary, typed: str, expected_first: str) -> None:
    suggestions = shipped.suggest(typed)
    assert suggestions, typed
    assert suggestions[0].id == expected_first
    assert len(suggestions) <= 3


def test_close_relatives_are_offered_after_the_best_match(shipped: Glossary) -> None:
    assert [entry.id for entry in shipped.suggest("netorae")] == ["netorare", "netorase", "netori"]


@pytest.mark.parametrize("typed", ["xyzzyq", "", "!!!", "quantum chromodynamics"])
def test_nothing_is_suggested_for_unrelated_text(shipped: Glossary, typed: str) -> None:
    assert shipped.suggest(typed) == ()


def test_require_raises_unknown_term_with_suggestions(shipped: Glossary) -> None:
    with pytest.raises(UnknownTerm) as caught:
        shipped.require("tsundre")
    assert caught.value.text == "tsundre"
    assert caught.value.suggestions[0].id == "tsundere"


def test_romaji_spellings_look_up_directly(shipped: Glossary) -> None:
    assert shipped.lookup("shōnen").id == "shounen"
    assert shipped.lookup("shoonen").id == "shounen"
    assert shipped.lookup("Ｎｅｔｏｒａｒｅ").id == "netorare"
    assert shipped.lookup("n.t.r").id == "netorare"
    assert shipped.lookup("ne-to-ra-re").id == "netorare"
    assert shipped.lookup("nothing like it") is None


def test_a_romaji_key_shared_by_two_entries_finds_neither() -> None:
    glossary = Glossary([make_entry("a", term="kouki"), make_entry("b", term="kooki")])
    assert glossary.lookup("kouki").id == "a"
    assert glossary.lookup("kooki").id == "b"
    assert glossary.lookup("kōki") is None  # both fold to "koki": refusing to guess


def test_autocomplete_offers_terms_then_aliases_then_near_misses(shipped: Glossary) -> None:
    values = [choice.value for choice in shipped.autocomplete("net")]
    assert values[:3] == ["netorare", "netorase", "netori"]
    ntr = shipped.autocomplete("ntr")
    assert ntr[0].value == "netorare" and ntr[0].label == "netorare (NTR)"
    assert shipped.autocomplete("寝取")[0].value in {"netorare", "netori", "netorase"}
    assert shipped.autocomplete("tsundre")[0].value == "tsundere"


def test_autocomplete_respects_the_limit_and_discord_label_length(shipped: Glossary) -> None:
    everything = shipped.autocomplete("", limit=25)
    assert len(everything) == 25
    assert len({choice.value for choice in everything}) == 25
    assert all(len(choice.label) <= 100 for choice in shipped.autocomplete("a", limit=25))
    long_name = Glossary([make_entry("x", term="t" * 80, aliases=("a" * 80,))])
    assert len(long_name.autocomplete("aaa")[0].label) == 100


def test_search_ranks_names_before_summaries_before_definitions(shipped: Glossary) -> None:
    hits = shipped.search("harem")
    assert hits[0].entry.id == "harem" and hits[0].matched == "term"
    assert hits[1].entry.id == "reverse-harem"
    assert ("ecchi", "definition") in {(hit.entry.id, hit.matched) for hit in hits}
    assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)


def test_search_matches_word_starts_not_letters_inside_words(shipped: Glossary) -> None:
    found = {hit.entry.id for hit in shipped.search("ntr")}
    assert {"netorare", "ntr-bait", "reverse-ntr"} <= found
    assert "fake-relationship" not in found  # "contract relationship" merely contains the letters
    assert shipped.search("cheat")[0].entry.id == "infidelity"
    assert "infidelity" in {hit.entry.id for hit in shipped.search("betrayal")}  # a warning label


def test_search_finds_words_in_prose_and_names_in_any_script(shipped: Glossary) -> None:
    assert {hit.entry.id for hit in shipped.search("unaware partner")} >= {"netori"}
    assert shipped.search("百合")[0].entry.id == "yuri"
    assert shipped.search("GL")[0].matched == "alias"
    assert shipped.search("   ") == ()
