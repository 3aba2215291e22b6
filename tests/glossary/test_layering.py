"""Server layers: overrides replace or extend the shipped entries, removals hide them, clashes are refused."""

from __future__ import annotations

import dataclasses

import pytest

from bot.configfile.problems import format_path
from bot.glossary import (
    Glossary,
    GlossaryConflict,
    entries_from_data,
    validate_glossary_data,
)
from tests.glossary.factories import make_entry


def test_an_override_replaces_the_shipped_entry_in_place(shipped: Glossary) -> None:
    local = dataclasses.replace(shipped.get("tsundere"), summary="Our server's own wording.", aliases=("tsun",))
    server = shipped.layered([local])
    assert server.lookup("tsundere").summary == "Our server's own wording."
    assert server.lookup("tsun").id == "tsundere"
    assert server.lookup("ツンデレ") is None  # the override's aliases replace the shipped ones
    assert [entry.id for entry in server] == [entry.id for entry in shipped]
    assert server.server_ids == {"tsundere"}
    assert shipped.lookup("tsundere").summary != "Our server's own wording."  # the shipped glossary is untouched


def test_a_new_entry_is_added_at_the_end_and_found_everywhere(shipped: Glossary) -> None:
    new = make_entry("kemonomimi", term="kemonomimi", aliases=("animal ears",), category="archetypes")
    server = shipped.layered([new])
    assert len(server) == len(shipped) + 1
    assert server.entries[-1].id == "kemonomimi"
    assert server.lookup("Animal Ears").id == "kemonomimi"
    assert new in server.by_category("Archetypes")
    assert server.suggest("kemonomini")[0].id == "kemonomimi"


def test_removing_an_entry_hides_it_and_its_links(shipped: Glossary) -> None:
    server = shipped.layered([], removed_ids=["netori", "no-such-id"])
    assert server.lookup("netori") is None
    assert len(server) == len(shipped) - 1
    assert "netori" not in {entry.id for entry in server.related_entries(server.get("netorare"))}
    assert "netori" not in {term.name for term in server.terms_requiring_cw()}


def test_an_override_changes_what_the_rule_engine_sees(shipped: Glossary) -> None:
    calm = dataclasses.replace(shipped.get("netorase"), requires_cw=False)
    heavy = dataclasses.replace(shipped.get("yandere"), requires_cw=True, warnings=("obsession", "violence"))
    names = {term.name: term.category for term in shipped.layered([calm, heavy]).terms_requiring_cw()}
    assert "netorase" not in names
    assert names["yandere"] == "obsession"


def test_a_layer_that_reuses_a_shipped_name_is_refused_with_the_place(shipped: Glossary) -> None:
    clash = make_entry("my-ntr", term="My NTR", aliases=("n-t-r",))
    with pytest.raises(GlossaryConflict) as caught:
        shipped.layered([clash])
    [problem] = caught.value.problems
    assert format_path(problem.path) == "my-ntr.aliases[0]"
    assert "entry netorare" in problem.message
    assert shipped.check_layer([clash]) == caught.value.problems


def test_freeing_a_name_by_removal_lets_a_server_entry_take_it(shipped: Glossary) -> None:
    mine = make_entry("my-ntr", term="NTR")
    assert shipped.check_layer([mine], removed_ids=["netorare"]) == []
    assert shipped.layered([mine], removed_ids=["netorare"]).lookup("ntr").id == "my-ntr"


def test_check_layer_reports_related_ids_that_point_nowhere(shipped: Glossary) -> None:
    new = make_entry("kemonomimi", related=("netori", "catgirl"))
    problems = shipped.check_layer([new])
    assert [format_path(problem.path) for problem in problems] == ["kemonomimi.related[1]"]


def test_an_id_cannot_be_both_overridden_and_removed(shipped: Glossary) -> None:
    with pytest.raises(GlossaryConflict):
        shipped.layered([shipped.get("isekai")], removed_ids=["isekai"])


def test_two_overrides_with_one_id_are_refused_rather_than_one_dropped(shipped: Glossary) -> None:
    first = dataclasses.replace(shipped.get("isekai"), summary="One.")
    second = dataclasses.replace(shipped.get("isekai"), summary="Two.")
    with pytest.raises(GlossaryConflict) as caught:
        shipped.layered([first, second])
    assert "two entries have the id 'isekai'" in str(caught.value)


def test_a_server_import_file_is_checked_against_the_shipped_ids(shipped: Glossary) -> None:
    data = {
        "version": 1,
        "entries": [
            {
                "id": "kemonomimi",
                "term": "kemonomimi",
                "category": "archetypes",
                "summary": "Animal ears.",
                "definition": "Characters with animal ears or tails.",
                "related": ["moe"],
            }
        ],
    }
    assert validate_glossary_data(data, known_ids=[entry.id for entry in shipped]) == []
    entries = entries_from_data(data["entries"])
    assert shipped.check_layer(entries) == []
    assert shipped.layered(entries).related_entries(entries[0])[0].id == "moe"


def test_cw_labels_merge_the_family_under_one_category(shipped: Glossary) -> None:
    labels = shipped.cw_labels()["NTR"]
    for label in ("NTR", "netorare", "netori", "netorase", "寝取られ", "cuckold"):
        assert label in labels
    assert len(labels) == len(set(labels))


def test_terms_requiring_cw_give_category_aliases_and_labels(shipped: Glossary) -> None:
    by_name = {term.name: term for term in shipped.terms_requiring_cw()}
    netorare = by_name["netorare"]
    assert netorare.category == "NTR"
    assert "NTR" in netorare.aliases and "寝取られ" in netorare.aliases
    assert netorare.labels[0] == "NTR"
    assert {"netorare", "NTR", "寝取られ"} <= set(netorare.labels)
    # Secondary warnings describe the entry; they do not excuse a post in strict mode.
    assert "emotional distress" not in netorare.labels
    assert "infidelity" not in shipped.cw_labels()["NTR"]


def test_short_aliases_reach_chat_matching_only_when_the_entry_opts_in() -> None:
    entry = make_entry("x", term="example", requires_cw=True, warnings=("X",), aliases=("ex", "exm"))
    assert Glossary([entry]).terms_requiring_cw()[0].aliases == ("exm",)
    opted = dataclasses.replace(entry, match_short_aliases=True)
    assert Glossary([opted]).terms_requiring_cw()[0].aliases == ("ex", "exm")
    assert "ex" in Glossary([entry]).terms_requiring_cw()[0].labels  # a CW line may still use it
