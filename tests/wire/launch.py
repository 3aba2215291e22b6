"""Run ``genre-warden run`` with discord.py pointed at a loopback Discord (see fake_discord.py).

Usage: python tests/wire/launch.py BASE_URL [genre-warden arguments...]
"""

import sys

from bot.logging_setup import ignore_audioop_deprecation

# `genre-warden run` loads discord.py only after it set up logging (which ignores this warning);
# the patch below must load it first, so it ignores the warning first as the bot would.
ignore_audioop_deprecation()

import yarl  # noqa: E402
from discord.gateway import DiscordWebSocket  # noqa: E402
from discord.http import Route  # noqa: E402

base_url, *arguments = sys.argv[1:]
Route.BASE = f"{base_url}/api/v10"
DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(base_url.replace("http", "ws", 1) + "/gateway")

from bot.cli import main  # noqa: E402  (after the patch, as the bot would import it)

raise SystemExit(main(arguments or ["run"]))
