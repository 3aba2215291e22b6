"""The bot's own answers in a watched channel: what the rule engine finds is what gets marked."""

from __future__ import annotations

import discord
import pytest

from bot.enforcement.config import EnforcementConfig
from bot.enforcement.policies import GuildPolicies
from bot.formatting import make_inert
from bot.glossary import Glossary
from bot.guild_glossary.answers import FILLER, HIDDEN_TITLE, AnswerStyle
from bot.guild_glossary.marking import hide_terms, unhidden_terms, warning_line
from bot.resources import shipped_config_file
from bot.rules import CompiledPolicy, MessageFacts, Term, evaluate, policy_from_yaml
from tests.visible_text import visible_text


@pytest.fixture(scope="module")
def policies(shipped: Glossary) -> GuildPolicies:
    base = policy_from_yaml(shipped_config_file("policy.yaml").read_text(encoding="utf-8"))
    return GuildPolicies(base, shipped)


@pytest.fixture(scope="module")
def policy(policies: GuildPolicies) -> CompiledPolicy:
    return policies.compile(EnforcementConfig())


def style(policies: GuildPolicies, requirement: str, config: EnforcementConfig | None = None) -> AnswerStyle:
    config = config or EnforcementConfig()
    return AnswerStyle(requirement, policies.compile(config), policies.category_names_for(config))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Is netorare the same as NTR?", "Is ||netorare|| the same as ||NTR||?"),
        ("ntr and Netorare", "||ntr|| and ||Netorare||"),  # case does not protect a name
        ("a reverse NTR story", "a ||reverse NTR|| story"),  # the longest name wins
        ("これは寝取られです", "これは||寝取られ||です"),  # Japanese has no spaces between words
        ("contract, central, entry", "contract, central, entry"),  # only whole words
        ("nothing to hide", "nothing to hide"),
        # What the engine reads, the marking hides: the old list of names missed each of these.
        ("N.T.R and n t r", "||N.T.R|| and ||n t r||"),
        ("netorare's fans", "||netorare's|| fans"),
        ("ｎｅｔｏｒａｒｅ", "||ｎｅｔｏｒａｒｅ||"),
        ("cuckolded", "||cuckolded||"),  # a term of the shipped policy, not of the glossary
        ("寝取られる", "||寝取られる||"),
        ("no NTR please", "no NTR please"),  # the allow list
        ("CW: netorare", "CW: ||netorare||"),  # a piece of an answer is never its warning line
    ],
)
def test_hide_terms_wraps_what_the_engine_finds(policy: CompiledPolicy, text: str, expected: str) -> None:
    assert hide_terms(text, policy) == expected


def test_hide_terms_keeps_escapes_outside_the_tags(policy: CompiledPolicy) -> None:
    assert hide_terms(make_inert("n_t_r *ntr* @everyone"), policy) == "||n\\_t\\_r|| \\*||ntr||\\* @\u200beveryone"


def test_unhidden_terms_skips_what_is_already_hidden(policy: CompiledPolicy) -> None:
    assert unhidden_terms("||netori|| and netorare", policy) == [(15, 23)]


def test_warning_line_names_the_categories_as_spelled(policies: GuildPolicies, policy: CompiledPolicy) -> None:
    assert warning_line("netori and guro", policy, policies.category_names) == "CW: NTR, gore"
    assert warning_line("tsundere", policy, policies.category_names) is None


def test_a_spoiler_channel_hides_names_and_moves_them_out_of_the_title_fields_and_footer(
    policies: GuildPolicies,
) -> None:
    answer = style(policies, "spoiler")
    embed = discord.Embed(title=answer.plain("netori vs tsundere"), description=answer.text("about netori"))
    embed.add_field(name=answer.plain("Tone: netorare"), value=answer.text("sad"))
    embed.add_field(name="Tone: tsundere", value="sweet")
    embed.set_footer(text="id: netorase")
    embed.set_author(name="NTR corner")

    content, embed = answer.settle(embed)

    assert content is None
    assert embed.title == HIDDEN_TITLE
    assert embed.author.name is None
    assert embed.description == (
        "**||NTR|| corner**\n**||netori|| vs tsundere**\nabout ||netori||\n\nid: ||netorase||"
    )
    assert [(f.name, f.value) for f in embed.fields] == [
        (FILLER, "**Tone: ||netorare||**\nsad"),
        ("Tone: tsundere", "sweet"),
    ]
    assert embed.footer.text is None


def test_a_cw_channel_moves_nothing_and_warns_for_the_whole_message(policies: GuildPolicies) -> None:
    answer = style(policies, "cw")
    embed = discord.Embed(title=answer.plain("tsundere"), description=answer.text("about tsundere"))
    embed.set_footer(text="id: guro")

    content, embed = answer.settle(embed, "A notice.")

    assert content == "CW: gore\nA notice."
    assert (embed.title, embed.footer.text) == ("tsundere", "id: guro")


def test_an_answer_without_terms_gets_no_warning(policies: GuildPolicies) -> None:
    content, _ = style(policies, "both").settle(discord.Embed(title="tsundere", description="kuudere"))
    assert content is None


def test_a_term_read_across_two_parts_hides_every_part(policies: GuildPolicies) -> None:
    config = EnforcementConfig(terms=(Term("sad ending", "bad end"),))
    answer = style(policies, "spoiler", config)
    embed = discord.Embed(title="A title", description=answer.text("a sad"))
    embed.add_field(name="Ending", value=answer.text("of it"))
    assert not unhidden_terms("a sad", answer.policy) and not unhidden_terms("Ending", answer.policy)

    content, embed = answer.settle(embed)

    assert evaluate(MessageFacts(visible_text(content, [embed])), answer.policy, requirement="spoiler").flagged is False
    assert embed.title == HIDDEN_TITLE
    assert embed.description == "||A title\na sad||"
    assert [(f.name, f.value) for f in embed.fields] == [(FILLER, "||**Ending**\nof it||")]


def test_a_text_answer_opens_with_its_warning(policies: GuildPolicies) -> None:
    assert style(policies, "both").settle_text(style(policies, "both").text("netori?")) == "CW: NTR\n||netori||?"
    assert style(policies, "spoiler").settle_text("plain") == "plain"


def test_the_plain_style_changes_nothing_but_escaping() -> None:
    answer = AnswerStyle()
    assert answer.text("netori_x") == "netori\\_x"
    embed = discord.Embed(title="netori")
    assert answer.settle(embed) == (None, embed)
    assert embed.title == "netori"
