"""Timed clean-ups outlive the process: what is stored is what a restarted bot reads back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.store import Database
from bot.store.cleanups import CleanupRepository, PendingCleanup

NOON = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


async def test_pending_clean_ups_come_back_soonest_first_after_reopening(tmp_path):
    path = tmp_path / "warden.sqlite3"
    database = await Database.open(path)
    repository = CleanupRepository(database)
    await repository.add(channel_id=1, message_id=11, due_at=NOON + timedelta(seconds=120))
    await repository.add(channel_id=2, message_id=22, due_at=NOON)
    await database.close()

    reopened = await Database.open(path)
    try:
        assert await CleanupRepository(reopened).pending() == [
            PendingCleanup(2, 22, NOON), PendingCleanup(1, 11, NOON + timedelta(seconds=120)),
        ]
    finally:
        await reopened.close()


async def test_a_done_clean_up_is_removed_and_a_repeat_keeps_one_row(database):
    repository = CleanupRepository(database)
    await repository.add(channel_id=1, message_id=11, due_at=NOON)
    await repository.add(channel_id=1, message_id=11, due_at=NOON + timedelta(seconds=5))
    assert await repository.pending() == [PendingCleanup(1, 11, NOON + timedelta(seconds=5))]
    await repository.remove(11)
    await repository.remove(11)  # already gone: nothing to do
    assert await repository.pending() == []
