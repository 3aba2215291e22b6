"""The settings repository: cached reads, audited writes, atomic failures, no lost updates."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime

import pytest

from bot.store import Database, SettingsRepository

GUILD = 111
MOD = 222


@pytest.fixture
async def settings(database):
    repository = SettingsRepository(database, clock=lambda: datetime(2026, 11, 23, 12, 0, tzinfo=UTC))
    await repository.load()
    return repository


def disk_value(database: Database, key: str):
    with sqlite3.connect(database.path) as connection:
        row = connection.execute(
            "SELECT value FROM guild_settings WHERE guild_id = ? AND key = ?", (GUILD, key)
        ).fetchone()
    return None if row is None else row[0]


async def test_values_round_trip_through_a_fresh_repository(database, settings):
    await settings.set(GUILD, "requirement", "spoiler", actor_id=MOD)
    await settings.set(GUILD, "watched", [10, 20], actor_id=MOD)

    reloaded = SettingsRepository(database)
    await reloaded.load()
    assert reloaded.get(GUILD, "requirement") == "spoiler"
    assert reloaded.get(GUILD, "watched") == [10, 20]
    assert reloaded.get(GUILD, "missing", "default") == "default"
    assert reloaded.get(999, "requirement") is None


async def test_every_change_writes_an_audit_row_with_old_and_new_values(settings):
    await settings.set(GUILD, "requirement", "spoiler", actor_id=MOD)
    await settings.set(GUILD, "requirement", "cw", actor_id=MOD + 1)
    await settings.reset(GUILD, "requirement", actor_id=MOD)

    history = await settings.history(GUILD)
    assert [(e.key, e.old_value, e.new_value, e.actor_id) for e in history] == [
        ("requirement", "cw", None, MOD),
        ("requirement", "spoiler", "cw", MOD + 1),
        ("requirement", None, "spoiler", MOD),
    ]
    assert history[0].changed_at == datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    assert settings.get(GUILD, "requirement") is None


async def test_setting_the_same_value_again_records_nothing(settings):
    assert await settings.set(GUILD, "requirement", "cw", actor_id=MOD) is True
    assert await settings.set(GUILD, "requirement", "cw", actor_id=MOD) is False
    assert await settings.count_history(GUILD) == 1


async def test_history_pages_newest_first(settings):
    for number in range(5):
        await settings.set(GUILD, "counter", number, actor_id=MOD)
    first = await settings.history(GUILD, limit=2)
    second = await settings.history(GUILD, limit=2, offset=2)
    assert [e.new_value for e in first + second] == [4, 3, 2, 1]


async def test_a_write_that_fails_midway_leaves_disk_and_cache_unchanged(database, settings):
    await settings.set(GUILD, "requirement", "spoiler", actor_id=MOD)
    # The settings row is written first, then the audit row; make the audit insert fail.
    async with database.transaction() as connection:
        await connection.execute(
            "CREATE TRIGGER refuse_audit BEFORE INSERT ON settings_audit "
            "BEGIN SELECT RAISE(ABORT, 'audit log refused'); END"
        )
    with pytest.raises(sqlite3.IntegrityError, match="audit log refused"):
        await settings.set(GUILD, "requirement", "cw", actor_id=MOD)

    assert settings.get(GUILD, "requirement") == "spoiler"
    assert disk_value(database, "requirement") == '"spoiler"'
    assert await settings.count_history(GUILD) == 1


async def test_a_value_that_cannot_be_stored_is_refused_before_anything_changes(database, settings):
    with pytest.raises(ValueError, match="cannot be stored"):
        await settings.set(GUILD, "requirement", object(), actor_id=MOD)
    assert settings.get(GUILD, "requirement") is None
    assert disk_value(database, "requirement") is None


async def test_several_keys_change_in_one_transaction(database, settings):
    await settings.set(GUILD, "a", 1, actor_id=MOD)
    async with database.transaction() as connection:
        await connection.execute(
            "CREATE TRIGGER refuse_b BEFORE INSERT ON guild_settings WHEN NEW.key = 'b' "
            "BEGIN SELECT RAISE(ABORT, 'no b'); END"
        )
    with pytest.raises(sqlite3.IntegrityError):
        await settings.apply(GUILD, {"a": 2, "b": 3}, actor_id=MOD)
    assert settings.get(GUILD, "a") == 1
    assert disk_value(database, "a") == "1"


async def test_concurrent_updates_in_one_process_lose_nothing(settings):
    async def add(item: int) -> None:
        await settings.update(GUILD, "watched", lambda current: [*current, item], actor_id=MOD, default=[])

    await asyncio.gather(*(add(item) for item in range(20)))
    assert sorted(settings.get(GUILD, "watched")) == list(range(20))
    assert await settings.count_history(GUILD) == 20


async def test_two_connections_to_one_file_do_not_lose_an_update(tmp_path):
    path = tmp_path / "shared.sqlite3"
    first_db, second_db = await Database.open(path), await Database.open(path)
    try:
        first, second = SettingsRepository(first_db), SettingsRepository(second_db)

        async def add(repository: SettingsRepository, item: int) -> None:
            await repository.update(GUILD, "watched", lambda current: [*current, item], actor_id=MOD, default=[])

        await asyncio.gather(*(add(first if n % 2 else second, n) for n in range(10)))
        check = SettingsRepository(first_db)
        await check.load()
        assert sorted(check.get(GUILD, "watched")) == list(range(10))
    finally:
        await first_db.close()
        await second_db.close()


async def test_listeners_hear_about_committed_changes_only(database, settings):
    heard = []
    settings.add_listener(lambda guild_id, keys: heard.append((guild_id, keys)))
    await settings.set(GUILD, "requirement", "cw", actor_id=MOD)
    await settings.set(GUILD, "requirement", "cw", actor_id=MOD)  # unchanged: no event
    with pytest.raises(ValueError):
        await settings.set(GUILD, "requirement", {1, 2}, actor_id=MOD)
    assert heard == [(GUILD, frozenset({"requirement"}))]


async def test_snapshots_do_not_change_under_later_writes(settings):
    await settings.set(GUILD, "requirement", "cw", actor_id=MOD)
    before = settings.snapshot(GUILD)
    await settings.set(GUILD, "requirement", "both", actor_id=MOD)
    assert before["requirement"] == "cw"
    assert settings.snapshot(GUILD)["requirement"] == "both"
    with pytest.raises(TypeError):
        before["requirement"] = "x"  # type: ignore[index]


async def test_close_waits_for_the_write_in_flight(database, settings):
    write = asyncio.create_task(settings.set(GUILD, "requirement", "cw", actor_id=MOD))
    await asyncio.sleep(0)
    await database.close()
    await write
    assert disk_value(database, "requirement") == '"cw"'
