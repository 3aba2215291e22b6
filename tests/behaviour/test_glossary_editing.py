"""Moderators change this server's glossary; members are refused; every change is audited and kept."""

from __future__ import annotations

from bot.app import create_bot
from tests.behaviour.scenarios import handled_errors

MEMBER_REFUSED = "You need the Manage Server permission to use this command."
KEMONOMIMI_FORM = {
    "summary": "Characters with animal ears.",
    "definition": "Kemonomimi characters are human apart from cat, fox or rabbit ears, and often a tail.",
    "aliases": "animal ears, nekomimi",
    "warnings": "",
    "contrast": "",
}


async def add_kemonomimi(server):
    shown = await server.moderator.slash(server.general, "glossary add", term="kemonomimi", category="archetypes")
    return await server.moderator.submit_modal(shown, KEMONOMIMI_FORM)


async def history(bot, guild_id):
    return [(e.key, e.old_value, e.new_value, e.actor_id) for e in reversed(await bot.guild_settings.history(guild_id))]


async def test_a_moderator_adds_an_entry_through_the_form(simcord_env, server, simcord_bot):
    shown = await server.moderator.slash(
        server.general, "glossary add", term="kemonomimi", category="archetypes", related="tsundere"
    )
    assert shown.modal["title"] == "Add kemonomimi"

    saved = await server.moderator.submit_modal(shown, KEMONOMIMI_FORM)

    assert saved.ephemeral
    assert saved.response.content == "Added **kemonomimi** (id `kemonomimi`) in this server's glossary."
    defined = await server.member.slash(server.general, "define", term="nekomimi")
    embed = defined.response.embeds[0]
    assert (embed.title, embed.footer.text) == ("kemonomimi", "id: kemonomimi · this server's own entry")
    assert {f.name: f.value for f in embed.fields}["Related"] == "tsundere"
    ((key, old, new, actor),) = await history(simcord_bot, server.guild.id)
    assert (key, old, actor) == ("glossary:kemonomimi", None, server.moderator.id)
    assert new["aliases"] == ["animal ears", "nekomimi"]


async def test_an_entry_that_exists_is_refused_before_the_form(simcord_env, server):
    result = await server.moderator.slash(server.general, "glossary add", term="Tsundere", category="archetypes")
    assert result.modal is None
    assert result.response.content == (
        "This server's glossary already has **tsundere** (id `tsundere`); change it with /glossary edit tsundere."
    )
    assert handled_errors(simcord_env) == ["UserFacingError"]


async def test_a_form_with_problems_saves_nothing_and_lists_them(simcord_env, server, simcord_bot):
    shown = await server.moderator.slash(
        server.general, "glossary add", term="kemonomimi", category="archetypes", requires_cw=True
    )
    refused = await server.moderator.submit_modal(shown, {**KEMONOMIMI_FORM, "aliases": "NTR"})

    assert refused.ephemeral
    assert refused.response.content.startswith("The entry was not saved: 1 problem.\n• warnings: must name")
    assert simcord_bot.glossaries.layer(server.guild.id).is_empty
    assert handled_errors(simcord_env) == ["UserFacingError"]


async def test_a_name_taken_by_another_entry_is_refused_with_the_place(simcord_env, server, simcord_bot):
    shown = await server.moderator.slash(server.general, "glossary add", term="kemonomimi", category="archetypes")
    refused = await server.moderator.submit_modal(shown, {**KEMONOMIMI_FORM, "aliases": "NTR"})

    assert refused.response.content.startswith(
        "That change does not fit this server's glossary: 1 problem.\n"
        "• kemonomimi.aliases[0]: 'NTR' is already a name of entry netorare"
    )
    assert simcord_bot.glossaries.layer(server.guild.id).is_empty
    assert handled_errors(simcord_env) == ["UserFacingError"]


async def test_a_moderator_edits_a_shipped_entry_in_a_prefilled_form(simcord_env, server, simcord_bot):
    choices = await server.moderator.autocomplete(server.general, "glossary edit", "id", "yande")
    assert choices[0]["value"] == "yandere"
    shown = await server.moderator.slash(server.general, "glossary edit", id="yandere", requires_cw=True)
    defaults = {
        row["components"][0]["custom_id"]: row["components"][0].get("value") for row in shown.modal["components"]
    }
    assert defaults["summary"] == "A character whose love turns obsessive and dangerous."
    assert defaults["aliases"] == "ヤンデレ"

    saved = await server.moderator.submit_modal(
        shown, {**defaults, "summary": "Love turned to obsession.", "warnings": "obsession, violence"}
    )

    assert saved.response.content == "Changed **yandere** (id `yandere`) in this server's glossary."
    entry = simcord_bot.glossaries.glossary(server.guild.id).get("yandere")
    assert (entry.summary, entry.warnings, entry.requires_cw) == (
        "Love turned to obsession.",
        ("obsession", "violence"),
        True,
    )
    assert entry.contrast == simcord_bot.glossaries.shipped.get("yandere").contrast  # untouched fields kept
    ((key, old, new, _),) = await history(simcord_bot, server.guild.id)
    assert (key, old, new["summary"]) == ("glossary:yandere", None, "Love turned to obsession.")


async def test_remove_then_reset_a_shipped_entry(simcord_env, server, simcord_bot):
    removed = await server.moderator.slash(server.general, "glossary remove", id="tsundere")
    assert removed.ephemeral
    assert removed.response.content == (
        "Removed **tsundere** from this server's glossary. /glossary reset tsundere brings back the shipped entry."
    )
    gone = await server.member.slash(server.general, "define", term="tsundere")
    assert gone.response.content.startswith("There is no glossary entry called “tsundere”.")
    assert await server.moderator.autocomplete(server.general, "glossary reset", "id", "tsun") == [
        {"name": "tsundere", "value": "tsundere"}
    ]

    reset = await server.moderator.slash(server.general, "glossary reset", id="tsundere")
    again = await server.moderator.slash(server.general, "glossary reset", id="tsundere")

    assert reset.response.content == "**tsundere** is back to the shipped entry."
    assert again.response.content == "**tsundere** already is the shipped entry."
    back = await server.member.slash(server.general, "define", term="tsundere")
    assert back.response.embeds[0].title == "tsundere"
    assert await history(simcord_bot, server.guild.id) == [
        ("glossary:tsundere", None, "removed", server.moderator.id),
        ("glossary:tsundere", "removed", None, server.moderator.id),
    ]


async def test_members_are_refused_every_moderator_command(simcord_env, server, simcord_bot):
    attempts = [
        ("glossary add", {"term": "x", "category": "y"}),
        ("glossary edit", {"id": "tsundere"}),
        ("glossary remove", {"id": "tsundere"}),
        ("glossary reset", {"id": "tsundere"}),
        ("glossary export", {}),
        ("glossary import", {"file": ("g.yaml", b"version: 1\nentries: []\nremoved: [tsundere]\n")}),
        ("glossary stats", {}),
    ]
    for command, options in attempts:
        result = await server.member.slash(server.general, command, **options)
        assert (command, result.ephemeral, result.response.content) == (command, True, MEMBER_REFUSED)
        assert result.modal is None
    assert simcord_bot.glossaries.layer(server.guild.id).is_empty
    assert await simcord_bot.guild_settings.count_history(server.guild.id) == 0
    assert len(simcord_env.errors) == len(attempts)


async def test_export_then_import_round_trips_the_server_changes_exactly(simcord_env, server, simcord_bot):
    await add_kemonomimi(server)
    await server.moderator.slash(server.general, "glossary remove", id="guro")
    exported = await server.moderator.slash(server.general, "glossary export")
    assert exported.ephemeral
    assert exported.response.content.startswith(
        "This server's changes to the shipped glossary: 1 entry of its own or changed and 1 removed."
    )
    (attachment,) = exported.response.attachments
    assert attachment.filename == "glossary-changes.yaml"
    data = await attachment.read()

    await server.moderator.slash(server.general, "glossary remove", id="kemonomimi")
    await server.moderator.slash(server.general, "glossary reset", id="guro")
    await server.moderator.slash(server.general, "glossary remove", id="yandere")
    imported = await server.moderator.slash(server.general, "glossary import", file=("glossary-changes.yaml", data))

    assert imported.ephemeral
    assert imported.response.content == (
        "Imported glossary-changes.yaml: 3 entries changed; "
        "this server now has 1 entry of its own or changed and 1 removed."
    )
    again = await server.moderator.slash(server.general, "glossary export")
    assert await again.response.attachments[0].read() == data
    imported_rows = (await history(simcord_bot, server.guild.id))[-3:]
    assert [(key, old, new) for key, old, new, _ in imported_rows if key != "glossary:kemonomimi"] == [
        ("glossary:guro", None, "removed"),
        ("glossary:yandere", "removed", None),
    ]
    assert imported_rows[1][:2] == ("glossary:kemonomimi", None)
    assert imported_rows[1][2]["summary"] == KEMONOMIMI_FORM["summary"]


async def test_a_broken_import_changes_nothing_and_lists_the_problems(simcord_env, server, simcord_bot):
    await add_kemonomimi(server)
    before = simcord_bot.glossaries.layer(server.guild.id)
    audit_before = await simcord_bot.guild_settings.count_history(server.guild.id)
    broken = (
        b"version: 1\n"
        b"entries:\n"
        b"  - id: Bad Id\n"
        b"    term: fine term\n"
        b"    category: x\n"
        b"    summary: ok\n"
        b"    definition: ok\n"
        b"  - id: second\n"
        b"    term: NTR\n"
        b"    category: x\n"
        b"    summary: ok\n"
        b"    definition: ok\n"
        b"removed: [no-such-id]\n"
    )

    result = await server.moderator.slash(server.general, "glossary import", file=("mine.yaml", broken))

    assert result.ephemeral
    lines = result.response.content.splitlines()
    # Names are checked against the shipped glossary only once every field is valid,
    # so the second entry's clash with NTR shows up after these two are fixed.
    assert lines[0] == "mine.yaml was not imported and nothing changed: 2 problems."
    assert lines[1].startswith("• line 3, entries[0].id: 'Bad Id' must be lowercase")
    assert lines[2] == "• line 13, removed[0]: 'no-such-id' is not the id of a shipped entry"
    assert simcord_bot.glossaries.layer(server.guild.id) == before
    assert await simcord_bot.guild_settings.count_history(server.guild.id) == audit_before
    assert handled_errors(simcord_env) == ["UserFacingError"]


async def test_an_import_that_clashes_with_shipped_names_changes_nothing(simcord_env, server, simcord_bot):
    clash = (
        b"version: 1\nentries:\n  - id: second\n    term: NTR\n    category: x\n    summary: ok\n    definition: ok\n"
    )
    result = await server.moderator.slash(server.general, "glossary import", file=("clash.yaml", clash))

    assert result.response.content.splitlines()[:2] == [
        "clash.yaml was not imported and nothing changed: 1 problem.",
        "• line 4, entries[0].term: 'NTR' is already a name of entry netorare ('NTR' at netorare.aliases[0]); "
        "case, accents and punctuation do not count (entry second)",
    ]
    assert simcord_bot.glossaries.layer(server.guild.id).is_empty
    assert handled_errors(simcord_env) == ["UserFacingError"]


async def test_stats_show_the_most_looked_up_and_the_unknown_terms(simcord_env, server):
    for term in ("NTR", "netorare", "寝取られ", "tsundere", "kemonomimi", "Kemonomimi"):
        await server.member.slash(server.general, "define", term=term)
    await server.member.slash(server.general, "compare", a="netori", b="tsundere")

    result = await server.moderator.slash(server.general, "glossary stats")

    assert result.ephemeral
    assert result.response.embeds[0].description.splitlines()[:7] == [
        "**Most looked up**",
        "1. **netorare**: 3 times",
        "2. **tsundere**: 2 times",
        "3. **netori**: once",
        "",
        "**Asked for, but not in the glossary**",
        "1. kemonomimi: 2 times",
    ]


async def test_server_entries_survive_a_restart(simcord_env, server, simcord_bot, bot_settings, shipped):
    await add_kemonomimi(server)
    await server.moderator.slash(server.general, "glossary remove", id="netori")
    await simcord_bot.close()

    restarted = create_bot(bot_settings, shipped_glossary=shipped)
    await simcord_env.restart_bot(restarted)
    try:
        found = await server.member.slash(server.general, "define", term="animal ears")
        gone = await server.member.slash(server.general, "define", term="netori")
        assert found.response.embeds[0].title == "kemonomimi"
        assert gone.response.content.startswith("There is no glossary entry called “netori”.")
        assert [key for key, *_ in await history(restarted, server.guild.id)] == [
            "glossary:kemonomimi",
            "glossary:netori",
        ]
    finally:
        await restarted.close()


async def test_the_settings_history_shows_glossary_changes(simcord_env, server):
    await server.moderator.slash(server.general, "glossary remove", id="netori")

    result = await server.moderator.slash(server.general, "warden history")

    assert "changed **glossary:netori**: the shipped entry → removed" in result.response.embeds[0].description


async def test_an_add_does_not_overwrite_an_entry_added_while_its_form_was_open(simcord_env, server, simcord_bot):
    first = await server.moderator.slash(server.general, "glossary add", term="kemonomimi", category="archetypes")
    second_moderator = server.add_member("mod-sora", server.moderator_role)
    second = await second_moderator.slash(server.general, "glossary add", term="kemonomimi", category="archetypes")
    await second_moderator.submit_modal(second, KEMONOMIMI_FORM)

    late = await server.moderator.submit_modal(first, {**KEMONOMIMI_FORM, "summary": "Someone else's words."})

    assert late.response.content.startswith("An entry with the id 'kemonomimi' was added while you were filling in")
    assert simcord_bot.glossaries.glossary(server.guild.id).get("kemonomimi").summary == KEMONOMIMI_FORM["summary"]
    assert handled_errors(simcord_env) == ["UserFacingError"]
