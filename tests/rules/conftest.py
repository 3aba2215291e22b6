"""Shared fixtures for the rule engine tests, and one deterministic hypothesis profile."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, settings

from bot.resources import shipped_config_file
from bot.rules import CompiledPolicy, GuildPolicy, MessageFacts, Verdict, compile_policy, evaluate, policy_from_yaml

# Derandomized so a run is repeatable; few enough examples that tests/rules stays fast.
# Tests opt in with @settings(parent=settings.get_profile("rules")), so loading this
# conftest changes nothing for hypothesis tests elsewhere in the suite.
settings.register_profile(
    "rules", derandomize=True, max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@pytest.fixture(scope="session")
def default_policy() -> GuildPolicy:
    return policy_from_yaml(shipped_config_file("policy.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def default_compiled(default_policy: GuildPolicy) -> CompiledPolicy:
    return compile_policy(default_policy)


@pytest.fixture(scope="session")
def judge(default_compiled: CompiledPolicy):
    """``judge(content, requirement=None)`` -> Verdict under the default policy."""

    def run(content: str, **overrides) -> Verdict:
        return evaluate(MessageFacts(content), default_compiled, **overrides)

    return run
