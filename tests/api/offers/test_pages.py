"""The team's offer pages: the buttons on the matching page (one, all), the offers list, decline and consent forms."""

from __future__ import annotations

from sqlalchemy import select

from api.matching.models import Proposal
from api.offers.models import Offer
from tests.api.offers.conftest import host_proposal


def test_offer_button_then_again_shows_the_conflict_on_the_page(client, headers, run):
    proposal = host_proposal(run)
    first = client.post(f"/matching/voorstellen/{proposal['id']}/aanbieden", headers=headers, follow_redirects=False)
    assert first.status_code == 303 and "msg=offered" in first.headers["location"]
    page = client.get(first.headers["location"], headers=headers)
    assert "Het aanbod is verstuurd" in page.text and "aangeboden, wacht op antwoord" in page.text
    again = client.post(f"/matching/voorstellen/{proposal['id']}/aanbieden", headers=headers)
    assert again.status_code == 409 and "aangeboden" in again.text


def test_offer_all_open_proposals_of_a_run(client, headers, run, db):
    response = client.post(f"/matching/runs/{run['id']}/aanbieden", headers=headers, follow_redirects=False)
    assert response.status_code == 303
    proposals = db.scalars(select(Proposal).where(Proposal.run_id == run["id"])).all()
    assert proposals and all(p.offered_at is not None for p in proposals if p.status == "open")
    offers = db.scalars(select(Offer).where(Offer.proposal_id.in_([p.id for p in proposals]))).all()
    assert len(offers) == len(run["proposals"])


def test_the_list_page_records_consent_and_a_decline(client, headers, as_role, run, db):
    client.post(f"/matching/voorstellen/{host_proposal(run)['id']}/aanbieden", headers=headers)
    made = db.scalars(select(Offer).order_by(Offer.id.desc())).first()
    listing = client.get("/aanbiedingen", headers=as_role("case_worker"))
    assert listing.status_code == 200 and f'id="aanbod-{made.id}"' in listing.text
    consent = client.post(
        f"/aanbiedingen/{made.id}/toestemming",
        data={"given": "ja", "by": "hoofdbewoner", "via": "in_person"},
        headers=as_role("case_worker"),
        follow_redirects=False,
    )
    assert consent.status_code == 303 and db.get(Offer, made.id).consent == "given"
    wrong = client.post(f"/aanbiedingen/{made.id}/afslaan", data={"reason": "host_not_now"}, headers=headers)
    assert wrong.status_code == 422 and 'role="alert"' in wrong.text
    assert db.get(Offer, made.id).status == "pending"
    done = client.post(
        f"/aanbiedingen/{made.id}/afslaan",
        data={"reason": "household_too_far"},
        headers=headers,
        follow_redirects=False,
    )
    assert done.status_code == 303 and db.get(Offer, made.id).status == "declined"
