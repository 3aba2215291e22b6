"""Every enforcement settings command: changes its setting, writes one audit row, and a repeat changes nothing."""

from __future__ import annotations

import pytest
from simcord import OptionError

from bot import setting_keys as keys
from tests.behaviour.scenarios import handled_errors

CASES = [
    ("warden action", {"action": "delete"}, keys.ACTION, "delete"),
    ("warden requirement", {"requirement": "both"}, keys.REQUIREMENT, "both"),
    ("warden cwmode", {"mode": "lenient"}, keys.CW_MODE, "lenient"),
    ("warden dryrun", {"enabled": True}, keys.DRY_RUN, True),
    ("warden retention", {"days": 30}, keys.RETENTION_DAYS, 30),
    (
        "warden escalation set", {"threshold": 3, "window_hours": 12, "timeout_minutes": 60},
        keys.ESCALATION, {"threshold": 3, "window_hours": 12, "timeout_minutes": 60},
    ),
]


@pytest.mark.parametrize(("command", "options", "key", "stored"), CASES, ids=[case[0] for case in CASES])
async def test_a_settings_command_changes_its_setting_once_and_audits_it(
    simcord_env, server, simcord_bot, command, options, key, stored
):
    first = await server.moderator.slash(server.general, command, **options)
    again = await server.moderator.slash(server.general, command, **options)

    assert first.ephemeral and again.ephemeral
    assert "already" in again.response.content and "already" not in first.response.content
    assert simcord_bot.guild_settings.get(server.guild.id, key) == stored
    (row,) = await simcord_bot.guild_settings.history(server.guild.id)
    assert (row.key, row.old_value, row.new_value, row.actor_id) == (key, None, stored, server.moderator.id)
    # The message path sees the change at once: its cached configuration was rebuilt.
    config = simcord_bot.enforcement.config(server.guild.id)
    expected = {
        keys.ACTION: config.action, keys.REQUIREMENT: config.requirement, keys.CW_MODE: config.cw_mode,
        keys.DRY_RUN: config.dry_run, keys.RETENTION_DAYS: config.retention_days,
        keys.ESCALATION: config.escalation.to_data() if config.escalation else None,
    }
    assert expected[key] == stored


@pytest.mark.parametrize(("command", "options", "key", "stored"), CASES, ids=[case[0] for case in CASES])
async def test_members_may_not_use_settings_commands(simcord_env, server, simcord_bot, command, options, key, stored):
    refused = await server.member.slash(server.general, command, **options)
    assert refused.response.content == "You need the Manage Server permission to use this command."
    assert simcord_bot.guild_settings.get(server.guild.id, key) is None
    assert handled_errors(simcord_env) == ["MissingPermissions"]


@pytest.mark.parametrize(
    ("command", "options"),
    [("warden retention", {"days": 0}), ("warden retention", {"days": 366}), ("warden escalation set",
      {"threshold": 1, "window_hours": 12, "timeout_minutes": 60}), ("warden action", {"action": "ban"})],
    ids=["retention-0", "retention-366", "threshold-1", "unknown-action"],
)
async def test_out_of_range_values_never_reach_the_settings(simcord_env, server, simcord_bot, command, options):
    # The Discord client refuses values outside the declared range or choices; so does SimCord.
    with pytest.raises(OptionError):
        await server.moderator.slash(server.general, command, **options)
    assert await simcord_bot.guild_settings.count_history(server.guild.id) == 0
