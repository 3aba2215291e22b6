"""One server's glossary: the shipped glossary with that server's own changes layered over it.

``bot.glossary`` is the pure vocabulary; this package keeps each server's layer
(stored by ``bot.store.glossary_repo``), turns moderator input and import files
into layers, and shapes the bot's answers. The cog (``cogs/glossary.py``) only
wires these pieces to slash commands.
"""

from bot.guild_glossary.layer import GlossaryLayer, layer_to_yaml, parse_layer_text
from bot.guild_glossary.service import GuildGlossaries

__all__ = ["GlossaryLayer", "GuildGlossaries", "layer_to_yaml", "parse_layer_text"]
