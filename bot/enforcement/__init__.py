"""Enforcement: which posts the rules apply to, and what the bot does about a flagged one.

Pure like ``bot.rules``: configuration parsed from settings values (``config``),
the place a channel belongs to, the plan of action given what the bot may do
(``plan``), the guild's compiled policy with its own terms, patterns and allow
phrases (``policies``), and the export/import document (``transfer``). The cogs
turn these into Discord calls.
"""
