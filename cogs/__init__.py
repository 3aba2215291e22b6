"""Discord glue: one thin cog per feature. Logic lives in ``bot/``."""
