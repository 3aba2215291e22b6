"""In a DM with the bot, every command Discord offers there works or says plainly that it needs a server."""

from __future__ import annotations

import discord

from bot.adapters.render import more_held_posts_note, server_name
from bot.command_sync import command_payloads
from bot.permissions import is_moderator
from bot.store.held_posts import HeldPostRepository
from bot.tree import APOLOGY
from tests.behaviour.scenarios import handled_errors

SERVER_ONLY = "This command works only inside a server."


def dm_offered_commands(tree) -> list[tuple[str, list[dict]]]:
    """Every slash command (with its options) that Discord offers in a DM, as the synced payloads say."""
    offered: list[tuple[str, list[dict]]] = []

    def walk(payload: dict, path: str) -> None:
        subcommands = [option for option in payload.get("options", []) if option["type"] in (1, 2)]
        if not subcommands:
            offered.append((path, payload.get("options", [])))
        for sub in subcommands:
            walk(sub, f"{path} {sub['name']}")

    for payload in command_payloads(tree):
        if payload.get("type", 1) == 1 and payload.get("dm_permission", True):
            walk(payload, payload["name"])
    return offered


def option_values(server, options: list[dict]) -> dict:
    """A plausible value for every required option, as a member would fill the form in a DM."""
    by_type = {
        3: "NTR", 4: 1, 5: True, 9: server.member.user, 10: 1.0,
        11: ("file.yaml", b"version: 1"),
    }
    values = {}
    for option in options:
        if not option.get("required"):
            continue
        if option.get("choices"):
            values[option["name"]] = option["choices"][0]["value"]
        elif "min_value" in option:
            values[option["name"]] = option["min_value"]
        else:
            values[option["name"]] = by_type[option["type"]]
    return values


def answer_text(result) -> str:
    response = result.response
    parts = [response.content or ""]
    parts += [embed.title or "" for embed in response.embeds]
    parts += [embed.description or "" for embed in response.embeds]
    return "\n".join(parts)


async def test_every_command_offered_in_a_dm_answers_there(simcord_env, server, simcord_bot):
    offered = dm_offered_commands(simcord_bot.tree)
    assert {"define", "warden about", "warden recover", "warden watch add"} <= {name for name, _ in offered}
    user = server.member.user

    # SimCord cannot fill a channel option in a DM (tests/README.md, "SimCord gaps"); the commands that take
    # one are moderator commands, whose check refuses a DM before any option is read.
    takes_channel = {name for name, options in offered if any(o["type"] == 7 and o.get("required") for o in options)}
    assert takes_channel == {
        "warden forumtag map", "warden forumtag unmap", "warden modlog set", "warden watch add", "warden watch remove",
    }
    for name in takes_channel:
        command = simcord_bot.tree.get_command(name.split()[0])
        for part in name.split()[1:]:
            command = command.get_command(part)
        assert is_moderator in command.checks, f"/{name} takes a channel but is not a moderator command"

    answers = {}
    for name, options in offered:
        if name in takes_channel:
            continue
        result = await user.slash(name, **option_values(server, options))
        assert result.response is not None, f"/{name} gave no answer in a DM"
        answers[name] = answer_text(result)

    apologies = [name for name, text in answers.items() if APOLOGY in text]
    assert apologies == [], f"these commands failed in a DM: {apologies}"
    server_only = sorted(name for name, text in answers.items() if text == SERVER_ONLY)
    # What a DM can do: look terms up, read about the bot, and get held posts back.
    assert sorted(set(answers) - set(server_only)) == [
        "compare", "define", "glossary list", "glossary search", "warden about", "warden recover",
    ]
    # A refusal is an expected, handled error: one NoPrivateMessage per server-only command.
    assert handled_errors(simcord_env) == ["NoPrivateMessage"] * len(server_only)


async def test_a_server_only_group_is_not_offered_in_a_dm(simcord_env, simcord_bot):
    offered = {name for name, _ in dm_offered_commands(simcord_bot.tree)}
    assert "cw check" not in offered


UNTAGGED = "Careful, the second volume turns into NTR."


async def hold_a_post(server, guild, channel, moderator, member) -> None:
    """In ``guild``, ``channel`` is watched with the delete action and ``member`` posts an untagged text there."""
    result = await moderator.slash(channel, "warden watch add", place=channel)
    assert result.response.content == f"Now watching <#{channel.id}>."
    await moderator.slash(channel, "warden action", action="delete")
    await member.send(channel, f"{UNTAGGED} ({guild.name})")


async def test_warden_recover_in_a_dm_hands_back_held_posts_from_every_server(simcord_env, server, simcord_bot):
    server.close_dms()  # so the posts wait for /warden recover instead of arriving by DM
    lounge = simcord_env.create_guild("Spoiler Lounge")
    lounge_mods = lounge.create_role("Mods", permissions=discord.Permissions(manage_guild=True))
    lounge_channel = lounge.create_text_channel("manga")
    lounge_member = lounge.add_member(server.member.user)
    lounge_moderator = lounge.add_member(simcord_env.create_user("mod-lou"), roles=[lounge_mods])
    other = server.add_member("reader-rio")
    server.close_dms(other)

    await hold_a_post(server, server.guild, server.genre, server.moderator, server.member)
    await hold_a_post(server, lounge, lounge_channel, lounge_moderator, lounge_member)
    await other.send(server.genre, "Someone else's NTR post")

    result = await server.member.user.slash("warden recover")

    answers = [result.response, *result.followups]
    assert all(answer.ephemeral for answer in answers)
    texts = sorted(answer.content for answer in answers)
    assert len(texts) == 2
    assert "**Genre Corner**" in texts[0] and f"{UNTAGGED} (Genre Corner)" in texts[0]
    assert "**Spoiler Lounge**" in texts[1] and f"{UNTAGGED} (Spoiler Lounge)" in texts[1]
    assert all("Someone else" not in text for text in texts)
    held = HeldPostRepository(simcord_bot.database)
    assert all(post.delivered_at is not None for post in await held.for_author_everywhere(server.member.id))
    assert (await held.for_author_everywhere(other.id))[0].delivered_at is None


async def test_warden_recover_in_a_dm_with_nothing_held_says_so(simcord_env, server):
    result = await server.member.user.slash("warden recover")
    assert result.ephemeral
    assert result.response.content == "I am not holding any of your posts in any server."


async def test_warden_recover_in_a_server_still_hands_back_only_that_servers_posts(simcord_env, server):
    lounge = simcord_env.create_guild("Spoiler Lounge")
    lounge_mods = lounge.create_role("Mods", permissions=discord.Permissions(manage_guild=True))
    lounge_channel = lounge.create_text_channel("manga")
    lounge_member = lounge.add_member(server.member.user)
    lounge_moderator = lounge.add_member(simcord_env.create_user("mod-lou"), roles=[lounge_mods])
    server.close_dms()
    await hold_a_post(server, lounge, lounge_channel, lounge_moderator, lounge_member)

    result = await server.member.slash(server.general, "warden recover")
    assert result.response.content == "I am not holding any of your posts on this server."


async def test_warden_recover_in_a_dm_hands_back_ten_at_a_time_and_says_how_many_wait(simcord_env, server):
    server.close_dms()
    await hold_a_post(server, server.guild, server.genre, server.moderator, server.member)
    for number in range(10):
        await server.member.send(server.genre, f"{UNTAGGED} number {number}")

    first = await server.member.user.slash("warden recover")
    assert len([first.response, *first.followups]) == 11  # ten posts and the note
    assert first.followups[-1].content == (
        "I am holding 1 more of your posts (1 in **Genre Corner**); run /warden recover again for the next ones."
    )
    assert f"{UNTAGGED} (Genre Corner)" not in "".join(a.content for a in [first.response, *first.followups])

    second = await server.member.user.slash("warden recover")
    assert f"{UNTAGGED} (Genre Corner)" in second.response.content  # the one left waiting comes first
    assert not any(answer.content.startswith("I am holding") for answer in second.followups)


def test_a_server_the_bot_has_left_is_named_by_its_id_and_many_servers_are_summed_up():
    assert server_name(None, 1234) == "server 1234"
    note = more_held_posts_note({f"Server {n}": n for n in range(1, 9)})
    assert note.startswith("I am holding 36 more of your posts (8 in **Server 8**, 7 in **Server 7**,")
    assert "and 6 in 3 other servers); run /warden recover again" in note
