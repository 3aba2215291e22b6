"""A real ``genre-warden run`` process against a loopback Discord: refusals and a clean stop."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.wire.fake_discord import FakeDiscord

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "MTAxNzU1.fake-token-for-tests.aBcDeFgHiJkLmNoPqRsTuV"


@pytest.fixture
def discord_server() -> Iterator[FakeDiscord]:
    server = FakeDiscord(valid_token=TOKEN).start()
    yield server
    server.stop()


def start_bot(server: FakeDiscord, workdir: Path, token: str) -> subprocess.Popen[str]:
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("DISCORD_", "WARDEN_"))}
    environment.update(
        DISCORD_TOKEN=token,
        WARDEN_LOG_LEVEL="DEBUG",
        WARDEN_DATABASE_PATH=str(workdir / "warden.sqlite3"),
        PYTHONPATH=str(ROOT),
        # Show every warning once, DeprecationWarnings included, as an operator's `python -W default` would.
        PYTHONWARNINGS="default",
    )
    return subprocess.Popen(
        [sys.executable, str(ROOT / "tests" / "wire" / "launch.py"), server.base_url, "run"],
        cwd=workdir,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen[str]) -> tuple[int, str]:
    _, stderr = process.communicate(timeout=30)
    return process.returncode, stderr


def failure_line(stderr: str) -> str:
    """The one sentence the CLI prints on failure (log lines come before it)."""
    (line,) = [line for line in stderr.splitlines() if line.startswith("genre-warden: ")]
    return line


def test_a_token_discord_rejects_exits_2_with_advice(discord_server, tmp_path):
    wrong = "MTAxNzU1.an-old-token-that-was-reset.ZyXwVuTsRqPoNmLkJiH"
    code, stderr = finish(start_bot(discord_server, tmp_path, wrong))
    assert code == 2
    assert failure_line(stderr).startswith("genre-warden: Discord rejected DISCORD_TOKEN")
    assert wrong in discord_server.seen_tokens  # it really was sent and refused
    assert wrong not in stderr


def test_missing_message_content_intent_exits_2_saying_where_to_enable_it(discord_server, tmp_path):
    discord_server.message_content_enabled = False
    code, stderr = finish(start_bot(discord_server, tmp_path, TOKEN))
    assert discord_server.identified.is_set()
    assert code == 2
    message = failure_line(stderr)
    assert message.startswith("genre-warden: Discord refused the connection because the Message Content intent")
    assert "Privileged Gateway Intents" in message
    assert TOKEN not in stderr


def test_sigterm_after_ready_closes_the_database_cleanly(discord_server, tmp_path):
    process = start_bot(discord_server, tmp_path, TOKEN)
    try:
        assert discord_server.ready_sent.wait(timeout=30), "the bot never identified"
        # The sync happens in setup_hook, before the gateway connects.
        assert {payload["name"] for payload in discord_server.synced_commands} >= {"warden"}
        process.send_signal(signal.SIGTERM)
        code, stderr = finish(process)
    finally:
        if process.poll() is None:
            process.kill()
    assert code == 0, stderr
    assert "Database closed" in stderr
    assert "Stopped cleanly" in stderr
    assert TOKEN not in stderr  # not even at DEBUG level
    database = tmp_path / "warden.sqlite3"
    assert not database.with_name(database.name + "-wal").exists(), "the WAL was not checkpointed on close"
    with sqlite3.connect(database) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        (stored,) = connection.execute("SELECT COUNT(*) FROM bot_state WHERE key LIKE 'synced_commands:%'").fetchone()
    assert stored == 1


def run_until_ready_then_stop(server: FakeDiscord, workdir: Path) -> tuple[int, str]:
    process = start_bot(server, workdir, TOKEN)
    try:
        assert server.ready_sent.wait(timeout=30), "the bot never identified"
        process.send_signal(signal.SIGTERM)
        return finish(process)
    finally:
        if process.poll() is None:
            process.kill()


def test_starting_says_nothing_about_voice_support_the_bot_does_not_use(discord_server, tmp_path):
    code, stderr = run_until_ready_then_stop(discord_server, tmp_path)
    assert code == 0, stderr
    for noise in ("PyNaCl", "davey", "voice will NOT be supported", "audioop", "DeprecationWarning"):
        assert noise not in stderr, stderr


def test_a_refused_command_sync_logs_one_line_and_the_bot_still_connects(discord_server, tmp_path):
    discord_server.sync_refusal = (403, {"message": "Missing Access", "code": 50001})
    code, stderr = run_until_ready_then_stop(discord_server, tmp_path)
    assert code == 0, stderr
    (line,) = [line for line in stderr.splitlines() if "Could not sync application commands" in line]
    assert "Discord answered 403 (Missing Access); was the bot invited with the applications.commands scope?" in line
    assert "Traceback" not in stderr
    assert "Stopped cleanly" in stderr
    assert TOKEN not in stderr
    with sqlite3.connect(tmp_path / "warden.sqlite3") as connection:
        (stored,) = connection.execute("SELECT COUNT(*) FROM bot_state WHERE key LIKE 'synced_commands:%'").fetchone()
    assert stored == 0  # the next start syncs again
