"""A server's glossary layer and its lookup statistics, in SQLite.

The repository knows rows, not glossaries: an entry is stored as the JSON of
``bot.glossary.entry_to_data`` and handed back as that plain data. Checking that a
layer fits the shipped glossary is the service's job (``bot.guild_glossary``),
done before anything reaches this module.

Each write is one transaction: the rows, and one ``settings_audit`` row per entry
id that changed (key ``glossary:<id>``, old and new value as JSON: the entry's
data, the string ``"removed"`` for a removal marker, NULL for no row).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import aiosqlite

from bot.store.audit import ensure_guild, write_audit_row
from bot.store.database import Database

AUDIT_KEY_PREFIX = "glossary:"
REMOVED_AUDIT_VALUE = "removed"

Clock = Callable[[], datetime]


class _Removed:
    """Marks a shipped entry as hidden on one server."""

    def __repr__(self) -> str:
        return "REMOVED"


REMOVED: Any = _Removed()

# What one entry id of a layer holds: the entry's data, REMOVED, or None (no row: the shipped entry applies).
LayerValue = Mapping[str, Any] | _Removed | None


@dataclass(frozen=True, slots=True)
class GlossaryRow:
    guild_id: int
    entry_id: str
    entry: dict[str, Any] | None  # None for a removal marker
    updated_at: datetime
    updated_by: int

    @property
    def removed(self) -> bool:
        return self.entry is None


@dataclass(frozen=True, slots=True)
class LookupCount:
    query: str
    found: bool
    count: int
    last_at: datetime


def audit_key(entry_id: str) -> str:
    return AUDIT_KEY_PREFIX + entry_id


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _entry_text(value: LayerValue) -> str | None:
    if value is None or value is REMOVED:
        return None
    return json.dumps(dict(value), ensure_ascii=False, allow_nan=False)


def _audit_text(value: LayerValue) -> str | None:
    if value is REMOVED:
        return json.dumps(REMOVED_AUDIT_VALUE)
    return _entry_text(value)


def _same(old: LayerValue, new: LayerValue) -> bool:
    if old is None or new is None or old is REMOVED or new is REMOVED:
        return old is new
    return dict(old) == dict(new)


def _row_value(removed: int, entry: str | None) -> LayerValue:
    return REMOVED if removed else json.loads(entry) if entry is not None else None


class GlossaryRepository:
    def __init__(self, database: Database, *, clock: Clock = _utcnow) -> None:
        self._db = database
        self._clock = clock

    # -- layers -------------------------------------------------------------

    async def all_rows(self) -> list[GlossaryRow]:
        """Every server's rows, by guild and entry id; read once at start-up."""
        return self._rows(
            await self._db.fetchall(
                "SELECT guild_id, entry_id, removed, entry, updated_at, updated_by FROM glossary_entries "
                "ORDER BY guild_id, entry_id"
            )
        )

    async def guild_rows(self, guild_id: int) -> list[GlossaryRow]:
        return self._rows(
            await self._db.fetchall(
                "SELECT guild_id, entry_id, removed, entry, updated_at, updated_by FROM glossary_entries "
                "WHERE guild_id = ? ORDER BY entry_id",
                (guild_id,),
            )
        )

    @staticmethod
    def _rows(rows: list[Any]) -> list[GlossaryRow]:
        return [
            GlossaryRow(
                guild_id=row[0],
                entry_id=row[1],
                entry=None if row[2] else json.loads(row[3]),
                updated_at=datetime.fromisoformat(row[4]),
                updated_by=row[5],
            )
            for row in rows
        ]

    async def write(
        self,
        guild_id: int,
        changes: Mapping[str, LayerValue],
        *,
        actor_id: int,
        replace: bool = False,
    ) -> frozenset[str]:
        """Set each entry id of the guild's layer to its value in one transaction; return the ids that changed.

        With ``replace``, ids the guild has rows for but ``changes`` does not name are
        deleted too: ``changes`` becomes the whole layer (an import).
        """
        now = self._clock().isoformat()
        async with self._db.transaction() as connection:
            current = await _current_values(connection, guild_id)
            wanted = dict(changes)
            if replace:
                wanted.update({entry_id: None for entry_id in current if entry_id not in wanted})
            changed = {entry_id: value for entry_id, value in wanted.items() if not _same(current.get(entry_id), value)}
            if not changed:
                return frozenset()
            await ensure_guild(connection, guild_id, now)
            for entry_id, value in sorted(changed.items()):  # audit rows in a stable order
                if value is None:
                    await connection.execute(
                        "DELETE FROM glossary_entries WHERE guild_id = ? AND entry_id = ?", (guild_id, entry_id)
                    )
                else:
                    await connection.execute(
                        "INSERT INTO glossary_entries (guild_id, entry_id, removed, entry, updated_at, updated_by) "
                        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (guild_id, entry_id) DO UPDATE SET "
                        "removed = excluded.removed, entry = excluded.entry, "
                        "updated_at = excluded.updated_at, updated_by = excluded.updated_by",
                        (guild_id, entry_id, int(value is REMOVED), _entry_text(value), now, actor_id),
                    )
                await write_audit_row(
                    connection,
                    guild_id=guild_id,
                    actor_id=actor_id,
                    changed_at=now,
                    key=audit_key(entry_id),
                    old_text=_audit_text(current.get(entry_id)),
                    new_text=_audit_text(value),
                )
        return frozenset(changed)

    # -- lookup statistics ----------------------------------------------------

    async def record_lookup(self, guild_id: int, query: str, *, found: bool) -> None:
        now = self._clock().isoformat()
        async with self._db.transaction() as connection:
            await ensure_guild(connection, guild_id, now)
            await connection.execute(
                "INSERT INTO glossary_lookups (guild_id, query, found, count, last_at) VALUES (?, ?, ?, 1, ?) "
                "ON CONFLICT (guild_id, query, found) DO UPDATE SET count = count + 1, last_at = excluded.last_at",
                (guild_id, query, int(found), now),
            )

    async def top_lookups(self, guild_id: int, *, found: bool, limit: int | None = 10) -> list[LookupCount]:
        """The most frequent queries of one kind (None: all), most asked first (the latest first among equals)."""
        rows = await self._db.fetchall(
            "SELECT query, found, count, last_at FROM glossary_lookups WHERE guild_id = ? AND found = ? "
            "ORDER BY count DESC, last_at DESC, query LIMIT ?",
            (guild_id, int(found), -1 if limit is None else limit),  # SQLite: LIMIT -1 is no limit
        )
        return [LookupCount(row[0], bool(row[1]), row[2], datetime.fromisoformat(row[3])) for row in rows]


async def _current_values(connection: aiosqlite.Connection, guild_id: int) -> dict[str, LayerValue]:
    async with connection.execute(
        "SELECT entry_id, removed, entry FROM glossary_entries WHERE guild_id = ?", (guild_id,)
    ) as cursor:
        return {row[0]: _row_value(row[1], row[2]) for row in await cursor.fetchall()}
