"""Fixtures every test folder may use: the shipped glossary, read and checked once per session."""

from __future__ import annotations

import pytest

from bot.glossary import Glossary, load_glossary
from bot.resources import shipped_config_file


@pytest.fixture(scope="session")
def shipped() -> Glossary:
    return load_glossary(shipped_config_file("glossary.yaml"))
