"""Write the JSON Schemas of the records into ``schema/records/`` (drift-tested).

Run ``python -m fieldwelfare.schema_gen`` after changing a model.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from fieldwelfare.models import MODELS

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schema"
REGENERATE = "python -m fieldwelfare.schema_gen"


def record_schemas() -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for kind, model in MODELS.items():
        schema = model.model_json_schema(mode="serialization")
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["$id"] = f"https://fieldwelfare.example/schema/records/{kind}.json"
        out[f"records/{kind}.json"] = schema
    return out


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def write(target: Path = SCHEMA_DIR) -> list[Path]:
    written = []
    for name, schema in record_schemas().items():
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(schema), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write():
        sys.stdout.write(f"{path}\n")
