-- Messages the bot posted for a while only (a flag reply, a "use /warden recover" notice), and when
-- each is to be deleted. Kept here so a restart does not leave them up for good: on start the bot
-- deletes the overdue ones and schedules the rest. A row goes once its message is deleted or gone.
CREATE TABLE timed_cleanups (
    message_id INTEGER PRIMARY KEY,
    channel_id INTEGER NOT NULL,
    due_at     TEXT    NOT NULL
);
CREATE INDEX timed_cleanups_by_due ON timed_cleanups (due_at);
