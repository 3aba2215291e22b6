"""The one SQLite connection the bot uses, opened in WAL mode with foreign keys on.

Writes go through ``transaction()``, which serialises them behind one lock and
wraps them in ``BEGIN IMMEDIATE ... COMMIT``: a transaction either lands whole or
is rolled back whole, and ``close()`` waits for the one in flight, so a shutdown
never leaves half-written rows.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from bot.store.errors import StoreError, StoreOpenError
from bot.store.migrations import apply_migrations

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5_000


class Database:
    def __init__(self, path: Path, connection: aiosqlite.Connection) -> None:
        self.path = path
        self._connection = connection
        self._write_lock = asyncio.Lock()
        self._closed = False

    @classmethod
    async def open(cls, path: Path) -> Database:
        """Open (creating if needed) the database at ``path`` and bring its schema to head."""
        path = Path(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreOpenError(
                f"cannot create the folder for the database at {path} ({exc.strerror}); "
                "set WARDEN_DATABASE_PATH to a writable location."
            ) from None
        if path.is_dir():
            raise StoreOpenError(f"the database path {path} is a folder; set WARDEN_DATABASE_PATH to a file path.")
        try:
            connection = await aiosqlite.connect(path, isolation_level=None)
        except sqlite3.Error as exc:
            raise _open_error(path, exc) from None
        try:
            await connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            async with connection.execute("PRAGMA journal_mode = WAL") as cursor:
                (mode,) = await cursor.fetchone()
            if str(mode).lower() != "wal":
                log.warning("SQLite kept journal mode %s instead of WAL for %s", mode, path)
            await connection.execute("PRAGMA foreign_keys = ON")
            await connection.execute("PRAGMA synchronous = NORMAL")
            version = await apply_migrations(connection)
        except sqlite3.Error as exc:
            await connection.close()
            raise _open_error(path, exc) from None
        except StoreOpenError:
            await connection.close()
            raise
        log.info("Database ready at %s (schema version %d)", path, version)
        return cls(path, connection)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """One write transaction at a time; rolled back whole if anything inside raises."""
        async with self._write_lock:
            if self._closed:
                raise StoreError("the database is closed")
            try:
                # Inside the try: a task cancelled while BEGIN is queued still has it run on
                # the connection's thread, and only the rollback below ends that transaction.
                await self._connection.execute("BEGIN IMMEDIATE")
                yield self._connection
            except BaseException:
                # Shielded: a cancelled task must not leave the connection inside a transaction,
                # or every later write fails with "cannot start a transaction within a transaction".
                await asyncio.shield(self._rollback())
                raise
            else:
                await asyncio.shield(self._connection.execute("COMMIT"))

    async def _rollback(self) -> None:
        try:
            await self._connection.execute("ROLLBACK")
        except sqlite3.OperationalError:
            pass  # BEGIN never ran: there is nothing to roll back

    async def fetchall(self, sql: str, parameters: Iterable[Any] = ()) -> list[sqlite3.Row]:
        async with self._connection.execute(sql, tuple(parameters)) as cursor:
            return list(await cursor.fetchall())

    async def fetchone(self, sql: str, parameters: Iterable[Any] = ()) -> sqlite3.Row | None:
        async with self._connection.execute(sql, tuple(parameters)) as cursor:
            return await cursor.fetchone()

    def size_bytes(self) -> int:
        """The bytes on disk: the database file and its write-ahead log."""
        total = 0
        for suffix in ("", "-wal", "-shm"):
            candidate = self.path.with_name(self.path.name + suffix)
            if candidate.exists():
                total += candidate.stat().st_size
        return total

    async def close(self) -> None:
        """Wait for the write in flight, then close; safe to call twice."""
        async with self._write_lock:
            if self._closed:
                return
            self._closed = True
            await self._connection.close()


def _open_error(path: Path, exc: sqlite3.Error) -> StoreOpenError:
    text = str(exc)
    if "not a database" in text or "malformed" in text:
        return StoreOpenError(
            f"{path} is not a SQLite database (or is damaged); move it aside or set "
            "WARDEN_DATABASE_PATH to a new file."
        )
    return StoreOpenError(
        f"cannot open the database at {path} ({text}); check that the file and its folder are "
        "readable and writable, or set WARDEN_DATABASE_PATH."
    )
