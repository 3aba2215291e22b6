"""``/warden about`` answers anyone, privately, with the bot's vital signs."""

from __future__ import annotations

from bot import __version__


async def test_about_shows_version_uptime_database_and_features(simcord_env, server):
    result = await server.member.slash(server.general, "warden about")

    assert result.ephemeral
    embed = result.response.embeds[0]
    fields = {field.name: field.value for field in embed.fields}
    assert fields["Version"] == __version__
    assert fields["Features loaded"] == (
        "Configuration, Doctor, Enforcement, ForumTags, Glossary, GlossaryAdmin, Meta, ModLog, PolicyAdmin, Settings,"
        " Watch"
    )
    assert fields["Database size"].split()[1] in {"bytes", "KiB", "MiB"}
    assert int(fields["Database size"].split()[0].split(".")[0]) > 0
    assert fields["Uptime"].endswith("s")


async def test_uptime_follows_the_clock(simcord_env, server):
    await simcord_env.advance_time(3_725)
    result = await server.member.slash(server.general, "warden about")
    fields = {field.name: field.value for field in result.response.embeds[0].fields}
    assert fields["Uptime"].startswith("1h 2m")
