"""When the connection to Discord fails under a call, the bot logs one line, stays up and answers when it can."""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from bot.setting_keys import MODLOG_CHANNEL
from bot.tree import NETWORK_TROUBLE
from tests.behaviour.scenarios import handled_errors

REPLY_ROUTE = "/interactions/*/callback"
RESET = "ConnectionResetError: [Errno 104] Connection reset by peer"


def reset() -> BaseException:
    return ConnectionResetError(104, "Connection reset by peer")


@contextmanager
def unretrieved_task_errors() -> Iterator[list[dict]]:
    """What asyncio reports meanwhile as "Task exception was never retrieved" (or any other loop error)."""
    reports: list[dict] = []
    loop = asyncio.get_running_loop()
    previous = loop.get_exception_handler()
    loop.set_exception_handler(lambda _loop, context: reports.append(context))
    try:
        yield reports
        gc.collect()  # a task's unretrieved exception is reported when the task is collected
    finally:
        loop.set_exception_handler(previous)


def bot_lines(caplog) -> list[tuple[str, str]]:
    return [(r.levelname, r.getMessage()) for r in caplog.records if r.name.startswith("bot")]


async def test_a_reply_lost_to_a_connection_reset_is_logged_and_the_bot_answers_next_time(
    simcord_env, server, network_faults, caplog
):
    network_faults.inject("POST", REPLY_ROUTE, error=reset, times=None)
    with unretrieved_task_errors() as reports, caplog.at_level(logging.INFO, logger="bot"):
        result = await server.member.slash(server.general, "warden about")

    assert result.response is None  # nothing reached the member: the connection was gone
    assert reports == []
    assert handled_errors(simcord_env) == ["ConnectionResetError"]
    (failed, undelivered) = bot_lines(caplog)
    assert failed == ("WARNING", f"Command /warden about failed: could not reach Discord ({RESET})")
    assert undelivered[0] == "WARNING"
    assert undelivered[1].startswith("Could not deliver the answer to interaction ")
    assert undelivered[1].endswith(f": could not reach Discord ({RESET})")
    assert all(record.exc_info is None for record in caplog.records if record.name.startswith("bot"))

    network_faults.faults.clear()
    again = await server.member.slash(server.general, "warden about")
    assert again.response.embeds[0].title == "Genre Warden"


async def test_a_reply_that_fails_once_is_answered_with_a_plain_sentence(simcord_env, server, network_faults):
    network_faults.inject("POST", REPLY_ROUTE, error=reset, times=1)
    with unretrieved_task_errors() as reports:
        result = await server.member.slash(server.general, "warden about")
    assert result.ephemeral
    assert result.response.content == NETWORK_TROUBLE
    assert reports == []
    assert handled_errors(simcord_env) == ["ConnectionResetError"]


async def test_a_mod_log_test_post_lost_to_the_network_leaves_the_setting_alone(
    simcord_env, server, network_faults, simcord_bot
):
    modlog = server.guild.create_text_channel("mod-log")
    network_faults.inject("POST", f"/channels/{modlog.id}/messages", error=asyncio.TimeoutError)
    with unretrieved_task_errors() as reports:
        result = await server.moderator.slash(server.general, "warden modlog set", channel=modlog)
    assert result.ephemeral
    assert result.response.content == NETWORK_TROUBLE  # the followup after "thinking"
    assert simcord_bot.guild_settings.get(server.guild.id, MODLOG_CHANNEL) is None
    assert reports == []
    assert handled_errors(simcord_env) == ["TimeoutError"]


async def test_a_button_whose_answer_is_lost_is_logged_not_raised(simcord_env, server, network_faults, caplog):
    listing = await server.member.slash(server.general, "glossary list")
    network_faults.inject("POST", REPLY_ROUTE, error=reset, times=None)
    with unretrieved_task_errors() as reports, caplog.at_level(logging.WARNING, logger="bot"):
        await server.member.click(listing.response.message, label="Next")
    assert reports == []
    # The pager (a DynamicItem) answers its own errors through bot.tree, so discord.py's
    # view error hook, which SimCord records, never sees this one: the two log lines are all.
    assert handled_errors(simcord_env) == []
    assert [level for level, _ in bot_lines(caplog)] == ["WARNING", "WARNING"]


async def test_a_removed_post_whose_dm_is_lost_waits_for_warden_recover(
    simcord_env, server, network_faults, simcord_bot
):
    await server.moderator.slash(server.general, "warden watch add", place=server.genre)
    await server.moderator.slash(server.general, "warden action", action="delete")
    dm_channel = simcord_env.backend.get_dm_channel(server.member.id)
    network_faults.inject("POST", f"/channels/{dm_channel.id}/messages", error=reset)

    with unretrieved_task_errors() as reports:
        await server.member.send(server.genre, "Careful, the second volume turns into NTR.")

    notices = [m for m in server.genre.history() if m.author.id == simcord_bot.user.id]
    assert len(notices) == 1 and "/warden recover" in notices[0].content
    result = await server.member.slash(server.general, "warden recover")
    assert "Careful, the second volume turns into NTR." in result.response.content
    assert reports == []
    assert handled_errors(simcord_env) == []


def test_the_readme_quotes_the_answer_members_get():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert f'"{NETWORK_TROUBLE}"' in readme.replace("\n", " ")
