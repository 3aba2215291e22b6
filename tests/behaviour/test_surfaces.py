"""Every way text reaches a watched place is judged: edits of any age, forwards, polls, files, previews,
thread renames, every kind of channel, and what was posted while the bot was away."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import discord
import pytest
from simcord.backend.models.message import Poll, PollAnswer
from simcord.builders import ChannelHandle

from bot.adapters.render import FLAG_EMOJI
from bot.app import create_bot
from bot.settings import Settings
from bot.store.held_posts import HeldPostRepository
from tests.behaviour.scenarios import handled_errors

UNTAGGED = "Careful, the second volume turns into NTR."
HIDDEN = "Careful, the second volume turns into ||NTR||."


def flag_reactions(env, channel, message_id) -> list[str]:
    return [str(reaction.emoji) for reaction in channel_message(channel, message_id).reactions]


def channel_message(channel, message_id) -> discord.Message:
    return next(message for message in channel.history() if message.id == message_id)


def modlog_entries(server) -> list[discord.Embed]:
    return [embed for m in server.modlog.history() for embed in m.embeds if embed.title == "Untagged post"]


def title_entries(server) -> list[discord.Embed]:
    return [embed for m in server.modlog.history() for embed in m.embeds if embed.title == "Sensitive thread title"]


def forget_cached_messages(bot) -> None:
    """As after ~1,000 other posts: discord.py's message cache no longer holds the post."""
    bot._connection._messages.clear()


async def set_action(server, action: str) -> None:
    result = await server.moderator.slash(server.general, "warden action", action=action)
    assert result.ephemeral


async def restart(env, bot, database_path, shipped):
    await bot.close()
    restarted = create_bot(Settings(database_path=database_path), shipped_glossary=shipped)
    await env.restart_bot(restarted)
    return restarted


# -- edits ---------------------------------------------------------------------


async def test_an_edit_of_a_post_the_bot_no_longer_caches_is_judged(watched, simcord_env, simcord_bot):
    post = await watched.member.send(watched.genre, HIDDEN)
    forget_cached_messages(simcord_bot)
    await watched.member.edit(post, UNTAGGED)
    assert flag_reactions(simcord_env, watched.genre, post.id) == [FLAG_EMOJI]
    assert len(modlog_entries(watched)) == 1


async def test_an_edit_after_a_restart_is_judged(watched, simcord_env, simcord_bot, database_path, shipped):
    post = await watched.member.send(watched.genre, HIDDEN)
    restarted = await restart(simcord_env, simcord_bot, database_path, shipped)
    try:
        await watched.member.edit(post, UNTAGGED)
        assert flag_reactions(simcord_env, watched.genre, post.id) == [FLAG_EMOJI]
    finally:
        await restarted.close()


async def test_the_same_breach_is_not_flagged_twice_even_after_a_restart(
    watched, simcord_env, simcord_bot, database_path, shipped
):
    post = await watched.member.send(watched.genre, UNTAGGED)
    assert len(modlog_entries(watched)) == 1
    await watched.member.edit(post, UNTAGGED + " Still.")  # new words, the same breach
    forget_cached_messages(simcord_bot)
    await watched.moderator.set_pinned(post, True)  # an update that changes nothing members read
    restarted = await restart(simcord_env, simcord_bot, database_path, shipped)
    try:
        await watched.member.edit(post, UNTAGGED + " Really.")
        assert len(modlog_entries(watched)) == 1
        # A new breach in the same post is a new finding: flagged.
        await watched.member.edit(post, UNTAGGED + " And then the netori side story.")
        assert len(modlog_entries(watched)) == 2
    finally:
        await restarted.close()


async def test_a_post_fixed_then_broken_again_is_flagged_again(watched, simcord_env, simcord_bot):
    post = await watched.member.send(watched.genre, UNTAGGED)
    await watched.member.edit(post, HIDDEN)
    await watched.member.edit(post, UNTAGGED)
    assert len(modlog_entries(watched)) == 2


# -- forwards, polls, files, previews -----------------------------------------


async def test_a_forward_into_a_watched_channel_is_judged_by_what_it_shows(watched, simcord_env, simcord_bot):
    original = await watched.member.send(watched.general, UNTAGGED)  # general is not watched
    await set_action(watched, "replace")
    forward = await watched.member.forward(original, watched.genre)
    assert forward.content == ""
    # A forward cannot be reposted fixed: it is deleted and its text handed back.
    assert all(message.id != forward.id for message in watched.genre.history())
    (held,) = await HeldPostRepository(simcord_bot.database).for_author(watched.guild.id, watched.member.id)
    assert UNTAGGED in held.content and held.action == "delete"
    assert UNTAGGED in watched.member.user.dm_channel.last_message.content


async def test_a_forward_of_a_spoilered_post_passes(watched, simcord_env):
    original = await watched.member.send(watched.general, HIDDEN)
    forward = await watched.member.forward(original, watched.genre)
    assert flag_reactions(simcord_env, watched.genre, forward.id) == []
    assert modlog_entries(watched) == []


def post_poll(env, server, question: str, answers: list[str]) -> int:
    poll = Poll(
        question=question, answers=[PollAnswer(answer_id=i + 1, text=text) for i, text in enumerate(answers)],
        expiry=(datetime.now(UTC) + timedelta(days=1)).isoformat(),
    )
    return env.backend.create_message(server.genre.id, server.member.id, "", poll=poll).id


@pytest.mark.parametrize(
    ("question", "answers"),
    [("Best twist of the season?", ["The NTR arc", "The finale"]), ("Is the NTR arc worth it?", ["yes", "no"])],
)
async def test_a_poll_naming_a_term_is_deleted_and_handed_back_never_reposted(
    watched, simcord_env, simcord_bot, question, answers
):
    await set_action(watched, "replace")
    poll_id = post_poll(simcord_env, watched, question, answers)
    await simcord_env.settle()
    assert all(message.id != poll_id for message in watched.genre.history())
    assert all(message.webhook_id is None for message in watched.genre.history())  # nothing reposted
    (held,) = await HeldPostRepository(simcord_bot.database).for_author(watched.guild.id, watched.member.id)
    assert question in held.content and all(answer in held.content for answer in answers)
    assert held.fixed_content is None


async def test_a_flagged_poll_gets_no_repost_button(watched, simcord_env, simcord_bot):
    poll_id = post_poll(simcord_env, watched, "Is the NTR arc worth it?", ["yes", "no"])
    await simcord_env.settle()
    assert flag_reactions(simcord_env, watched.genre, poll_id) == [FLAG_EMOJI]
    (reply,) = [m for m in watched.genre.history() if m.author.id == simcord_bot.user.id]
    assert reply.components == []


def post_file(env, server, content: str, filename: str, description: str | None) -> int:
    (payload,) = env.backend.store_attachments(server.genre.id, [(filename, b"\x89PNG fake")])
    if description is not None:
        payload["description"] = description
    message = env.backend.create_message(server.genre.id, server.member.id, content, attachments=[payload])
    return message.id


@pytest.mark.parametrize(
    ("filename", "description", "flagged"),
    [
        ("cover.png", "the NTR chapter's cover", True),  # alt text
        ("ntr_chapter_cover.png", None, True),  # the file's name
        ("SPOILER_cover.png", "the NTR chapter's cover", False),  # a spoilered file hides both
        ("cover.png", "a cover", False),
    ],
)
async def test_a_files_name_and_alt_text_are_judged(watched, simcord_env, filename, description, flagged):
    post_id = post_file(simcord_env, watched, "Look at this.", filename, description)
    await simcord_env.settle()
    assert (flag_reactions(simcord_env, watched.genre, post_id) == [FLAG_EMOJI]) is flagged


async def test_a_file_whose_alt_text_names_a_term_is_reposted_as_a_spoiler(watched, simcord_env, simcord_bot):
    await set_action(watched, "replace")
    post_file(simcord_env, watched, "Look at this.", "cover.png", "the NTR chapter's cover")
    await simcord_env.settle()
    (repost,) = [m for m in watched.genre.history() if m.webhook_id is not None]
    assert repost.content == "Look at this."
    assert [a.filename for a in repost.attachments] == ["SPOILER_cover.png"]


def add_preview(env, channel, message_id: int, url: str, title: str, description: str = "") -> None:
    """Discord unfurls a link a moment after the post: the preview arrives as an update of the message."""
    embed = {"type": "link", "url": url, "title": title, "description": description}
    env.backend.edit_message(channel.id, message_id, {"embeds": [embed]})


@pytest.mark.parametrize(
    ("content", "flagged"),
    [
        ("Read this review https://reviews.test/vol2", True),
        ("Read this review ||https://reviews.test/vol2||", False),
        ("Read this review <https://reviews.test/vol2>", False),
        ("CW: NTR\nRead this review https://reviews.test/vol2", False),
    ],
)
async def test_a_link_preview_naming_a_term_counts_unless_the_link_is_hidden(
    watched, simcord_env, content, flagged
):
    post = await watched.member.send(watched.genre, content)
    add_preview(simcord_env, watched.genre, post.id, "https://reviews.test/vol2", "Volume 2: the NTR arc, reviewed")
    await simcord_env.settle()
    assert (flag_reactions(simcord_env, watched.genre, post.id) == [FLAG_EMOJI]) is flagged


async def test_a_repost_of_a_link_whose_preview_names_a_term_shows_no_preview(watched, simcord_env, simcord_bot):
    await set_action(watched, "replace")
    post = await watched.member.send(watched.genre, "Read this review https://reviews.test/vol2")
    add_preview(simcord_env, watched.genre, post.id, "https://reviews.test/vol2", "Volume 2: the NTR arc, reviewed")
    await simcord_env.settle()
    (repost,) = [m for m in watched.genre.history() if m.webhook_id is not None]
    assert repost.content == "Read this review <https://reviews.test/vol2>"


# -- titles and kinds of channel -----------------------------------------------


async def test_a_thread_renamed_to_name_a_term_is_handled_like_a_new_title(watched, simcord_env):
    thread = watched.open_thread(watched.member, watched.genre, "Volume 2 thoughts")
    await simcord_env.settle()
    assert title_entries(watched) == []
    simcord_env.backend.edit_channel(thread.id, {"name": "Volume 2 thoughts: the NTR arc"})
    await simcord_env.settle()
    assert len(title_entries(watched)) == 1
    simcord_env.backend.edit_channel(thread.id, {"name": "Volume 2 thoughts: the NTR arc!"})  # the same finding
    await simcord_env.settle()
    assert len(title_entries(watched)) == 1


@pytest.mark.parametrize("kind", ["news", "voice", "stage"])
async def test_every_text_bearing_channel_kind_can_be_watched(watched, simcord_env, kind):
    make = {
        "news": watched.guild.create_news_channel,
        "voice": watched.guild.create_voice_channel,
        "stage": watched.guild.create_stage_channel,
    }[kind]
    channel = make(f"{kind}-talk")
    result = await watched.moderator.slash(watched.general, "warden watch add", place=channel)
    assert result.response.content == f"Now watching <#{channel.id}>."
    post = await watched.member.send(channel, UNTAGGED)
    assert flag_reactions(simcord_env, channel, post.id) == [FLAG_EMOJI]


async def test_a_private_thread_archived_then_revived_is_still_watched(watched, simcord_env, simcord_bot):
    backend = simcord_env.backend
    stored = backend.create_thread(watched.genre.id, "Volume 2 thoughts", watched.member.id, type=12)
    thread = ChannelHandle(simcord_env, watched.guild, stored)
    await simcord_env.settle()
    backend.edit_channel(thread.id, {}, thread_metadata={"archived": True})
    await simcord_env.settle()
    assert simcord_bot.get_channel(thread.id) is None  # discord.py drops an archived thread from its cache
    backend.edit_channel(thread.id, {}, thread_metadata={"archived": False})
    await simcord_env.settle()
    post = await watched.member.send(thread, UNTAGGED)
    assert flag_reactions(simcord_env, thread, post.id) == [FLAG_EMOJI]


# -- while the bot was away ----------------------------------------------------


async def test_posts_sent_while_the_bot_was_away_are_judged_on_its_return(
    watched, simcord_env, simcord_bot, database_path, shipped
):
    await watched.member.send(watched.genre, "A first post, before the outage.")
    await simcord_bot.close()  # saves how far the channel was read
    # While the bot is down, members keep posting: the bot gets no gateway event for these.
    missed = [
        simcord_env.backend.create_message(watched.genre.id, watched.member.id, text, broadcast=False).id
        for text in ("Fine words.", UNTAGGED, "Also NTR, a second one.")
    ]
    restarted = create_bot(Settings(database_path=database_path), shipped_glossary=shipped)
    await simcord_env.restart_bot(restarted)
    try:
        await simcord_env.settle()
        assert flag_reactions(simcord_env, watched.genre, missed[0]) == []
        assert flag_reactions(simcord_env, watched.genre, missed[1]) == [FLAG_EMOJI]
        assert flag_reactions(simcord_env, watched.genre, missed[2]) == [FLAG_EMOJI]
        assert len(modlog_entries(watched)) == 2
        # Restarting again reads nothing twice.
        await restarted.close()
        again = create_bot(Settings(database_path=database_path), shipped_glossary=shipped)
        await simcord_env.restart_bot(again)
        await simcord_env.settle()
        assert len(modlog_entries(watched)) == 2
        await again.close()
    finally:
        await restarted.close()


async def test_catch_up_skips_a_channel_it_cannot_read(watched, simcord_env, simcord_bot, database_path, shipped):
    await watched.member.send(watched.genre, "A first post, before the outage.")
    await simcord_bot.close()
    simcord_env.inject_error("GET", f"/channels/{watched.genre.id}/messages", status=500, message="down", times=None)
    restarted = create_bot(Settings(database_path=database_path), shipped_glossary=shipped)
    await simcord_env.restart_bot(restarted)
    try:
        await simcord_env.settle()
        post = await watched.member.send(watched.genre, UNTAGGED)  # the bot is up and judging
        assert flag_reactions(simcord_env, watched.genre, post.id) == [FLAG_EMOJI]
    finally:
        await restarted.close()
    assert handled_errors(simcord_env) == []


# -- under a burst ---------------------------------------------------------------

BURST = 24


async def test_a_raid_of_untagged_posts_is_handled_in_full_and_in_order_without_flooding_the_mod_log(
    watched, simcord_env, simcord_bot
):
    second = watched.guild.create_text_channel("ntr-two")
    await watched.moderator.slash(watched.general, "warden watch add", place=second)
    raiders = [watched.add_member(f"raider-{n}") for n in range(4)]
    backend = simcord_env.backend
    # The posts land before the bot acts on any: they reach it as one burst of gateway events.
    # (24, not 200: SimCord's settling grows with the square of the tasks in flight; the bot does not.)
    posts = [
        backend.create_message(
            (watched.genre if n % 2 else second).id, raiders[n % 4].id, f"post {n}: pure NTR"
        ).id
        for n in range(BURST)
    ]
    await simcord_env.settle(timeout=60)
    await simcord_env.advance_time(60)  # the mod log's gathered entries go out
    flagged = {m.id for channel in (watched.genre, second) for m in channel.history() if m.reactions}
    assert flagged == set(posts)  # every post judged and acted on, none dropped
    entries = modlog_entries(watched)
    assert len(entries) == BURST
    contents = [next(f.value for f in entry.fields if f.name == "Content") for entry in entries]
    per_channel = {
        channel.id: [f"post {n}:" for n in range(BURST) if (n % 2 == 1) == (channel is watched.genre)]
        for channel in (watched.genre, second)
    }
    channel_of = {entry_index: next(f.value for f in entry.fields if f.name == "Channel")
                  for entry_index, entry in enumerate(entries)}
    for channel in (watched.genre, second):
        logged = [contents[i] for i in range(BURST) if channel_of[i] == f"<#{channel.id}>"]
        assert [text.split(" pure")[0].strip("|") for text in logged] == per_channel[channel.id]  # in order
    modlog_messages = [m for m in watched.modlog.history() if m.embeds]
    assert len(modlog_messages) < BURST / 2 and all(len(m.embeds) <= 10 for m in modlog_messages)



async def test_a_post_whose_files_are_too_large_to_repost_is_flagged_never_deleted(watched, simcord_env):
    """A 200 MB video cannot be re-uploaded: replacing the post would lose it, so it is flagged."""
    await set_action(watched, "replace")
    (payload,) = simcord_env.backend.store_attachments(watched.genre.id, [("ntr_episode.mp4", b"small stand-in")])
    payload["size"] = 200 * 1024 * 1024
    post = simcord_env.backend.create_message(watched.genre.id, watched.member.id, UNTAGGED, attachments=[payload])
    await simcord_env.settle()
    assert flag_reactions(simcord_env, watched.genre, post.id) == [FLAG_EMOJI]  # still there, flagged
    assert all(message.webhook_id is None for message in watched.genre.history())
    (entry,) = modlog_entries(watched)
    notes = next(f.value for f in entry.fields if f.name == "Notes")
    assert "Did not repost: its files (200.0 MiB) are over what I may upload here" in notes
