"""New messages reach listeners only when a gate asks for them; the rest cost no task."""

from __future__ import annotations


async def test_only_messages_a_gate_wants_are_dispatched(simcord_env, server, simcord_bot):
    seen = []

    async def on_message(message):
        seen.append(message.content)

    simcord_bot.add_listener(on_message)
    simcord_bot.add_message_gate(lambda message: message.channel.id == server.genre.id)

    await server.member.send(server.general, "hello general")
    await server.member.send(server.genre, "hello genre")

    assert seen == ["hello genre"]


async def test_with_no_gate_no_message_is_dispatched(simcord_env, server, simcord_bot):
    seen = []

    async def on_message(message):
        seen.append(message.content)

    simcord_bot.add_listener(on_message)
    await server.member.send(server.genre, "nobody listens")

    assert seen == []
    # The bot still cached the message: discord.py parsed it as usual.
    assert simcord_bot.cached_messages[-1].content == "nobody listens"


async def test_other_events_are_not_gated(simcord_env, server, simcord_bot):
    edits = []

    async def on_message_edit(before, after):
        edits.append(after.content)

    simcord_bot.add_listener(on_message_edit)
    message = await server.member.send(server.genre, "first")
    await server.member.edit(message, "second")

    assert edits == ["second"]
