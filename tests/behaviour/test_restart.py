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
from bot.store.cleanups import CleanupRepository
from tests.behaviour.test_enforcement import UNTAGGED, bot_messages, fixed_text, set_action

Restart = Callable[[], Awaitable[WardenBot]]
EDITED = "Edited: the finale of the second volume is pure NTR."


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


# -- what Discord says is gone ---------------------------------------------


def modlog_warnings(caplog) -> list[str]:
    return [record.getMessage() for record in caplog.records if "mod log" in record.getMessage()]


async def test_a_deleted_webhook_is_recreated_on_the_next_repost(watched, simcord_env, simcord_bot):
    await set_action(watched, "replace")
    await watched.member.send(watched.genre, UNTAGGED)
    (first,) = reposts(watched.genre)
    # A moderator deletes the bot's webhook; bots without the webhooks intent hear nothing of it.
    simcord_env.backend.delete_webhook(first.webhook_id)

    second_post = await watched.member.send(watched.genre, EDITED)

    assert all(message.id != second_post.id for message in watched.genre.history())
    second = next(message for message in reposts(watched.genre) if message.id != first.id)
    assert second.content == fixed_text(simcord_bot, watched, EDITED)
    assert second.webhook_id != first.webhook_id
    dms = watched.member.user.dm_channel
    assert dms is None or dms.history() == []  # nothing had to be handed back


async def test_a_deleted_mod_log_channel_is_said_once_and_by_doctor(watched, simcord_env, simcord_bot, caplog):
    simcord_env.backend.delete_channel(watched.modlog.id)

    await watched.member.send(watched.genre, UNTAGGED)
    await watched.member.send(watched.genre, EDITED)

    assert len(flag_replies(watched.genre, simcord_bot)) == 2  # enforcement goes on
    (line,) = modlog_warnings(caplog)
    assert str(watched.modlog.id) in line and "deleted" in line
    doctor = await watched.moderator.slash(watched.general, "warden doctor")
    assert (
        f"**Mod log**: its channel ({watched.modlog.id}) was deleted; set a new one with `/warden modlog set`"
        in doctor.response.content
    )
    show = await watched.moderator.slash(watched.general, "warden show")
    assert f"**Mod log**: its channel ({watched.modlog.id}) was deleted" in (
        show.response.content or (await show.response.attachments[0].read()).decode()
    )


async def test_a_mod_log_channel_discord_calls_unknown_is_not_written_to_again(
    watched, simcord_env, simcord_bot, caplog
):
    # The bot's cache still holds the channel, but Discord answers 10003 Unknown Channel for it.
    modlog = f"/channels/{watched.modlog.id}"
    for method, path in (("POST", f"{modlog}/messages"), ("GET", modlog)):
        simcord_env.inject_error(method, path, status=404, code=10003, message="Unknown Channel", times=None)

    await watched.member.send(watched.genre, UNTAGGED)
    await watched.member.send(watched.genre, EDITED)

    assert len(flag_replies(watched.genre, simcord_bot)) == 2
    writes = [entry for entry in simcord_env.http_requests
              if entry.method == "POST" and entry.path == f"/channels/{watched.modlog.id}/messages"]
    assert len(writes) == 1  # tried once, then let go
    assert len(modlog_warnings(caplog)) == 1
    doctor = await watched.moderator.slash(watched.general, "warden doctor")
    assert f"its channel ({watched.modlog.id}) was deleted" in doctor.response.content


async def test_a_deleted_watched_channel_leaves_no_route_behind(watched, simcord_env, simcord_bot):
    await watched.member.send(watched.genre, UNTAGGED)
    places = simcord_bot.enforcement.route_tables[watched.guild.id]
    assert any(place[0] == watched.genre.id for place in places)

    simcord_env.backend.delete_channel(watched.genre.id)
    await simcord_env.settle()

    assert not any(watched.genre.id in place for place in simcord_bot.enforcement.route_tables[watched.guild.id])
    doctor = await watched.moderator.slash(watched.general, "warden doctor")
    assert f"a deleted channel ({watched.genre.id}) is still listed as watched" in doctor.response.content


async def test_a_removed_forum_tag_falls_back_to_the_usual_action_and_says_so(simcord_env, server, simcord_bot):
    from tests.behaviour.test_enforcement import field
    from tests.behaviour.test_forums_and_titles import SIMCORD_TAGGING

    server.set_bot_permissions(SIMCORD_TAGGING)
    server.modlog = server.guild.create_text_channel("mod-log")
    await server.moderator.slash(server.general, "warden modlog set", channel=server.modlog)
    await server.moderator.slash(server.general, "warden watch add", place=server.forum)
    await server.moderator.slash(
        server.general, "warden forumtag map", forum=server.forum, tag="CW: NTR", category="NTR"
    )
    # A moderator removes the tag from the forum; the mapping still names it.
    kept = [tag for tag in simcord_env.backend.get_channel(server.forum.id).available_tags if tag["name"] != "CW: NTR"]
    simcord_env.backend.edit_channel(server.forum.id, {"available_tags": kept})

    post = server.open_thread(server.member, server.forum, "Weekend reading")
    await simcord_env.settle()
    await server.member.send(post, UNTAGGED)

    assert len(flag_replies(post, simcord_bot)) == 1  # the usual action: a flag
    (entry,) = [m.embeds[0] for m in server.modlog.history() if m.embeds and m.embeds[0].title == "Untagged post"]
    assert field(entry, "Action") == "flag"
    assert field(entry, "Notes") == (
        f"The forum tag mapped to **NTR** is no longer in <#{server.forum.id}>, so I used the usual action; "
        "map another one with `/warden forumtag map`."
    )
