"""Everything the bot posts keeps working after a restart, and what Discord says is gone is let go.

Each restart closes the running bot (as SIGTERM does) and attaches a new one, built by
``create_bot`` on the same database file, with ``simcord_env.restart_bot``: nothing
in memory survives, only what the store kept.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta

import discord
import pytest

from bot.app import WardenBot, create_bot
from bot.setting_keys import MODLOG_CHANNEL
from bot.store.cleanups import CleanupRepository
from tests.behaviour.test_enforcement import UNTAGGED, bot_messages, fixed_text, set_action

Restart = Callable[[], Awaitable[WardenBot]]
EDITED = "Edited: the finale of the second volume is pure NTR."


@pytest.fixture
async def watched(simcord_env, server, simcord_bot):
    """The genre channel is watched and the mod log goes to #mod-log."""
    server.modlog = server.guild.create_text_channel("mod-log")
    await simcord_bot.guild_settings.set(
        server.guild.id, MODLOG_CHANNEL, server.modlog.id, actor_id=server.moderator.id
    )
    await server.moderator.slash(server.general, "warden watch add", place=server.genre)
    return server


@pytest.fixture
async def restart(simcord_env, simcord_bot, shipped) -> Restart:
    """``await restart()``: the running bot closes and a new one starts on the same database."""
    started: list[WardenBot] = []

    async def restart_now() -> WardenBot:
        await (started[-1] if started else simcord_bot).close()
        fresh = create_bot(simcord_bot.settings, shipped_glossary=shipped)
        await simcord_env.restart_bot(fresh)
        started.append(fresh)
        return fresh

    yield restart_now
    for bot in started:
        await bot.close()


def reposts(channel) -> list[discord.Message]:
    return [message for message in channel.history() if message.webhook_id is not None]


def flag_replies(channel, bot) -> list[discord.Message]:
    return [message for message in bot_messages(channel, bot) if message.reference is not None]


# -- the Repost fixed button ------------------------------------------------


async def test_repost_fixed_works_after_a_restart_and_reposts_the_post_as_it_is_now(watched, simcord_bot, restart):
    post = await watched.member.send(watched.genre, UNTAGGED)
    (reply,) = flag_replies(watched.genre, simcord_bot)
    assert [button.custom_id for row in reply.components for button in row.children] == [
        f"warden:repost:fixed:{watched.genre.id}:{post.id}:{watched.member.id}"
    ]
    await watched.member.edit(post, EDITED)  # flagged again, with a reply of its own

    restarted = await restart()
    done = await watched.member.click(reply, label="Repost fixed")

    assert done.ephemeral and done.response.content == "Done: your post is back, with spoilers added."
    assert all(message.id != post.id for message in watched.genre.history())
    (repost,) = reposts(watched.genre)
    assert repost.content == fixed_text(restarted, watched, EDITED)

    again = await watched.member.click(reply, label="Repost fixed")
    assert again.response.content == "Your post was already reposted fixed; there is nothing left to repost."


async def test_after_a_restart_a_stranger_pressing_repost_fixed_is_refused(watched, simcord_bot, restart):
    post = await watched.member.send(watched.genre, UNTAGGED)
    (reply,) = flag_replies(watched.genre, simcord_bot)
    await restart()

    refused = await watched.add_member("bystander-bo").click(reply, label="Repost fixed")

    assert refused.ephemeral and refused.response.content == "Only the author of the post can repost it."
    assert any(message.id == post.id for message in watched.genre.history())
    assert reposts(watched.genre) == []


async def test_repost_fixed_on_a_post_the_author_deleted_answers_clearly(watched, simcord_bot, restart):
    post = await watched.member.send(watched.genre, UNTAGGED)
    (reply,) = flag_replies(watched.genre, simcord_bot)
    await watched.member.delete(post)
    await restart()

    answer = await watched.member.click(reply, label="Repost fixed")

    assert answer.ephemeral
    assert answer.response.content == "That post is gone (it was deleted), so there is nothing to repost."
    assert reposts(watched.genre) == []


async def test_repost_fixed_on_a_post_edited_to_pass_leaves_it_alone(watched, simcord_bot):
    post = await watched.member.send(watched.genre, UNTAGGED)
    (reply,) = flag_replies(watched.genre, simcord_bot)
    await watched.member.edit(post, "Careful, the second volume turns into ||NTR||.")

    answer = await watched.member.click(reply, label="Repost fixed")

    assert answer.response.content == "Your post passes the rules here as it is now, so I left it as it is."
    assert any(message.id == post.id for message in watched.genre.history())
    assert reposts(watched.genre) == []


# -- timed clean-ups -------------------------------------------------------


async def test_a_flag_reply_is_still_deleted_when_due_after_a_restart(watched, simcord_env, simcord_bot, restart):
    post = await watched.member.send(watched.genre, UNTAGGED)
    assert len(flag_replies(watched.genre, simcord_bot)) == 1
    await simcord_env.advance_time(60)

    restarted = await restart()
    await simcord_env.advance_time(59)
    assert len(flag_replies(watched.genre, restarted)) == 1  # not due yet: 119 s after the flag
    await simcord_env.advance_time(2)

    assert flag_replies(watched.genre, restarted) == []
    assert [message.id for message in watched.genre.history()] == [post.id]  # the member's post stays
    assert await CleanupRepository(restarted.database).pending() == []


async def test_a_clean_up_that_fell_due_while_the_bot_was_down_runs_at_start(
    watched, simcord_env, simcord_bot, restart
):
    await watched.member.send(watched.genre, UNTAGGED)
    (reply,) = flag_replies(watched.genre, simcord_bot)
    # As if the bot had been down for longer than the reply was meant to stay up.
    await CleanupRepository(simcord_bot.database).add(watched.genre.id, reply.id, discord.utils.utcnow())

    restarted = await restart()
    await simcord_env.settle()

    assert flag_replies(watched.genre, restarted) == []


async def test_the_recover_notice_is_still_deleted_when_due_after_a_restart(
    watched, simcord_env, simcord_bot, restart
):
    await set_action(watched, "delete")
    watched.close_dms()
    await watched.member.send(watched.genre, UNTAGGED)
    (notice,) = bot_messages(watched.genre, simcord_bot)
    assert "/warden recover" in notice.content

    restarted = await restart()
    await simcord_env.advance_time(121)

    assert bot_messages(watched.genre, restarted) == []


async def test_a_clean_up_whose_message_is_already_gone_is_dropped(watched, simcord_env, simcord_bot):
    await watched.member.send(watched.genre, UNTAGGED)
    (reply,) = flag_replies(watched.genre, simcord_bot)
    await watched.moderator.delete(reply)

    await simcord_env.advance_time(121)

    assert await CleanupRepository(simcord_bot.database).pending() == []
    assert simcord_bot.cleanups.scheduled == frozenset()


async def test_a_clean_up_is_stored_with_its_due_time(watched, simcord_bot):
    await watched.member.send(watched.genre, UNTAGGED)
    (reply,) = flag_replies(watched.genre, simcord_bot)
    (pending,) = await CleanupRepository(simcord_bot.database).pending()
    assert (pending.channel_id, pending.message_id) == (watched.genre.id, reply.id)
    assert pending.due_at == reply.created_at + timedelta(seconds=120)
