"""The checkout passes ruff with the settings in pyproject.toml, so a lint finding fails the tests (and CI)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_ruff_finds_nothing_to_fix() -> None:
    # Run as a module of this interpreter: the ruff the test extra installs, in the minor range pyproject.toml pins.
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "."], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, f"ruff check . found problems:\n{result.stdout}{result.stderr}"
