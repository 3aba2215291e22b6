"""What enforcement already acted on, and how far it read each watched channel.

Both are held in memory for the message path, which never waits on the database:
the flags of the last ``FLAG_MEMORY_DAYS`` are loaded at start, and a flag is written
when the bot acts (the action path). How far each channel was read is kept in memory
as posts are judged and written every few seconds and at shutdown; after a crash the
bot may read a few posts again on catch-up, and the remembered flags keep it from
acting on them twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Literal

from bot.rules.verdict import Finding
from bot.store.database import Database

Kind = Literal["post", "title"]
Clock = Callable[[], datetime]
# Flags older than this are forgotten: an edit of a post flagged before then is flagged again.
FLAG_MEMORY_DAYS = 30


def _utcnow() -> datetime:
    return datetime.now(UTC)


def findings_signature(findings: Iterable[Finding]) -> str:
    """(term, category, reason) of each finding, as one stable string: the same breach, the same signature."""
    return "\n".join(sorted({f"{f.term}\t{f.category}\t{f.reason}" for f in findings}))


class JudgedLedger:
    def __init__(self, database: Database, *, clock: Clock = _utcnow) -> None:
        self._db = database
        self._clock = clock
        self._flagged: dict[tuple[int, Kind], str] = {}
        self._progress: dict[int, tuple[int, int]] = {}  # channel -> (guild, newest message id judged)
        self._unsaved: set[int] = set()

    async def load(self) -> None:
        await self._load_flags()
        rows = await self._db.fetchall("SELECT channel_id, guild_id, last_message_id FROM channel_progress")
        self._progress = {int(row[0]): (int(row[1]), int(row[2])) for row in rows}

    async def _load_flags(self) -> None:
        since = (self._clock() - timedelta(days=FLAG_MEMORY_DAYS)).isoformat()
        rows = await self._db.fetchall(
            "SELECT target_id, kind, findings FROM flagged WHERE flagged_at >= ?", (since,)
        )
        self._flagged = {(int(row[0]), row[1]): row[2] for row in rows}

    # -- flags: read synchronously, written by the action path ----------------

    def was_flagged(self, target_id: int, kind: Kind) -> bool:
        return (target_id, kind) in self._flagged

    def claim(self, target_id: int, kind: Kind, signature: str) -> bool:
        """True, and remembered at once, unless this breach was already acted on (no await: no race)."""
        if self._flagged.get((target_id, kind)) == signature:
            return False
        self._flagged[(target_id, kind)] = signature
        return True

    async def remember_flag(self, guild_id: int, target_id: int, kind: Kind, signature: str) -> None:
        self._flagged[(target_id, kind)] = signature
        async with self._db.transaction() as connection:
            await connection.execute(
                "INSERT INTO flagged (target_id, kind, guild_id, findings, flagged_at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (target_id, kind) DO UPDATE SET findings = excluded.findings, "
                "flagged_at = excluded.flagged_at",
                (target_id, kind, guild_id, signature, self._clock().isoformat()),
            )

    async def forget_flag(self, target_id: int, kind: Kind) -> None:
        """The post now passes: a later breach is a new one."""
        if self._flagged.pop((target_id, kind), None) is None:
            return
        async with self._db.transaction() as connection:
            await connection.execute("DELETE FROM flagged WHERE target_id = ? AND kind = ?", (target_id, kind))

    async def purge_old_flags(self) -> int:
        cutoff = self._clock() - timedelta(days=FLAG_MEMORY_DAYS)
        async with self._db.transaction() as connection:
            cursor = await connection.execute("DELETE FROM flagged WHERE flagged_at < ?", (cutoff.isoformat(),))
            removed = cursor.rowcount
        await self._load_flags()
        return removed

    # -- how far each channel was read ------------------------------------------

    def judged(self, guild_id: int, channel_id: int, message_id: int) -> None:
        """Called for every post judged in a watched channel: memory only."""
        current = self._progress.get(channel_id)
        if current is None or current[1] < message_id:
            self._progress[channel_id] = (guild_id, message_id)
            self._unsaved.add(channel_id)

    def last_judged(self, channel_id: int) -> int | None:
        current = self._progress.get(channel_id)
        return None if current is None else current[1]

    async def save_progress(self) -> None:
        if not self._unsaved:
            return
        saving, self._unsaved = self._unsaved, set()
        rows = [(channel, *self._progress[channel]) for channel in saving]
        try:
            async with self._db.transaction() as connection:
                await connection.executemany(
                    "INSERT INTO channel_progress (channel_id, guild_id, last_message_id) VALUES (?, ?, ?) "
                    "ON CONFLICT (channel_id) DO UPDATE SET guild_id = excluded.guild_id, "
                    "last_message_id = MAX(last_message_id, excluded.last_message_id)",
                    rows,
                )
        except BaseException:
            self._unsaved |= saving  # kept for the next try
            raise
