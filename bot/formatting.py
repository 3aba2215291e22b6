"""Small helpers for showing values and user text safely in Discord messages."""

from __future__ import annotations

import json
from typing import Any

import discord


def human_bytes(size: int) -> str:
    value = float(size)
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{value:.0f} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


def human_duration(seconds: float) -> str:
    seconds = int(seconds)
    days, rest = divmod(seconds, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes, seconds = divmod(rest, 60)
    parts = [f"{days}d"] if days else []
    if days or hours:
        parts.append(f"{hours}h")
    if days or hours or minutes:
        parts.append(f"{minutes}m")
    parts.append(f"{seconds}s")
    return " ".join(parts)


def make_inert(text: str) -> str:
    """Markdown and mentions in ``text`` escaped, so it shows as typed and pings nobody."""
    return discord.utils.escape_mentions(discord.utils.escape_markdown(text))


def count_of(count: int, singular: str, plural: str) -> str:
    """``count_of(1, "entry", "entries")`` -> ``1 entry``; ``count_of(3, ...)`` -> ``3 entries``."""
    return f"{count} {singular if count == 1 else plural}"


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def escape_user_text(text: str, *, limit: int = 200) -> str:
    """User text made inert: markdown and mentions escaped, cut to ``limit`` characters."""
    return make_inert(shorten(text, limit))


def show_setting_value(value: Any, *, limit: int = 120) -> str:
    """A stored setting value as short inline text; ``None`` reads as 'default'."""
    if value is None:
        return "*default*"
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    return escape_user_text(text, limit=limit)
