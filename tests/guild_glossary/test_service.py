"""The per-server glossary service: memory reads, checked and audited writes, listeners, fallbacks."""

from __future__ import annotations

import dataclasses
import logging
import sqlite3

import pytest

from bot.errors import UserFacingError
from bot.glossary import Glossary, entry_to_data
from bot.guild_glossary import GlossaryLayer
from bot.guild_glossary.service import GuildGlossaries
from bot.store.glossary_repo import GlossaryRepository
from tests.glossary.factories import make_entry

GUILD = 111
OTHER = 112
MOD = 222
KEMONOMIMI = make_entry("kemonomimi", term="kemonomimi", aliases=("animal ears",), category="archetypes")


@pytest.fixture
async def service(database, shipped: Glossary) -> GuildGlossaries:
    service = GuildGlossaries(shipped, GlossaryRepository(database))
    await service.load()
    return service


async def reloaded(database, shipped: Glossary) -> GuildGlossaries:
    fresh = GuildGlossaries(shipped, GlossaryRepository(database))
    await fresh.load()
    return fresh


async def test_a_server_without_changes_and_dms_read_the_shipped_glossary(service, shipped):
    assert service.glossary(GUILD) is shipped
    assert service.glossary(None) is shipped
    assert service.layer(GUILD).is_empty


async def test_an_added_entry_reaches_only_its_server_and_survives_a_reload(database, service, shipped):
    assert await service.save_entry(GUILD, KEMONOMIMI, actor_id=MOD) is True

    assert service.glossary(GUILD).lookup("animal ears") == KEMONOMIMI
    assert service.glossary(OTHER).lookup("animal ears") is None
    assert (await reloaded(database, shipped)).glossary(GUILD).lookup("animal ears") == KEMONOMIMI


async def test_the_cached_glossary_is_rebuilt_only_when_its_server_changes(service):
    await service.save_entry(GUILD, KEMONOMIMI, actor_id=MOD)
    before = service.glossary(GUILD)
    await service.save_entry(OTHER, KEMONOMIMI, actor_id=MOD)
    assert service.glossary(GUILD) is before
    assert await service.save_entry(GUILD, KEMONOMIMI, actor_id=MOD) is False
    assert service.glossary(GUILD) is before


async def test_remove_hides_a_shipped_entry_and_reset_brings_it_back(database, service, shipped):
    removed = await service.remove_entry(GUILD, "ネトリ", actor_id=MOD)  # any name of the entry will do
    assert removed.id == "netori"
    assert service.glossary(GUILD).lookup("netori") is None
    assert (await reloaded(database, shipped)).glossary(GUILD).lookup("netori") is None

    assert await service.reset_entry(GUILD, "寝取り", actor_id=MOD) == (shipped.get("netori"), True)
    assert service.glossary(GUILD).lookup("netori") == shipped.get("netori")
    assert await service.reset_entry(GUILD, "netori", actor_id=MOD) == (shipped.get("netori"), False)


async def test_removing_a_server_entry_deletes_it_and_reset_refuses_it(service):
    await service.save_entry(GUILD, KEMONOMIMI, actor_id=MOD)
    await service.remove_entry(GUILD, "kemonomimi", actor_id=MOD)
    assert service.layer(GUILD).is_empty
    with pytest.raises(UserFacingError, match="'kemonomimi' is not a shipped entry"):
        await service.reset_entry(GUILD, "kemonomimi", actor_id=MOD)
    with pytest.raises(UserFacingError, match="has no entry called 'kemonomimi'"):
        await service.remove_entry(GUILD, "kemonomimi", actor_id=MOD)


async def test_an_override_equal_to_the_shipped_entry_is_no_change(service, shipped):
    changed = dataclasses.replace(shipped.get("yandere"), summary="Ours.")
    await service.save_entry(GUILD, changed, actor_id=MOD)
    await service.save_entry(GUILD, shipped.get("yandere"), actor_id=MOD)
    assert service.layer(GUILD).is_empty


async def test_a_clash_is_refused_with_the_problems_and_nothing_changes(database, service):
    clash = dataclasses.replace(KEMONOMIMI, aliases=("NTR",))
    with pytest.raises(UserFacingError) as caught:
        await service.save_entry(GUILD, clash, actor_id=MOD)
    assert str(caught.value).startswith(
        "That change does not fit this server's glossary: 1 problem.\n"
        "• kemonomimi.aliases[0]: 'NTR' is already a name of entry netorare"
    )
    assert service.layer(GUILD).is_empty
    with sqlite3.connect(database.path) as connection:
        assert connection.execute("SELECT COUNT(*) FROM glossary_entries").fetchone()[0] == 0


async def test_removing_an_entry_a_server_entry_relates_to_is_refused(service):
    await service.save_entry(GUILD, dataclasses.replace(KEMONOMIMI, related=("tsundere",)), actor_id=MOD)
    with pytest.raises(UserFacingError, match="names 'tsundere', which is not the id of any entry"):
        await service.remove_entry(GUILD, "tsundere", actor_id=MOD)


async def test_a_failed_write_leaves_the_cache_and_the_listeners_alone(database, service):
    heard = []
    service.add_listener(heard.append)
    async with database.transaction() as connection:
        await connection.execute(
            "CREATE TRIGGER refuse BEFORE INSERT ON settings_audit BEGIN SELECT RAISE(ABORT, 'refused'); END"
        )
    with pytest.raises(sqlite3.IntegrityError):
        await service.save_entry(GUILD, KEMONOMIMI, actor_id=MOD)
    assert service.glossary(GUILD).lookup("kemonomimi") is None
    assert heard == []


async def test_listeners_hear_each_committed_change_of_a_server(service):
    heard = []
    service.add_listener(heard.append)
    service.add_listener(lambda guild_id: 1 / 0)  # a broken listener does not stop the others
    await service.save_entry(GUILD, KEMONOMIMI, actor_id=MOD)
    await service.save_entry(GUILD, KEMONOMIMI, actor_id=MOD)
    await service.remove_entry(OTHER, "netori", actor_id=MOD)
    assert heard == [GUILD, OTHER]


async def test_replace_layer_makes_an_import_the_whole_layer(service):
    await service.save_entry(GUILD, KEMONOMIMI, actor_id=MOD)
    await service.remove_entry(GUILD, "guro", actor_id=MOD)

    changed = await service.replace_layer(GUILD, GlossaryLayer(removed=frozenset({"netori"})), actor_id=MOD)

    assert changed == {"kemonomimi", "guro", "netori"}
    assert service.layer(GUILD) == GlossaryLayer(removed=frozenset({"netori"}))


async def test_a_stored_layer_that_no_longer_fits_falls_back_to_the_shipped_glossary(
    database, service, shipped, caplog
):
    await service.save_entry(GUILD, KEMONOMIMI, actor_id=MOD)
    # A newer shipped glossary takes the name "animal ears" for an entry of its own.
    newer = shipped.layered([make_entry("animal-ears", term="animal ears")])

    with caplog.at_level(logging.WARNING, logger="bot.guild_glossary.service"):
        fresh = await reloaded(database, newer)

    assert fresh.glossary(GUILD) is newer
    assert "no longer fit the shipped glossary" in caplog.text
    assert fresh.layer(GUILD).entries == (KEMONOMIMI,)  # kept, so a moderator can fix it


async def test_a_stored_entry_that_is_no_longer_valid_is_skipped(database, service, shipped, caplog):
    bad = {**entry_to_data(KEMONOMIMI), "summary": ""}
    await GlossaryRepository(database).write(GUILD, {"kemonomimi": bad}, actor_id=MOD)
    await service.remove_entry(GUILD, "netori", actor_id=MOD)

    with caplog.at_level(logging.WARNING, logger="bot.guild_glossary.service"):
        fresh = await reloaded(database, shipped)

    assert "stored glossary entry 'kemonomimi' is no longer valid" in caplog.text
    assert fresh.glossary(GUILD).lookup("netori") is None


async def test_lookups_are_counted_by_entry_and_unknown_text(service):
    shipped = service.shipped
    await service.record_lookup(GUILD, "NTR", shipped.get("netorare"))
    await service.record_lookup(GUILD, "netorare", shipped.get("netorare"))
    await service.record_lookup(GUILD, "  Kemono   MIMI ", None)
    await service.record_lookup(None, "in a DM", None)

    stats = await service.lookup_stats(GUILD)
    assert [(c.query, c.count) for c in stats.found] == [("netorare", 2)]
    assert [(c.query, c.count) for c in stats.unknown] == [("kemono mimi", 1)]


async def test_a_lookup_that_cannot_be_counted_is_logged_not_raised(database, service, caplog):
    async with database.transaction() as connection:
        await connection.execute("DROP TABLE glossary_lookups")
    with caplog.at_level(logging.WARNING, logger="bot.guild_glossary.service"):
        await service.record_lookup(GUILD, "netorare", None)
    assert "Could not count a glossary lookup" in caplog.text
