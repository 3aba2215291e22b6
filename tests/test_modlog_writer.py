"""The mod-log writer: at once when quiet, gathered during a burst, nothing left behind at shutdown.

The channel is a recording stand-in: what is under test is the gathering, not Discord
(tests/behaviour/test_surfaces.py drives the same writer through SimCord in a raid).
"""

from __future__ import annotations

import asyncio

import discord

from bot.adapters.modlog_writer import BURST_ENTRIES, EMBEDS_PER_MESSAGE, ModlogWriter, next_batch


class RecordingChannel:
    id = 42

    def __init__(self) -> None:
        self.sent: list[tuple[str | None, list[str]]] = []

    async def send(self, content: str | None = None, embeds: list[discord.Embed] = ()) -> None:
        self.sent.append((content, [embed.title for embed in embeds]))


def entries(count: int) -> list[discord.Embed]:
    return [discord.Embed(title=f"entry {n}") for n in range(count)]


async def test_a_quiet_channel_gets_each_entry_at_once_and_a_burst_waits() -> None:
    writer, channel = ModlogWriter(), RecordingChannel()
    for embed in entries(BURST_ENTRIES + 7):
        await writer.write(channel, embed)
    assert [titles for _, titles in channel.sent] == [[f"entry {n}"] for n in range(BURST_ENTRIES)]


async def test_entries_left_waiting_are_sent_when_the_writer_is_flushed_in_order_and_batched() -> None:
    writer, channel = ModlogWriter(), RecordingChannel()
    for embed in entries(BURST_ENTRIES + 13):
        await writer.write(channel, embed)
    await writer.flush()
    titles = [title for _, batch in channel.sent for title in batch]
    assert titles == [f"entry {n}" for n in range(BURST_ENTRIES + 13)]
    gathered = channel.sent[BURST_ENTRIES:]
    assert [len(batch) for _, batch in gathered] == [10, 3]
    assert gathered[0][0] == "Burst: 13 entries in the last 10 s." and gathered[1][0] is None
    assert not asyncio.all_tasks() - {asyncio.current_task()}  # the gathering task is gone too


def test_a_batch_keeps_within_discords_limits() -> None:
    from collections import deque

    queue = deque(entries(25))
    assert [len(next_batch(queue)) for _ in range(3)] == [EMBEDS_PER_MESSAGE, EMBEDS_PER_MESSAGE, 5]
    big = deque(discord.Embed(description="x" * 2500) for _ in range(3))
    assert len(next_batch(big)) == 2  # 5,000 characters; a third would pass 6,000
