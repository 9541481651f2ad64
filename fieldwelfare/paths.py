"""Where fieldwelfare keeps its files. Functions, never import-time side effects."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "fieldwelfare"


def home() -> Path:
    """The data folder: ``FIELDWELFARE_HOME`` if set, else the platform user data dir."""
    override = os.environ.get("FIELDWELFARE_HOME")
    if override:
        return Path(override)
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def db_path() -> Path:
    """The default database (``--db`` and ``FIELDWELFARE_DB`` override it)."""
    return home() / "fieldwelfare.db"


def demo_db_path() -> Path:
    return home() / "demo.db"


def log_path() -> Path:
    """The UI's log: in the data folder when ``FIELDWELFARE_HOME`` is set, else the platform
    user log dir."""
    if os.environ.get("FIELDWELFARE_HOME"):
        return home() / "fieldwelfare.log"
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)) / "fieldwelfare.log"


def ensure_parent(path: Path) -> Path:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path
