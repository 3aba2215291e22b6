"""Names of the per-guild settings kept in the settings repository.

One place for the names, so two cogs that read the same setting cannot drift apart.
"""

MODLOG_CHANNEL = "modlog_channel_id"

# Enforcement (see bot/enforcement/config.py for the shape of each value).
WATCHED = "watched"  # {place id: {"kind": "channel" | "category", "requirement": ..., "action": ...}}
ACTION = "action"  # "flag" | "replace" | "delete"
REQUIREMENT = "requirement"  # "spoiler" | "cw" | "either" | "both"
CW_MODE = "cw_mode"  # "strict" | "lenient"
DRY_RUN = "dry_run"  # bool
EXEMPT_ROLES = "exempt_roles"  # [role id]
EXEMPT_MEMBERS = "exempt_members"  # [user id]
RETENTION_DAYS = "retention_days"  # int
ESCALATION = "escalation"  # {"threshold": int, "window_hours": int, "timeout_minutes": int}; absent: off
FORUM_TAGS = "forum_tags"  # {tag id: category}: a post carrying the tag has a content warning for the category

# The guild's own additions to the shipped policy (see bot/enforcement/config.py).
TERMS = "terms"  # [{"name": str, "category": str, "aliases": [str]}]
PATTERNS = "patterns"  # [{"category": str, "regex": str}]
ALLOW = "allow"  # [phrase]
