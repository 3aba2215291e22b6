"""The glossary repository: layer rows with their audit rows in one transaction, and lookup counts."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime

import pytest

from bot.store import Database, SettingsRepository
from bot.store.glossary_repo import REMOVED, GlossaryRepository

GUILD = 111
OTHER_GUILD = 112
MOD = 222
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
KEMONOMIMI = {"id": "kemonomimi", "term": "kemonomimi", "category": "archetypes", "summary": "Animal ears."}


@pytest.fixture
def repository(database):
    return GlossaryRepository(database, clock=lambda: NOW)


def audit_rows(database: Database) -> list[tuple]:
    with sqlite3.connect(database.path) as connection:
        return connection.execute(
            "SELECT guild_id, actor_id, changed_at, key, old_value, new_value FROM settings_audit ORDER BY id"
        ).fetchall()


async def test_entries_and_removals_round_trip_per_guild(repository):
    await repository.write(GUILD, {"kemonomimi": KEMONOMIMI, "netori": REMOVED}, actor_id=MOD)
    await repository.write(OTHER_GUILD, {"yandere": REMOVED}, actor_id=MOD)

    rows = await repository.guild_rows(GUILD)
    assert [(row.entry_id, row.entry, row.removed) for row in rows] == [
        ("kemonomimi", KEMONOMIMI, False),
        ("netori", None, True),
    ]
    assert rows[0].updated_at == NOW and rows[0].updated_by == MOD
    assert [(row.guild_id, row.entry_id) for row in await repository.all_rows()] == [
        (GUILD, "kemonomimi"),
        (GUILD, "netori"),
        (OTHER_GUILD, "yandere"),
    ]


async def test_every_change_writes_an_audit_row_with_old_and_new_json(database, repository):
    await repository.write(GUILD, {"kemonomimi": KEMONOMIMI}, actor_id=MOD)
    changed = {**KEMONOMIMI, "summary": "Cat or fox ears."}
    await repository.write(GUILD, {"kemonomimi": changed, "netori": REMOVED}, actor_id=MOD + 1)
    await repository.write(GUILD, {"kemonomimi": None, "netori": None}, actor_id=MOD)

    rows = [(r[1], r[3], r[4] and json.loads(r[4]), r[5] and json.loads(r[5])) for r in audit_rows(database)]
    assert rows == [
        (MOD, "glossary:kemonomimi", None, KEMONOMIMI),
        (MOD + 1, "glossary:kemonomimi", KEMONOMIMI, changed),
        (MOD + 1, "glossary:netori", None, "removed"),
        (MOD, "glossary:kemonomimi", changed, None),
        (MOD, "glossary:netori", "removed", None),
    ]
    assert {r[2] for r in audit_rows(database)} == {NOW.isoformat()}
    assert await repository.guild_rows(GUILD) == []


async def test_the_settings_history_shows_glossary_changes(database, repository):
    await repository.write(GUILD, {"netori": REMOVED}, actor_id=MOD)

    (entry,) = await SettingsRepository(database).history(GUILD)
    assert (entry.key, entry.old_value, entry.new_value, entry.actor_id) == ("glossary:netori", None, "removed", MOD)


async def test_writing_the_same_values_again_changes_and_records_nothing(database, repository):
    assert await repository.write(GUILD, {"kemonomimi": KEMONOMIMI}, actor_id=MOD) == {"kemonomimi"}
    assert await repository.write(GUILD, {"kemonomimi": dict(reversed(KEMONOMIMI.items()))}, actor_id=MOD) == set()
    assert await repository.write(GUILD, {"yandere": None}, actor_id=MOD) == set()
    assert len(audit_rows(database)) == 1


async def test_replace_makes_the_changes_the_whole_layer(repository):
    await repository.write(GUILD, {"kemonomimi": KEMONOMIMI, "netori": REMOVED}, actor_id=MOD)

    changed = await repository.write(GUILD, {"yandere": REMOVED, "netori": REMOVED}, actor_id=MOD, replace=True)

    assert changed == {"yandere", "kemonomimi"}
    assert [row.entry_id for row in await repository.guild_rows(GUILD)] == ["netori", "yandere"]


async def test_a_write_that_fails_midway_leaves_every_row_as_it_was(database, repository):
    await repository.write(GUILD, {"kemonomimi": KEMONOMIMI}, actor_id=MOD)
    async with database.transaction() as connection:
        await connection.execute(
            "CREATE TRIGGER refuse_netori BEFORE INSERT ON settings_audit WHEN NEW.key = 'glossary:netori' "
            "BEGIN SELECT RAISE(ABORT, 'audit log refused'); END"
        )

    with pytest.raises(sqlite3.IntegrityError, match="audit log refused"):
        await repository.write(GUILD, {"kemonomimi": None, "netori": REMOVED}, actor_id=MOD, replace=True)

    assert [(row.entry_id, row.entry) for row in await repository.guild_rows(GUILD)] == [("kemonomimi", KEMONOMIMI)]
    assert len(audit_rows(database)) == 1


async def test_the_table_refuses_a_row_that_is_both_entry_and_removal(database):
    with pytest.raises(sqlite3.IntegrityError):
        async with database.transaction() as connection:
            await connection.execute("INSERT INTO guilds (guild_id, first_seen) VALUES (1, 'now')")
            await connection.execute(
                "INSERT INTO glossary_entries (guild_id, entry_id, removed, entry, updated_at, updated_by) "
                "VALUES (1, 'x', 1, '{}', 'now', 2)"
            )


async def test_lookups_are_counted_per_guild_query_and_outcome(repository):
    for query, found in [("netorare", True), ("netorare", True), ("tsundere", True), ("kemonomimi", False)]:
        await repository.record_lookup(GUILD, query, found=found)
    await repository.record_lookup(OTHER_GUILD, "tsundere", found=True)

    top = await repository.top_lookups(GUILD, found=True)
    assert [(c.query, c.count) for c in top] == [("netorare", 2), ("tsundere", 1)]
    unknown = await repository.top_lookups(GUILD, found=False)
    assert [(c.query, c.count, c.found, c.last_at) for c in unknown] == [("kemonomimi", 1, False, NOW)]
    assert [c.query for c in await repository.top_lookups(GUILD, found=True, limit=1)] == ["netorare"]
