"""The benchmarks still run (tiny sizes; no timing is asserted, only the report's shape)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_gateway_throughput_benchmark_runs_and_reports_both_clients():
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "gateway_throughput.py"), "--messages", "300", "--rounds", "1"],
        capture_output=True, text=True, timeout=120, check=True,
    )
    lines = result.stdout.splitlines()
    assert lines[0] == "300 MESSAGE_CREATE payloads per round (4% naming a term), 1 rounds, median shown"
    assert lines[2].startswith("bare discord.Client")
    assert lines[2].split()[-1] == "1.000"
    assert lines[3].startswith("Genre Warden, none watched")
    assert lines[4].startswith("Genre Warden, enforcing")
    assert lines[5].startswith("Genre Warden, none watched: extra cost per message ")
    assert lines[6].startswith("Genre Warden, enforcing: extra cost per message ")
