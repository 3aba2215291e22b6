"""Held posts: a copy of every post the bot removes, kept until its author has it back.

A copy is written (and committed) before the bot deletes anything, so a crash or
a refused DM between the two never loses a member's words.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.store.database import Database

Clock = Callable[[], datetime]


@dataclass(frozen=True, slots=True)
class HeldPost:
    id: int
    guild_id: int
    channel_id: int
    message_id: int
    author_id: int
    content: str
    fixed_content: str | None
    attachments: tuple[str, ...]
    categories: tuple[str, ...]
    action: str
    held_at: datetime
    expires_at: datetime
    delivered_at: datetime | None


_COLUMNS = (
    "id, guild_id, channel_id, message_id, author_id, content, fixed_content, attachments, "
    "categories, action, held_at, expires_at, delivered_at"
)


def _row_to_post(row) -> HeldPost:
    return HeldPost(
        id=row[0], guild_id=row[1], channel_id=row[2], message_id=row[3], author_id=row[4],
        content=row[5], fixed_content=row[6], attachments=tuple(json.loads(row[7])),
        categories=tuple(json.loads(row[8])), action=row[9], held_at=datetime.fromisoformat(row[10]),
        expires_at=datetime.fromisoformat(row[11]),
        delivered_at=datetime.fromisoformat(row[12]) if row[12] else None,
    )


def _utcnow() -> datetime:
    return datetime.now(UTC)


class HeldPostRepository:
    def __init__(self, database: Database, *, clock: Clock = _utcnow) -> None:
        self._db = database
        self._clock = clock

    async def hold(
        self, *, guild_id: int, channel_id: int, message_id: int, author_id: int, content: str,
        fixed_content: str | None, attachments: tuple[str, ...], categories: tuple[str, ...],
        action: str, retention_days: int,
    ) -> HeldPost:
        now = self._clock()
        expires = now + timedelta(days=retention_days)
        async with self._db.transaction() as connection:
            cursor = await connection.execute(
                "INSERT INTO held_posts (guild_id, channel_id, message_id, author_id, content, fixed_content, "
                "attachments, categories, action, held_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (guild_id, channel_id, message_id, author_id, content, fixed_content, json.dumps(list(attachments)),
                 json.dumps(list(categories)), action, now.isoformat(), expires.isoformat()),
            )
            post_id = cursor.lastrowid
        row = await self._db.fetchone(f"SELECT {_COLUMNS} FROM held_posts WHERE id = ?", (post_id,))
        return _row_to_post(row)

    async def mark_delivered(self, post_ids: list[int]) -> None:
        if not post_ids:
            return
        placeholders = ", ".join("?" for _ in post_ids)
        async with self._db.transaction() as connection:
            await connection.execute(
                f"UPDATE held_posts SET delivered_at = ? WHERE id IN ({placeholders}) AND delivered_at IS NULL",
                (self._clock().isoformat(), *post_ids),
            )

    async def for_author(self, guild_id: int, author_id: int, *, limit: int = 10) -> list[HeldPost]:
        """The author's held posts in this guild that have not expired, newest first."""
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM held_posts WHERE guild_id = ? AND author_id = ? AND expires_at > ? "
            "ORDER BY id DESC LIMIT ?",
            (guild_id, author_id, self._clock().isoformat(), limit),
        )
        return [_row_to_post(row) for row in rows]

    async def for_author_everywhere(self, author_id: int, *, limit: int = 10) -> list[HeldPost]:
        """The author's held posts in every guild that have not expired, for a DM: newest first, those
        not yet handed back before the others, so asking again brings the ones past ``limit``."""
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM held_posts WHERE author_id = ? AND expires_at > ? "
            "ORDER BY delivered_at IS NOT NULL, id DESC LIMIT ?",
            (author_id, self._clock().isoformat(), limit),
        )
        return [_row_to_post(row) for row in rows]

    async def count_waiting_by_guild(self, author_id: int) -> dict[int, int]:
        """How many unexpired posts of the author, not yet handed back, each guild holds."""
        rows = await self._db.fetchall(
            "SELECT guild_id, COUNT(*) FROM held_posts WHERE author_id = ? AND expires_at > ? "
            "AND delivered_at IS NULL GROUP BY guild_id",
            (author_id, self._clock().isoformat()),
        )
        return {int(row[0]): int(row[1]) for row in rows}

    async def link_repost(self, post_id: int, repost_message_id: int) -> None:
        async with self._db.transaction() as connection:
            await connection.execute(
                "UPDATE held_posts SET repost_message_id = ? WHERE id = ?", (repost_message_id, post_id)
            )

    async def author_of_repost(self, repost_message_id: int) -> int | None:
        """Whose post a repost replaced (kept as long as the held copy is)."""
        row = await self._db.fetchone(
            "SELECT author_id FROM held_posts WHERE repost_message_id = ?", (repost_message_id,)
        )
        return None if row is None else int(row[0])

    async def action_on(self, message_id: int) -> str | None:
        """What the bot last did with the post ``message_id`` ("delete", "replace", "repost"), if it held it.

        Asked when a member presses a button on a post that is gone (no index: rare, and the table is small).
        """
        row = await self._db.fetchone(
            "SELECT action FROM held_posts WHERE message_id = ? ORDER BY id DESC LIMIT 1", (message_id,)
        )
        return None if row is None else str(row[0])

    async def purge_expired(self) -> int:
        async with self._db.transaction() as connection:
            cursor = await connection.execute(
                "DELETE FROM held_posts WHERE expires_at <= ?", (self._clock().isoformat(),)
            )
            return cursor.rowcount


class ViolationRepository:
    def __init__(self, database: Database, *, clock: Clock = _utcnow) -> None:
        self._db = database
        self._clock = clock

    async def record(self, guild_id: int, user_id: int, categories: tuple[str, ...]) -> None:
        async with self._db.transaction() as connection:
            await connection.execute(
                "INSERT INTO violations (guild_id, user_id, at, categories) VALUES (?, ?, ?, ?)",
                (guild_id, user_id, self._clock().isoformat(), json.dumps(list(categories))),
            )

    async def count(self, guild_id: int, user_id: int, *, within: timedelta | None = None) -> int:
        since = (self._clock() - within).isoformat() if within else ""
        row = await self._db.fetchone(
            "SELECT COUNT(*) FROM violations WHERE guild_id = ? AND user_id = ? AND at >= ?",
            (guild_id, user_id, since),
        )
        return int(row[0]) if row else 0
