"""Fixtures every test folder may use: the shipped glossary (read and checked once per session)
and a fresh database file."""

from __future__ import annotations

import pytest

from bot.glossary import Glossary, load_glossary
from bot.resources import shipped_config_file
from bot.store import Database


@pytest.fixture(scope="session")
def shipped() -> Glossary:
    return load_glossary(shipped_config_file("glossary.yaml"))


@pytest.fixture
async def database(tmp_path):
    """A database at head in a temporary folder, closed after the test."""
    database = await Database.open(tmp_path / "warden.sqlite3")
    yield database
    await database.close()
