"""One scheduler for every message the bot posts for a while only (a flag reply, a "use /warden recover" notice).

``delete_after=`` keeps its timer in memory, so a restart used to leave such a message
up for good. Here each clean-up is written to the store (``timed_cleanups``) when the
message is posted, deleted when due, and on start ``resume`` schedules the ones still
pending (the overdue ones at once). A message already gone (404) is simply dropped.
Times come from ``discord.utils.utcnow``, the clock discord.py itself uses.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from datetime import timedelta

import discord

from bot.adapters.failures import DISCORD_FAILURES
from bot.store.cleanups import CleanupRepository, PendingCleanup
from bot.store.errors import StoreError

log = logging.getLogger(__name__)

RETRY_SECONDS = 60  # a network failure or a 5xx: try again this much later...
TRIES = 3  # ...this many times in all, then leave the clean-up for the next start


class CleanupScheduler:
    def __init__(self, client: discord.Client, repository: CleanupRepository) -> None:
        self._client = client
        self._repository = repository
        self._timers: dict[int, asyncio.Task[None]] = {}  # by message id

    @property
    def scheduled(self) -> frozenset[int]:
        """The ids of the messages waiting for their clean-up in this process."""
        return frozenset(self._timers)

    async def delete_later(self, message: discord.Message, seconds: float) -> None:
        """Delete ``message`` in ``seconds``, even if the bot restarts meanwhile. Never raises.

        A failing store only costs the restart-proofing: the timer still runs in memory.
        """
        pending = PendingCleanup(message.channel.id, message.id, discord.utils.utcnow() + timedelta(seconds=seconds))
        try:
            await self._repository.add(pending.channel_id, pending.message_id, pending.due_at)
        except (sqlite3.Error, StoreError):
            log.warning("Could not store the clean-up of message %s; it is kept in memory only", message.id,
                        exc_info=True)
        self._arm(pending)

    async def resume(self) -> int:
        """On start: schedule every stored clean-up (an overdue one runs at once); return how many."""
        pending = await self._repository.pending()
        for item in pending:
            self._arm(item)
        if pending:
            log.info("Resumed %d timed clean-up(s) left by the previous run", len(pending))
        return len(pending)

    def stop(self) -> None:
        """Cancel the timers (the bot is closing); the store keeps them for the next start."""
        for task in self._timers.values():
            task.cancel()
        self._timers.clear()

    def _arm(self, pending: PendingCleanup) -> None:
        previous = self._timers.pop(pending.message_id, None)
        if previous is not None:
            previous.cancel()
        task = asyncio.get_running_loop().create_task(self._run(pending), name=f"cleanup-{pending.message_id}")
        self._timers[pending.message_id] = task
        task.add_done_callback(lambda done: self._forget(pending.message_id, done))

    def _forget(self, message_id: int, task: asyncio.Task[None]) -> None:
        if self._timers.get(message_id) is task:
            del self._timers[message_id]
        if not task.cancelled() and (error := task.exception()) is not None:
            log.error("A timed clean-up failed", exc_info=error)

    async def _run(self, pending: PendingCleanup) -> None:
        await discord.utils.sleep_until(pending.due_at)
        message = self._client.get_partial_messageable(pending.channel_id).get_partial_message(pending.message_id)
        for attempt in range(1, TRIES + 1):
            try:
                await message.delete()
            except discord.NotFound:
                pass  # deleted already (by hand, or with its channel): nothing left to do
            except discord.Forbidden as refusal:
                # Retrying cannot help; a moderator can delete it by hand.
                log.warning("Discord refused the timed clean-up of message %s (code %s); dropping it",
                            pending.message_id, refusal.code)
            except DISCORD_FAILURES as failure:
                if attempt == TRIES:
                    log.warning("Timed clean-up of message %s failed %d times (%s); trying again at the next start",
                                pending.message_id, TRIES, failure)
                    return
                await asyncio.sleep(RETRY_SECONDS)
                continue
            break
        try:
            await self._repository.remove(pending.message_id)
        except (sqlite3.Error, StoreError):
            log.warning("Could not forget the clean-up of message %s; the next start will find it gone",
                        pending.message_id, exc_info=True)
