"""The committed bundle schemas match the models, and the models match what export writes."""

from __future__ import annotations

import json

from synckit import PERSON, Net

from fieldwelfare.sync import schema_gen
from fieldwelfare.sync.records import BagManifest, ChangeRecord


def test_bundle_schemas_are_up_to_date() -> None:
    for name, text in schema_gen.schemas().items():
        path = schema_gen.OUT / name
        assert path.exists() and path.read_text(encoding="utf-8") == text, (
            f"{path} is out of date: run python -m fieldwelfare.sync.schema_gen")


def test_exported_bag_validates_against_the_models(net: Net) -> None:
    from fieldwelfare.sync import device, hub

    anna = net.device("anna")
    anna.add("person", PERSON)
    (sealed,) = device.export(anna, net.tmp / "usb")
    bag = hub.unpack(net.hub, sealed.path, net.tmp / "audit")
    manifest = BagManifest.model_validate_json((bag / "fw/manifest.json").read_bytes())
    lines = (bag / "data/changes/000001.jsonl").read_bytes().splitlines()
    assert manifest.count == len(lines) > 0
    for line in lines:
        ChangeRecord.model_validate(json.loads(line))
