"""The pure packages stay pure: no discord, no database, no network, no files, none of the impure parts of the bot."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

PURE_PACKAGES = ("bot.rules", "bot.glossary", "bot.enforcement")
FORBIDDEN_MODULES = {"discord", "aiosqlite", "sqlite3", "socket", "asyncio", "requests", "urllib", "http", "subprocess"}
FORBIDDEN_OURS = ("bot.store", "bot.app", "bot.cli", "bot.guild_glossary", "bot.adapters", "cogs")
FORBIDDEN_CALLS = {"open", "print", "input"}
ROOT = Path(__file__).resolve().parent.parent


def offences_in(path: Path) -> list[str]:
    offences = []
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
        for name in names:
            if name.split(".")[0] in FORBIDDEN_MODULES or name.startswith(FORBIDDEN_OURS):
                offences.append(f"{path.name}:{node.lineno} imports {name}")
    return offences


@pytest.mark.parametrize("package", PURE_PACKAGES)
def test_pure_modules_import_nothing_impure(package: str) -> None:
    folder = Path(importlib.import_module(package).__file__).parent
    modules = sorted(folder.glob("*.py"))
    assert len(modules) >= 3
    assert [offence for path in modules for offence in offences_in(path)] == []


@pytest.mark.parametrize("package", PURE_PACKAGES)
def test_importing_a_pure_package_loads_no_discord_and_no_database(package: str) -> None:
    code = f"import sys, {package}; print(sorted(m for m in ('discord', 'aiosqlite', 'sqlite3') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert result.stdout.strip() == "[]"


def test_the_checker_catches_an_impure_module(tmp_path: Path) -> None:
    sneaky = tmp_path / "sneaky.py"
    sneaky.write_text("import discord\nfrom bot.store import Database\nopen('x')\n", encoding="utf-8")
    assert offences_in(sneaky) == [
        "sneaky.py:1 imports discord", "sneaky.py:2 imports bot.store", "sneaky.py:3 calls open()",
    ]


def test_checking_a_configuration_file_loads_no_discord_and_no_database() -> None:
    # `genre-warden config validate` runs where the bot may not: a moderator's laptop, a CI job.
    code = (
        "import sys; from bot.configfile.kinds import validate_text; from bot.enforcement.transfer import export_yaml; "
        "kind, problems = validate_text(export_yaml({'patterns': [{'category': 'gore', 'regex': 'a+'}]})); "
        "assert kind.name == 'warden-export' and problems == [], problems; "
        "print(sorted(m for m in ('discord', 'aiosqlite', 'sqlite3') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert result.stdout.strip() == "[]"
