"""Numbered schema migrations: ``NNNN_name.sql`` files applied in order.

The schema version lives in the database itself (``PRAGMA user_version``); all
pending migrations are applied in one transaction, so a failure leaves the file at
the version it had.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from importlib import resources

import aiosqlite

from bot.store.errors import StoreOpenError

_FILE_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str


def load_migrations() -> list[Migration]:
    """The shipped migrations in version order; raise if numbering has a gap or a duplicate."""
    found = []
    for item in resources.files(__package__).iterdir():
        match = _FILE_NAME.match(item.name)
        if match:
            found.append(Migration(int(match.group(1)), item.name, item.read_text(encoding="utf-8")))
    found.sort(key=lambda migration: migration.version)
    expected = list(range(1, len(found) + 1))
    if [migration.version for migration in found] != expected:
        raise RuntimeError(f"migrations must be numbered 1..N without gaps, found {[m.name for m in found]}")
    return found


def split_statements(sql: str) -> list[str]:
    """Split a script into complete statements (``executescript`` would commit on its own)."""
    statements, buffer = [], ""
    for line in sql.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            statement = buffer.strip()
            if statement.rstrip(";").strip() and not _only_comments(statement):
                statements.append(statement)
            buffer = ""
    if buffer.strip() and not _only_comments(buffer):
        raise ValueError(f"incomplete SQL statement at the end of a migration: {buffer.strip()[:60]!r}")
    return statements


def _only_comments(text: str) -> bool:
    return all(not line.strip() or line.strip().startswith("--") for line in text.splitlines())


async def schema_version(connection: aiosqlite.Connection) -> int:
    async with connection.execute("PRAGMA user_version") as cursor:
        (version,) = await cursor.fetchone()
    return int(version)


async def apply_migrations(connection: aiosqlite.Connection, migrations: list[Migration] | None = None) -> int:
    """Bring the schema to head in one transaction; return the version reached."""
    migrations = load_migrations() if migrations is None else migrations
    head = migrations[-1].version if migrations else 0
    await connection.execute("BEGIN IMMEDIATE")
    try:
        # Read inside the write lock so two processes opening the file at once cannot both migrate.
        current = await schema_version(connection)
        if current > head:
            raise StoreOpenError(
                f"the database was written by a newer Genre Warden (schema version {current}, this "
                f"version knows up to {head}); upgrade Genre Warden or use another database file."
            )
        for migration in migrations:
            if migration.version <= current:
                continue
            for statement in split_statements(migration.sql):
                await connection.execute(statement)
        if head != current:
            await connection.execute(f"PRAGMA user_version = {head:d}")
    except BaseException:
        await connection.execute("ROLLBACK")
        raise
    await connection.execute("COMMIT")
    return head
