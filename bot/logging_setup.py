"""Logging for the process, with a filter that keeps secrets out of every log line.

discord.py does not log the token, but a traceback or a third-party library might
print it; the filter replaces any known secret in a record's final text.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterable

REDACTED = "[redacted]"


class RedactSecrets(logging.Filter):
    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self._secrets = [secret for secret in secrets if secret and len(secret) >= 8]

    def filter(self, record: logging.LogRecord) -> bool:
        if not self._secrets:
            return True
        message = record.getMessage()
        text = message
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        exc_text = record.exc_text or ""
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
            exc_text = exc_text.replace(secret, REDACTED)
        if text != message:
            record.msg, record.args = text, None
        if record.exc_text:
            record.exc_text = exc_text
        return True


def ignore_audioop_deprecation() -> None:
    """discord.py imports ``audioop`` for voice, which this bot does not use; Python 3.11 and 3.12 call it
    deprecated at that import. Only that warning is ignored; it must be in place before discord.py loads."""
    warnings.filterwarnings("ignore", message="'audioop' is deprecated", category=DeprecationWarning)


def quiet_unused_voice_support() -> None:
    """No warnings at start-up about voice support the bot never uses (PyNaCl, davey, audioop).

    discord.py logs "PyNaCl is not installed" and "davey is not installed" once, when
    the first client is built, unless ``VoiceClient.warn_nacl``/``warn_dave`` are off.
    """
    ignore_audioop_deprecation()
    from discord.voice_client import VoiceClient  # imported here: only `genre-warden run` loads discord.py

    VoiceClient.warn_nacl = False
    VoiceClient.warn_dave = False


def configure_logging(level: str, secrets: Iterable[str] = ()) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)-8s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # These log every request or every database call at DEBUG and would drown our own lines.
    for noisy in ("discord.http", "aiosqlite"):
        logging.getLogger(noisy).setLevel(max(logging.INFO, logging.getLevelName(level)))
    quiet_unused_voice_support()
