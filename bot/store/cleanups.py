"""Timed clean-ups: messages the bot posted for a while only, and when each is to be deleted.

The scheduler that deletes them lives with the Discord adapters (``bot.adapters.cleanup``);
this repository only keeps the list, so that a restart can pick it up again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.store.database import Database


@dataclass(frozen=True, slots=True)
class PendingCleanup:
    channel_id: int
    message_id: int
    due_at: datetime  # aware, UTC


class CleanupRepository:
    def __init__(self, database: Database) -> None:
        self._db = database

    async def add(self, channel_id: int, message_id: int, due_at: datetime) -> PendingCleanup:
        async with self._db.transaction() as connection:
            await connection.execute(
                "INSERT INTO timed_cleanups (message_id, channel_id, due_at) VALUES (?, ?, ?) "
                "ON CONFLICT (message_id) DO UPDATE SET channel_id = excluded.channel_id, due_at = excluded.due_at",
                (message_id, channel_id, due_at.isoformat()),
            )
        return PendingCleanup(channel_id, message_id, due_at)

    async def pending(self) -> list[PendingCleanup]:
        """Every clean-up not done yet, the soonest first."""
        rows = await self._db.fetchall("SELECT channel_id, message_id, due_at FROM timed_cleanups ORDER BY due_at")
        return [PendingCleanup(int(row[0]), int(row[1]), datetime.fromisoformat(row[2])) for row in rows]

    async def remove(self, message_id: int) -> None:
        async with self._db.transaction() as connection:
            await connection.execute("DELETE FROM timed_cleanups WHERE message_id = ?", (message_id,))
