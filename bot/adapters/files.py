"""A text sent as a file: what an answer attaches when it is too long to show whole."""

from __future__ import annotations

import io

import discord


def attachment(text: str, filename: str) -> discord.File:
    return discord.File(io.BytesIO(text.encode("utf-8")), filename=filename)
