"""Errors the store raises."""

from __future__ import annotations

from bot.errors import StartupError, WardenError


class StoreError(WardenError):
    """The database refused an operation."""


class StoreOpenError(StoreError, StartupError):
    """The database file cannot be opened or used; the message says what to do."""
