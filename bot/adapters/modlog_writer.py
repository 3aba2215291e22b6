"""Mod-log entries, sent in order, and gathered into few messages during a burst so a raid does not flood it.

A quiet channel gets each entry at once. Once ``BURST_ENTRIES`` entries went to one
mod-log channel within ``BURST_SECONDS``, the next ones wait and go out together every
``BURST_SECONDS``, as many to a message as Discord allows (10 embeds, 6,000 characters),
under one line saying how many came in: 200 flagged posts in a minute make about 25
mod-log messages, not 200, and every entry is in them.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Callable

import discord

from bot.adapters.failures import DISCORD_FAILURES

log = logging.getLogger(__name__)

EMBEDS_PER_MESSAGE = 10
CHARACTERS_PER_MESSAGE = 6000
BURST_ENTRIES = 5
BURST_SECONDS = 10.0


def next_batch(queue: deque[discord.Embed]) -> list[discord.Embed]:
    """Take from the front of ``queue`` the entries one message can carry (at least one)."""
    batch = [queue.popleft()]
    size = len(batch[0])
    while queue and len(batch) < EMBEDS_PER_MESSAGE and size + len(queue[0]) <= CHARACTERS_PER_MESSAGE:
        size += len(queue[0])
        batch.append(queue.popleft())
    return batch


# Discord's code for a channel that no longer exists.
UNKNOWN_CHANNEL = 10003


class ModlogWriter:
    def __init__(self, on_gone: Callable[[discord.abc.GuildChannel], None] | None = None) -> None:
        self._on_gone = on_gone  # told once a channel is found deleted, instead of a warning per entry
        self._recent: dict[int, deque[float]] = {}  # channel -> when its last entries went out
        self._waiting: dict[int, deque[discord.Embed]] = {}
        self._flushers: dict[int, asyncio.Task[None]] = {}
        self._channels: dict[int, discord.abc.Messageable] = {}  # where the waiting entries go

    async def write(self, channel: discord.abc.Messageable, embed: discord.Embed) -> None:
        now = asyncio.get_running_loop().time()
        recent = self._recent.setdefault(channel.id, deque(maxlen=BURST_ENTRIES))
        if channel.id in self._flushers or (len(recent) == BURST_ENTRIES and now - recent[0] < BURST_SECONDS):
            self._waiting.setdefault(channel.id, deque()).append(embed)
            self._channels[channel.id] = channel
            if channel.id not in self._flushers:
                self._flushers[channel.id] = asyncio.create_task(self._flush_burst(channel))
            return
        recent.append(now)
        await self._send(channel, [embed])

    async def _flush_burst(self, channel: discord.abc.Messageable) -> None:
        """Every ``BURST_SECONDS``, send what waits; stop once a period passes with nothing new."""
        try:
            while True:
                await asyncio.sleep(BURST_SECONDS)
                if not await self._send_waiting(channel):
                    return
        finally:
            del self._flushers[channel.id]

    async def _send_waiting(self, channel: discord.abc.Messageable) -> int:
        """Send every entry waiting for ``channel``, under one line saying how many; return how many."""
        queue = self._waiting.pop(channel.id, None)
        if not queue:
            return 0
        count = len(queue)
        note: str | None = f"Burst: {count} entries in the last {BURST_SECONDS:.0f} s."
        while queue:
            await self._send(channel, next_batch(queue), note)
            note = None
        return count

    async def flush(self) -> None:
        """Send now whatever waits (the bot is shutting down): no entry is lost with the process."""
        flushers = list(self._flushers.values())
        for task in flushers:
            task.cancel()
        await asyncio.gather(*flushers, return_exceptions=True)
        for channel in list(self._channels.values()):
            await self._send_waiting(channel)
        self._channels.clear()

    async def _send(
        self, channel: discord.abc.Messageable, embeds: list[discord.Embed], note: str | None = None
    ) -> None:
        try:
            await channel.send(content=note, embeds=embeds)
        except discord.NotFound as gone:
            if gone.code == UNKNOWN_CHANNEL and self._on_gone is not None:
                self._on_gone(channel)
            else:
                log.warning("Could not write to the mod log channel %s: %s", channel.id, gone)
        except DISCORD_FAILURES as failure:
            log.warning(
                "Could not write %d entr%s to the mod log channel %s: %s",
                len(embeds), "y" if len(embeds) == 1 else "ies", channel.id, failure,
            )
