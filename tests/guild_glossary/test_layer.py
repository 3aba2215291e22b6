"""A server's layer and its file: what export writes, what import accepts, and what it refuses."""

from __future__ import annotations

import dataclasses

import pytest

from bot.glossary import Glossary, GlossaryFileError
from bot.guild_glossary import GlossaryLayer, layer_to_yaml, parse_layer_text
from tests.glossary.factories import make_entry

KEMONOMIMI = make_entry("kemonomimi", term="kemonomimi", aliases=("animal ears",), related=("tsundere",))


def test_a_layer_file_round_trips_exactly(shipped: Glossary) -> None:
    calm = dataclasses.replace(shipped.get("yandere"), summary="Our own wording, with “quotes” and 寝取られ.")
    layer = GlossaryLayer((KEMONOMIMI, calm), frozenset({"netori", "guro"}))

    text = layer_to_yaml(layer)
    again = parse_layer_text(text, shipped)

    assert again == layer
    assert layer_to_yaml(again) == text
    assert "removed:\n- guro\n- netori\n" in text
    assert "寝取られ" in text  # written as text, not escaped


def test_a_layer_without_removals_is_a_plain_glossary_file(shipped: Glossary) -> None:
    text = layer_to_yaml(GlossaryLayer((KEMONOMIMI,)))
    assert "removed" not in text.split("\n", 4)[-1]
    assert parse_layer_text(text, shipped).entries == (KEMONOMIMI,)


def test_an_entry_equal_to_the_shipped_one_is_not_a_change(shipped: Glossary) -> None:
    text = layer_to_yaml(GlossaryLayer((shipped.get("tsundere"), KEMONOMIMI)))
    assert parse_layer_text(text, shipped).entries == (KEMONOMIMI,)


def test_every_problem_of_a_broken_file_is_listed_with_its_line(shipped: Glossary) -> None:
    text = (
        "version: 1\n"
        "entries:\n"
        "  - id: kemonomimi\n"
        "    term: kemonomimi\n"
        "    category: archetypes\n"
        "    summary: ''\n"
        "    definition: Animal ears.\n"
        "    related: [no-such-entry]\n"
        "removed: [netori, not-shipped]\n"
    )
    with pytest.raises(GlossaryFileError) as caught:
        parse_layer_text(text, shipped)

    assert [str(problem) for problem in caught.value.problems] == [
        "line 6: entries[0].summary: must not be empty (entry kemonomimi)",
        "line 8: entries[0].related[0]: names 'no-such-entry', which is not the id of any entry (entry kemonomimi)",
        "line 9: removed[1]: 'not-shipped' is not the id of a shipped entry",
    ]


def test_a_name_taken_by_a_shipped_entry_is_refused_at_its_line(shipped: Glossary) -> None:
    text = layer_to_yaml(GlossaryLayer((dataclasses.replace(KEMONOMIMI, aliases=("NTR",)),)))
    with pytest.raises(GlossaryFileError) as caught:
        parse_layer_text(text, shipped)

    (problem,) = caught.value.problems
    assert problem.path == ("entries", 0, "aliases", 0)
    assert problem.line is not None
    assert "already a name of entry netorare" in problem.message


def test_an_id_both_changed_and_removed_is_refused(shipped: Glossary) -> None:
    text = layer_to_yaml(GlossaryLayer((shipped.get("yandere"),))).replace(
        "version: 1", "version: 1\nremoved: [yandere]"
    )
    text = text.replace("summary: A character", "summary: Changed, a character")
    with pytest.raises(GlossaryFileError, match="is both overridden and removed"):
        parse_layer_text(text, shipped)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("entries: [\n", "is not valid YAML"),
        ("- just a list\n", "must be a mapping"),
        ("version: 1\nentries: []\nremoved: netori\n", "must be a list of shipped entry ids"),
    ],
)
def test_files_that_are_not_layers_are_refused(shipped: Glossary, text: str, message: str) -> None:
    with pytest.raises(GlossaryFileError, match=message):
        parse_layer_text(text, shipped)


def test_layer_changes_are_new_values(shipped: Glossary) -> None:
    layer = GlossaryLayer().with_entry(KEMONOMIMI).with_removed("netori")
    assert layer.touches("kemonomimi") and layer.touches("netori")
    assert layer.with_entry(shipped.get("netori")).removed == frozenset()
    assert layer.without("kemonomimi").entries == ()
    assert GlossaryLayer().is_empty and not layer.is_empty
