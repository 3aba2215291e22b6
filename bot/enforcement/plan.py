"""What the bot will do about a flagged post, given the action chosen and what it may do.

Missing permissions never crash anything: the plan falls back to the strongest
action the bot can take and says why, so the mod log can tell the moderators.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from bot.enforcement.config import Action

Step = Literal["replace", "delete", "flag", "react", "log"]

# What each step needs in the channel, by discord.py permission name.
STEP_NEEDS: dict[str, tuple[str, ...]] = {
    "replace": ("manage_messages", "manage_webhooks", "send_messages"),
    "delete": ("manage_messages",),
    "flag": ("send_messages", "add_reactions", "read_message_history"),
    "react": ("add_reactions", "read_message_history"),
    "log": (),
}
# The ladder each chosen action falls down when a step is not allowed.
FALLBACKS: dict[str, tuple[Step, ...]] = {
    "replace": ("replace", "delete", "flag", "react", "log"),
    "delete": ("delete", "flag", "react", "log"),
    "flag": ("flag", "react", "log"),
}


@dataclass(frozen=True, slots=True)
class ActionPlan:
    chosen: Action
    step: Step
    dry_run: bool = False
    missing: tuple[str, ...] = ()  # what stopped the chosen action, when it fell back

    @property
    def fell_back(self) -> bool:
        return self.step != self.chosen


@lru_cache(maxsize=256)  # plans are immutable, and a server asks the same few questions for every flagged post
def plan_action(chosen: Action, granted: frozenset[str], *, dry_run: bool = False) -> ActionPlan:
    """The first step on ``chosen``'s ladder whose permissions are all in ``granted``."""
    missing_for_chosen = tuple(name for name in STEP_NEEDS[chosen] if name not in granted)
    for step in FALLBACKS[chosen]:
        if all(name in granted for name in STEP_NEEDS[step]):
            return ActionPlan(chosen, step, dry_run, missing_for_chosen if step != chosen else ())
    raise AssertionError("the 'log' step needs nothing and is always possible")


def next_step(plan: ActionPlan) -> ActionPlan | None:
    """The plan one step further down the ladder, after Discord refused ``plan.step`` at run time."""
    ladder = FALLBACKS[plan.chosen]
    index = ladder.index(plan.step)
    if index + 1 >= len(ladder):
        return None
    return ActionPlan(plan.chosen, ladder[index + 1], plan.dry_run, plan.missing or ("refused by Discord",))
