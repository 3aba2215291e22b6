"""Names of the per-guild settings kept in the settings repository.

One place for the names, so two cogs that read the same setting cannot drift apart.
"""

MODLOG_CHANNEL = "modlog_channel_id"
