"""A guild's enforcement configuration, read from its settings values.

The settings repository stores plain JSON per key (see ``bot.setting_keys``);
this module turns a guild's snapshot into one immutable ``EnforcementConfig`` that
the message path reads without touching the database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

from bot import setting_keys as keys
from bot.rules import Pattern, Term
from bot.rules.index import category_id

Action = Literal["flag", "replace", "delete"]
Requirement = Literal["spoiler", "cw", "either", "both"]
CwMode = Literal["strict", "lenient"]
PlaceKind = Literal["channel", "category"]

ACTIONS: tuple[str, ...] = get_args(Action)
REQUIREMENTS: tuple[str, ...] = get_args(Requirement)
CW_MODES: tuple[str, ...] = get_args(CwMode)

DEFAULT_ACTION: Action = "flag"
DEFAULT_RETENTION_DAYS = 14
MAX_RETENTION_DAYS = 365


@dataclass(frozen=True, slots=True)
class WatchedPlace:
    """A channel or category whose posts (and threads and forum posts) the rules apply to."""

    place_id: int
    kind: PlaceKind
    requirement: Requirement | None = None  # None: the guild's requirement
    action: Action | None = None  # None: the guild's action
    dry_run: bool | None = None  # None: the guild's dry-run setting

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind}
        if self.requirement:
            data["requirement"] = self.requirement
        if self.action:
            data["action"] = self.action
        if self.dry_run is not None:
            data["dry_run"] = self.dry_run
        return data


@dataclass(frozen=True, slots=True)
class Effective:
    """A setting's value in a place and where it comes from: a watched place's id, or None for the guild's."""

    value: Any
    source: int | None


@dataclass(frozen=True, slots=True)
class EffectiveSettings:
    """A watched channel's settings with their sources. ``requirement.value`` None: the policy's."""

    requirement: Effective
    action: Effective
    dry_run: Effective


@dataclass(frozen=True, slots=True)
class Escalation:
    """``threshold`` violations within ``window_hours`` lead to a timeout of ``timeout_minutes``."""

    threshold: int
    window_hours: int
    timeout_minutes: int

    LIMITS = {"threshold": (2, 50), "window_hours": (1, 24 * 30), "timeout_minutes": (1, 28 * 24 * 60)}

    def reached(self, violations_in_window: int) -> bool:
        return violations_in_window >= self.threshold

    def to_data(self) -> dict[str, int]:
        return {"threshold": self.threshold, "window_hours": self.window_hours, "timeout_minutes": self.timeout_minutes}


@dataclass(frozen=True, slots=True)
class EnforcementConfig:
    watched: Mapping[int, WatchedPlace] = field(default_factory=dict)
    action: Action = DEFAULT_ACTION
    requirement: Requirement | None = None  # None: the policy's requirement
    cw_mode: CwMode | None = None  # None: the policy's mode
    dry_run: bool = False
    exempt_roles: frozenset[int] = frozenset()
    exempt_members: frozenset[int] = frozenset()
    retention_days: int = DEFAULT_RETENTION_DAYS
    # The guild's own additions to the shipped policy, in the order moderators added them.
    terms: tuple[Term, ...] = ()
    patterns: tuple[Pattern, ...] = ()
    allow: tuple[str, ...] = ()
    escalation: Escalation | None = None
    forum_tags: Mapping[int, str] = field(default_factory=dict)  # tag id -> category id (case-folded)

    def categories_tagged(self, tag_ids: Iterable[int]) -> frozenset[str]:
        """The categories whose content warning a thread's applied tags give."""
        return frozenset(self.forum_tags[tag_id] for tag_id in tag_ids if tag_id in self.forum_tags)

    def places_around(
        self, channel_id: int, parent_id: int | None, category_id: int | None
    ) -> tuple[WatchedPlace, ...]:
        """The watched places a channel sits in, nearest first: itself, its parent (threads), its category."""
        return tuple(
            self.watched[candidate] for candidate in dict.fromkeys((channel_id, parent_id, category_id))
            if candidate is not None and candidate in self.watched
        )

    def place_for(self, channel_id: int, parent_id: int | None, category_id: int | None) -> WatchedPlace | None:
        """The watched place a channel belongs to (the nearest one), with the overrides it inherits.

        Each setting comes from the nearest place that overrides it: a channel's own
        override, else its category's, else the guild's (see ``settings_for``).
        """
        around = self.places_around(channel_id, parent_id, category_id)
        if not around:
            return None
        nearest = around[0]
        return WatchedPlace(
            place_id=nearest.place_id,
            kind=nearest.kind,
            requirement=next((p.requirement for p in around if p.requirement), None),
            action=next((p.action for p in around if p.action), None),
            dry_run=next((p.dry_run for p in around if p.dry_run is not None), None),
        )

    def settings_for(
        self, channel_id: int, parent_id: int | None, category_id: int | None
    ) -> EffectiveSettings | None:
        """What applies in a channel, and where each value comes from; None when it is not watched."""
        around = self.places_around(channel_id, parent_id, category_id)
        if not around:
            return None

        def nearest(value_of: Callable[[WatchedPlace], Any], guild_value: Any) -> Effective:
            for place in around:
                if value_of(place) is not None:
                    return Effective(value_of(place), place.place_id)
            return Effective(guild_value, None)

        return EffectiveSettings(
            requirement=nearest(lambda p: p.requirement, self.requirement),
            action=nearest(lambda p: p.action, self.action),
            dry_run=nearest(lambda p: p.dry_run, self.dry_run),
        )

    def is_exempt(self, user_id: int, role_ids: frozenset[int] | set[int]) -> bool:
        return user_id in self.exempt_members or not self.exempt_roles.isdisjoint(role_ids)

    def action_for(self, place: WatchedPlace) -> Action:
        return place.action or self.action

    def requirement_for(self, place: WatchedPlace) -> Requirement | None:
        return place.requirement or self.requirement

    def dry_run_for(self, place: WatchedPlace) -> bool:
        return self.dry_run if place.dry_run is None else place.dry_run


def config_from_settings(values: Mapping[str, Any]) -> EnforcementConfig:
    """Build the configuration from stored values; a value of the wrong shape falls back to its default.

    Commands validate before they write, so a bad value means a hand-edited
    database; falling back keeps the message path running.
    """
    return EnforcementConfig(
        watched=_watched(values.get(keys.WATCHED)),
        action=_choice(values.get(keys.ACTION), ACTIONS, DEFAULT_ACTION),
        requirement=_choice(values.get(keys.REQUIREMENT), REQUIREMENTS, None),
        cw_mode=_choice(values.get(keys.CW_MODE), CW_MODES, None),
        dry_run=values.get(keys.DRY_RUN) is True,
        exempt_roles=_ids(values.get(keys.EXEMPT_ROLES)),
        exempt_members=_ids(values.get(keys.EXEMPT_MEMBERS)),
        retention_days=_retention(values.get(keys.RETENTION_DAYS)),
        escalation=_escalation(values.get(keys.ESCALATION)),
        forum_tags=_forum_tags(values.get(keys.FORUM_TAGS)),
        terms=_terms(values.get(keys.TERMS)),
        patterns=_patterns(values.get(keys.PATTERNS)),
        allow=tuple(_texts(values.get(keys.ALLOW))),
    )


def _choice(value: Any, allowed: tuple[str, ...], default: Any) -> Any:
    return value if value in allowed else default


def _ids(value: Any) -> frozenset[int]:
    if not isinstance(value, list):
        return frozenset()
    return frozenset(item for item in value if isinstance(item, int) and not isinstance(item, bool))


def _retention(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_RETENTION_DAYS:
        return value
    return DEFAULT_RETENTION_DAYS


def _forum_tags(value: Any) -> dict[int, str]:
    if not isinstance(value, dict):
        return {}
    return {
        int(tag_id): category_id(category)
        for tag_id, category in value.items()
        if isinstance(tag_id, str) and tag_id.isdigit() and isinstance(category, str) and category.strip()
    }


def _escalation(value: Any) -> Escalation | None:
    if not isinstance(value, dict):
        return None
    numbers = {}
    for name, (low, high) in Escalation.LIMITS.items():
        number = value.get(name)
        if not (isinstance(number, int) and not isinstance(number, bool) and low <= number <= high):
            return None
        numbers[name] = number
    return Escalation(**numbers)


def _texts(value: Any) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def _records(value: Any, *fields: str) -> list[dict[str, Any]]:
    """The items of a stored list that are mappings with a text in each of ``fields``."""
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, dict) and all(isinstance(item.get(f), str) for f in fields)]


def _terms(value: Any) -> tuple[Term, ...]:
    return tuple(
        Term(item["name"], item["category"], tuple(_texts(item.get("aliases"))))
        for item in _records(value, "name", "category")
    )


def _patterns(value: Any) -> tuple[Pattern, ...]:
    return tuple(Pattern(item["category"], item["regex"]) for item in _records(value, "category", "regex"))


def term_to_data(term: Term) -> dict[str, Any]:
    return {"name": term.name, "category": term.category, "aliases": list(term.aliases)}


def pattern_to_data(pattern: Pattern) -> dict[str, Any]:
    return {"category": pattern.category, "regex": pattern.regex}


def _watched(value: Any) -> dict[int, WatchedPlace]:
    if not isinstance(value, dict):
        return {}
    places = {}
    for raw_id, data in value.items():
        if not (isinstance(raw_id, str) and raw_id.isdigit() and isinstance(data, dict)):
            continue
        kind = data.get("kind")
        if kind not in ("channel", "category"):
            continue
        place_id = int(raw_id)
        places[place_id] = WatchedPlace(
            place_id=place_id,
            kind=kind,
            requirement=_choice(data.get("requirement"), REQUIREMENTS, None),
            action=_choice(data.get("action"), ACTIONS, None),
            dry_run=data["dry_run"] if isinstance(data.get("dry_run"), bool) else None,
        )
    return places


def watched_to_data(places: Mapping[int, WatchedPlace]) -> dict[str, dict[str, Any]]:
    """The stored form of the watched places (JSON object keys are strings)."""
    return {str(place_id): place.to_data() for place_id, place in sorted(places.items())}


OFF = "off"  # how a setting that is absent by default (the mod log, escalation) reads


def setting_defaults(policy_requirement: str, policy_cw_mode: str) -> dict[str, Any]:
    """Each setting's value before a moderator sets it (or after a reset), in its stored shape.

    Read from ``EnforcementConfig``'s own defaults, so the settings history cannot
    drift from what the message path applies; the requirement and the CW mode
    default to the shipped policy's.
    """
    default = EnforcementConfig()
    return {
        keys.MODLOG_CHANNEL: OFF,
        keys.WATCHED: watched_to_data(default.watched),
        keys.ACTION: default.action,
        keys.REQUIREMENT: default.requirement or policy_requirement,
        keys.CW_MODE: default.cw_mode or policy_cw_mode,
        keys.DRY_RUN: default.dry_run,
        keys.EXEMPT_ROLES: sorted(default.exempt_roles),
        keys.EXEMPT_MEMBERS: sorted(default.exempt_members),
        keys.RETENTION_DAYS: default.retention_days,
        keys.ESCALATION: default.escalation.to_data() if default.escalation else OFF,
        keys.FORUM_TAGS: dict(default.forum_tags),
        keys.TERMS: [term_to_data(term) for term in default.terms],
        keys.PATTERNS: [pattern_to_data(pattern) for pattern in default.patterns],
        keys.ALLOW: list(default.allow),
    }
