"""The shipped glossary: valid, big enough, every name finds its entry, the NTR family is complete."""

from __future__ import annotations

import pytest

from bot.configfile.kinds import validate_file
from bot.glossary import Glossary, load_glossary, name_key
from bot.resources import shipped_config_file

SHIPPED = load_glossary(shipped_config_file("glossary.yaml"))
NTR_FAMILY = ("netorare", "netori", "netorase", "cuckoldry", "reverse-ntr")
REQUIRED_CATEGORIES = (
    "relationship drama",
    "story set-ups",
    "demographics",
    "content labels",
    "archetypes",
    "genres and formats",
    "discussion",
)
ISSUE_TERMS = (
    "netorare",
    "netori",
    "netorase",
    "cuckoldry",
    "infidelity",
    "mind break",
    "love triangle",
    "seemingly happy couple",
    "questioning partner",
    "couple under strain",
    "shounen",
    "shoujo",
    "seinen",
    "josei",
    "ecchi",
    "hentai",
    "fan service",
    "yuri",
    "yaoi",
    "BL",
    "GL",
    "tsundere",
    "yandere",
    "kuudere",
    "dandere",
    "isekai",
    "harem",
    "reverse harem",
    "slice of life",
    "mecha",
    "doujinshi",
    "light novel",
    "visual novel",
    "spoiler",
    "content warning",
    "trigger warning",
)


def test_the_shipped_file_passes_lint() -> None:
    kind, problems = validate_file(shipped_config_file("glossary.yaml"))
    assert kind is not None and kind.name == "glossary"
    assert problems == []


def test_there_are_at_least_sixty_entries_in_every_expected_category(shipped: Glossary) -> None:
    assert len(shipped) >= 60
    assert set(REQUIRED_CATEGORIES) <= set(shipped.categories())
    assert all(shipped.by_category(category) for category in REQUIRED_CATEGORIES)


@pytest.mark.parametrize("term", ISSUE_TERMS)
def test_every_term_the_issue_names_is_there(shipped: Glossary, term: str) -> None:
    assert shipped.lookup(term) is not None


@pytest.mark.parametrize(
    ("name", "entry_id"),
    [(name, entry.id) for entry in SHIPPED for name in (entry.id, *entry.names)],
)
def test_every_id_term_and_alias_finds_its_entry(shipped: Glossary, name: str, entry_id: str) -> None:
    assert shipped.lookup(name).id == entry_id
    assert shipped.lookup(f"  {name.upper()} ").id == entry_id


@pytest.mark.parametrize("entry_id", NTR_FAMILY)
def test_the_ntr_family_has_every_contrast_and_needs_an_ntr_warning(shipped: Glossary, entry_id: str) -> None:
    entry = shipped.get(entry_id)
    assert {"perspective", "roles", "plot_arc", "tone", "warnings"} <= {name for name, _ in entry.contrast}
    assert entry.requires_cw and entry.nsfw
    assert entry.cw_category == "NTR"


def test_netori_and_netorare_name_the_roles_and_arcs_the_issue_describes(shipped: Glossary) -> None:
    netori, netorare = shipped.get("netori"), shipped.get("netorare")
    for word in ("seducer", "seduced", "unaware partner"):
        assert word in netori.contrast_text("roles")
    for word in ("attraction", "scheming", "seduction", "conquest", "seldom"):
        assert word in netori.contrast_text("plot_arc").lower()
    for word in ("betrayed protagonist", "unfaithful partner", "interloper"):
        assert word in netorare.contrast_text("roles")
    for word in ("happy start", "discovery", "turmoil", "confrontation or despair", "bleak resolution"):
        assert word in netorare.contrast_text("plot_arc")


@pytest.mark.parametrize("entry_id", ["shounen", "tsundere", "isekai", "spoiler", "yuri", "harem"])
def test_ordinary_vocabulary_needs_no_warning(shipped: Glossary, entry_id: str) -> None:
    assert not shipped.get(entry_id).requires_cw


def test_heavy_themes_need_a_warning_with_their_category_first(shipped: Glossary) -> None:
    categories = {term.name: term.category for term in shipped.terms_requiring_cw()}
    assert categories["netorare"] == categories["netori"] == categories["netorase"] == "NTR"
    assert categories["mind break"] == "mind break"
    assert "shounen" not in categories


def test_no_chat_alias_is_an_insult_or_too_short_to_match_safely(shipped: Glossary) -> None:
    chat_names = {name_key(alias) for term in shipped.terms_requiring_cw() for alias in term.aliases}
    assert "cuck" not in chat_names
    assert all(len(key) >= 3 or not key.isascii() for key in chat_names)


def test_short_aliases_stay_lookup_only(shipped: Glossary) -> None:
    boys_love = shipped.lookup("BL")
    assert boys_love.id == "boys-love"
    assert "BL" in boys_love.aliases and "BL" not in boys_love.chat_aliases
    assert "NTR" in shipped.get("netorare").chat_aliases
