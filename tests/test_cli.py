"""The command line: help, clear failures with exit 2, config validation, the command payloads."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main

ROOT = Path(__file__).resolve().parent.parent


def run_cli(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("DISCORD_", "WARDEN_"))}
    environment.update(env or {})
    environment["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], cwd=cwd, env=environment, capture_output=True, text=True, timeout=60
    )


def test_help_lists_the_subcommands(tmp_path):
    result = run_cli("--help", cwd=tmp_path)
    assert result.returncode == 0
    for name in ("run", "config", "commands"):
        assert f"    {name} " in result.stdout


def test_run_without_a_token_exits_2_naming_discord_token(tmp_path):
    result = run_cli("run", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "DISCORD_TOKEN is not set" in lines[0]
    assert not (tmp_path / "data").exists()


def test_a_token_in_dotenv_is_read_and_a_bad_database_file_exits_2(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "warden.sqlite3").write_text("not a database, just some text\n" * 50)
    (tmp_path / ".env").write_text("DISCORD_TOKEN=abc.def.ghi-not-real\n")
    result = run_cli("run", cwd=tmp_path)
    assert result.returncode == 2
    assert "is not a SQLite database" in result.stderr
    assert "abc.def.ghi-not-real" not in result.stderr + result.stdout


def test_a_database_path_that_is_a_folder_exits_2(tmp_path):
    result = run_cli("run", cwd=tmp_path, env={"DISCORD_TOKEN": "x" * 30, "WARDEN_DATABASE_PATH": str(tmp_path)})
    assert result.returncode == 2
    assert "is a folder" in result.stderr


def test_an_invalid_settings_file_exits_2_naming_the_field(tmp_path):
    settings = tmp_path / "warden.yaml"
    settings.write_text("log_level: LOUD\n")
    result = run_cli("run", "--settings", str(settings), cwd=tmp_path, env={"DISCORD_TOKEN": "x" * 30})
    assert result.returncode == 2
    assert "line 1: log_level" in result.stderr


def test_an_invalid_environment_value_exits_2_naming_the_variable(tmp_path):
    result = run_cli("run", cwd=tmp_path, env={"DISCORD_TOKEN": "x" * 30, "WARDEN_DEV_GUILD_ID": "my-server"})
    assert result.returncode == 2
    assert result.stderr.startswith("genre-warden: WARDEN_DEV_GUILD_ID ")


def test_config_validate_reports_every_problem_with_line_and_path(tmp_path, capsys):
    broken = tmp_path / "settings.yaml"
    broken.write_text("database_path: /tmp/x.sqlite3\nlog_level: chatty\ndev_guild_id: -4\ncolour: blue\n")
    assert main(["config", "validate", str(broken)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0] == f"{broken} (settings): 3 problems"
    assert err[1].startswith("  line 2: log_level: must be 'DEBUG'")
    assert err[2] == "  line 3: dev_guild_id: must be greater than 0"
    assert err[3] == "  line 4: colour: is not a known field"


def test_config_validate_accepts_a_valid_file(tmp_path, capsys):
    good = tmp_path / "settings.yaml"
    good.write_text("log_level: debug\ndev_guild_id: 123456789012345678\n")
    assert main(["config", "validate", str(good)]) == 0
    assert capsys.readouterr().out.strip() == f"{good} (settings): valid"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("log_level: [unclosed\n", "line 2: (top level): is not valid YAML"),
        ("- just\n- a list\n", "cannot tell what kind of file this is"),
    ],
)
def test_config_validate_explains_unreadable_files(tmp_path, capsys, text, expected):
    path = tmp_path / "odd.yaml"
    path.write_text(text)
    assert main(["config", "validate", str(path)]) == 2
    assert expected in capsys.readouterr().err


def test_config_validate_on_a_missing_file_exits_2(tmp_path, capsys):
    assert main(["config", "validate", str(tmp_path / "nope.yaml")]) == 2
    assert "there is no file at" in capsys.readouterr().err


def test_commands_prints_the_payloads_without_a_token(tmp_path):
    result = run_cli("commands", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    payloads = json.loads(result.stdout)
    warden = next(payload for payload in payloads if payload["name"] == "warden")
    assert {option["name"] for option in warden["options"]} >= {"about", "history"}
    assert not (tmp_path / "data").exists()


def test_config_validate_refuses_a_yaml_alias_bomb_at_once(tmp_path, capsys):
    # Nine levels of ten aliases each stand for 10^9 values; expanding them would never finish.
    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text("\n".join(lines) + "\n")
    for command in (["config", "validate", str(bomb)], ["glossary", "lint", str(bomb)]):
        assert main(command) == 2
        assert "line 2: (top level): uses a YAML alias (*name); write each value out in full" in capsys.readouterr().err
