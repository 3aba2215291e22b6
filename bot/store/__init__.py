"""SQLite storage: one aiosqlite connection, numbered migrations, repositories.

Cogs never hold SQL: they call repositories, which hand back dataclasses.
"""

from bot.store.database import Database
from bot.store.errors import StoreError, StoreOpenError
from bot.store.settings_repo import AuditEntry, SettingsRepository

__all__ = ["AuditEntry", "Database", "SettingsRepository", "StoreError", "StoreOpenError"]
