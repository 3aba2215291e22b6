"""Moderator input: comma lists, contrast lines, and problems reported in the form's words."""

from __future__ import annotations

import pytest

from bot.configfile.problems import Problem
from bot.errors import UserFacingError
from bot.glossary import Glossary
from bot.guild_glossary.forms import (
    MAX_IMPORT_BYTES,
    check_short_fields,
    entry_from_form,
    form_values,
    parse_contrast,
    problems_error,
    problems_message,
    read_import,
    slug_for,
    split_list,
)

BASE = {"id": "kemonomimi", "term": "kemonomimi", "category": "archetypes", "related": [], "nsfw": False}


def test_lists_are_split_on_commas_and_new_lines_without_repeats() -> None:
    assert split_list("NTR, 寝取られ,,\n NTR ") == ["NTR", "寝取られ"]
    assert split_list(None) == []


def test_contrast_lines_become_dimensions() -> None:
    contrast, problems = parse_contrast("Plot arc: A happy start.\n\nTone: Dread: deep.\nno colon here")
    assert contrast == {"plot_arc": "A happy start.", "tone": "Dread: deep."}
    assert problems == [Problem(("contrast", "line 4"), "must look like 'dimension: text'")]


def test_a_slug_is_made_from_the_term() -> None:
    assert slug_for("Reverse NTR!") == "reverse-ntr"


def test_an_entry_is_built_from_options_and_modal_text(shipped: Glossary) -> None:
    values = {
        "summary": "Animal ears.",
        "definition": "Characters   with animal ears.",
        "aliases": "animal ears, nekomimi",
        "warnings": "",
        "contrast": "tone: cute",
    }
    entry = entry_from_form({**BASE, "related": ["tsundere"]}, values, [e.id for e in shipped])
    assert (entry.id, entry.aliases, entry.related, entry.contrast) == (
        "kemonomimi",
        ("animal ears", "nekomimi"),
        ("tsundere",),
        (("tone", "cute"),),
    )
    assert entry.definition == "Characters with animal ears."
    assert form_values(entry)["aliases"] == "animal ears, nekomimi"
    assert form_values(entry)["contrast"] == "tone: cute"


def test_problems_are_named_by_the_form_field(shipped: Glossary) -> None:
    values = {"summary": "", "definition": "", "aliases": "", "warnings": "", "contrast": ""}
    with pytest.raises(UserFacingError) as caught:
        entry_from_form(BASE, values, [])
    assert str(caught.value).splitlines() == [
        "The entry was not saved: 2 problems.",
        "• summary: must not be empty (entry kemonomimi)",
        "• definition: must not be empty (entry kemonomimi)",
    ]
    values = {**values, "summary": "Ears.", "definition": "Ears."}
    with pytest.raises(UserFacingError, match=r"• warnings: must name at least one label when requires\\_cw"):
        entry_from_form({**BASE, "requires_cw": True}, values, [])


def test_short_fields_are_checked_before_the_modal_opens(shipped: Glossary) -> None:
    check_short_fields(BASE, [])
    with pytest.raises(UserFacingError, match=r"• id: 'Bad Id' must be lowercase"):
        check_short_fields({**BASE, "id": "Bad Id"}, [])
    with pytest.raises(UserFacingError, match=r"related\[0\]: names 'nope'"):
        check_short_fields({**BASE, "related": ["nope"]}, [e.id for e in shipped])


def test_a_long_list_of_problems_is_cut_to_fit_one_message() -> None:
    problems = [Problem(("entries", n, "term"), "x" * 150) for n in range(40)]
    text = problems_message("Nothing changed", problems)
    assert len(text) < 2000
    assert text.splitlines()[0] == "Nothing changed: 40 problems."
    assert text.splitlines()[-1] == "…and 30 more, every one in the attached file."
    error = problems_error("Nothing changed", problems)
    assert str(error) == text and error.details_name == "problems.txt"
    assert error.details.splitlines()[0] == "Nothing changed: 40 problems." and len(error.details.splitlines()) == 41
    assert problems_error("Nothing changed", problems[:2]).details is None  # all shown: nothing to attach


def test_an_import_that_is_too_large_or_not_text_is_refused(shipped: Glossary) -> None:
    with pytest.raises(UserFacingError, match="larger than 256 KiB"):
        read_import(b"x" * (MAX_IMPORT_BYTES + 1), "big.yaml", shipped)
    with pytest.raises(UserFacingError, match="not UTF-8 text"):
        read_import(b"\xff\xfe", "binary.yaml", shipped)
    with pytest.raises(UserFacingError, match="was not imported and nothing changed: 1 problem"):
        read_import(b"entries: [", "broken.yaml", shipped)
