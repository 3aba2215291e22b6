"""New messages go to the bot's message handlers; only the work a handler asks for gets a task."""

from __future__ import annotations

import asyncio
import logging


async def test_a_handler_sees_every_message_and_its_work_runs(simcord_env, server, simcord_bot):
    seen, worked = [], []

    async def act(message, decision):
        worked.append((message.content, decision))

    def decide(message):
        seen.append(message.content)
        return "genre" if message.channel.id == server.genre.id else None

    simcord_bot.add_message_handler(decide, act)
    await server.member.send(server.general, "hello general")
    await server.member.send(server.genre, "hello genre")
    await asyncio.sleep(0)

    assert seen == ["hello general", "hello genre"]
    assert worked == [("hello genre", "genre")]

    simcord_bot.remove_message_handler(decide)
    await server.member.send(server.genre, "after removal")
    await asyncio.sleep(0)
    assert seen == ["hello general", "hello genre"]


async def test_messages_are_not_dispatched_to_listeners(simcord_env, server, simcord_bot):
    seen = []

    async def on_message(message):
        seen.append(message.content)

    simcord_bot.add_listener(on_message)
    simcord_bot.add_message_handler(lambda message: None, None)
    await server.member.send(server.genre, "nobody listens")

    assert seen == []
    # The bot still cached the message: discord.py parsed it as usual.
    assert simcord_bot.cached_messages[-1].content == "nobody listens"


async def test_failing_work_is_logged_and_later_messages_still_handled(simcord_env, server, simcord_bot, caplog):
    worked = []

    async def act(message, decision):
        if message.content == "boom":
            raise RuntimeError("handler broke")
        worked.append(message.content)

    simcord_bot.add_message_handler(lambda message: True, act)
    with caplog.at_level(logging.ERROR, logger="bot.app"):
        await server.member.send(server.genre, "boom")
        await server.member.send(server.genre, "after")
        await asyncio.sleep(0)

    assert worked == ["after"]
    assert any("Handling a new message failed" in record.getMessage() for record in caplog.records)
    assert not simcord_bot._message_work  # finished tasks are let go


async def test_other_events_are_still_dispatched(simcord_env, server, simcord_bot):
    edits = []

    async def on_message_edit(before, after):
        edits.append(after.content)

    simcord_bot.add_listener(on_message_edit)
    message = await server.member.send(server.genre, "first")
    await server.member.edit(message, "second")

    assert edits == ["second"]
