"""Behaviour tests: the production bot, built by ``create_bot`` as ``genre-warden run`` builds
it, with a real SQLite file in a temporary folder, driven through SimCord."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.app import WardenBot, create_bot
from bot.glossary import Glossary
from bot.setting_keys import MODLOG_CHANNEL
from bot.settings import Settings
from tests.behaviour.scenarios import GenreServer, NetworkFaults, build_genre_server, install_network_faults


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/behaviour/" in str(item.path).replace("\\", "/"):
            item.add_marker(pytest.mark.behaviour)


@pytest.fixture
def database_path(tmp_path):
    return tmp_path / "warden.sqlite3"


@pytest.fixture
def bot_settings(database_path) -> Settings:
    return Settings(database_path=database_path)


@pytest.fixture
async def simcord_bot(bot_settings, shipped: Glossary) -> AsyncIterator[WardenBot]:
    # The session's shipped glossary: each bot would otherwise read and check the file again.
    bot = create_bot(bot_settings, shipped_glossary=shipped)
    yield bot
    # SimCord detaches the bot without closing it; close it as SIGTERM would, so
    # the database connection (and its worker thread) does not outlive the test.
    await bot.close()


@pytest.fixture
def server(simcord_env) -> GenreServer:
    return build_genre_server(simcord_env)


@pytest.fixture
async def watched(simcord_env, server, simcord_bot) -> GenreServer:
    """The server with its genre channel watched and the mod log in #mod-log (``server.modlog``)."""
    server.modlog = server.guild.create_text_channel("mod-log")
    await simcord_bot.guild_settings.set(
        server.guild.id, MODLOG_CHANNEL, server.modlog.id, actor_id=server.moderator.id
    )
    result = await server.moderator.slash(server.general, "warden watch add", place=server.genre)
    assert result.response.content == f"Now watching <#{server.genre.id}>."
    return server


@pytest.fixture
def network_faults(monkeypatch) -> NetworkFaults:
    """Make SimCord's HTTP layer fail a route as a dropped connection would (``scenarios.NetworkFaults``)."""
    return install_network_faults(monkeypatch)
