"""The rule engine stays pure: no discord, no database, no network, no files."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import bot.rules

RULES_DIR = Path(bot.rules.__file__).parent
FORBIDDEN_MODULES = {"discord", "aiosqlite", "sqlite3", "socket", "asyncio", "requests", "urllib", "http", "subprocess"}
FORBIDDEN_CALLS = {"open", "print", "input"}


def test_rule_modules_import_nothing_impure() -> None:
    offences = []
    modules = sorted(RULES_DIR.glob("*.py"))
    assert len(modules) >= 8
    for path in modules:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in FORBIDDEN_CALLS:
                offences.append(f"{path.name}:{node.lineno} calls {node.func.id}()")
                continue
            else:
                continue
            offences += [
                f"{path.name}:{node.lineno} imports {n}" for n in names if n.split(".")[0] in FORBIDDEN_MODULES
            ]
    assert offences == []


def test_importing_the_engine_does_not_load_discord() -> None:
    code = "import sys, bot.rules; print(sorted(m for m in ('discord', 'aiosqlite', 'sqlite3') if m in sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=RULES_DIR.parents[1]
    )
    assert result.stdout.strip() == "[]"
