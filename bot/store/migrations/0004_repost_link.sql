-- The message the bot reposted (fixed) in place of a held post, so its author can delete it later.
ALTER TABLE held_posts ADD COLUMN repost_message_id INTEGER;
CREATE INDEX held_posts_by_repost ON held_posts (repost_message_id) WHERE repost_message_id IS NOT NULL;
