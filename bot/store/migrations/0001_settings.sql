-- Per-guild settings and the audit log of every change to them.

CREATE TABLE guilds (
    guild_id   INTEGER PRIMARY KEY,
    first_seen TEXT    NOT NULL
);

-- One row per (guild, key); the value is JSON so one table holds every setting.
CREATE TABLE guild_settings (
    guild_id   INTEGER NOT NULL REFERENCES guilds (guild_id) ON DELETE CASCADE,
    key        TEXT    NOT NULL,
    value      TEXT    NOT NULL,
    updated_at TEXT    NOT NULL,
    updated_by INTEGER NOT NULL,
    PRIMARY KEY (guild_id, key)
) WITHOUT ROWID;

-- Who changed what, when, from what to what. A NULL old value means the key was
-- unset before; a NULL new value means it was reset to the default.
CREATE TABLE settings_audit (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    guild_id   INTEGER NOT NULL REFERENCES guilds (guild_id) ON DELETE CASCADE,
    actor_id   INTEGER NOT NULL,
    changed_at TEXT    NOT NULL,
    key        TEXT    NOT NULL,
    old_value  TEXT,
    new_value  TEXT
);
CREATE INDEX settings_audit_by_guild ON settings_audit (guild_id, id DESC);

-- Small facts the bot keeps about itself, such as the fingerprint of the command
-- set it last synced, so it syncs only when the commands changed.
CREATE TABLE bot_state (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
