"""Migrations take an empty file to head in one transaction, with the version kept in the file."""

from __future__ import annotations

import asyncio
import sqlite3

import aiosqlite
import pytest

from bot.store import Database, StoreOpenError
from bot.store.migrations import Migration, apply_migrations, load_migrations, schema_version, split_statements


def tables(path) -> set[str]:
    with sqlite3.connect(path) as connection:
        return {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


async def test_empty_file_is_upgraded_to_head(tmp_path):
    path = tmp_path / "warden.sqlite3"
    database = await Database.open(path)
    await database.close()

    head = load_migrations()[-1].version
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == head
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert {"guilds", "guild_settings", "settings_audit", "bot_state"} <= tables(path)


async def test_reopening_at_head_changes_nothing(tmp_path):
    path = tmp_path / "warden.sqlite3"
    await (await Database.open(path)).close()
    before = tables(path)
    await (await Database.open(path)).close()
    assert tables(path) == before


async def test_foreign_keys_are_enforced(tmp_path):
    database = await Database.open(tmp_path / "warden.sqlite3")
    try:
        with pytest.raises(sqlite3.IntegrityError):
            async with database.transaction() as connection:
                await connection.execute(
                    "INSERT INTO guild_settings (guild_id, key, value, updated_at, updated_by) "
                    "VALUES (1, 'k', '1', 'now', 2)"
                )
    finally:
        await database.close()


async def test_a_failing_migration_leaves_the_file_at_its_old_version(tmp_path):
    path = tmp_path / "warden.sqlite3"
    migrations = [
        Migration(1, "0001_a.sql", "CREATE TABLE a (x INTEGER);"),
        Migration(2, "0002_b.sql", "CREATE TABLE b (x INTEGER);\nINSERT INTO missing_table VALUES (1);"),
    ]
    async with aiosqlite.connect(path, isolation_level=None) as connection:
        with pytest.raises(sqlite3.OperationalError):
            await apply_migrations(connection, migrations)
        assert await schema_version(connection) == 0
    assert tables(path) == set()


async def test_a_newer_schema_is_refused_with_advice(tmp_path):
    path = tmp_path / "warden.sqlite3"
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA user_version = 999")
    with pytest.raises(StoreOpenError, match="newer Genre Warden"):
        await Database.open(path)


async def test_a_file_that_is_not_sqlite_is_refused(tmp_path):
    path = tmp_path / "notes.sqlite3"
    path.write_text("these are my notes, not a database\n" * 20)
    with pytest.raises(StoreOpenError, match="is not a SQLite database"):
        await Database.open(path)


def test_migration_files_are_numbered_without_gaps():
    versions = [migration.version for migration in load_migrations()]
    assert versions == list(range(1, len(versions) + 1))


def test_statements_split_on_semicolons_outside_strings_and_skip_comments():
    script = "-- heading\nCREATE TABLE t (x TEXT DEFAULT 'a;b');\n\n-- trailing\nCREATE INDEX i ON t (x);\n"
    assert split_statements(script) == [
        "-- heading\nCREATE TABLE t (x TEXT DEFAULT 'a;b');",
        "-- trailing\nCREATE INDEX i ON t (x);",
    ]


@pytest.mark.parametrize("steps", range(6))
async def test_a_write_cancelled_at_any_point_leaves_the_database_writable(tmp_path, steps):
    """A task cancelled mid-write (a shutdown, a catch-up restarted) must not leave the
    connection inside a transaction, or every later write fails."""
    database = await Database.open(tmp_path / "warden.sqlite3")
    try:
        async def write():
            async with database.transaction() as connection:
                await connection.execute("INSERT INTO bot_state (key, value) VALUES ('k', 'cancelled')")

        task = asyncio.create_task(write())
        for _ in range(steps):
            await asyncio.sleep(0)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        async with database.transaction() as connection:
            await connection.execute(
                "INSERT INTO bot_state (key, value) VALUES ('k', 'kept') "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
            )
        assert [tuple(row) for row in await database.fetchall("SELECT value FROM bot_state")] == [("kept",)]
    finally:
        await database.close()
