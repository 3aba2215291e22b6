-- What enforcement already did, so that neither an edit nor a restart makes it act twice,
-- and how far it read each watched channel, so that it can catch up on what it missed.

CREATE TABLE flagged (
    target_id  INTEGER NOT NULL,  -- a message, or a thread (for its title)
    kind       TEXT    NOT NULL,  -- 'post' or 'title' (a forum post's starter message shares its thread's id)
    guild_id   INTEGER NOT NULL,
    findings   TEXT    NOT NULL,  -- the findings acted on, as a stable signature
    flagged_at TEXT    NOT NULL,
    PRIMARY KEY (target_id, kind)
);
CREATE INDEX flagged_by_time ON flagged (flagged_at);

CREATE TABLE channel_progress (
    channel_id      INTEGER PRIMARY KEY,
    guild_id        INTEGER NOT NULL,
    last_message_id INTEGER NOT NULL  -- the newest message enforcement judged there
);
