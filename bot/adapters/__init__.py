"""Discord adapters: everything that turns discord.py objects into facts, and decisions into Discord calls.

A message's path reads one way, top to bottom:

1. a gateway event reaches a cog (``cogs/enforcement``);
2. ``places`` and ``surfaces`` turn it into ids and ``MessageFacts`` (what members see);
3. ``routes`` gives the guild's cached, compiled rules for that place; ``bot.rules`` judges (pure);
4. the cog's actions carry out the plan with Discord calls, written with ``render``;
5. the store records what was held, flagged and done.

Nothing here imports a cog, and the pure packages (``bot.rules``, ``bot.glossary``,
``bot.enforcement``) import nothing from here.
"""
