"""The shipped policy and glossary, as the bot loads them when its store opens."""

from __future__ import annotations

import pytest

from bot.enforcement.policies import GuildPolicies
from bot.glossary import load_glossary
from bot.resources import shipped_config_file
from bot.rules import policy_from_yaml


@pytest.fixture(scope="session")
def policies() -> GuildPolicies:
    base = policy_from_yaml(shipped_config_file("policy.yaml").read_text(encoding="utf-8"))
    return GuildPolicies(base, load_glossary(shipped_config_file("glossary.yaml")))
