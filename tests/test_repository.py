"""The repository keeps its promises: CI runs the README's command, the image and the wheel are whole."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## The two commands", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section)


def test_ci_runs_the_readme_test_command_word_for_word():
    install_and_run, test = readme_commands()[:2]
    assert "genre-warden run" in install_and_run
    assert "pytest" in test
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test in ci_lines


def test_dockerfile_runs_the_bot_as_a_non_root_user_with_data_on_a_volume():
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r'^CMD \["genre-warden", "run"\]$', dockerfile, re.MULTILINE)
    assert re.search(r'^VOLUME \["/data"\]$', dockerfile, re.MULTILINE)
    assert "WARDEN_DATABASE_PATH=/data/" in dockerfile
    user = re.findall(r"^USER (\S+)$", dockerfile, re.MULTILINE)
    assert user and user[-1] not in {"root", "0"}
    assert "DISCORD_TOKEN=" not in dockerfile.replace("-e DISCORD_TOKEN=", "")
    assert re.search(r"^FROM python:3\.\d+-slim", dockerfile, re.MULTILINE)


def test_the_image_is_built_with_the_compiled_module_and_runs_without_a_compiler():
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    build, run = dockerfile.split("\nFROM python:3.11-slim\n")
    assert "COPY native ./native" in build and "setup.py" in build
    assert "gcc" in build and "_warden_speedups" in build  # the build stage fails if the module was not built
    assert "gcc" not in run and "COPY --from=build /wheels /wheels" in run


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (path,) = out.glob("genre_warden-*.whl")
    return zipfile.ZipFile(path)


def test_the_wheel_carries_code_cogs_migrations_and_shipped_config(wheel):
    names = set(wheel.namelist())
    assert "bot/cli/__init__.py" in names
    assert "cogs/meta.py" in names
    assert "bot/store/migrations/0001_settings.sql" in names
    assert any(name.startswith("_warden_speedups.") and name.endswith(".so") for name in names)
    shipped = {name for name in names if name.startswith("bot/_shipped_config/")}
    expected = {f"bot/_shipped_config/{path.name}" for path in (ROOT / "config").iterdir() if path.suffix == ".yaml"}
    assert expected <= shipped


def test_the_wheel_declares_the_console_script(wheel):
    entry_points = next(name for name in wheel.namelist() if name.endswith("entry_points.txt"))
    assert "genre-warden = bot.cli:main" in wheel.read(entry_points).decode()
