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
