"""Issue 6 end to end: CSV import → run → confirm → reject → a second run that honours both."""

from __future__ import annotations

from tests.conftest import DEMO_DAY

DAY = DEMO_DAY.isoformat()
CSV = (
    "display_name,origin_lat,origin_lon,members,announced_date,eviction_date,eviction_time,bailiff_reference,"
    "household_goods,accepts_host\n"
    "Familie Eén,50.851,5.690,Anna:1984-03-02|Tim:2014-09-10,2026-11-13,2026-11-27,09:00,DW-E2E-1,3-kamerwoning,ja\n"
    "Mevrouw Twee,50.845,5.700,Ria:1970-07-07,2026-11-13,2026-11-27,10:30,DW-E2E-2,,nee\n"
    "Meneer Drie,50.860,5.680,Kees:1958-02-02,2026-11-20,2026-11-28,,DW-E2E-3,weinig,ja\n"
)


def test_from_csv_to_a_second_run_that_honours_confirmation_and_rejection(client, as_role):
    worker, team = as_role("case_worker"), as_role("crisis_team")

    files = {"file": ("a.csv", CSV.encode(), "text/csv")}
    imported = client.post("/api/households/import", files=files, headers=worker)
    assert imported.status_code == 201, imported.text
    refs = {h["display_name"]: h["reference"] for h in imported.json()}

    first = client.post("/api/matching/runs", json={"date": DAY}, headers=team).json()
    ours = {p["household_reference"]: p for p in first["proposals"] if p["household_reference"] in refs.values()}
    assert len(ours) == 3, first["unplaced"]
    confirmed, rejected = ours[refs["Familie Eén"]], ours[refs["Mevrouw Twee"]]

    placement = client.post(f"/api/matching/proposals/{confirmed['id']}/confirm", headers=team)
    assert placement.status_code == 201
    assert client.get(f"/api/placements/{placement.json()['id']}/letter.pdf", headers=team).content[:4] == b"%PDF"
    refusal = client.post(
        f"/api/matching/proposals/{rejected['id']}/reject", json={"reason": "te ver van de school"}, headers=team
    )
    assert refusal.status_code == 200

    second = client.post("/api/matching/runs", json={"date": DAY}, headers=team)
    assert second.status_code == 201
    second = second.json()
    assert second["previous_run_id"] == first["id"]
    pairs = {(p["household_reference"], p["place_reference"]) for p in second["proposals"]}
    households = {h for h, _ in pairs} | {u["household"] for u in second["unplaced"]}
    # the confirmed household no longer waits; its place is taken for the stay
    assert confirmed["household_reference"] not in households
    assert all(place != confirmed["place_reference"] for _, place in pairs)
    # the refused pair never comes back
    assert (rejected["household_reference"], rejected["place_reference"]) not in pairs
    assert rejected["household_reference"] in households
    # the page and the API say what changed
    assert confirmed["household_reference"] in second["changes"]["households_removed"]
    assert rejected["household_reference"] in second["changes"]["households_changed"]
    instance = client.get(f"/api/matching/instance?date={DAY}", headers=team).json()
    twee = next(h for h in instance["households"] if h["id"] == rejected["household_reference"])
    assert twee["excluded_places"] == [rejected["place_reference"]]
    # unchanged data: the same run again
    third = client.post("/api/matching/runs", json={"date": DAY}, headers=team)
    assert third.status_code == 200 and third.json()["id"] == second["id"]
