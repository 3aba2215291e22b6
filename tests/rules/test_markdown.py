"""Which characters Discord hides: spoilers, code, escapes."""

from __future__ import annotations

import pytest

from bot.rules.markdown import parse_layout


def hidden_text(content: str) -> str:
    layout = parse_layout(content)
    return "".join(char for index, char in enumerate(content) if layout.is_hidden(index))


@pytest.mark.parametrize(
    ("content", "hidden"),
    [
        ("plain text", ""),
        ("a ||secret|| b", "secret"),
        ("||one|| and ||two||", "onetwo"),
        ("||across\nlines||", "across\nlines"),
        ("||unclosed", ""),
        ("||a|| ||b", "a"),
        ("`||not a spoiler||`", ""),
        ("```\n||still code||\n```", ""),
        ("``code with ` inside || x||``", ""),
        ("\\|\\|escaped\\|\\|", ""),
        ("\\||x||", ""),  # the first pipe is escaped, the rest is one literal pipe and an unclosed marker
        ("||hidden `code` too||", "hidden `code` too"),
        ("||`||`||", "`||`"),  # the inner pair is inside code, so it cannot close the spoiler
        ("`unclosed code ||x||", "x"),  # an unclosed backtick is literal, so the spoiler stands
        ("||||", ""),  # nothing between the markers
        ("a || b", ""),
    ],
)
def test_hidden_characters_follow_discord_markdown(content: str, hidden: str) -> None:
    assert hidden_text(content) == hidden


def test_code_spans_and_markers_are_reported() -> None:
    layout = parse_layout("x `c` ||s||")
    assert layout.code == ((2, 5),)
    assert layout.spoilers == ((6, 11),)
    assert layout.markers == (6, 9)


def test_literal_pipes_exclude_markers_code_and_escapes() -> None:
    content = "a | b ||c|| `|` \\|"
    assert parse_layout(content).literal_pipes(content) == [2]
