"""The action ladder: the strongest step the bot may take, and the memo that answers it for every flagged post."""

from __future__ import annotations

from itertools import chain, combinations

import discord
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.adapters.places import ENFORCEMENT_PERMISSIONS, granted_names
from bot.enforcement.plan import FALLBACKS, STEP_NEEDS, plan_action

EVERY_GRANT = [
    frozenset(names)
    for names in chain.from_iterable(
        combinations(ENFORCEMENT_PERMISSIONS, size) for size in range(len(ENFORCEMENT_PERMISSIONS) + 1)
    )
]


@given(st.integers(min_value=0, max_value=(1 << 53) - 1))
def test_granted_names_reads_the_permissions_as_their_flags_do(value: int) -> None:
    permissions = discord.Permissions(value)
    assert granted_names(permissions) == {name for name in ENFORCEMENT_PERMISSIONS if getattr(permissions, name)}


@pytest.mark.parametrize("chosen", sorted(FALLBACKS))
@pytest.mark.parametrize("dry_run", [False, True])
def test_the_memo_answers_as_the_ladder_does_for_every_grant(chosen: str, dry_run: bool) -> None:
    for granted in EVERY_GRANT:
        plan = plan_action(chosen, granted, dry_run=dry_run)
        assert plan == plan_action.__wrapped__(chosen, granted, dry_run=dry_run)
        assert set(STEP_NEEDS[plan.step]) <= granted
        stronger = FALLBACKS[chosen][: FALLBACKS[chosen].index(plan.step)]
        assert all(not set(STEP_NEEDS[step]) <= granted for step in stronger)


def test_a_missing_webhook_permission_falls_back_to_delete_and_says_why() -> None:
    granted = frozenset(ENFORCEMENT_PERMISSIONS) - {"manage_webhooks"}
    plan = plan_action("replace", granted)
    assert (plan.step, plan.fell_back, plan.missing) == ("delete", True, ("manage_webhooks",))
    assert plan_action("replace", frozenset()).step == "log"
