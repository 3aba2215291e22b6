"""One server's glossary: the shipped glossary with that server's own changes layered over it.

``bot.glossary`` is the pure vocabulary; this package keeps each server's layer
(stored by ``bot.store.glossary_repo``), turns moderator input and import files
into layers, and shapes the bot's answers. The cogs (``cogs/glossary.py`` for
members' lookups, ``cogs/glossary_admin.py`` for moderators' editing) only wire
these pieces to slash commands.
"""

# Only the layer file's format here: checking an export (``genre-warden config validate``)
# imports it, and the service below it would bring in discord.py and the store.
from bot.guild_glossary.layer import GlossaryLayer, layer_to_yaml, parse_layer_text

__all__ = ["GlossaryLayer", "layer_to_yaml", "parse_layer_text"]
