"""The bot's own answers in a watched channel: spoilered names or a CW line (pure functions)."""

from __future__ import annotations

import pytest

from bot.formatting import make_inert
from bot.glossary import CwTerm, Glossary
from bot.guild_glossary.answers import AnswerStyle
from bot.guild_glossary.marking import cw_line, spoiler_terms

NTR = CwTerm(
    name="netorare", category="NTR", aliases=("NTR", "寝取られ"), labels=("NTR", "infidelity", "netorare", "寝取られ")
)
REVERSE = CwTerm(name="reverse NTR", category="NTR", aliases=(), labels=("NTR", "reverse NTR"))
GURO = CwTerm(name="guro", category="gore", aliases=(), labels=("gore", "guro"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Is netorare the same as NTR?", "Is ||netorare|| the same as ||NTR||?"),
        ("ntr and Netorare", "||ntr|| and ||Netorare||"),  # case does not protect a name
        ("a reverse NTR story", "a ||reverse NTR|| story"),  # the longest name wins
        ("これは寝取られです", "これは||寝取られ||です"),  # Japanese has no spaces between words
        ("contract, central, entry", "contract, central, entry"),  # only whole words
        ("nothing to hide", "nothing to hide"),
    ],
)
def test_spoiler_terms_wraps_every_name_of_a_term_that_needs_a_warning(text: str, expected: str) -> None:
    assert spoiler_terms(text, [NTR, REVERSE]) == expected


def test_spoiler_terms_escapes_around_the_tags_without_breaking_them() -> None:
    assert spoiler_terms("*NTR* @everyone", [NTR], escape=make_inert) == "\\*||NTR||\\* @\u200beveryone"


def test_cw_line_names_the_categories_then_the_other_labels() -> None:
    assert cw_line(["What is NTR?", "guro too"], [NTR, REVERSE, GURO]) == "CW: NTR, gore, infidelity"
    assert cw_line(["tsundere"], [NTR, GURO]) is None


def test_the_style_of_a_spoiler_channel_hides_names_also_from_the_title(shipped: Glossary) -> None:
    style = AnswerStyle.for_glossary("spoiler", shipped)
    assert style.text("netori vs netorare") == "||netori|| vs ||netorare||"
    assert style.hides("netori") and not style.hides("tsundere")
    assert style.content(["netori"]) is None


def test_the_style_of_a_cw_channel_opens_with_the_cw_line(shipped: Glossary) -> None:
    style = AnswerStyle.for_glossary("cw", shipped)
    # The line names the enforcement category, which is what a strict channel checks.
    assert style.content(["netori"], "A notice.") == "CW: NTR\nA notice."
    assert style.text("netori") == "netori"


def test_the_plain_style_changes_nothing_but_escaping(shipped: Glossary) -> None:
    style = AnswerStyle.for_glossary("none", shipped)
    assert style.terms == ()
    assert style.text("netori_x") == "netori\\_x"
    assert style.content(["netori"]) is None
