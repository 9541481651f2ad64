"""JSON Schemas of what a bundle carries: ``python -m fieldwelfare.sync.schema_gen``.

``schema/bundle/change.schema.json`` (one line of ``data/changes/*.jsonl``) and
``schema/bundle/manifest.schema.json`` (``fw/manifest.json``), from the pydantic models in
:mod:`fieldwelfare.sync.records`. A test fails when the files and the models disagree.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from fieldwelfare.sync.records import SCHEMA_VERSION, BagManifest, ChangeRecord, allow_list

OUT = Path(__file__).resolve().parents[2] / "schema" / "bundle"
MODELS: dict[str, type[BaseModel]] = {"change": ChangeRecord, "manifest": BagManifest}


def schemas() -> dict[str, str]:
    out: dict[str, str] = {}
    for name, model in MODELS.items():
        schema: dict[str, Any] = model.model_json_schema()
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["$id"] = f"https://fieldwelfare.example/schema/bundle/{name}.schema.json"
        schema["x-fieldwelfare-schema-version"] = SCHEMA_VERSION
        if name == "change":
            schema["x-allowed-fields"] = {t: sorted(f) for t, f in allow_list().items()}
        out[f"{name}.schema.json"] = json.dumps(schema, indent=2, sort_keys=True,
                                                ensure_ascii=False) + "\n"
    return out


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, text in schemas().items():
        (OUT / name).write_text(text, encoding="utf-8")
        print(OUT / name)


if __name__ == "__main__":
    main()
