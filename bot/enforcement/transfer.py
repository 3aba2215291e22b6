"""A guild's whole configuration as one YAML document: what ``/warden export`` writes
and ``/warden import`` reads.

The document has one key per setting, every key required, so a file read back
means exactly what it says. Reading it checks the whole file (its shape, each
value, and the guild's terms, patterns and allow phrases through the rule engine's
validators) and reports every problem with its path and line; only a file with no
problem turns into changes. ``import_changes`` compares in the exported form, so
importing a guild's own export changes nothing, and an export imported elsewhere
exports again to the same text.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    ValidationError,
    field_validator,
)

from bot import setting_keys as keys
from bot.configfile.problems import (
    Problem,
    problems_from_validation_error,
    sorted_problems,
)
from bot.configfile.yamldoc import YamlSyntaxError, parse_yaml
from bot.enforcement.config import (
    MAX_RETENTION_DAYS,
    Action,
    CwMode,
    Escalation,
    PlaceKind,
    Requirement,
    WatchedPlace,
    config_from_settings,
    pattern_to_data,
    term_to_data,
)

FORMAT_VERSION = 1
MAX_IMPORT_BYTES = 256 * 1024

# Checks the guild's own terms, patterns and allow phrases: GuildPolicies.extension_problems.
PolicyCheck = Callable[[Sequence[Any], Sequence[Any], Sequence[Any]], list[Problem]]

HEADER = f"""\
# Genre Warden: a server's whole configuration, written by /warden export.
# Edit it and hand it back with /warden import. The whole file is checked first:
# if any value is wrong, nothing changes and the answer lists each problem.
# Every key is required.
#
# version          {FORMAT_VERSION} (the shape of this file)
# action           flag | replace | delete: what happens to an untagged post
# requirement      spoiler | cw | either | both, or null for the shipped policy's own
# cw_mode          strict | lenient, or null for the shipped policy's own
# dry_run          true: only log what would be done
# retention_days   1 to {MAX_RETENTION_DAYS}: how long removed posts are kept for their authors
# modlog_channel   the mod log's channel id, or null for no mod log
# watched          channels and categories: id, kind (channel | category), and
#                  optionally requirement, action and dry_run overriding the server's
# escalation       threshold, window_hours, timeout_minutes: that many untagged posts
#                  within the window lead to a timeout; null for none
# forum_tags       forum tags that count as a content warning: tag (its id), category
# exempt_roles     ids of roles the rules do not apply to
# exempt_members   ids of members the rules do not apply to
# terms            the server's own terms: name, category, aliases (a list)
# patterns         the server's own regular expressions (RE2 syntax): category, regex
# allow            phrases that never count
"""

Snowflake = Annotated[StrictInt, Field(gt=0, lt=2**64)]


class _Place(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: Snowflake
    kind: PlaceKind
    requirement: Requirement | None = None
    action: Action | None = None
    dry_run: StrictBool | None = None


def _limited(name: str) -> Any:
    low, high = Escalation.LIMITS[name]
    return Annotated[StrictInt, Field(ge=low, le=high)]


class _Escalation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    threshold: _limited("threshold")
    window_hours: _limited("window_hours")
    timeout_minutes: _limited("timeout_minutes")


class _ForumTag(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tag: Snowflake
    category: Annotated[StrictStr, Field(min_length=1, max_length=100)]


class ConfigFile(BaseModel):
    """The exported document; terms, patterns and allow are checked by the rule engine."""

    model_config = ConfigDict(extra="forbid")

    version: Literal[1]
    action: Action
    requirement: Requirement | None
    cw_mode: CwMode | None
    dry_run: StrictBool
    retention_days: Annotated[StrictInt, Field(ge=1, le=MAX_RETENTION_DAYS)]
    modlog_channel: Snowflake | None
    watched: list[_Place]
    exempt_roles: list[Snowflake]
    exempt_members: list[Snowflake]
    escalation: _Escalation | None
    forum_tags: list[_ForumTag]
    terms: list[Any]
    patterns: list[Any]
    allow: list[StrictStr]

    @field_validator("watched")
    @classmethod
    def _each_place_once(cls, places: list[_Place]) -> list[_Place]:
        seen: set[int] = set()
        for place in places:
            if place.id in seen:
                raise ValueError(f"the place {place.id} is listed twice")
            seen.add(place.id)
        return places


# Top-level keys only this document has: the rest are a policy file's keys too.
CONFIG_MARKER_KEYS = frozenset(ConfigFile.model_fields) - {
    "version", "requirement", "cw_mode", "terms", "patterns", "allow"
}


@dataclass(frozen=True, slots=True)
class GuildIds:
    """What exists in the guild, so an import cannot point at another server's channels."""

    places: Collection[int]  # channels, forums and categories
    modlog_channels: Collection[int]  # text channels where the bot can write its mod log
    roles: Collection[int]
    forum_tags: Collection[int] = ()  # tags of the guild's forums


def export_data(values: Mapping[str, Any]) -> dict[str, Any]:
    """The guild's configuration in the document's shape, from its stored settings."""
    config = config_from_settings(values)
    modlog = values.get(keys.MODLOG_CHANNEL)
    return {
        "version": FORMAT_VERSION,
        "action": config.action,
        "requirement": config.requirement,
        "cw_mode": config.cw_mode,
        "dry_run": config.dry_run,
        "retention_days": config.retention_days,
        "modlog_channel": modlog if isinstance(modlog, int) and not isinstance(modlog, bool) else None,
        "watched": [{"id": place_id, **place.to_data()} for place_id, place in sorted(config.watched.items())],
        "exempt_roles": sorted(config.exempt_roles),
        "exempt_members": sorted(config.exempt_members),
        "escalation": config.escalation.to_data() if config.escalation else None,
        "forum_tags": _forum_tags_listed(values.get(keys.FORUM_TAGS)),
        "terms": [term_to_data(term) for term in config.terms],
        "patterns": [pattern_to_data(pattern) for pattern in config.patterns],
        "allow": list(config.allow),
    }


def export_yaml(values: Mapping[str, Any]) -> str:
    body = yaml.safe_dump(export_data(values), sort_keys=False, allow_unicode=True, default_flow_style=False, width=100)
    return HEADER + "\n" + body


def read_config(
    text: str, check_policy: PolicyCheck, ids: GuildIds | None = None
) -> tuple[dict[str, Any] | None, list[Problem]]:
    """The document's data in the exported shape, or None and every problem (with lines)."""
    try:
        document = parse_yaml(text)  # refuses aliases before expanding anything
    except YamlSyntaxError as exc:
        return None, [exc.problem]
    model, problems = check_config_data(document.data, check_policy, ids)
    if model is None:
        return None, sorted_problems(problem.at_line(document.lines) for problem in problems)
    return _normalized(model), []


def check_config_data(
    data: object, check_policy: PolicyCheck, ids: GuildIds | None = None
) -> tuple[ConfigFile | None, list[Problem]]:
    """The parsed document as a model, or None and every problem, once each (paths into the document, no lines yet).

    Without ``ids`` the document is checked on its own, as ``genre-warden config
    validate`` does away from the server: channel and role ids are not looked up.
    """
    if not isinstance(data, Mapping):
        return None, [Problem((), "must be a mapping of keys such as action and watched, as /warden export writes")]
    problems: list[Problem] = []
    model = None
    try:
        model = ConfigFile.model_validate(data)
    except ValidationError as exc:
        problems += problems_from_validation_error(exc)
    lists = [data.get(key) if isinstance(data.get(key), list) else [] for key in ("terms", "patterns", "allow")]
    problems += _pattern_fields(lists[1]) + check_policy(*lists)
    if ids is not None:
        problems += _unknown_ids(data, ids)
    # A pattern's shape and then the engine's check can find the same problem: it is listed once.
    return (None, list(dict.fromkeys(problems))) if problems else (model, [])


def import_changes(current: Mapping[str, Any], imported: Mapping[str, Any]) -> dict[str, Any]:
    """Setting key -> new stored value (None: back to the default) for what the document changes."""
    before = export_data(current)
    return {
        key: _stored(field, imported[field])
        for field, key in _SETTING_KEYS.items()
        if before[field] != imported[field]
    }


_SETTING_KEYS = {
    "action": keys.ACTION,
    "requirement": keys.REQUIREMENT,
    "cw_mode": keys.CW_MODE,
    "dry_run": keys.DRY_RUN,
    "retention_days": keys.RETENTION_DAYS,
    "modlog_channel": keys.MODLOG_CHANNEL,
    "watched": keys.WATCHED,
    "exempt_roles": keys.EXEMPT_ROLES,
    "exempt_members": keys.EXEMPT_MEMBERS,
    "escalation": keys.ESCALATION,
    "forum_tags": keys.FORUM_TAGS,
    "terms": keys.TERMS,
    "patterns": keys.PATTERNS,
    "allow": keys.ALLOW,
}


def _stored(field: str, value: Any) -> Any:
    if field == "watched":  # stored as {id: place}, JSON keys being text
        value = {str(item["id"]): {k: v for k, v in item.items() if k != "id"} for item in value}
    if field == "forum_tags":  # stored as {tag id: category}
        value = {str(item["tag"]): item["category"] for item in value}
    return value if value not in (None, [], {}) else None


def _normalized(model: ConfigFile) -> dict[str, Any]:
    data = model.model_dump()
    data["watched"] = [
        {
            "id": place["id"],
            **WatchedPlace(
                place["id"], place["kind"], place["requirement"], place["action"], place["dry_run"]
            ).to_data(),
        }
        for place in sorted(data["watched"], key=lambda place: place["id"])
    ]
    data["forum_tags"] = sorted(
        ({"tag": item.tag, "category": item.category.strip()} for item in model.forum_tags),
        key=lambda item: item["tag"],
    )
    data["exempt_roles"] = sorted(set(model.exempt_roles))
    data["exempt_members"] = sorted(set(model.exempt_members))
    # The engine accepted these; store them trimmed and with every field, as the commands do.
    data["terms"] = [
        {
            "name": t["name"].strip(),
            "category": t["category"].strip(),
            "aliases": [a.strip() for a in t.get("aliases", [])],
        }
        for t in model.terms
    ]
    data["patterns"] = [{"category": p["category"].strip(), "regex": p["regex"]} for p in model.patterns]
    data["allow"] = [phrase.strip() for phrase in model.allow]
    return data


def _pattern_fields(patterns: list[Any]) -> list[Problem]:
    # The engine's patterns may carry a name; a server's patterns are named by their regex.
    return [
        Problem(("patterns", index, field), "is not a known field")
        for index, item in enumerate(patterns)
        if isinstance(item, Mapping)
        for field in item
        if field not in ("category", "regex")
    ]


def _unknown_ids(data: Mapping[str, Any], ids: GuildIds) -> list[Problem]:
    """Ids that name nothing on this server; read from the raw data, so they show beside any other problem."""

    def listed(key: str) -> list[Any]:
        value = data.get(key)
        return value if isinstance(value, list) else []

    problems = [
        Problem(("watched", index, "id"), "no channel or category on this server has this id")
        for index, place in enumerate(listed("watched"))
        if isinstance(place, Mapping) and _is_id(place.get("id")) and place["id"] not in ids.places
    ]
    problems += [
        Problem(("exempt_roles", index), "no role on this server has this id")
        for index, role_id in enumerate(listed("exempt_roles"))
        if _is_id(role_id) and role_id not in ids.roles
    ]
    problems += [
        Problem(("forum_tags", index, "tag"), "no forum on this server has a tag with this id")
        for index, item in enumerate(listed("forum_tags"))
        if isinstance(item, Mapping) and _is_id(item.get("tag")) and item["tag"] not in ids.forum_tags
    ]
    modlog = data.get("modlog_channel")
    if _is_id(modlog) and modlog not in ids.modlog_channels:
        problems.append(Problem(
            ("modlog_channel",),
            "is not a text channel on this server where I can write the mod log "
            "(I need View Channel, Send Messages and Embed Links there)",
        ))
    return problems


def _forum_tags_listed(value: Any) -> list[dict[str, Any]]:
    """The stored {tag id: category} as the document's sorted list."""
    if not isinstance(value, Mapping):
        return []
    return [
        {"tag": int(tag), "category": category}
        for tag, category in sorted(value.items(), key=lambda item: int(item[0]))
        if str(tag).isdigit() and isinstance(category, str)
    ]


def _is_id(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
