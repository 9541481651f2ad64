"""The known gap of erasure markers, closed by the hub: a coordinator erases a person
without knowing one of their needs, whose referral already reached a volunteer. The hub,
which knows the need, widens the marker's ``needs``; the volunteer's device then redacts
the referral too."""

from __future__ import annotations

import json
from pathlib import Path

from rightskit import FISCAL_CODE, LECCO, NOTICE, files_of, found, volunteer
from synckit import Net

from fieldwelfare.rights.erase import erase


def test_the_hub_widens_a_marker_to_the_needs_its_eraser_did_not_know(net: Net) -> None:
    a = net.device("anna")
    c = net.device("carla", role="coordinator")
    vol_id = volunteer(a)
    person = a.add("person", {"given_name": "Zorbaxiana", "family_name": "Quixotellini",
                              "comune": LECCO, "fiscal_code": FISCAL_CODE,
                              "privacy_notice": NOTICE}).id
    net.push(a)
    net.pull(c)  # carla knows the person, not what comes next
    need = a.add("need", {"person_id": person, "category": "shopping", "area": "elderly",
                          "description": "Sanitariozeta spesa"}).id
    referral = a.add("referral", {"need_id": need, "volunteer_id": vol_id,
                                  "brief": "Briefkappa spesa il martedì",
                                  "status": "sent"}).id
    net.push(a)
    vol = net.device("vol", role="volunteer", ambito=None, volunteer=vol_id)
    net.pull(vol)
    assert vol.get("referral", referral).brief.startswith("Briefkappa")

    erase(c, person, "richiesta dell'interessata")
    assert json.loads(c.execute_read("SELECT needs FROM purge")[0][0]) == []
    net.push(c)  # the hub erases the need it knows, and widens the marker
    assert json.loads(net.hub.execute_read("SELECT needs FROM purge")[0][0]) == [need]
    for dev in (vol, a, c):
        net.pull(dev)
    for dev in (vol, a, c):
        net.push(dev)
        net.pull(dev)

    assert vol.get("referral", referral).brief == "[cancellato]"
    assert found(files_of(Path(vol.path)), ("Briefkappa",)) == []
    for s in (net.hub, a, c, vol):
        assert json.loads(s.execute_read("SELECT needs FROM purge")[0][0]) == [need]
        assert s.execute_read("SELECT 1 FROM need") == []
        assert s.doctor() == [], (s.path, s.doctor())
    assert (tuple(vol.execute_read("SELECT * FROM referral")[0])
            == tuple(net.hub.execute_read("SELECT * FROM referral")[0]))
