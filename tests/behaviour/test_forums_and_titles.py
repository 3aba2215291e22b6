"""Forum posts and thread titles in watched places: CW tags count, are added, or are asked for."""

from __future__ import annotations

import discord
import pytest

from tests.behaviour.scenarios import INVITE_PERMISSIONS, handled_errors
from tests.behaviour.test_enforcement import UNTAGGED, bot_messages, field

# SimCord checks Manage Channels on PATCH /channels/{thread}; Discord (and discord.py's
# Thread.add_tags docs) require Manage Threads, which the invite grants. Until SimCord
# follows, these tests also give the bot Manage Channels (see tests/README.md).
SIMCORD_TAGGING = INVITE_PERMISSIONS | discord.Permissions(manage_channels=True)


@pytest.fixture
async def forum_watched(simcord_env, server, simcord_bot):
    server.set_bot_permissions(SIMCORD_TAGGING)
    server.modlog = server.guild.create_text_channel("mod-log")
    await server.moderator.slash(server.general, "warden modlog set", channel=server.modlog)
    await server.moderator.slash(server.general, "warden watch add", place=server.forum)
    result = await server.moderator.slash(
        server.general, "warden forumtag map", forum=server.forum, tag="CW: NTR", category="NTR"
    )
    assert result.response.content.startswith(
        f"Posts in <#{server.forum.id}> tagged **CW: NTR** now count as warned for **NTR**"
    )
    return server


def applied_tags(simcord_bot, thread) -> list[str]:
    return [tag.name for tag in simcord_bot.get_channel(thread.id).applied_tags]


def modlog_titles(server) -> list[tuple[str, str]]:
    return [(m.embeds[0].title, field(m.embeds[0], "Action")) for m in server.modlog.history() if m.embeds and
            m.embeds[0].title in ("Untagged post", "Sensitive thread title")]


async def test_an_untagged_forum_post_about_ntr_gets_the_tag(forum_watched, simcord_env, simcord_bot):
    post = forum_watched.open_thread(forum_watched.member, forum_watched.forum, "Recommendations for the weekend")
    await simcord_env.settle()
    await forum_watched.member.send(post, UNTAGGED)

    assert applied_tags(simcord_bot, post) == ["CW: NTR"]
    assert bot_messages(post, simcord_bot) == []  # no flag: the tag is the warning
    assert modlog_titles(forum_watched) == [("Untagged post", "tagged **CW: NTR**")]


async def test_a_post_that_carries_the_tag_passes(forum_watched, simcord_env, simcord_bot):
    post = forum_watched.open_thread(forum_watched.member, forum_watched.forum, "Weekend reading", tags=("CW: NTR",))
    await simcord_env.settle()
    await forum_watched.member.send(post, UNTAGGED)

    assert bot_messages(post, simcord_bot) == []
    assert modlog_titles(forum_watched) == []


async def test_without_manage_threads_the_bot_asks_for_the_tag(forum_watched, simcord_env, simcord_bot):
    forum_watched.set_bot_permissions(discord.Permissions(
        view_channel=True, send_messages=True, send_messages_in_threads=True, embed_links=True,
        add_reactions=True, read_message_history=True,
    ))
    post = forum_watched.open_thread(forum_watched.member, forum_watched.forum, "Weekend reading")
    await simcord_env.settle()
    await forum_watched.member.send(post, UNTAGGED)

    (reply,) = bot_messages(post, simcord_bot)
    assert reply.content == (
        "This post is about a topic that needs a content warning here: please add the tag **CW: NTR** to it."
    )
    assert applied_tags(simcord_bot, post) == []


async def test_a_forum_post_titled_with_a_mapped_topic_is_tagged(forum_watched, simcord_env, simcord_bot):
    post = forum_watched.open_thread(forum_watched.member, forum_watched.forum, "Best NTR of the season?")
    await simcord_env.settle()

    assert applied_tags(simcord_bot, post) == ["CW: NTR"]
    assert modlog_titles(forum_watched) == [("Sensitive thread title", "tagged **CW: NTR**")]


async def test_a_sensitive_thread_title_in_a_watched_channel_must_be_renamed(simcord_env, server, simcord_bot):
    await server.moderator.slash(server.general, "warden watch add", place=server.genre)
    thread = server.open_thread(server.member, server.genre, "that NTR twist in chapter 80")
    await simcord_env.settle()

    (request,) = bot_messages(thread, simcord_bot)
    assert request.content.endswith("titles cannot hold spoilers: please rename the thread.")


async def test_forumtag_map_refuses_unknown_tags_and_categories(forum_watched, simcord_env, simcord_bot):
    no_tag = await forum_watched.moderator.slash(
        forum_watched.general, "warden forumtag map", forum=forum_watched.forum, tag="Gore", category="NTR"
    )
    assert no_tag.response.content == (
        f"<#{forum_watched.forum.id}> has no tag called “Gore”. Its tags: CW: NTR, Spoilers, Recommendation."
    )
    no_category = await forum_watched.moderator.slash(
        forum_watched.general, "warden forumtag map", forum=forum_watched.forum, tag="Spoilers", category="zzz"
    )
    assert no_category.response.content.startswith("I know no category called “zzz”. Known: ")
    listing = await forum_watched.moderator.slash(forum_watched.general, "warden forumtag list")
    assert listing.response.content == (
        f"Forum tags that count as a content warning (1):\n- **CW: NTR** in <#{forum_watched.forum.id}>: **NTR**"
    )
    choices = await forum_watched.moderator.autocomplete(
        forum_watched.general, "warden forumtag map", "tag", "sp", forum=forum_watched.forum
    )
    assert [choice["name"] for choice in choices] == ["Spoilers"]
    assert handled_errors(simcord_env) == ["UserFacingError", "UserFacingError"]  # the refusals above
