"""Process settings: environment variables, an optional ``.env`` file and an optional YAML file.

Precedence, strongest first: the process environment, ``.env``, the YAML settings
file, the defaults below. The token is held as a ``SecretStr`` so that printing or
logging a ``Settings`` never shows it; it is read only from the environment or
``.env``, never from the YAML file, which tends to be committed or shared.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Literal

from dotenv import dotenv_values
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, SecretStr, ValidationError

from bot.configfile.problems import Problem, format_path, problems_from_validation_error
from bot.configfile.yamldoc import YamlSyntaxError, parse_yaml
from bot.errors import StartupError

DEFAULT_DATABASE_PATH = Path("data/warden.sqlite3")

LogLevel = Annotated[
    Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"],
    BeforeValidator(lambda value: value.upper() if isinstance(value, str) else value),
]
GuildId = Annotated[int, Field(gt=0, description="a Discord server (guild) id")]

# Environment variable -> settings field. The YAML file uses the field names.
ENVIRONMENT_VARIABLES: dict[str, str] = {
    "DISCORD_TOKEN": "token",
    "WARDEN_DATABASE_PATH": "database_path",
    "WARDEN_LOG_LEVEL": "log_level",
    "WARDEN_DEV_GUILD_ID": "dev_guild_id",
}
SETTINGS_FILE_VARIABLE = "WARDEN_SETTINGS_FILE"

TOKEN_HELP = (
    "DISCORD_TOKEN is not set: copy the bot token from the Discord Developer Portal "
    "(Applications > your application > Bot > Reset Token) into the DISCORD_TOKEN "
    "environment variable or a .env file beside where you run the bot."
)


class SettingsFile(BaseModel):
    """What the optional YAML settings file may hold (no token: keep secrets in the environment)."""

    model_config = ConfigDict(extra="forbid")

    database_path: Path | None = None
    log_level: LogLevel | None = None
    dev_guild_id: GuildId | None = None


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    token: SecretStr | None = None
    database_path: Path = DEFAULT_DATABASE_PATH
    log_level: LogLevel = "INFO"
    dev_guild_id: GuildId | None = None

    def require_token(self) -> str:
        token = self.token.get_secret_value().strip() if self.token else ""
        if not token:
            raise StartupError(TOKEN_HELP)
        return token


def validate_settings_file(data: object) -> list[Problem]:
    """Problems in a YAML settings file's data (the ``settings`` file kind)."""
    if data is None:
        return []
    try:
        SettingsFile.model_validate(data)
    except ValidationError as exc:
        return problems_from_validation_error(exc)
    return []


def load_settings(
    environ: Mapping[str, str],
    *,
    dotenv_path: Path | None = Path(".env"),
    settings_file: Path | None = None,
) -> Settings:
    """Build the settings from the three sources; raise ``StartupError`` naming any bad value."""
    values: dict[str, object] = {}
    file_path = settings_file or (
        Path(environ[SETTINGS_FILE_VARIABLE]) if environ.get(SETTINGS_FILE_VARIABLE) else None
    )
    if file_path is not None:
        values.update(_read_settings_file(file_path))

    from_env: dict[str, str] = {}
    if dotenv_path is not None and dotenv_path.is_file():
        from_env.update({k: v for k, v in dotenv_values(dotenv_path).items() if v is not None})
    from_env.update(environ)
    for variable, field in ENVIRONMENT_VARIABLES.items():
        if from_env.get(variable, "").strip():
            values[field] = from_env[variable].strip()

    try:
        return Settings.model_validate(values)
    except ValidationError as exc:
        field_to_variable = {field: variable for variable, field in ENVIRONMENT_VARIABLES.items()}
        first = problems_from_validation_error(exc)[0]
        name = field_to_variable.get(str(first.path[0]), format_path(first.path)) if first.path else "settings"
        raise StartupError(f"{name} {first.message}; fix it in the environment, .env or the settings file.") from None


def _read_settings_file(path: Path) -> dict[str, object]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise StartupError(
            f"cannot read the settings file {path} ({exc.strerror}); check the path in {SETTINGS_FILE_VARIABLE}."
        ) from None
    try:
        document = parse_yaml(text)
    except YamlSyntaxError as exc:
        raise StartupError(f"the settings file {path} {exc.problem.message} (line {exc.problem.line}).") from None
    problems = [problem.at_line(document.lines) for problem in validate_settings_file(document.data)]
    if problems:
        listed = "; ".join(str(problem) for problem in problems)
        raise StartupError(
            f"the settings file {path} has problems ({listed}); "
            f"run 'genre-warden config validate {path}' for details."
        )
    return {key: value for key, value in (document.data or {}).items() if value is not None}
