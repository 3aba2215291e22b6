"""Enforcement in watched channels: untagged posts are flagged, fixed or handed back; nothing is lost."""

from __future__ import annotations

import discord
import pytest

from bot.adapters.render import FLAG_EMOJI, code_block
from bot.rules import MessageFacts, evaluate
from bot.store.held_posts import HeldPostRepository
from tests.behaviour.scenarios import handled_errors

UNTAGGED = "Careful, the second volume turns into NTR."


def bot_messages(channel, bot) -> list[discord.Message]:
    return [message for message in channel.history() if message.author.id == bot.user.id]


def modlog_entries(server) -> list[discord.Embed]:
    return [m.embeds[0] for m in server.modlog.history() if m.embeds and m.embeds[0].title == "Untagged post"]


def field(embed: discord.Embed, name: str) -> str:
    return next(item.value for item in embed.fields if item.name == name)


def fixed_text(bot, server, text: str, requirement: str | None = None) -> str:
    """The fix the rule engine itself proposes for ``text`` in the server (what every action must show or post)."""
    fix = evaluate(MessageFacts(text), bot.enforcement.policy(server.guild.id), requirement=requirement).fix
    assert fix is not None
    return fix.content


async def set_action(server, action: str) -> None:
    result = await server.moderator.slash(server.general, "warden action", action=action)
    assert result.ephemeral


async def test_an_untagged_post_is_flagged_with_the_fixed_text(watched, simcord_bot):
    post = await watched.member.send(watched.genre, UNTAGGED)

    (reply,) = bot_messages(watched.genre, simcord_bot)
    assert reply.reference.message_id == post.id
    assert "**NTR**: not hidden in spoilers" in reply.content
    assert "||" in reply.content.split("```")[1]  # the fixed text hides the term
    assert code_block(fixed_text(simcord_bot, watched, UNTAGGED)) in reply.content
    assert [button.label for row in reply.components for button in row.children] == ["Repost fixed"]
    original = next(m for m in watched.genre.history() if m.id == post.id)
    assert [str(reaction.emoji) for reaction in original.reactions] == [FLAG_EMOJI]
    (entry,) = modlog_entries(watched)
    assert field(entry, "Action") == "flag"
    assert field(entry, "Content").startswith("||") and "NTR" in field(entry, "Content")


async def test_the_flag_reply_vanishes_after_a_while(watched, simcord_env, simcord_bot):
    await watched.member.send(watched.genre, UNTAGGED)
    await simcord_env.advance_time(121)
    assert bot_messages(watched.genre, simcord_bot) == []
    assert len(watched.genre.history()) == 1  # the member's post stays


@pytest.mark.parametrize(
    "text",
    [
        "Careful, the second volume turns into ||NTR||.",
        "CW: NTR\nCareful, the second volume turns into NTR.",
        "The entrance exam arc is the best part of the central story.",
    ],
    ids=["spoilered", "content-warning", "innocent-words"],
)
async def test_compliant_and_innocent_posts_pass(watched, simcord_bot, text):
    await watched.member.send(watched.genre, text)
    assert bot_messages(watched.genre, simcord_bot) == []
    assert modlog_entries(watched) == []


async def test_unwatched_channels_are_left_alone(watched, simcord_bot):
    await watched.member.send(watched.general, UNTAGGED)
    assert bot_messages(watched.general, simcord_bot) == []


async def test_a_watched_category_covers_its_channels(simcord_env, server, simcord_bot):
    shelf = server.guild.create_category("Genre shelf")
    inside = server.guild.create_text_channel("ntr-recs", category=shelf)
    await server.moderator.slash(server.general, "warden watch add", place=shelf)

    await server.member.send(inside, UNTAGGED)

    assert len(bot_messages(inside, simcord_bot)) == 1


async def test_exempt_members_are_not_flagged(watched, simcord_bot):
    result = await watched.moderator.slash(watched.general, "warden exempt add", target=watched.member)
    assert result.response.content == f"The rules no longer apply to <@{watched.member.id}>."
    await watched.member.send(watched.genre, UNTAGGED)
    assert bot_messages(watched.genre, simcord_bot) == []


async def test_other_bots_and_webhooks_are_not_flagged(watched, simcord_env, simcord_bot):
    other_bot = watched.guild.add_member(simcord_env.create_user("Recs Bot", bot=True))
    webhook = watched.guild.create_webhook(watched.genre, "Feed")
    await other_bot.send(watched.genre, UNTAGGED)
    await webhook.send(UNTAGGED)
    await watched.member.send(watched.genre, UNTAGGED)  # the same words from a member are flagged

    assert len(bot_messages(watched.genre, simcord_bot)) == 1
    (entry,) = modlog_entries(watched)
    assert f"<@{watched.member.id}>" in field(entry, "Author")


async def test_delete_removes_the_post_and_dms_the_text_back(watched, simcord_bot):
    await set_action(watched, "delete")
    post = await watched.member.send(watched.genre, UNTAGGED)

    assert all(message.id != post.id for message in watched.genre.history())
    dm = watched.member.user.dm_channel.last_message
    assert UNTAGGED in dm.content and "||" in dm.content
    fixed = fixed_text(simcord_bot, watched, UNTAGGED)
    assert "**Fixed, ready to post**\n" + code_block(fixed) in dm.content
    (held,) = await HeldPostRepository(simcord_bot.database).for_author(watched.guild.id, watched.member.id)
    assert held.content == UNTAGGED and held.delivered_at is not None
    assert held.fixed_content == fixed
    (entry,) = modlog_entries(watched)
    assert field(entry, "Action") == "delete"
    assert all(item.name != "Post" for item in entry.fields)  # no jump link to a deleted post


async def test_with_dms_closed_the_post_waits_for_warden_recover(watched, simcord_bot):
    await set_action(watched, "delete")
    watched.close_dms()
    await watched.member.send(watched.genre, UNTAGGED)

    (notice,) = bot_messages(watched.genre, simcord_bot)
    assert "/warden recover" in notice.content
    (held,) = await HeldPostRepository(simcord_bot.database).for_author(watched.guild.id, watched.member.id)
    assert held.delivered_at is None

    result = await watched.member.slash(watched.general, "warden recover")
    assert result.ephemeral
    assert UNTAGGED in result.response.content
    (held,) = await HeldPostRepository(simcord_bot.database).for_author(watched.guild.id, watched.member.id)
    assert held.delivered_at is not None


async def test_replace_reposts_the_fixed_post_under_the_authors_name(watched, simcord_bot):
    await set_action(watched, "replace")
    post = await watched.member.send(watched.genre, UNTAGGED)

    history = watched.genre.history()
    assert all(message.id != post.id for message in history)
    (repost,) = [message for message in history if message.webhook_id is not None]
    assert repost.author.name == "reader-ren"
    assert "||" in repost.content and "NTR" in repost.content
    assert repost.content == fixed_text(simcord_bot, watched, UNTAGGED)
    (entry,) = modlog_entries(watched)
    assert field(entry, "Action") == "replace"


async def test_without_manage_messages_delete_falls_back_to_flag_and_says_so(watched, simcord_bot):
    await set_action(watched, "delete")
    watched.set_bot_permissions(discord.Permissions(
        view_channel=True, send_messages=True, embed_links=True, add_reactions=True, read_message_history=True,
    ))
    post = await watched.member.send(watched.genre, UNTAGGED)

    assert any(message.id == post.id for message in watched.genre.history())
    assert len(bot_messages(watched.genre, simcord_bot)) == 1
    (entry,) = modlog_entries(watched)
    assert field(entry, "Action") == "flag"
    assert "Wanted to delete but I lack Manage Messages here, so I used flag." in field(entry, "Notes")


async def test_dry_run_only_logs(watched, simcord_bot):
    await set_action(watched, "delete")
    await watched.moderator.slash(watched.general, "warden dryrun", enabled=True)
    post = await watched.member.send(watched.genre, UNTAGGED)

    assert [message.id for message in watched.genre.history()] == [post.id]
    (entry,) = modlog_entries(watched)
    assert field(entry, "Action") == "dry run: would delete"


async def test_only_the_author_can_repost_fixed(watched, simcord_bot):
    post = await watched.member.send(watched.genre, UNTAGGED)
    (reply,) = bot_messages(watched.genre, simcord_bot)
    bystander = watched.add_member("bystander-bo")

    refused = await bystander.click(reply, label="Repost fixed")
    assert refused.response.content == "Only the author of the post can repost it."

    done = await watched.member.click(reply, label="Repost fixed")
    assert done.ephemeral
    history = watched.genre.history()
    assert all(message.id != post.id for message in history)
    assert any(message.webhook_id is not None and "||" in message.content for message in history)


async def test_cw_check_previews_privately(watched, simcord_bot):
    result = await watched.member.slash(watched.genre, "cw check", text=UNTAGGED)
    assert result.ephemeral
    assert result.response.content.startswith("That text would be flagged in this channel:")
    passing = await watched.member.slash(watched.genre, "cw check", text="CW: NTR\n" + UNTAGGED)
    assert passing.response.content == "That text would pass in this channel."


async def test_a_restart_keeps_settings_and_held_posts(watched, simcord_env, simcord_bot, database_path):
    from bot.app import create_bot
    from bot.settings import Settings

    await set_action(watched, "delete")
    watched.close_dms()
    await watched.member.send(watched.genre, UNTAGGED)
    await simcord_bot.close()

    restarted = create_bot(Settings(database_path=database_path))
    await simcord_env.restart_bot(restarted)
    try:
        result = await watched.member.slash(watched.general, "warden recover")
        assert UNTAGGED in result.response.content
        await watched.member.send(watched.genre, "again, pure NTR")
        assert all("again, pure NTR" != message.content for message in watched.genre.history())
    finally:
        await restarted.close()


async def test_an_edit_that_removes_the_spoiler_is_caught(watched, simcord_bot):
    post = await watched.member.send(watched.genre, "Careful, the second volume turns into ||NTR||.")
    assert bot_messages(watched.genre, simcord_bot) == []

    await watched.member.edit(post, UNTAGGED)

    assert len(bot_messages(watched.genre, simcord_bot)) == 1
    assert len(modlog_entries(watched)) == 1


async def test_pinning_a_flagged_post_does_not_flag_it_again(watched, simcord_bot):
    post = await watched.member.send(watched.genre, UNTAGGED)
    await watched.moderator.set_pinned(post, True)
    assert len(modlog_entries(watched)) == 1


async def test_watch_commands_validate_record_and_refuse_members(watched, simcord_env, simcord_bot):
    listing = await watched.moderator.slash(watched.general, "warden watch list")
    assert listing.response.content == (
        f"Watched places (1):\n- <#{watched.genre.id}>: requirement: **either** (server default) · "
        "action: **flag** (server default) · dry run: **off** (server default)"
    )

    not_watched = await watched.moderator.slash(watched.general, "warden watch remove", place=watched.general)
    assert not_watched.response.content == f"<#{watched.general.id}> is not watched; nothing changed."

    refused = await watched.member.slash(watched.general, "warden watch add", place=watched.general)
    assert refused.response.content == "You need the Manage Server permission to use this command."

    override = await watched.moderator.slash(
        watched.general, "warden watch add", place=watched.genre, requirement="cw", action="delete"
    )
    assert override.response.content == (
        f"Now watching <#{watched.genre.id}> with requirement **cw** and action **delete**."
    )
    history = await simcord_bot.guild_settings.history(watched.guild.id)
    assert history[0].key == "watched"
    assert history[0].new_value == {str(watched.genre.id): {"kind": "channel", "requirement": "cw", "action": "delete"}}
    assert history[0].old_value == {str(watched.genre.id): {"kind": "channel"}}
    assert handled_errors(simcord_env) == ["UserFacingError", "MissingPermissions"]  # the refusals above


async def test_settings_changes_apply_to_the_next_post_at_once(watched, simcord_bot):
    await watched.member.send(watched.genre, "CW: cheating\n" + UNTAGGED)
    assert modlog_entries(watched) == []  # the shipped policy lets "cheating" cover NTR in strict mode
    await watched.moderator.slash(watched.general, "warden requirement", requirement="spoiler")
    await watched.member.send(watched.genre, "CW: NTR\n" + UNTAGGED)
    assert len(modlog_entries(watched)) == 1  # a CW line no longer suffices


async def test_a_server_glossary_entry_is_enforced_at_once_and_reset_undoes_it(watched, simcord_bot):
    from bot.glossary import GlossaryEntry

    text = "The finale leans hard into yandere obsession."
    await watched.member.send(watched.genre, text)
    assert modlog_entries(watched) == []  # the shipped yandere entry needs no warning

    shipped = simcord_bot.glossaries.shipped.get("yandere")
    assert shipped is not None and not shipped.requires_cw
    strict = GlossaryEntry(**{**{f: getattr(shipped, f) for f in shipped.__dataclass_fields__},
                              "requires_cw": True, "warnings": ("obsession",)})
    await simcord_bot.glossaries.save_entry(watched.guild.id, strict, actor_id=watched.moderator.id)

    await watched.member.send(watched.genre, text)
    (entry,) = modlog_entries(watched)
    assert "**obsession**" in field(entry, "Found")

    await simcord_bot.glossaries.reset_entry(watched.guild.id, "yandere", actor_id=watched.moderator.id)
    await watched.member.send(watched.genre, text)
    assert len(modlog_entries(watched)) == 1


async def test_escalation_times_out_after_n_untagged_posts(watched, simcord_bot):
    result = await watched.moderator.slash(
        watched.general, "warden escalation set", threshold=2, window_hours=24, timeout_minutes=30
    )
    assert result.response.content.startswith("Escalation on: 2 untagged posts within 24 h lead to a 30-minute timeout")

    guild = simcord_bot.get_guild(watched.guild.id)
    await watched.member.send(watched.genre, UNTAGGED)
    assert (await guild.fetch_member(watched.member.id)).timed_out_until is None
    await watched.member.send(watched.genre, "and again: NTR")

    assert (await guild.fetch_member(watched.member.id)).timed_out_until is not None
    entries = modlog_entries(watched)
    assert "2 untagged posts in 24 h: timed out for 30 min." in field(entries[-1], "Notes")


async def test_dry_run_neither_counts_nor_times_out(watched, simcord_bot):
    await watched.moderator.slash(
        watched.general, "warden escalation set", threshold=2, window_hours=24, timeout_minutes=30
    )
    await watched.moderator.slash(watched.general, "warden dryrun", enabled=True)
    for _ in range(3):
        await watched.member.send(watched.genre, UNTAGGED)
    member = await simcord_bot.get_guild(watched.guild.id).fetch_member(watched.member.id)
    assert member.timed_out_until is None


async def test_doctor_names_what_is_missing_and_the_fallback(watched, simcord_bot):
    await set_action(watched, "delete")
    watched.set_bot_permissions(discord.Permissions(
        view_channel=True, send_messages=True, embed_links=True, add_reactions=True, read_message_history=True,
    ))
    result = await watched.moderator.slash(watched.general, "warden doctor")
    lines = result.response.content.splitlines()
    assert lines[0] == "**Message Content intent**: on"
    assert f"- <#{watched.genre.id}>: **delete** needs Manage Messages; until then I would **flag**" in lines
    assert f"**Mod log** <#{watched.modlog.id}>: ready" in lines


async def test_replace_reuploads_images_as_spoilers_and_only_the_author_may_delete_the_repost(
    watched, simcord_env, simcord_bot
):
    await set_action(watched, "replace")
    await watched.member.send(watched.genre, UNTAGGED, attachments=[("panel.png", b"\x89PNG fake image bytes")])

    (repost,) = [message for message in watched.genre.history() if message.webhook_id is not None]
    assert [attachment.filename for attachment in repost.attachments] == ["SPOILER_panel.png"]
    # SimCord lets no channel webhook carry buttons (Discord allows the bot's own): the
    # repost went out without its Delete button, and the message menu does the job.
    assert repost.components == []

    bystander = watched.add_member("bystander-bo")
    refused = await bystander.context_menu(watched.genre, "Delete my repost", repost)
    assert refused.response.content == "Only the author of this post can delete it."
    ordinary = await watched.member.send(watched.genre, "Nothing to see here.")
    not_a_repost = await watched.member.context_menu(watched.genre, "Delete my repost", ordinary)
    assert not_a_repost.response.content == "That is not a post I reposted for someone."

    # It still works after a restart: the link is in the database.
    from bot.app import create_bot
    from bot.settings import Settings

    await simcord_bot.close()
    restarted = create_bot(Settings(database_path=simcord_bot.settings.database_path))
    await simcord_env.restart_bot(restarted)
    try:
        done = await watched.member.context_menu(watched.genre, "Delete my repost", repost)
        assert done.ephemeral and done.response.content == "Deleted."
        assert all(message.id != repost.id for message in watched.genre.history())
    finally:
        await restarted.close()
    assert handled_errors(simcord_env) == ["UserFacingError", "UserFacingError"]  # the refusals above


async def test_a_place_can_be_in_dry_run_while_the_server_acts(watched, simcord_bot):
    await set_action(watched, "delete")
    trial = watched.guild.create_text_channel("trial-genre")
    result = await watched.moderator.slash(watched.general, "warden watch add", place=trial, dry_run=True)
    assert result.response.content == f"Now watching <#{trial.id}> with dry run **on**."

    kept = await watched.member.send(trial, UNTAGGED)
    removed = await watched.member.send(watched.genre, UNTAGGED)

    assert any(message.id == kept.id for message in trial.history())
    assert all(message.id != removed.id for message in watched.genre.history())
    assert sorted(field(entry, "Action") for entry in modlog_entries(watched)) == ["delete", "dry run: would delete"]


async def test_replace_refused_a_webhook_falls_back_to_delete_and_hands_the_text_back(
    watched, simcord_env, simcord_bot
):
    await set_action(watched, "replace")
    # Discord refuses the webhook (permissions changed after the bot's check): nothing is deleted yet.
    simcord_env.inject_error("POST", f"/channels/{watched.genre.id}/webhooks", status=403, code=50013,
                             message="Missing Permissions")
    post = await watched.member.send(watched.genre, UNTAGGED)

    assert all(message.id != post.id for message in watched.genre.history())
    assert UNTAGGED in watched.member.user.dm_channel.last_message.content
    (held,) = await HeldPostRepository(simcord_bot.database).for_author(watched.guild.id, watched.member.id)
    assert held.action == "delete" and held.delivered_at is not None  # one copy, handed back
    (entry,) = modlog_entries(watched)
    assert field(entry, "Action") == "delete"
    assert "Discord refused to replace (code 50013)" in field(entry, "Notes")


async def test_with_dms_closed_and_the_channel_refused_the_post_still_waits_for_recover(
    watched, simcord_env, simcord_bot
):
    await set_action(watched, "delete")
    watched.close_dms()
    simcord_env.inject_error("POST", f"/channels/{watched.genre.id}/messages", status=403, code=50013,
                             message="Missing Permissions", times=None)
    post = await watched.member.send(watched.genre, UNTAGGED)

    assert all(message.id != post.id for message in watched.genre.history())
    (held,) = await HeldPostRepository(simcord_bot.database).for_author(watched.guild.id, watched.member.id)
    assert held.delivered_at is None
    (entry,) = modlog_entries(watched)
    assert field(entry, "Action") == "delete"  # the delete happened; failing to tell is not a refused delete
    result = await watched.member.slash(watched.general, "warden recover")
    assert UNTAGGED in result.response.content


@pytest.mark.parametrize("action", ["flag", "delete", "replace"])
async def test_the_fix_an_action_shows_follows_the_places_own_requirement(watched, simcord_bot, action):
    # The gate finds the breach without working out the fix; the action works it out later, and must
    # do so for the place's requirement (here a CW line), not the server's or the policy's (either).
    await watched.moderator.slash(
        watched.general, "warden watch add", place=watched.genre, requirement="cw", action=action
    )
    fixed = fixed_text(simcord_bot, watched, UNTAGGED, requirement="cw")
    assert fixed.startswith("CW: ") and fixed != fixed_text(simcord_bot, watched, UNTAGGED)

    await watched.member.send(watched.genre, UNTAGGED)

    if action == "flag":
        (reply,) = bot_messages(watched.genre, simcord_bot)
        assert code_block(fixed) in reply.content
    elif action == "delete":
        assert "**Fixed, ready to post**\n" + code_block(fixed) in watched.member.user.dm_channel.last_message.content
    else:
        (repost,) = [message for message in watched.genre.history() if message.webhook_id is not None]
        assert repost.content == fixed
    held = await HeldPostRepository(simcord_bot.database).for_author(watched.guild.id, watched.member.id)
    assert [post.fixed_content for post in held] == ([] if action == "flag" else [fixed])


async def test_doctor_diagnoses_a_channel_watched_twice_once_with_the_action_it_inherits(watched, simcord_bot):
    """The genre channel is watched itself and through its category, which asks for delete:
    doctor names it once, with the action the message path takes there (the category's)."""
    category = watched.guild.create_category("Spoilers")
    watched.move(watched.genre, category)
    await watched.moderator.slash(watched.general, "warden watch add", place=category, action="delete")
    watched.set_bot_permissions(discord.Permissions(
        view_channel=True, send_messages=True, embed_links=True, add_reactions=True, read_message_history=True,
    ))
    result = await watched.moderator.slash(watched.general, "warden doctor")
    lines = [line for line in result.response.content.splitlines() if f"<#{watched.genre.id}>" in line]
    assert lines == [f"- <#{watched.genre.id}>: **delete** needs Manage Messages; until then I would **flag**"]
