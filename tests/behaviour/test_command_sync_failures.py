"""A command sync that fails at start-up does not stop the bot: one log line, the old commands, a retry later."""

from __future__ import annotations

import logging

import aiohttp
import pytest

from bot.app import create_bot
from bot.command_sync import RETRY_DELAYS, command_payloads, fingerprint
from bot.settings import Settings
from bot.store.bot_state import BotStateRepository

SYNC_ROUTE = "/applications/*/commands"


def sync_puts(env) -> list:
    return [entry for entry in env.http_requests if entry.method == "PUT" and entry.path.endswith("/commands")]


async def start_again_needing_a_sync(env, bot, database_path, shipped):
    """Close the running bot, forget the synced fingerprint (as a release with new commands would), start a new one."""
    key = f"synced_commands:{bot.application_id}:global"
    async with bot.database.transaction() as connection:
        await connection.execute("DELETE FROM bot_state WHERE key = ?", (key,))
    await bot.close()
    restarted = create_bot(Settings(database_path=database_path), shipped_glossary=shipped)
    await env.restart_bot(restarted)
    return restarted, key


FAILURES = {
    "400": dict(status=400, code=50035, message="Invalid Form Body"),
    "401": dict(status=401, code=0, message="401: Unauthorized"),
    "403": dict(status=403, code=50001, message="Missing Access"),
    "429": dict(status=429, code=0, message="You are being rate limited."),
    "500": dict(status=500, code=0, message="Internal Server Error"),
    "503": dict(status=503, code=0, message="Service Unavailable"),
}


@pytest.mark.parametrize("failure", FAILURES.values(), ids=FAILURES.keys())
async def test_a_refused_sync_keeps_the_bot_up_and_is_retried_later(
    simcord_env, server, simcord_bot, database_path, shipped, caplog, failure
):
    simcord_env.inject_error("PUT", SYNC_ROUTE, **failure)
    before = len(sync_puts(simcord_env))

    with caplog.at_level(logging.INFO, logger="bot"):
        restarted, key = await start_again_needing_a_sync(simcord_env, simcord_bot, database_path, shipped)
    try:
        assert restarted.is_ready()
        (line,) = [r for r in caplog.records if r.name == "bot.app" and r.levelno >= logging.WARNING]
        said = f"Could not sync application commands: Discord answered {failure['status']}"
        assert line.getMessage().startswith(said)
        assert "retrying in the background" in line.getMessage()
        assert line.exc_info is None  # one line, no traceback
        assert len(sync_puts(simcord_env)) == before + 1
        assert await BotStateRepository(restarted.database).get(key) is None  # a later start would retry too

        # Discord still has the commands it had: members use them.
        result = await server.member.slash(server.general, "warden about")
        assert result.response.embeds[0].title == "Genre Warden"

        caplog.clear()
        with caplog.at_level(logging.INFO, logger="bot"):
            await simcord_env.advance_time(RETRY_DELAYS[0] + 1)
        assert len(sync_puts(simcord_env)) == before + 2
        expected = fingerprint(command_payloads(restarted.tree))
        assert await BotStateRepository(restarted.database).get(key) == expected
        assert "Command sync succeeded on retry 1" in [r.getMessage() for r in caplog.records]
    finally:
        await restarted.close()


async def test_a_sync_without_a_network_keeps_the_bot_up_and_backs_off(
    simcord_env, server, simcord_bot, database_path, shipped, caplog, network_faults
):
    network_faults.inject("PUT", SYNC_ROUTE, times=3)  # the start and the first two retries
    before = len(sync_puts(simcord_env))

    with caplog.at_level(logging.INFO, logger="bot"):
        restarted, key = await start_again_needing_a_sync(simcord_env, simcord_bot, database_path, shipped)
    try:
        (line,) = [r for r in caplog.records if r.levelno >= logging.WARNING]
        assert line.getMessage().startswith(
            "Could not sync application commands: could not reach Discord (ClientConnectionError: "
        )
        assert line.exc_info is None
        result = await server.member.slash(server.general, "warden about")
        assert result.response.embeds[0].title == "Genre Warden"

        caplog.clear()
        with caplog.at_level(logging.INFO, logger="bot"):
            await simcord_env.advance_time(RETRY_DELAYS[0] + 1)  # the first retry fails too
            assert await BotStateRepository(restarted.database).get(key) is None
            await simcord_env.advance_time(RETRY_DELAYS[1] - 2)  # the second waits twice as long
            assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == [
                "Command sync retry 1 of 10 failed: could not reach Discord "
                "(ClientConnectionError: Cannot connect to host discord.com:443)",
            ]
            await simcord_env.advance_time(2 + RETRY_DELAYS[2])
        messages = [r.getMessage() for r in caplog.records]
        assert "Command sync succeeded on retry 3" in messages
        assert len(sync_puts(simcord_env)) == before + 1  # the failed tries never reached Discord
        assert await BotStateRepository(restarted.database).get(key) is not None
    finally:
        await restarted.close()


async def test_closing_the_bot_stops_the_retries(simcord_env, server, simcord_bot, database_path, shipped):
    simcord_env.inject_error("PUT", SYNC_ROUTE, status=500, times=None)
    restarted, _ = await start_again_needing_a_sync(simcord_env, simcord_bot, database_path, shipped)
    retry = restarted._sync_retry
    assert retry is not None and not retry.done()
    await restarted.close()
    assert retry.cancelled()


async def test_a_sync_that_fails_at_the_first_start_comes_up_and_registers_the_commands_later(
    bot_settings, shipped, caplog
):
    """No commands on Discord yet (a first start) and the sync fails: the bot comes up all the same."""
    from simcord import Env

    from tests.behaviour.scenarios import build_genre_server

    bot = create_bot(bot_settings, shipped_glossary=shipped)
    env = Env(bot)
    env.inject_error("PUT", SYNC_ROUTE, status=503, message="Service Unavailable")
    try:
        with caplog.at_level(logging.WARNING, logger="bot"):
            await env.start()
        with env.time_context():
            assert bot.is_ready()
            assert len([r for r in caplog.records if r.levelno >= logging.WARNING]) == 1
            server = build_genre_server(env)
            assert "warden about" not in server.member.available_commands(server.general)

            await env.advance_time(RETRY_DELAYS[0] + 1)
            result = await server.member.slash(server.general, "warden about")
            assert result.response.embeds[0].title == "Genre Warden"
    finally:
        await env.shutdown()
        await bot.close()
    env.raise_errors()


def test_the_retry_delays_double_and_are_capped():
    assert RETRY_DELAYS[:3] == (60.0, 120.0, 240.0)
    assert max(RETRY_DELAYS) == 3600.0
    assert len(RETRY_DELAYS) == 10


def test_a_network_failure_is_described_without_a_traceback():
    from bot.command_sync import describe_sync_failure

    assert describe_sync_failure(ConnectionRefusedError()) == "could not reach Discord (ConnectionRefusedError)"
    error = aiohttp.ClientConnectionError("Cannot connect to host discord.com:443")
    assert describe_sync_failure(error) == (
        "could not reach Discord (ClientConnectionError: Cannot connect to host discord.com:443)"
    )


async def test_the_retries_end_with_one_error_line_when_every_try_fails(caplog):
    from bot.command_sync import retry_sync

    tries = []

    async def refused() -> None:
        tries.append(1)
        raise ConnectionResetError("Connection reset by peer")

    with caplog.at_level(logging.WARNING, logger="bot.command_sync"):
        assert await retry_sync(refused, delays=(0.0, 0.0, 0.0)) is False
    assert len(tries) == 3
    assert [r.levelname for r in caplog.records] == ["WARNING", "WARNING", "WARNING", "ERROR"]
    assert caplog.records[-1].getMessage().startswith("Gave up syncing application commands after 3 retries")
