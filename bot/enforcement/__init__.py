"""Enforcement: which posts the rules apply to, and what the bot does about a flagged one.

Pure like ``bot.rules``: configuration parsed from settings values, the place a
channel belongs to, and the plan of action given what the bot may do. The
enforcement cog turns a plan into Discord calls.
"""
