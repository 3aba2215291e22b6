"""The shipped policy and glossary as the enforcement cog loads them."""

from __future__ import annotations

import pytest

from bot.enforcement.policies import GuildPolicies, shipped_guild_policies


@pytest.fixture(scope="session")
def policies() -> GuildPolicies:
    return shipped_guild_policies()
