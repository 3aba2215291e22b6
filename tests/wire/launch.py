"""Run ``genre-warden run`` with discord.py pointed at a loopback Discord (see fake_discord.py).

Usage: python tests/wire/launch.py BASE_URL [genre-warden arguments...]
"""

import sys

import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

base_url, *arguments = sys.argv[1:]
Route.BASE = f"{base_url}/api/v10"
DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(base_url.replace("http", "ws", 1) + "/gateway")

from bot.cli import main  # noqa: E402  (after the patch, as the bot would import it)

raise SystemExit(main(arguments or ["run"]))
