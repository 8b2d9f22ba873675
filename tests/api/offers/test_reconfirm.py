"""Hosts reconfirm availability every N weeks by a single-purpose link: sent at the boundary, valid until it
expires (not a second longer), a host who did not answer is not proposed and shows on the day board until
they answer the next link; pausing needs a date and blocks the rooms till then."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select, update

from api.core.config import get_settings
from api.core.models import OutboxMessage
from api.hosts import reconfirm
from api.hosts.models import Host
from api.hosts.vetting_models import HostReconfirmation
from api.places.models import PlaceUnavailability
from tests.api.offers.conftest import DEMO_DAY, csrf, later, run_jobs
from tests.api.offers.test_vetting_and_jobs import _active_host_with_room, _places


def _link(db) -> str:
    body = db.scalars(
        select(OutboxMessage.body)
        .where(OutboxMessage.body.contains("/beschikbaarheid/"))
        .order_by(OutboxMessage.id.desc())
    ).first()
    return re.search(r"/beschikbaarheid/([A-Za-z0-9_\-]+)", body).group(1)


def _due_in(db, fixed, minutes: int):
    """Every active host confirmed just now; one host's N weeks are up in ``minutes`` minutes."""
    host, place = _active_host_with_room(db)
    db.execute(update(Host).where(Host.status == "active").values(availability_confirmed_at=fixed.now()))
    weeks = timedelta(weeks=get_settings().host_reconfirm_weeks)
    host.availability_confirmed_at = fixed.now() - weeks + timedelta(minutes=minutes)
    db.flush()
    return host, place


def test_the_link_goes_out_at_n_weeks_and_a_host_who_does_not_answer_is_not_proposed(client, as_role, db, fixed):
    host, place = _due_in(db, fixed, minutes=1)
    assert run_jobs(db, "hosts.reconfirm") == {"hosts.reconfirm": 0}  # a minute before the N weeks
    later(fixed, minutes=1)
    assert run_jobs(db, "hosts.reconfirm") == {"hosts.reconfirm": 1}
    assert run_jobs(db, "hosts.reconfirm") == {"hosts.reconfirm": 0}  # one live link at a time
    token = _link(db)
    stored = db.scalar(select(HostReconfirmation).where(HostReconfirmation.host_id == host.id))
    assert stored.token_hash and token not in stored.token_hash  # only a hash is kept

    page = client.get(f"/beschikbaarheid/{token}")
    assert page.status_code == 200 and "Is uw kamer nog beschikbaar?" in page.text
    assert host.name not in page.text  # the first name greets, the full name stays out
    valid = timedelta(days=get_settings().host_reconfirm_valid_days)
    later(fixed, seconds=valid.total_seconds() - 1)
    assert reconfirm.pending_for_token(db, token) is not None
    assert place.reference in _places(db, DEMO_DAY)  # still proposed the last second
    later(fixed, seconds=1)  # the link's time is up: held back at once, job or not
    assert reconfirm.pending_for_token(db, token) is None
    assert client.get(f"/beschikbaarheid/{token}").status_code == 404
    assert place.reference not in _places(db, DEMO_DAY)
    team = as_role("crisis_team")
    assert "beschikbaarheid niet op tijd bevestigd" in client.get(f"/matching?date={DEMO_DAY}", headers=team).text
    board = client.get("/dagbord", headers=team).text
    section = board[board.index('id="sectie-reconfirm"') :]
    assert host.reference in section[: section.index("</section>")]

    # the job expires the old link and sends a fresh one; the host stays out until answering it
    assert run_jobs(db, "hosts.reconfirm") == {"hosts.reconfirm": 2}
    fresh = _link(db)
    assert fresh != token and place.reference not in _places(db, DEMO_DAY)
    answer = client.post(f"/beschikbaarheid/{fresh}/ja", data={"csrf_token": csrf(client, f"/beschikbaarheid/{fresh}")})
    assert answer.status_code == 200 and 'id="melding"' in answer.text
    db.refresh(host)
    assert host.availability_confirmed_at == fixed.now()
    api = client.get(f"/api/hosts/{host.id}", headers=team).json()
    assert api["availability_confirmed_at"] is not None
    assert place.reference in _places(db, DEMO_DAY)
    assert client.get(f"/beschikbaarheid/{fresh}").status_code == 404  # revoked once used
    assert host.reference not in client.get("/dagbord", headers=team).text.split('id="sectie-reconfirm"')[1][:2000]


def test_pausing_needs_a_date_and_blocks_every_room_until_then(client, db, fixed):
    host, place = _due_in(db, fixed, minutes=0)
    assert run_jobs(db, "hosts.reconfirm") == {"hosts.reconfirm": 1}
    token = _link(db)
    token_csrf = csrf(client, f"/beschikbaarheid/{token}")
    missing = client.post(f"/beschikbaarheid/{token}/pauze", data={"csrf_token": token_csrf, "paused_until": ""})
    assert missing.status_code == 422 and 'aria-invalid="true"' in missing.text and 'id="fout"' in missing.text
    nonsense = client.post(f"/beschikbaarheid/{token}/pauze", data={"csrf_token": token_csrf, "paused_until": "31-12"})
    assert nonsense.status_code == 422 and "JJJJ-MM-DD" in nonsense.text
    until = DEMO_DAY + timedelta(days=30)
    done = client.post(
        f"/beschikbaarheid/{token}/pauze", data={"csrf_token": token_csrf, "paused_until": until.isoformat()}
    )
    assert done.status_code == 200 and 'id="melding"' in done.text
    blocked = db.scalars(select(PlaceUnavailability).where(PlaceUnavailability.place_id == place.id)).all()
    assert any(b.start_date == DEMO_DAY and b.end_date == until for b in blocked)
    assert db.scalar(select(HostReconfirmation.status).where(HostReconfirmation.host_id == host.id)) == "paused"
    assert host.id not in reconfirm.lapsed_hosts(db, municipality_id=host.municipality_id)


def test_answering_needs_the_csrf_token(client, db, fixed):
    _due_in(db, fixed, minutes=0)
    run_jobs(db, "hosts.reconfirm")
    token = _link(db)
    client.get(f"/beschikbaarheid/{token}")
    assert client.post(f"/beschikbaarheid/{token}/ja", data={"csrf_token": "wrong"}).status_code == 403
    assert reconfirm.pending_for_token(db, token) is not None
