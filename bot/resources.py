"""Find the shipped files in ``config/`` from a checkout and from an installed wheel.

In a checkout they sit at the repository's top level, beside ``bot/``. A wheel
carries them inside the package as ``bot/_shipped_config`` (see pyproject.toml),
because a plain ``pip install .`` copies packages, not the repository.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def shipped_config_dir() -> Path:
    for candidate in (_PACKAGE_DIR / "_shipped_config", _PACKAGE_DIR.parent / "config"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        "the shipped config/ folder is missing; reinstall genre-warden or run it from a full checkout"
    )


def shipped_config_file(name: str) -> Path:
    """The path of a shipped file such as ``policy.yaml``; raise if it is not there."""
    path = shipped_config_dir() / name
    if not path.is_file():
        raise FileNotFoundError(f"the shipped configuration file {name} is missing from {path.parent}")
    return path
