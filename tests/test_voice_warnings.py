"""The bot's logging set-up silences discord.py's warnings about voice support, and only those."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROGRAM = """
import logging, warnings
from bot.logging_setup import configure_logging
configure_logging("INFO")
import discord
discord.Client(intents=discord.Intents.none())
warnings.warn("another deprecation", DeprecationWarning)
logging.getLogger("discord.client").warning("another discord warning")
"""


def test_starting_logs_nothing_about_voice_but_other_warnings_still_show():
    result = subprocess.run(
        [sys.executable, "-W", "default", "-c", PROGRAM], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    for noise in ("PyNaCl", "davey", "audioop"):
        assert noise not in result.stderr
    assert "DeprecationWarning: another deprecation" in result.stderr
    assert "another discord warning" in result.stderr
