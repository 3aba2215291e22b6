"""No list answer hides anything: every list command, given more than one message holds, delivers every
item (across pages or in an attached file); its pages keep turning after a restart, only for their owner.
"""

from __future__ import annotations

import pytest
from discord import app_commands

from bot import setting_keys as keys
from bot.adapters.long_answers import OTHERS_REFUSED, SHRUNK_NOTE
from bot.app import create_bot

MESSAGE_LIMIT = 2000


def page_text(message) -> str:
    parts = [message.content or ""]
    parts += [embed.description or "" for embed in message.embeds]
    return "\n".join(parts)


def buttons(message) -> dict[str, dict]:
    return {button["label"]: button for row in message.components for button in row["components"]}


async def whole_answer(actor, result) -> tuple[str, int]:
    """Everything the answer gives: the attached file, or every page turned with Next; and how many parts."""
    message = result.response
    if message.attachments:
        (attached,) = message.attachments
        return (await attached.read()).decode("utf-8"), 1
    pages = [page_text(message)]  # read now: SimCord updates the message object in place when it is edited
    assert len(message.content or "") <= MESSAGE_LIMIT
    while "Next" in buttons(message) and not buttons(message)["Next"].get("disabled"):
        message = (await actor.click(message, label="Next")).response
        assert len(message.content or "") <= MESSAGE_LIMIT
        pages.append(page_text(message))
    return "\n".join(pages), len(pages)


# -- every list, long ------------------------------------------------------------------------------------

IDS = [1_000_000_000_000_000 + i for i in range(120)]  # roles, members, channels and tags long gone


async def set_value(bot, server, key, value) -> None:
    await bot.guild_settings.set(server.guild.id, key, value, actor_id=server.moderator.id)


async def many_terms(bot, server) -> list[str]:
    names = [f"zorbling number {i}" for i in range(60)]
    await set_value(bot, server, keys.TERMS, [{"name": n, "category": "gore", "aliases": ["zorb" * 10]} for n in names])
    return names


async def many_patterns(bot, server) -> list[str]:
    regexes = [f"zorb{i}x+" + "y" * 40 for i in range(50)]
    await set_value(bot, server, keys.PATTERNS, [{"category": "gore", "regex": r} for r in regexes])
    return regexes


async def long_allow_list(bot, server) -> list[str]:
    phrases = [f"no zorblings at all in part {i} " + "of the story " * 5 for i in range(40)]
    assert sum(len(p) for p in phrases) >= 3000
    await set_value(bot, server, keys.ALLOW, phrases)
    return [p.strip() for p in phrases]


async def many_exemptions(bot, server) -> list[str]:
    await set_value(bot, server, keys.EXEMPT_ROLES, IDS[:60])
    await set_value(bot, server, keys.EXEMPT_MEMBERS, IDS[60:120])
    return [f"<@&{i}>" for i in IDS[:60]] + [f"<@{i}>" for i in IDS[60:120]]


async def many_watched(bot, server) -> list[str]:
    await set_value(bot, server, keys.WATCHED, {str(i): {"kind": "channel", "action": "delete"} for i in IDS[:40]})
    return [f"a deleted channel ({i})" for i in IDS[:40]]


async def many_forum_tags(bot, server) -> list[str]:
    await set_value(bot, server, keys.FORUM_TAGS, {str(i): "gore" for i in IDS[:80]})
    return [f"a deleted tag ({i})" for i in IDS[:80]]


async def long_history(bot, server) -> list[str]:
    for days in range(1, 121):
        await set_value(bot, server, keys.RETENTION_DAYS, days)
    first = "changed **retention_days**: 14 → 1"  # the first change shows the default it replaced
    return [first] + [f"changed **retention_days**: {days - 1} → {days}" for days in range(2, 121)]


async def many_lookups(bot, server) -> list[str]:
    for i in range(200):
        await bot.glossaries.record_lookup(server.guild.id, f"unknownword{i}", None)
    return [f"unknownword{i}: once" for i in range(200)]


async def whole_glossary(bot, server) -> list[str]:
    return [f"**{entry.term}**" for entry in bot.glossaries.glossary(server.guild.id).entries]


async def search_hits(bot, server) -> list[str]:
    hits = bot.glossaries.glossary(server.guild.id).search("a")
    assert len(hits) > 10
    return [f"**{hit.entry.term}**" for hit in hits]


async def show_everything(bot, server) -> list[str]:
    return [*await many_terms(bot, server), *await many_exemptions(bot, server)]


LISTS = [
    ("warden terms list", {}, many_terms),
    ("warden patterns list", {}, many_patterns),
    ("warden allow list", {}, long_allow_list),
    ("warden exempt list", {}, many_exemptions),
    ("warden watch list", {}, many_watched),
    ("warden forumtag list", {}, many_forum_tags),
    ("warden history", {}, long_history),
    ("glossary stats", {}, many_lookups),
    ("glossary list", {}, whole_glossary),
    ("glossary search", {"text": "a"}, search_hits),
    ("warden show", {}, show_everything),
]


@pytest.mark.parametrize(("command", "options", "fill"), LISTS, ids=[case[0] for case in LISTS])
async def test_every_list_answer_delivers_every_item(simcord_env, server, simcord_bot, command, options, fill):
    expected = await fill(simcord_bot, server)

    result = await server.moderator.slash(server.general, command, **options)
    text, parts = await whole_answer(server.moderator, result)

    missing = [item for item in expected if item not in text]
    assert missing == [], f"{command} lost {len(missing)} of {len(expected)} items, the first: {missing[0]!r}"
    assert parts > 1 or result.response.attachments, "the data should need more than one message"
    assert "…" not in text  # nothing was shortened either


LIST_NAMES = {"list", "history", "stats", "search", "show"}


async def test_every_list_command_is_in_the_walk_above(simcord_env, server, simcord_bot):
    # A new list command must join LISTS, so that it too is checked to deliver everything.
    commands = {
        command.qualified_name for command in simcord_bot.tree.walk_commands()
        if isinstance(command, app_commands.Command) and command.name in LIST_NAMES
    }
    assert commands == {case[0] for case in LISTS}


# -- pagers ----------------------------------------------------------------------------------------------


async def test_a_pager_keeps_turning_pages_after_a_restart(simcord_env, server, simcord_bot, bot_settings, shipped):
    await long_history(simcord_bot, server)
    history = await server.moderator.slash(server.general, "warden history")
    glossary = await server.member.slash(server.general, "glossary list", category="relationship drama")
    assert history.response.embeds[0].footer.text == "Page 1 of 12 · 120 changes"

    await simcord_bot.close()
    restarted = create_bot(bot_settings, shipped_glossary=shipped)
    await simcord_env.restart_bot(restarted)
    try:
        turned = await server.moderator.click(history.response, label="Next")
        assert turned.response.embeds[0].footer.text == "Page 2 of 12 · 120 changes"
        assert "changed **retention_days**: 100 → 101" in turned.response.embeds[0].description
        back = await server.moderator.click(history.response, label="Previous")
        assert back.response.embeds[0].footer.text == "Page 1 of 12 · 120 changes"

        # The glossary's pager carries its category: the next page is of the same category.
        footer = glossary.response.embeds[0].footer.text
        turned = await server.member.click(glossary.response, label="Next")
        assert turned.response.embeds[0].title == "Glossary: relationship drama"
        assert turned.response.embeds[0].footer.text == footer.replace("Page 1", "Page 2")
    finally:
        await restarted.close()


async def test_someone_else_pressing_a_pager_is_refused_privately(simcord_env, server, simcord_bot):
    # A moderator's lists are private (nobody else sees them); a member's glossary list in the open is not.
    server.age_restrict(server.genre)
    listing = await server.member.slash(server.genre, "glossary list")
    assert not listing.ephemeral
    bystander = server.add_member("bystander-bo")

    refused = await bystander.click(listing.response, label="Next")

    assert refused.ephemeral and refused.response.content == OTHERS_REFUSED
    assert listing.response.embeds[0].footer.text.startswith("Page 1 of")


async def test_a_page_past_the_end_of_a_list_that_shrank_shows_its_last_page(simcord_env, server, simcord_bot):
    await many_terms(simcord_bot, server)
    listing = await server.moderator.slash(server.general, "warden terms list")
    await set_value(simcord_bot, server, keys.TERMS, [{"name": "zorbling", "category": "gore", "aliases": []}])

    turned = await server.moderator.click(listing.response, label="Next")

    assert turned.response.content.splitlines() == [
        SHRUNK_NOTE, "This server's own terms (1):", "- **zorbling** (gore)",
    ]
    assert turned.response.components == []  # one page now: no buttons


# -- the watch list's sources ------------------------------------------------------------------------------


async def test_the_watch_list_says_where_each_setting_comes_from(simcord_env, server, simcord_bot):
    spoilers = server.guild.create_category("Spoilers")
    server.move(server.genre, spoilers)
    await server.moderator.slash(server.general, "warden watch add", place=spoilers, action="delete")
    await server.moderator.slash(server.general, "warden watch add", place=server.genre, requirement="cw")

    listing = await server.moderator.slash(server.general, "warden watch list")

    assert listing.response.content.splitlines() == [
        "Watched places (2):",
        f"- <#{server.genre.id}>: requirement: **cw** (this channel) · action: **delete** (category **Spoilers**)"
        " · dry run: **off** (server default)",
        "- the category **Spoilers**: requirement: **either** (server default) · action: **delete** (this category)"
        " · dry run: **off** (server default)",
    ]
    # The message path applies what the list says: the channel inherits its category's action.
    config = simcord_bot.enforcement.config(server.guild.id)
    place = config.place_for(server.genre.id, None, spoilers.id)
    assert (config.requirement_for(place), config.action_for(place)) == ("cw", "delete")


# -- the settings history's first change -----------------------------------------------------------------


async def test_the_history_shows_the_default_a_first_change_replaced(simcord_env, server, simcord_bot):
    await server.moderator.slash(server.general, "warden action", action="delete")
    await server.moderator.slash(server.general, "warden requirement", requirement="cw")
    await server.moderator.slash(
        server.general, "warden escalation set", threshold=3, window_hours=12, timeout_minutes=60
    )
    await server.moderator.slash(server.general, "warden escalation off")

    result = await server.moderator.slash(server.general, "warden history")
    lines = [line.split("> changed ", 1)[1] for line in result.response.embeds[0].description.splitlines()]

    escalation = r'{"threshold": 3, "timeout\_minutes": 60, "window\_hours": 12}'
    assert lines == [
        f"**escalation**: {escalation} → off",
        f"**escalation**: off → {escalation}",
        "**requirement**: either → cw",
        "**action**: flag → delete",
    ]
    # The store keeps what it always kept (None: the key was unset), so older rows read the same way.
    rows = await simcord_bot.guild_settings.history(server.guild.id, limit=None)
    assert rows[-1].old_value is None
