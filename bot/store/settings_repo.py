"""Per-guild settings with an in-memory cache and an audit row for every change.

Reads (``get``, ``snapshot``) are synchronous and touch only memory: the message
path must never wait on the database. Writes run in one transaction that reads the
current value from disk, writes the new one and its audit row, and commits; only
then is the cache updated and are listeners told. A write that fails anywhere
leaves both the file and the cache as they were.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any

import aiosqlite

from bot.store.audit import ensure_guild, write_audit_row
from bot.store.database import Database

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
ChangeListener = Callable[[int, frozenset[str]], None]


class _Reset:
    """Marks a key to be removed (back to its default)."""

    def __repr__(self) -> str:
        return "RESET"


RESET: Any = _Reset()


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    guild_id: int
    actor_id: int
    changed_at: datetime
    key: str
    old_value: Any  # None when the key was unset before
    new_value: Any  # None when the key was reset to its default


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _encode(key: str, value: Any) -> str:
    try:
        return json.dumps(value, sort_keys=True, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"the value for {key!r} cannot be stored: {exc}") from None


def _decode(text: str | None) -> Any:
    return None if text is None else json.loads(text)


class SettingsRepository:
    def __init__(self, database: Database, *, clock: Clock = _utcnow) -> None:
        self._db = database
        self._clock = clock
        self._cache: dict[int, Mapping[str, Any]] = {}
        self._listeners: list[ChangeListener] = []

    async def load(self) -> None:
        """Fill the cache with every guild's settings; call once at start-up."""
        cache: dict[int, dict[str, Any]] = {}
        for row in await self._db.fetchall("SELECT guild_id, key, value FROM guild_settings"):
            cache.setdefault(row[0], {})[row[1]] = _decode(row[2])
        self._cache = {guild_id: MappingProxyType(values) for guild_id, values in cache.items()}
        log.info("Loaded settings for %d guild(s)", len(self._cache))

    def add_listener(self, listener: ChangeListener) -> None:
        """Call ``listener(guild_id, changed_keys)`` after each committed change."""
        self._listeners.append(listener)

    def remove_listener(self, listener: ChangeListener) -> None:
        self._listeners.remove(listener)

    # -- reads: memory only -------------------------------------------------

    def get(self, guild_id: int, key: str, default: Any = None) -> Any:
        return self._cache.get(guild_id, MappingProxyType({})).get(key, default)

    def snapshot(self, guild_id: int) -> Mapping[str, Any]:
        """A read-only view of the guild's settings that later writes do not change."""
        return self._cache.get(guild_id, MappingProxyType({}))

    # -- writes: one transaction each, cache updated after commit --------------

    async def set(self, guild_id: int, key: str, value: Any, *, actor_id: int) -> bool:
        """Store ``value`` under ``key``; return False when it was already the value."""
        return bool(await self.apply(guild_id, {key: value}, actor_id=actor_id))

    async def reset(self, guild_id: int, key: str, *, actor_id: int) -> bool:
        """Remove ``key`` so the default applies again; return False when it was unset."""
        return bool(await self.apply(guild_id, {key: RESET}, actor_id=actor_id))

    async def update(
        self,
        guild_id: int,
        key: str,
        change: Callable[[Any], Any],
        *,
        actor_id: int,
        default: Any = None,
    ) -> Any:
        """Read-modify-write ``key`` inside one transaction, so concurrent updates never lose each other.

        ``change`` gets the value on disk (or ``default``) and returns the new value.
        """
        result: dict[str, Any] = {}

        def compute(current: Mapping[str, Any]) -> dict[str, Any]:
            result[key] = change(current.get(key, default))
            return dict(result)

        await self._write(guild_id, [key], compute, actor_id)
        return result[key]

    async def apply(self, guild_id: int, changes: Mapping[str, Any], *, actor_id: int) -> frozenset[str]:
        """Set several keys (``RESET`` removes one) in one transaction; return the keys that changed."""
        return await self._write(guild_id, list(changes), lambda current: dict(changes), actor_id)

    async def _write(
        self,
        guild_id: int,
        keys: list[str],
        compute: Callable[[Mapping[str, Any]], Mapping[str, Any]],
        actor_id: int,
    ) -> frozenset[str]:
        if not keys:
            return frozenset()
        now = self._clock().isoformat()
        async with self._db.transaction() as connection:
            current = await _read_keys(connection, guild_id, keys)
            wanted = compute(current)
            changed = {key: value for key, value in wanted.items() if current.get(key, RESET) != value}
            if not changed:
                return frozenset()
            await ensure_guild(connection, guild_id, now)
            for key, value in changed.items():
                old_text = _encode(key, current[key]) if key in current else None
                new_text = None if value is RESET else _encode(key, value)
                if new_text is None:
                    await connection.execute(
                        "DELETE FROM guild_settings WHERE guild_id = ? AND key = ?", (guild_id, key)
                    )
                else:
                    await connection.execute(
                        "INSERT INTO guild_settings (guild_id, key, value, updated_at, updated_by) "
                        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (guild_id, key) DO UPDATE SET "
                        "value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by",
                        (guild_id, key, new_text, now, actor_id),
                    )
                await write_audit_row(
                    connection,
                    guild_id=guild_id,
                    actor_id=actor_id,
                    changed_at=now,
                    key=key,
                    old_text=old_text,
                    new_text=new_text,
                )
        # Committed: only now does the cache (copy-on-write, so snapshots stay stable) change.
        values = dict(self._cache.get(guild_id, {}))
        for key, value in changed.items():
            if value is RESET:
                values.pop(key, None)
            else:
                values[key] = _decode(_encode(key, value))
        self._cache[guild_id] = MappingProxyType(values)
        keys_changed = frozenset(changed)
        for listener in self._listeners:
            try:
                listener(guild_id, keys_changed)
            except Exception:
                log.exception("A settings listener failed for guild %s", guild_id)
        return keys_changed

    async def history(self, guild_id: int, *, limit: int | None = 10, offset: int = 0) -> list[AuditEntry]:
        """The guild's audit entries, newest first, ``limit`` of them (None: all) after skipping ``offset``.

        Glossary changes share the log (keys ``glossary:<id>``, see ``bot.store.glossary_repo``).
        """
        rows = await self._db.fetchall(
            "SELECT id, guild_id, actor_id, changed_at, key, old_value, new_value FROM settings_audit "
            "WHERE guild_id = ? ORDER BY id DESC LIMIT ? OFFSET ?",
            (guild_id, -1 if limit is None else limit, offset),  # SQLite: LIMIT -1 is no limit
        )
        return [
            AuditEntry(
                id=row[0],
                guild_id=row[1],
                actor_id=row[2],
                changed_at=datetime.fromisoformat(row[3]),
                key=row[4],
                old_value=_decode(row[5]),
                new_value=_decode(row[6]),
            )
            for row in rows
        ]

    async def count_history(self, guild_id: int) -> int:
        row = await self._db.fetchone("SELECT COUNT(*) FROM settings_audit WHERE guild_id = ?", (guild_id,))
        return int(row[0]) if row else 0


async def _read_keys(connection: aiosqlite.Connection, guild_id: int, keys: list[str]) -> dict[str, Any]:
    placeholders = ", ".join("?" for _ in keys)
    async with connection.execute(
        f"SELECT key, value FROM guild_settings WHERE guild_id = ? AND key IN ({placeholders})",
        (guild_id, *keys),
    ) as cursor:
        return {row[0]: _decode(row[1]) for row in await cursor.fetchall()}
