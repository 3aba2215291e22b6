"""Moderators edit the server's own policy: terms, patterns, allow list, show, export and import."""

from __future__ import annotations

import discord
import pytest
import yaml

from bot.enforcement.transfer import MAX_IMPORT_BYTES
from bot.setting_keys import MODLOG_CHANNEL

ZORB_POST = "The sequel is full of zorblings, sadly."
NOTHING_CHANGED = "Nothing changed: "


def flags(server) -> int:
    return sum(1 for m in server.modlog.history() if m.embeds and m.embeds[0].title == "Untagged post")


async def audit_keys(bot, server) -> list[str]:
    return [entry.key for entry in await bot.guild_settings.history(server.guild.id, limit=100)]


async def slash(server, command: str, **options):
    result = await server.moderator.slash(server.general, command, **options)
    assert result.ephemeral
    return result.response.content


# -- terms -------------------------------------------------------------------------


async def test_a_new_term_is_enforced_on_the_next_post(watched, simcord_bot):
    await watched.member.send(watched.genre, ZORB_POST)
    assert flags(watched) == 0

    answer = await slash(watched, "warden terms add", name="zorbling", category="Cosmic Horror", aliases="zorb, zorbs")

    assert answer == "Added the term **zorbling** (Cosmic Horror; also zorb, zorbs). It applies from the next post."
    await watched.member.send(watched.genre, ZORB_POST)
    assert flags(watched) == 1
    (reply,) = [m for m in watched.genre.history() if m.author.id == simcord_bot.user.id]
    assert "**Cosmic Horror**: not hidden in spoilers" in reply.content  # named as the moderator spelled it
    (entry,) = await simcord_bot.guild_settings.history(watched.guild.id, limit=1)
    assert (entry.key, entry.actor_id) == ("terms", watched.moderator.id)
    assert entry.new_value == [{"name": "zorbling", "category": "Cosmic Horror", "aliases": ["zorb", "zorbs"]}]


async def test_a_term_takes_a_known_categorys_spelling_and_can_be_updated(watched):
    await slash(watched, "warden terms add", name="zorbling", category="ntr")
    answer = await slash(watched, "warden terms add", name="Zorbling", category="gore")
    assert answer == "Updated the term **Zorbling** (gore). It applies from the next post."
    again = await slash(watched, "warden terms add", name="Zorbling", category="gore")
    assert again == "The term **Zorbling** (gore) was already there; nothing changed."
    assert await slash(watched, "warden terms list") == "This server's own terms (1):\n- **Zorbling** (gore)"


async def test_a_bad_term_is_refused_and_nothing_changes(watched, simcord_env, simcord_bot):
    before = await audit_keys(simcord_bot, watched)

    answer = await slash(watched, "warden terms add", name="zorbling", category="body/horror")

    assert answer.startswith(NOTHING_CHANGED)
    assert "a category name may hold letters, digits, spaces, hyphens and apostrophes only" in answer
    assert await audit_keys(simcord_bot, watched) == before
    assert simcord_bot.guild_settings.get(watched.guild.id, "terms") is None
    assert simcord_env.errors


async def test_removing_terms(watched, simcord_env, simcord_bot):
    await slash(watched, "warden terms add", name="zorbling", category="gore")
    assert await slash(watched, "warden terms remove", name="ZORBLING") == "Removed the term **ZORBLING**."
    await watched.member.send(watched.genre, ZORB_POST)
    assert flags(watched) == 0
    assert await slash(watched, "warden terms list") == (
        "This server has no terms of its own. Add one with `/warden terms add`."
    )
    refused = await slash(watched, "warden terms remove", name="netorare")
    assert refused.startswith("This server has no term of its own named **netorare**; nothing changed.")
    assert simcord_bot.guild_settings.get(watched.guild.id, "terms") is None  # an empty list leaves no row
    assert simcord_env.errors


async def test_autocomplete_offers_categories_and_own_terms_to_moderators_only(watched):
    await slash(watched, "warden terms add", name="zorbling", category="Zorbs")

    categories = await watched.moderator.autocomplete(watched.general, "warden terms add", "category", "zo")
    assert [choice["name"] for choice in categories] == ["Zorbs"]
    every = await watched.moderator.autocomplete(watched.general, "warden patterns add", "category", "")
    assert {"NTR", "gore", "Zorbs"} <= {choice["value"] for choice in every}
    names = await watched.moderator.autocomplete(watched.general, "warden terms remove", "name", "")
    assert names == [{"name": "zorbling", "value": "zorbling"}]
    assert await watched.member.autocomplete(watched.general, "warden terms remove", "name", "") == []


# -- patterns ---------------------------------------------------------------------


async def test_a_pattern_is_enforced_and_removed_by_number(watched, simcord_bot):
    answer = await slash(watched, "warden patterns add", category="gore", regex=r"blood+bath")
    assert answer == "Added the pattern 1. `blood+bath` (gore). It applies from the next post."
    await watched.member.send(watched.genre, "what a bloodddbath")
    assert flags(watched) == 1

    assert await slash(watched, "warden patterns list") == "This server's own patterns (1):\n1. `blood+bath` (gore)"
    assert await slash(watched, "warden patterns remove", pattern="1") == "Removed the pattern `blood+bath`."
    await watched.member.send(watched.genre, "what a bloodddbath")
    assert flags(watched) == 1
    assert await audit_keys(simcord_bot, watched) == ["patterns", "patterns", "watched", MODLOG_CHANNEL]


@pytest.mark.parametrize(
    ("regex", "reason"),
    [
        (r"(zorb)\1", "backreferences such as \\\\1 are not supported"),
        ("(?<=a)zorb", "lookarounds such as"),
        ("z" * 301, "the limit is 300"),
        ("z*", "matches empty text"),
    ],
    ids=["backreference", "lookbehind", "too-long", "matches-empty"],
)
async def test_a_pattern_re2_refuses_changes_nothing(watched, simcord_env, simcord_bot, regex, reason):
    before = await audit_keys(simcord_bot, watched)

    answer = await slash(watched, "warden patterns add", category="gore", regex=regex)

    assert answer.startswith(NOTHING_CHANGED) and reason in answer
    assert simcord_bot.guild_settings.get(watched.guild.id, "patterns") is None
    assert await audit_keys(simcord_bot, watched) == before
    assert simcord_env.errors


async def test_a_pattern_needs_a_category_some_term_has(watched, simcord_env):
    answer = await slash(watched, "warden patterns add", category="zorbs", regex="zo+rb")
    assert answer == (
        f"{NOTHING_CHANGED}the pattern `zo+rb` needs a category that a term has, and no term has **zorbs**: "
        "pick a category the autocomplete offers, add a term in it first (`/warden terms add`), or remove the pattern"
    )

    await slash(watched, "warden terms add", name="zorbling", category="zorbs")
    await slash(watched, "warden patterns add", category="zorbs", regex="zo+rb")
    kept = await slash(watched, "warden terms remove", name="zorbling")
    assert kept.startswith(f"{NOTHING_CHANGED}the pattern `zo+rb` needs a category that a term has")
    assert await slash(watched, "warden terms list") == "This server's own terms (1):\n- **zorbling** (zorbs)"
    assert simcord_env.errors


# -- allow list -----------------------------------------------------------------------


async def test_an_allowed_phrase_passes_until_it_is_removed(watched, simcord_bot):
    assert await slash(watched, "warden allow add", phrase="zero NTR") == (
        "**zero NTR** no longer counts here."
    )
    await watched.member.send(watched.genre, "this arc has ZERO ntr, promise")
    assert flags(watched) == 0

    assert await slash(watched, "warden allow list") == "Phrases that never count here (1):\n- zero NTR"
    choices = await watched.moderator.autocomplete(watched.general, "warden allow remove", "phrase", "zer")
    assert [choice["value"] for choice in choices] == ["zero NTR"]
    assert await slash(watched, "warden allow remove", phrase="zero ntr") == "**zero ntr** counts again."
    await watched.member.send(watched.genre, "this arc has ZERO ntr, promise")
    assert flags(watched) == 1
    assert (await audit_keys(simcord_bot, watched))[:2] == ["allow", "allow"]


async def test_an_allow_phrase_without_letters_is_refused(watched, simcord_env, simcord_bot):
    answer = await slash(watched, "warden allow add", phrase="!!!")
    assert answer == f'{NOTHING_CHANGED}"!!!" has no letters to match'
    assert simcord_bot.guild_settings.get(watched.guild.id, "allow") is None
    refused = await slash(watched, "warden allow remove", phrase="zero ntr")
    assert refused == "**zero ntr** is not on this server's allow list; nothing changed."
    assert simcord_env.errors


# -- show, export, import ------------------------------------------------------------


async def test_show_gives_the_whole_configuration(watched, simcord_bot):
    await slash(watched, "warden action", action="delete")
    await slash(watched, "warden exempt add", target=watched.moderator_role)
    await slash(watched, "warden terms add", name="zorbling", category="gore")

    shown = await slash(watched, "warden show")

    place = f"- <#{watched.genre.id}>: requirement: **either** (server default) · action: **delete** (server default)"
    assert place in shown
    assert "**Action**: delete" in shown
    assert "**Requirement**: either (the default)" in shown
    assert f"**Exempt**: <@&{watched.moderator_role.id}>" in shown
    assert f"**Mod log**: <#{watched.modlog.id}>" in shown
    assert "- **zorbling** (gore)" in shown


async def test_a_long_show_comes_as_a_file(watched, simcord_bot):
    terms = [{"name": f"zorbling number {i}", "category": "gore", "aliases": ["x" * 90]} for i in range(60)]
    await simcord_bot.guild_settings.set(watched.guild.id, "terms", terms, actor_id=watched.moderator.id)

    result = await watched.moderator.slash(watched.general, "warden show")

    assert result.ephemeral
    (attached,) = result.response.attachments
    text = (await attached.read()).decode()
    assert "zorbling number 59" in text and len(text) > 2000 * 3


async def export_text(server) -> str:
    result = await server.moderator.slash(server.general, "warden export")
    assert result.ephemeral
    (attached,) = result.response.attachments
    return (await attached.read()).decode("utf-8")


async def import_text(server, text: str, filename: str = "config.yaml") -> str:
    result = await server.moderator.slash(server.general, "warden import", file=(filename, text.encode("utf-8")))
    assert result.ephemeral
    return result.response.content


async def test_export_then_import_round_trips_exactly(watched, simcord_bot):
    await slash(watched, "warden action", action="replace")
    await slash(watched, "warden watch add", place=watched.forum, requirement="both")
    await slash(watched, "warden exempt add", target=watched.member)
    await slash(watched, "warden terms add", name="zorbling", category="Cosmic Horror", aliases="zorb")
    await slash(watched, "warden patterns add", category="gore", regex="blood+bath")
    await slash(watched, "warden allow add", phrase="zorb free")
    await slash(watched, "warden escalation set", threshold=3, window_hours=24, timeout_minutes=60)
    await slash(watched, "warden forumtag map", forum=watched.forum, tag="CW: NTR", category="NTR")
    trial = watched.guild.create_text_channel("trial")
    await slash(watched, "warden watch add", place=trial, dry_run=True)
    exported = await export_text(watched)
    settings_before = dict(simcord_bot.guild_settings.snapshot(watched.guild.id))

    # Change everything, then bring the export back.
    await slash(watched, "warden action", action="flag")
    await slash(watched, "warden watch remove", place=watched.forum)
    await slash(watched, "warden terms remove", name="zorbling")
    await slash(watched, "warden allow add", phrase="another phrase")
    await slash(watched, "warden escalation off")
    await slash(watched, "warden forumtag unmap", forum=watched.forum, tag="CW: NTR")
    answer = await import_text(watched, exported)

    assert answer.startswith("Imported. Changed: action, allow, escalation, forum_tags, terms, watched.")
    assert dict(simcord_bot.guild_settings.snapshot(watched.guild.id)) == settings_before
    assert await export_text(watched) == exported
    assert await import_text(watched, exported) == "The file matches the current configuration; nothing changed."
    data = yaml.safe_load(exported)
    assert data["terms"] == [{"name": "zorbling", "category": "Cosmic Horror", "aliases": ["zorb"]}]
    assert data["exempt_members"] == [watched.member.id]
    assert data["escalation"] == {"threshold": 3, "window_hours": 24, "timeout_minutes": 60}
    assert data["forum_tags"] == [{"tag": watched.forum_tag_id("CW: NTR"), "category": "NTR"}]
    assert {"id": trial.id, "kind": "channel", "dry_run": True} in data["watched"]


async def test_an_import_is_one_audited_transaction(watched, simcord_bot):
    data = yaml.safe_load(await export_text(watched))
    data.update(action="delete", dry_run=True, allow=["zorb free"], modlog_channel=None)

    await import_text(watched, yaml.safe_dump(data))

    history = await simcord_bot.guild_settings.history(watched.guild.id, limit=4)
    assert sorted(entry.key for entry in history) == ["action", "allow", "dry_run", MODLOG_CHANNEL]
    assert len({entry.changed_at for entry in history}) == 1
    assert all(entry.actor_id == watched.moderator.id for entry in history)
    assert simcord_bot.guild_settings.get(watched.guild.id, MODLOG_CHANNEL) is None


async def test_a_broken_import_changes_nothing_and_lists_each_problem(watched, simcord_env, simcord_bot):
    exported = await export_text(watched)
    data = yaml.safe_load(exported)
    data.update(
        action="obliterate",
        retention_days=0,
        watched=[{"id": 12345, "kind": "channel"}],
        patterns=[{"category": "gore", "regex": "(?=x)y"}],
        terms=[{"name": "zorbling", "category": "gore", "colour": "red"}],
    )
    before = await audit_keys(simcord_bot, watched)

    answer = await import_text(watched, yaml.safe_dump(data, sort_keys=False))

    lines = answer.splitlines()
    assert lines[0] == "Nothing changed: the file has 5 problems."
    assert lines[1].startswith("- line 2: action: must be 'flag', 'replace' or 'delete'")
    assert any("line 9: watched[0].id: no channel or category on this server has this id" in line for line in lines)
    assert any("patterns[0].regex: the pattern" in line and "lookarounds" in line for line in lines)
    assert any("terms[0].colour: is not a known field" in line for line in lines)
    assert await audit_keys(simcord_bot, watched) == before
    assert await export_text(watched) == exported
    assert simcord_env.errors


async def test_an_import_with_very_many_problems_sums_up_and_attaches_every_one(watched, simcord_env):
    data = yaml.safe_load(await export_text(watched))
    data["allow"] = ["!!"] * 200

    result = await watched.moderator.slash(
        watched.general, "warden import", file=("config.yaml", yaml.safe_dump(data).encode("utf-8"))
    )
    answer = result.response.content

    assert len(answer) <= 2000
    assert answer.startswith("Nothing changed: the file has 200 problems.")
    assert answer.splitlines()[-1].startswith("…and ") and answer.endswith(" more, every one in the attached file.")
    (attached,) = result.response.attachments
    assert attached.filename == "problems.txt"
    every = (await attached.read()).decode().splitlines()
    assert every[0] == "Nothing changed: the file has 200 problems." and len(every) == 201
    assert all("allow[" in line for line in every[1:])
    assert simcord_env.errors


@pytest.mark.parametrize(
    ("payload", "words"),
    [
        (b"\xff\xfe not text", "not UTF-8 text"),
        (b"x" * (MAX_IMPORT_BYTES + 1), "the limit is 256.0 KiB"),
        (b"action: [", "is not valid YAML"),
    ],
    ids=["binary", "too-big", "bad-yaml"],
)
async def test_files_that_are_not_a_configuration_are_refused(watched, simcord_env, simcord_bot, payload, words):
    before = await audit_keys(simcord_bot, watched)
    result = await watched.moderator.slash(watched.general, "warden import", file=("config.yaml", payload))
    assert words in result.response.content and "Nothing changed" in result.response.content
    assert await audit_keys(simcord_bot, watched) == before
    assert simcord_env.errors


# -- the message command ------------------------------------------------------------------


async def test_check_content_warnings_shows_the_verdict_of_the_messages_channel(watched, simcord_bot):
    await slash(watched, "warden dryrun", enabled=True)
    post = await watched.member.send(watched.genre, "Careful, the second volume turns into NTR.")

    result = await watched.moderator.context_menu(watched.genre, "Check content warnings", post)

    assert result.ephemeral
    assert result.response.content.startswith("That message would be flagged in its channel:\n**NTR**: not hidden")
    assert "||" in result.response.content.split("```")[1]  # the version that passes hides it

    await slash(watched, "warden terms add", name="zorbling", category="Cosmic Horror")
    elsewhere = await watched.member.send(watched.general, ZORB_POST)
    result = await watched.moderator.context_menu(watched.general, "Check content warnings", elsewhere)
    assert result.response.content.startswith(
        "That message would be flagged in a watched channel (its channel is not watched):\n**Cosmic Horror**"
    )


async def test_check_content_warnings_on_a_passing_post(watched):
    post = await watched.member.send(watched.genre, "CW: NTR\nCareful, the second volume turns into NTR.")
    result = await watched.moderator.context_menu(watched.genre, "Check content warnings", post)
    assert result.response.content == "That message would pass in its channel."


async def test_check_content_warnings_is_for_moderators_even_when_an_admin_shows_it_to_members(watched, simcord_env):
    post = await watched.member.send(watched.genre, "hello")
    command = simcord_env.backend.find_command("Check content warnings", watched.guild.id, type=3)
    watched.guild.set_command_permissions(int(command["id"]), {watched.member: True})

    result = await watched.member.context_menu(watched.genre, "Check content warnings", post)

    assert result.ephemeral
    assert result.response.content == "You need the Manage Server permission to use this command."
    assert [type(error).__name__ for error in simcord_env.errors] == ["MissingPermissions"]


# -- members ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "options"),
    [
        ("warden terms add", {"name": "zorbling", "category": "gore"}),
        ("warden terms remove", {"name": "zorbling"}),
        ("warden terms list", {}),
        ("warden patterns add", {"category": "gore", "regex": "x+"}),
        ("warden patterns remove", {"pattern": "1"}),
        ("warden patterns list", {}),
        ("warden allow add", {"phrase": "zorb free"}),
        ("warden allow remove", {"phrase": "zorb free"}),
        ("warden allow list", {}),
        ("warden show", {}),
        ("warden export", {}),
        ("warden import", {"file": ("config.yaml", b"version: 1")}),
    ],
)
async def test_members_are_refused(watched, simcord_env, simcord_bot, command, options):
    before = await audit_keys(simcord_bot, watched)
    result = await watched.member.slash(watched.general, command, **options)
    assert result.ephemeral
    assert result.response.content == "You need the Manage Server permission to use this command."
    assert result.response.attachments == []
    assert await audit_keys(simcord_bot, watched) == before
    assert [type(error).__name__ for error in simcord_env.errors] == ["MissingPermissions"]


async def test_a_guilds_own_export_reads_back_with_a_deleted_channel_still_watched(watched, simcord_bot):
    gone = 1_000_000_000_000_000_001  # a channel deleted while the bot was away
    watched_now = dict(simcord_bot.guild_settings.get(watched.guild.id, "watched"))
    watched_now[str(gone)] = {"kind": "channel"}
    await simcord_bot.guild_settings.set(watched.guild.id, "watched", watched_now, actor_id=watched.moderator.id)
    exported = await export_text(watched)

    assert await import_text(watched, exported) == "The file matches the current configuration; nothing changed."


async def test_an_import_refuses_a_mod_log_channel_the_bot_cannot_write_in(watched, simcord_env, simcord_bot):
    bot_role = next(role for role in watched.guild.me.roles if role.managed)
    closed = watched.guild.create_text_channel(
        "closed-log", overwrites={bot_role: discord.PermissionOverwrite(send_messages=False)}
    )
    data = yaml.safe_load(await export_text(watched))
    data["modlog_channel"] = closed.id

    answer = await import_text(watched, yaml.safe_dump(data))

    assert answer.startswith("Nothing changed: the file has 1 problem.")
    assert "modlog\\_channel: is not a text channel on this server where I can write the mod log" in answer
    assert simcord_bot.guild_settings.get(watched.guild.id, MODLOG_CHANNEL) == watched.modlog.id
    assert simcord_env.errors
