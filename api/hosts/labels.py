"""Dutch labels (translated through the catalog) for the codes the hosts pages show."""

from __future__ import annotations

from api.core.i18n import gettext

LABELS: dict[str, dict[str, str]] = {
    "status": {
        "unconfirmed": "Niet bevestigd",
        "pending": "Wacht op screening",
        "vetted": "Gescreend",
        "active": "Actief",
        "paused": "Gepauzeerd",
        "rejected": "Afgewezen",
        "withdrawn": "Afgemeld",
        "all": "Alle",
    },
    "room": {"pending": "Nog niet actief", "active": "Actief", "paused": "Gepauzeerd", "inactive": "Gesloten"},
    "landlord": {"corporation": "Woningcorporatie", "private": "Particuliere verhuurder", "owner": "Eigen woning"},
    "check": {
        "identity_seen": "Identiteitsbewijs gezien",
        "vog_seen": "Verklaring omtrent het gedrag (VOG) gezien",
        "home_visit_done": "Huisbezoek gedaan",
        "landlord_consent_received": "Toestemming van de verhuurder ontvangen",
        "benefit_checked": "Uitkeringssituatie gecontroleerd",
    },
    "action": {
        "vet": "Goedkeuren (gescreend)",
        "activate": "Activeren",
        "pause": "Pauzeren",
        "resume": "Weer activeren",
        "reject": "Afwijzen",
        "withdraw": "Afmelden",
    },
}


def label(kind: str, code: str) -> str:
    """``label("status", "pending")`` → "Wacht op screening" (or its English); unknown codes as they are."""
    text = LABELS.get(kind, {}).get(code)
    return gettext(text) if text else code
