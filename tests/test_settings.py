"""Process settings: precedence of the sources, validation, and the token kept secret."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.errors import StartupError
from bot.logging_setup import REDACTED, RedactSecrets
from bot.settings import DEFAULT_DATABASE_PATH, load_settings

TOKEN = "MTAxNzU1.secret-token-value.aBcDeF"


def test_defaults_apply_when_nothing_is_set(tmp_path):
    settings = load_settings({}, dotenv_path=tmp_path / ".env")
    assert settings.database_path == DEFAULT_DATABASE_PATH
    assert settings.log_level == "INFO"
    assert settings.dev_guild_id is None
    with pytest.raises(StartupError, match="DISCORD_TOKEN is not set"):
        settings.require_token()


def test_environment_beats_dotenv_which_beats_the_yaml_file(tmp_path):
    (tmp_path / ".env").write_text("WARDEN_LOG_LEVEL=warning\nWARDEN_DATABASE_PATH=/from/dotenv.sqlite3\n")
    yaml_file = tmp_path / "warden.yaml"
    yaml_file.write_text("log_level: ERROR\ndatabase_path: /from/yaml.sqlite3\ndev_guild_id: 42\n")
    settings = load_settings(
        {"WARDEN_LOG_LEVEL": "debug", "DISCORD_TOKEN": TOKEN},
        dotenv_path=tmp_path / ".env",
        settings_file=yaml_file,
    )
    assert settings.log_level == "DEBUG"
    assert settings.database_path == Path("/from/dotenv.sqlite3")
    assert settings.dev_guild_id == 42
    assert settings.require_token() == TOKEN


def test_the_settings_file_can_be_named_in_the_environment(tmp_path):
    yaml_file = tmp_path / "warden.yaml"
    yaml_file.write_text("dev_guild_id: 7\n")
    settings = load_settings({"WARDEN_SETTINGS_FILE": str(yaml_file)}, dotenv_path=None)
    assert settings.dev_guild_id == 7


def test_a_token_in_the_yaml_file_is_refused(tmp_path):
    yaml_file = tmp_path / "warden.yaml"
    yaml_file.write_text(f"token: {TOKEN}\n")
    with pytest.raises(StartupError, match=r"line 1: token: is not a known field") as caught:
        load_settings({}, dotenv_path=None, settings_file=yaml_file)
    assert TOKEN not in str(caught.value)


def test_a_missing_settings_file_is_named(tmp_path):
    with pytest.raises(StartupError, match="cannot read the settings file"):
        load_settings({}, dotenv_path=None, settings_file=tmp_path / "absent.yaml")


def test_printing_the_settings_never_shows_the_token(tmp_path):
    settings = load_settings({"DISCORD_TOKEN": TOKEN}, dotenv_path=None)
    assert TOKEN not in repr(settings)
    assert TOKEN not in str(settings)


def test_a_blank_token_counts_as_missing():
    settings = load_settings({"DISCORD_TOKEN": "   "}, dotenv_path=None)
    with pytest.raises(StartupError):
        settings.require_token()


def test_log_records_carrying_the_token_are_redacted():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "connecting with %s", (TOKEN,), None)
    assert RedactSecrets([TOKEN]).filter(record) is True
    assert record.getMessage() == f"connecting with {REDACTED}"


def test_tracebacks_carrying_the_token_are_redacted():
    try:
        raise RuntimeError(f"bad header: Bot {TOKEN}")
    except RuntimeError:
        import sys

        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    RedactSecrets([TOKEN]).filter(record)
    assert TOKEN not in record.exc_text
    assert REDACTED in record.exc_text
