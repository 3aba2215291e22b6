"""Genre Warden: a moderation bot for genre-discussion communities."""

__version__ = "0.1.0"
