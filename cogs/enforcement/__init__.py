"""Enforcement in watched channels: flag, repost fixed, or delete and hand back untagged posts.

``_cog`` judges (message handler, listeners, member commands); ``_actions`` acts on a flagged
post; ``_views`` holds the Repost-fixed button.
"""

from bot.app import WardenBot
from cogs.enforcement._cog import Enforcement


async def setup(bot: WardenBot) -> None:
    await bot.add_cog(Enforcement(bot))
