"""What enforcement acted on and how far it read: kept across restarts, and never lost to a failed save."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.store import Database
from bot.store.judged import FLAG_MEMORY_DAYS, JudgedLedger


async def reopened(path) -> tuple[Database, JudgedLedger]:
    database = await Database.open(path)
    ledger = JudgedLedger(database)
    await ledger.load()
    return database, ledger


async def test_flags_and_progress_survive_a_restart(tmp_path):
    database, ledger = await reopened(tmp_path / "w.sqlite3")
    assert ledger.claim(10, "post", "sig")
    assert not ledger.claim(10, "post", "sig")  # the same breach, claimed at once: no second action
    await ledger.remember_flag(1, 10, "post", "sig")
    ledger.judged(1, 5, 100)
    ledger.judged(1, 5, 90)  # an older post (an edit) never moves progress back
    await ledger.save_progress()
    await database.close()

    database, ledger = await reopened(tmp_path / "w.sqlite3")
    try:
        assert not ledger.claim(10, "post", "sig")
        assert ledger.claim(10, "title", "sig")  # a thread's title is not its starter post
        assert ledger.last_judged(5) == 100
        await ledger.forget_flag(10, "post")
        assert ledger.claim(10, "post", "sig")  # fixed, then broken again: a new breach
    finally:
        await database.close()


async def test_progress_a_failed_save_could_not_write_is_saved_next_time(tmp_path):
    database, ledger = await reopened(tmp_path / "w.sqlite3")
    ledger.judged(1, 5, 100)
    await database.close()
    with pytest.raises(Exception, match="closed"):
        await ledger.save_progress()
    database, second = await reopened(tmp_path / "w.sqlite3")
    ledger._db = database  # the same ledger, its store back (as after a transient failure)
    try:
        await ledger.save_progress()
        await second.load()
        assert second.last_judged(5) == 100
    finally:
        await database.close()


async def test_old_flags_are_forgotten_and_progress_is_kept(tmp_path):
    now = [datetime(2026, 12, 1, tzinfo=UTC)]
    database = await Database.open(tmp_path / "w.sqlite3")
    ledger = JudgedLedger(database, clock=lambda: now[0])
    try:
        await ledger.load()
        await ledger.remember_flag(1, 10, "post", "sig")
        ledger.judged(1, 5, 100)
        now[0] += timedelta(days=FLAG_MEMORY_DAYS + 1)
        assert await ledger.purge_old_flags() == 1
        assert ledger.claim(10, "post", "sig")
        await ledger.save_progress()  # progress not yet saved is still there to save
        assert [tuple(r) for r in await database.fetchall("SELECT last_message_id FROM channel_progress")] == [(100,)]
    finally:
        await database.close()
