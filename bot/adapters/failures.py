"""What a call to Discord can fail with: a refusal, or the network failing under it.

``discord.HTTPException`` covers Discord's answers (403, 404, 429 past the retries,
5xx); the rest are the connection itself: refused, reset, timed out. Every reply path
catches ``DISCORD_FAILURES`` where it used to catch only ``HTTPException``, so a dropped
connection gets the same fallback as a refusal and never an unretrieved task exception.
"""

from __future__ import annotations

import asyncio

import aiohttp
import discord

DISCORD_FAILURES: tuple[type[BaseException], ...] = (
    discord.HTTPException,
    aiohttp.ClientError,
    asyncio.TimeoutError,
    OSError,  # ConnectionResetError, ConnectionRefusedError and aiohttp's connector errors
)


def is_connection_failure(error: BaseException) -> bool:
    """True when Discord gave no answer at all (the network failed), or a 5xx saying it could not answer."""
    if isinstance(error, discord.DiscordServerError):
        return True
    return isinstance(error, DISCORD_FAILURES) and not isinstance(error, discord.HTTPException)


def describe_failure(error: BaseException) -> str:
    """One log line's worth on a failed Discord call: Discord's answer or the network's error, never a traceback."""
    if isinstance(error, discord.HTTPException):
        return f"Discord answered {error.status}" + (f" ({error.text})" if error.text else "")
    detail = str(error)
    return f"could not reach Discord ({type(error).__name__}{': ' + detail if detail else ''})"
