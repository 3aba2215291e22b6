-- Posts the bot removed, kept so their authors always get their words back, and
-- each member's violations, for the escalation ladder.

CREATE TABLE held_posts (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    guild_id      INTEGER NOT NULL,
    channel_id    INTEGER NOT NULL,
    message_id    INTEGER NOT NULL,
    author_id     INTEGER NOT NULL,
    content       TEXT    NOT NULL,
    fixed_content TEXT,
    attachments   TEXT    NOT NULL DEFAULT '[]',  -- JSON list of file names
    categories    TEXT    NOT NULL DEFAULT '[]',  -- JSON list of categories found
    action        TEXT    NOT NULL,
    held_at       TEXT    NOT NULL,
    expires_at    TEXT    NOT NULL,
    delivered_at  TEXT                            -- when the author got it back (DM or /warden recover)
);
CREATE INDEX held_posts_by_author ON held_posts (guild_id, author_id, id DESC);
CREATE INDEX held_posts_by_expiry ON held_posts (expires_at);

CREATE TABLE violations (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    guild_id   INTEGER NOT NULL,
    user_id    INTEGER NOT NULL,
    at         TEXT    NOT NULL,
    categories TEXT    NOT NULL DEFAULT '[]'
);
CREATE INDEX violations_by_member ON violations (guild_id, user_id, at);
