"""The bot's own glossary answers in a watched channel pass that channel's rule, as a member's post would.

Each answer is read back from the channel's history (every text of the message,
embeds included, as ``tests/visible_text.py`` reads them) and judged by the rule
engine with the guild's compiled policy, exactly as enforcement judges a post.
"""

from __future__ import annotations

import pytest

from bot.rules import MessageFacts, evaluate
from tests.visible_text import visible_text

REQUIREMENTS = ("spoiler", "cw", "either", "both")
ANSWERS = [
    ("define", {"term": "寝取られ"}),
    ("define", {"term": "netori"}),
    ("define", {"term": "reverse NTR"}),
    ("define", {"term": "tsundere"}),
    ("compare", {"a": "netori", "b": "netorare"}),
    ("compare", {"a": "netorase", "b": "cuckoldry"}),
    ("glossary list", {"category": "relationship drama"}),
    ("glossary search", {"text": "netorare"}),
    ("glossary search", {"text": "NTR"}),
]


def problems(simcord_bot, server, requirement, message) -> list[tuple[str, str]]:
    text = visible_text(message.content, message.embeds)
    policy = simcord_bot.enforcement.policy(server.guild.id)
    verdict = evaluate(MessageFacts(text), policy, requirement=requirement)
    return [(finding.text, finding.reason) for finding in verdict.findings]


async def watched_genre(server, requirement):
    server.age_restrict(server.genre)  # adult entries are answered publicly here, into the history
    await server.moderator.slash(server.general, "warden watch add", place=server.genre, requirement=requirement)


@pytest.mark.parametrize("requirement", REQUIREMENTS)
async def test_lookups_in_a_watched_channel_would_not_be_flagged(simcord_env, server, simcord_bot, requirement):
    await watched_genre(server, requirement)
    for command, options in ANSWERS:
        result = await server.member.slash(server.genre, command, **options)
        assert not result.ephemeral, (command, options)

    answers = [m for m in server.genre.history() if m.author.id == simcord_bot.user.id]
    assert len(answers) == len(ANSWERS)
    for (command, options), message in zip(ANSWERS, answers, strict=True):
        assert problems(simcord_bot, server, requirement, message) == [], (command, options)


@pytest.mark.parametrize("requirement", REQUIREMENTS)
async def test_every_page_of_the_glossary_list_would_not_be_flagged(simcord_env, server, simcord_bot, requirement):
    await watched_genre(server, requirement)
    result = await server.member.slash(server.genre, "glossary list")
    first = result.response
    pages = int(first.embeds[0].footer.text.split(" of ")[1].split()[0]) if first.embeds[0].footer.text else 1
    assert problems(simcord_bot, server, requirement, first) == [], 1
    for page in range(2, pages + 1):
        await server.member.click(first, label="Next")
        (shown,) = [m for m in server.genre.history() if m.id == first.id]
        assert problems(simcord_bot, server, requirement, shown) == [], page


@pytest.mark.parametrize("requirement", ["spoiler", "both"])
async def test_an_unknown_term_and_its_suggestions_would_not_be_flagged(simcord_env, server, simcord_bot, requirement):
    await watched_genre(server, requirement)
    result = await server.member.slash(server.genre, "define", term="netorae ntr")
    assert "Did you mean" in result.response.content
    assert problems(simcord_bot, server, requirement, result.response) == []


@pytest.mark.parametrize("requirement", REQUIREMENTS)
async def test_a_servers_own_entry_that_needs_a_warning_is_marked_too(simcord_env, server, simcord_bot, requirement):
    shown = await server.moderator.slash(
        server.general, "glossary add", term="Kuroneko Route", category="story structure", requires_cw=True
    )
    form = {
        "summary": "The Kuroneko Route, also called 黒猫ルート or KNR, ends badly.",
        "definition": "A KNR story (黒猫ルート) is one where the kuroneko route is taken.",
        "aliases": "黒猫ルート, KNR",
        "warnings": "bad ending",
        "contrast": "tone: Kuroneko Route stories end badly.",
    }
    saved = await server.moderator.submit_modal(shown, form)
    assert saved.response.content.startswith("Added")
    await watched_genre(server, requirement)

    for command, options in [
        ("define", {"term": "KNR"}),
        ("compare", {"a": "KNR", "b": "netorare"}),
        ("glossary search", {"text": "kuroneko"}),
    ]:
        result = await server.member.slash(server.genre, command, **options)
        assert problems(simcord_bot, server, requirement, result.response) == [], (command, options)
