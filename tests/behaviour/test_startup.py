"""The bot reaches READY, opens its database and registers its commands."""

from __future__ import annotations

import sqlite3

from bot.app import WardenBot, create_bot
from bot.settings import Settings


async def test_the_bot_reaches_ready_with_its_store_open(simcord_env, simcord_bot: WardenBot, database_path):
    assert simcord_bot.is_ready()
    assert database_path.exists()
    assert set(simcord_bot.cogs) == {
        "Configuration", "Doctor", "Enforcement", "ForumTags", "Glossary", "GlossaryAdmin",
        "Meta", "ModLog", "PolicyAdmin", "Settings", "Watch",
    }
    with sqlite3.connect(database_path) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] >= 1


async def test_commands_are_synced_and_visible_to_members(simcord_env, server):
    available = server.member.available_commands(server.general)
    assert "warden about" in available
    assert "warden history" in available


async def test_an_unchanged_command_set_is_not_synced_again(simcord_env, simcord_bot: WardenBot):
    from bot.command_sync import sync_if_changed
    from bot.store.bot_state import BotStateRepository

    synced_again = await sync_if_changed(
        simcord_bot.tree,
        BotStateRepository(simcord_bot.database),
        application_id=simcord_bot.application_id,
        dev_guild_id=None,
    )
    assert synced_again is False
    puts = [entry for entry in simcord_env.http_requests if entry.method == "PUT" and "commands" in entry.path]
    assert len(puts) == 1


async def test_the_bot_mentions_nobody_by_default(simcord_env, simcord_bot: WardenBot):
    mentions = simcord_bot.allowed_mentions
    assert mentions is not None
    assert (mentions.everyone, mentions.users, mentions.roles, mentions.replied_user) == (False, False, False, False)


async def test_without_a_glossary_given_the_bot_reads_the_shipped_file(tmp_path):
    bot = create_bot(Settings(database_path=tmp_path / "warden.sqlite3"))
    try:
        await bot.open_store()
        assert bot.glossaries.glossary(None).lookup("NTR").id == "netorare"
        assert len(bot.glossaries.shipped) >= 60
    finally:
        await bot.close()


async def test_the_glossary_commands_are_visible_to_members(simcord_env, server):
    available = server.member.available_commands(server.general)
    assert {"define", "compare", "glossary list", "glossary search"} <= set(available)
