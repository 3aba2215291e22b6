"""The bot's enforcement state: each channel's route is worked out once, remembered, and dropped when it may be wrong.

Built as the bot builds it (``WardenBot`` when its store opens): a real settings
repository and guild glossaries on a database in a temporary folder, and the shipped policy.
"""

from __future__ import annotations

import pytest

from bot import setting_keys
from bot.adapters import routes
from bot.adapters.routes import EnforcementState
from bot.enforcement.config import WatchedPlace
from bot.guild_glossary.service import GuildGlossaries
from bot.resources import shipped_config_file
from bot.rules import policy_from_yaml
from bot.store import SettingsRepository
from bot.store.glossary_repo import GlossaryRepository

GUILD, OTHER_GUILD = 111, 112
MOD = 222
SHELF, ELSEWHERE = 300, 301  # categories: SHELF is watched
CHANNEL, WATCHED_CHANNEL = 400, 401


@pytest.fixture
async def settings(database) -> SettingsRepository:
    repository = SettingsRepository(database)
    await repository.load()
    await repository.set(GUILD, setting_keys.WATCHED, {str(SHELF): {"kind": "category"}}, actor_id=MOD)
    await repository.set(OTHER_GUILD, setting_keys.WATCHED, {str(SHELF): {"kind": "category"}}, actor_id=MOD)
    return repository


@pytest.fixture
async def state(database, settings, shipped) -> EnforcementState:
    glossaries = GuildGlossaries(shipped, GlossaryRepository(database))
    await glossaries.load()
    return EnforcementState(
        settings, glossaries, policy_from_yaml(shipped_config_file("policy.yaml").read_text("utf-8"))
    )


@pytest.fixture
def builds(state, monkeypatch) -> list[int]:
    """The channel ids whose route was worked out (not read from the table), in order."""
    built: list[int] = []
    build = state._build_route

    def counting(guild_id, channel_id, parent_id, category_id):
        built.append(channel_id)
        return build(guild_id, channel_id, parent_id, category_id)

    monkeypatch.setattr(state, "_build_route", counting)
    return built


def place_of(route) -> WatchedPlace | None:
    return None if route is None else route.place


async def test_a_route_is_worked_out_once_per_channel(state, builds):
    first = state.route(GUILD, CHANNEL, None, SHELF)
    assert first is not None and first.place == WatchedPlace(SHELF, "category")
    assert first.policy is state.policy(GUILD) and first.config is state.config(GUILD)
    assert state.route(GUILD, CHANNEL, None, SHELF) is first
    assert builds == [CHANNEL]


async def test_a_moved_channel_is_judged_by_its_new_place_with_nothing_dropped(state, builds):
    assert state.route(GUILD, CHANNEL, None, ELSEWHERE) is None
    assert state.route(OTHER_GUILD, CHANNEL, None, SHELF) is not None

    # The channel moved into the watched category: its new place is a new key in the table.
    assert place_of(state.route(GUILD, CHANNEL, None, SHELF)) == WatchedPlace(SHELF, "category")
    # ...and out of it again: the old answer is still right for the old place.
    assert state.route(GUILD, CHANNEL, None, ELSEWHERE) is None

    assert builds == [CHANNEL, CHANNEL, CHANNEL]
    assert state.route(OTHER_GUILD, CHANNEL, None, SHELF) is not None


async def test_a_thread_seen_without_its_parent_is_judged_once_the_parent_is_known(state, builds):
    thread = 500
    assert state.route(GUILD, thread, None, None) is None  # a post before the bot knew the thread
    route = state.route(GUILD, thread, WATCHED_CHANNEL - 1, SHELF)  # its parent sits in the watched category
    assert place_of(route) == WatchedPlace(SHELF, "category")
    assert builds == [thread, thread]


async def test_a_settings_change_drops_the_guilds_routes(state, settings):
    assert place_of(state.route(GUILD, CHANNEL, None, SHELF)) == WatchedPlace(SHELF, "category")
    assert state.route(GUILD, WATCHED_CHANNEL, None, None) is None

    await settings.set(GUILD, setting_keys.WATCHED, {str(WATCHED_CHANNEL): {"kind": "channel", "requirement": "cw"}},
                       actor_id=MOD)

    assert state.route(GUILD, CHANNEL, None, SHELF) is None
    route = state.route(GUILD, WATCHED_CHANNEL, None, None)
    assert route is not None and route.requirement == "cw" and not route.has_exemptions
    await settings.set(GUILD, setting_keys.EXEMPT_MEMBERS, [MOD], actor_id=MOD)
    assert state.route(GUILD, WATCHED_CHANNEL, None, None).has_exemptions


async def test_the_table_starts_over_at_routes_per_guild_and_routes_still_resolve(state, builds, monkeypatch):
    monkeypatch.setattr(routes, "ROUTES_PER_GUILD", 3)
    # Channels in the watched category and elsewhere; the first three fill the table.
    channels = {401: SHELF, 402: ELSEWHERE, 403: SHELF, 404: ELSEWHERE, 405: SHELF}

    def resolve(channel_id: int):
        return place_of(state.route(GUILD, channel_id, None, channels[channel_id]))

    def expected(channel_id: int):
        return WatchedPlace(SHELF, "category") if channels[channel_id] == SHELF else None

    for channel_id in (401, 402, 403):
        assert resolve(channel_id) == expected(channel_id)
    assert resolve(401) == expected(401)  # remembered
    assert builds == [401, 402, 403]
    assert len(state._routes[GUILD]) == 3

    assert resolve(404) == expected(404)  # a fourth channel: the table starts over with it alone
    assert len(state._routes[GUILD]) == 1
    assert resolve(401) == expected(401)  # worked out again, correctly
    assert resolve(404) == expected(404)  # still remembered
    assert builds == [401, 402, 403, 404, 401]

    for channel_id in channels:  # whatever was dropped, every route is right
        assert resolve(channel_id) == expected(channel_id)
        assert len(state._routes[GUILD]) <= 3
    assert state.route(OTHER_GUILD, 401, None, SHELF) is not None  # each guild has a table of its own
