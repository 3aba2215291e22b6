"""An unexpected failure gives the member a short private apology and the log a traceback."""

from __future__ import annotations

import logging

from bot.tree import APOLOGY


async def test_an_unexpected_error_apologises_and_logs_the_traceback(simcord_env, server, simcord_bot, caplog):
    # Damage the database under the running bot: the history query now fails.
    async with simcord_bot.database.transaction() as connection:
        await connection.execute("DROP TABLE settings_audit")

    with caplog.at_level(logging.ERROR, logger="bot.tree"):
        result = await server.moderator.slash(server.general, "warden history")

    assert result.ephemeral
    assert result.response.content == APOLOGY
    (record,) = [r for r in caplog.records if r.name == "bot.tree"]
    assert record.getMessage() == "Command /warden history failed unexpectedly"
    assert record.exc_info is not None
    assert "no such table: settings_audit" in str(record.exc_info[1])
    (error,) = simcord_env.errors
    assert "no such table" in str(error)


async def test_the_bot_keeps_answering_after_an_unexpected_error(simcord_env, server, simcord_bot):
    async with simcord_bot.database.transaction() as connection:
        await connection.execute("DROP TABLE settings_audit")
    await server.moderator.slash(server.general, "warden history")
    (error,) = simcord_env.errors  # the failure the test above looks at in detail
    assert "no such table" in str(error)

    result = await server.member.slash(server.general, "warden about")
    assert result.response.embeds[0].title == "Genre Warden"
