"""The JSON Schemas in schema/records are generated from the models: they must not drift."""

from __future__ import annotations

from fieldwelfare import schema_gen


def test_record_schemas_match_models() -> None:
    for name, schema in schema_gen.record_schemas().items():
        path = schema_gen.SCHEMA_DIR / name
        assert path.exists(), f"{name} missing: run {schema_gen.REGENERATE}"
        assert path.read_text("utf-8") == schema_gen.render(schema), (
            f"{name} is out of date with the models: run {schema_gen.REGENERATE}"
        )
