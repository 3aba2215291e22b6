"""Enforcement's decisions and the export document stay free of Discord and the database."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_importing_the_enforcement_package_does_not_load_discord_or_the_store() -> None:
    modules = ", ".join(f"bot.enforcement.{name}" for name in ("config", "plan", "policies", "transfer"))
    code = f"import sys, {modules}; print(sorted(m for m in ('discord', 'aiosqlite', 'sqlite3') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert result.stdout.strip() == "[]"
