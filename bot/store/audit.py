"""The rows every audited change writes, shared by the repositories that change guild configuration.

A change is written in the caller's transaction: the guild's row (the audit log
and the guild's data point at it), the data itself, then one ``settings_audit``
row. Keeping the audit insert in one place keeps the log's shape the same for
settings and glossary changes, so ``/warden history`` shows both.
"""

from __future__ import annotations

import aiosqlite


async def ensure_guild(connection: aiosqlite.Connection, guild_id: int, now: str) -> None:
    """Create the guild's row if it is missing; rows of the guild's data refer to it."""
    await connection.execute(
        "INSERT INTO guilds (guild_id, first_seen) VALUES (?, ?) ON CONFLICT (guild_id) DO NOTHING",
        (guild_id, now),
    )


async def write_audit_row(
    connection: aiosqlite.Connection,
    *,
    guild_id: int,
    actor_id: int,
    changed_at: str,
    key: str,
    old_text: str | None,
    new_text: str | None,
) -> None:
    """Record one change; ``old_text`` and ``new_text`` are JSON, None for "was unset" and "is unset"."""
    await connection.execute(
        "INSERT INTO settings_audit (guild_id, actor_id, changed_at, key, old_value, new_value) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (guild_id, actor_id, changed_at, key, old_text, new_text),
    )
