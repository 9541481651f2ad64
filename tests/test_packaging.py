"""Every Python package in the tree is listed in pyproject.toml, so the wheel ships it."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAPPING = {"fieldwelfare": "fieldwelfare", "screens": "fieldwelfare.screens",
           "schema": "fieldwelfare.schema"}


def test_every_package_is_listed() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]
    listed = set(config["packages"])
    found = set()
    for top, dotted in MAPPING.items():
        for init in (ROOT / top).rglob("__init__.py"):
            rel = init.parent.relative_to(ROOT / top)
            found.add(".".join([dotted, *rel.parts]) if rel.parts else dotted)
    assert found <= listed, f"add to [tool.setuptools] packages: {sorted(found - listed)}"
    assert config["package-dir"] == {"fieldwelfare": "fieldwelfare",
                                     "fieldwelfare.screens": "screens",
                                     "fieldwelfare.schema": "schema"}
