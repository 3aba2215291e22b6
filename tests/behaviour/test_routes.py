"""Each channel's route is worked out once and remembered; a move, a deletion or a settings change drops it.

The gate remembers, per channel, whether it is watched and how (``EnforcementState.route``).
These tests first let a post make the bot remember a channel's route, then change
what the route depends on, and check that the very next post is judged afresh.
"""

from __future__ import annotations

import pytest

from tests.behaviour.test_enforcement import bot_messages

SENSITIVE = "the ending is pure ntr"


@pytest.fixture
async def shelf(simcord_env, server, simcord_bot):
    """A watched category, "Genre shelf", with one channel in it; #general stays outside."""
    shelf = server.guild.create_category("Genre shelf")
    server.shelf = shelf
    server.shelved = server.guild.create_text_channel("shelved-recs", category=shelf)
    result = await server.moderator.slash(server.general, "warden watch add", place=shelf)
    assert result.response.content == "Now watching the category **Genre shelf**."
    return server


def flags(channel, bot) -> int:
    return len(bot_messages(channel, bot))


def category_seen_by_bot(bot, channel) -> int | None:
    return bot.get_channel(channel.id).category_id


async def test_a_channel_moved_into_a_watched_category_is_judged_on_its_next_post(shelf, simcord_env, simcord_bot):
    await shelf.member.send(shelf.general, SENSITIVE)
    assert flags(shelf.general, simcord_bot) == 0  # not watched, and the bot now remembers that

    shelf.move(shelf.general, shelf.shelf)
    await simcord_env.settle()
    assert category_seen_by_bot(simcord_bot, shelf.general) == shelf.shelf.id

    await shelf.member.send(shelf.general, SENSITIVE)
    assert flags(shelf.general, simcord_bot) == 1


async def test_a_channel_moved_out_of_a_watched_category_is_left_alone(shelf, simcord_env, simcord_bot):
    await shelf.member.send(shelf.shelved, SENSITIVE)
    assert flags(shelf.shelved, simcord_bot) == 1  # watched through its category, and remembered

    shelf.move(shelf.shelved, None)
    await simcord_env.settle()
    assert category_seen_by_bot(simcord_bot, shelf.shelved) is None

    await shelf.member.send(shelf.shelved, SENSITIVE)
    assert flags(shelf.shelved, simcord_bot) == 1  # still only the first post's flag


async def test_a_thread_follows_its_parent_into_a_watched_category(shelf, simcord_env, simcord_bot):
    # The thread's route depends on its parent's category, and only the parent is announced as moved.
    thread = shelf.open_thread(shelf.member, shelf.general, "weekend reading")
    await simcord_env.settle()
    await shelf.member.send(thread, SENSITIVE)
    assert flags(thread, simcord_bot) == 0

    shelf.move(shelf.general, shelf.shelf)
    await simcord_env.settle()

    await shelf.member.send(thread, SENSITIVE)
    assert flags(thread, simcord_bot) == 1


async def test_unwatching_applies_to_the_next_post_in_a_channel_already_seen(shelf, simcord_env, simcord_bot):
    watched = await shelf.moderator.slash(shelf.general, "warden watch add", place=shelf.genre)
    assert watched.response.content == f"Now watching <#{shelf.genre.id}>."
    await shelf.member.send(shelf.genre, SENSITIVE)
    await shelf.member.send(shelf.shelved, SENSITIVE)
    assert (flags(shelf.genre, simcord_bot), flags(shelf.shelved, simcord_bot)) == (1, 1)

    for place in (shelf.genre, shelf.shelf):
        removed = await shelf.moderator.slash(shelf.general, "warden watch remove", place=place)
        assert removed.response.content.startswith("Stopped watching")

    await shelf.member.send(shelf.genre, SENSITIVE)
    await shelf.member.send(shelf.shelved, SENSITIVE)
    assert (flags(shelf.genre, simcord_bot), flags(shelf.shelved, simcord_bot)) == (1, 1)


async def test_watching_applies_to_the_next_post_in_a_channel_already_seen(shelf, simcord_env, simcord_bot):
    await shelf.member.send(shelf.genre, SENSITIVE)
    assert flags(shelf.genre, simcord_bot) == 0  # remembered as not watched

    await shelf.moderator.slash(shelf.general, "warden watch add", place=shelf.genre)
    await shelf.member.send(shelf.genre, SENSITIVE)
    assert flags(shelf.genre, simcord_bot) == 1


async def test_an_exemption_applies_to_the_next_post_in_a_channel_already_seen(shelf, simcord_env, simcord_bot):
    # The route also remembers whether anyone is exempt (so that nobody's roles are read when nobody is).
    await shelf.member.send(shelf.shelved, SENSITIVE)
    assert flags(shelf.shelved, simcord_bot) == 1

    result = await shelf.moderator.slash(shelf.general, "warden exempt add", target=shelf.member)
    assert result.response.content == f"The rules no longer apply to <@{shelf.member.id}>."
    await shelf.member.send(shelf.shelved, SENSITIVE)
    assert flags(shelf.shelved, simcord_bot) == 1


async def test_a_post_parsed_right_after_the_move_is_judged_by_the_new_category(shelf, simcord_env, simcord_bot):
    await shelf.member.send(shelf.general, SENSITIVE)
    shelf.move(shelf.general, shelf.shelf)  # CHANNEL_UPDATE parsed; no chance for listener tasks to run before the post
    assert category_seen_by_bot(simcord_bot, shelf.general) == shelf.shelf.id

    await shelf.member.send(shelf.general, SENSITIVE)
    assert flags(shelf.general, simcord_bot) == 1


async def test_a_thread_seen_before_the_bot_knew_it_is_judged_once_it_does(shelf, simcord_env, simcord_bot):
    thread = shelf.open_thread(shelf.member, shelf.shelved, "late thread", announce=False)
    await shelf.member.send(thread, SENSITIVE)
    assert flags(thread, simcord_bot) == 0  # the bot cannot tell where this post is

    simcord_env.backend.announce_thread_create(simcord_env.backend.get_channel(thread.id))
    await simcord_env.settle()
    assert simcord_bot.get_channel(thread.id).parent_id == shelf.shelved.id

    await shelf.member.send(thread, SENSITIVE)
    assert flags(thread, simcord_bot) == 1
