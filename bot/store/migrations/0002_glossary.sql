-- A server's own glossary layer over the shipped glossary, and lookup statistics.

-- One row per (guild, entry id). Either an entry (``entry`` holds it as JSON in the
-- glossary file's field order), which overrides the shipped entry with that id or
-- adds a new one, or a removal marker (``removed`` = 1, ``entry`` NULL) that hides
-- a shipped entry on this server. No row: the shipped entry applies as it is.
-- Every change is also written to settings_audit under the key 'glossary:<id>'.
CREATE TABLE glossary_entries (
    guild_id   INTEGER NOT NULL REFERENCES guilds (guild_id) ON DELETE CASCADE,
    entry_id   TEXT    NOT NULL,
    removed    INTEGER NOT NULL DEFAULT 0 CHECK (removed IN (0, 1)),
    entry      TEXT,
    updated_at TEXT    NOT NULL,
    updated_by INTEGER NOT NULL,
    PRIMARY KEY (guild_id, entry_id),
    CHECK ((removed = 1) = (entry IS NULL))
) WITHOUT ROWID;

-- How often members looked something up. ``query`` is the entry id when the lookup
-- found an entry (so every alias counts for its entry), and the text as typed,
-- case-folded with its spaces collapsed, when it found nothing.
CREATE TABLE glossary_lookups (
    guild_id INTEGER NOT NULL REFERENCES guilds (guild_id) ON DELETE CASCADE,
    query    TEXT    NOT NULL,
    found    INTEGER NOT NULL CHECK (found IN (0, 1)),
    count    INTEGER NOT NULL,
    last_at  TEXT    NOT NULL,
    PRIMARY KEY (guild_id, query, found)
) WITHOUT ROWID;
CREATE INDEX glossary_lookups_by_count ON glossary_lookups (guild_id, found, count DESC);
