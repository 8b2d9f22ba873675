"""The catalogue of decline reasons: who may give each one, and the consequence it sets.

A decline is data, not free text, so the team can count them (the decline report) and the consequence is
the same every time: the household back in the pool, the place paused until a date, the pair excluded from
later runs (the matcher's ``excluded_places``, through a ``refusal`` row), or the host put on hold.
"""

from __future__ import annotations

from dataclasses import dataclass

PARTIES = ("host", "household", "team")

# The consequences a reason can set (several may apply; "pool" is always implied for the household).
POOL = "pool"  # the household goes back into the next run
PAUSE_PLACE = "pause_place"  # the place is unavailable until a date
EXCLUDE_PAIR = "exclude_pair"  # this household is never proposed this place again
HOST_ON_HOLD = "host_on_hold"  # the host is paused: none of its rooms is proposed
CLOSE_CASE = "close_case"  # the household needs no place any more


@dataclass(frozen=True)
class DeclineReason:
    code: str
    party: str
    nl: str
    en: str
    consequences: tuple[str, ...]

    def label(self, lang: str) -> str:
        return self.nl if lang == "nl" else self.en


CATALOGUE: tuple[DeclineReason, ...] = (
    DeclineReason(
        "host_not_this_household",
        "host",
        "Dit huishouden past niet bij ons",
        "This household does not suit us",
        (POOL, EXCLUDE_PAIR),
    ),
    DeclineReason(
        "host_not_now",
        "host",
        "Nu even niet (tot een datum)",
        "Not now (until a date)",
        (POOL, PAUSE_PLACE),
    ),
    DeclineReason(
        "host_room_taken",
        "host",
        "De kamer is niet meer vrij",
        "The room is no longer free",
        (POOL, PAUSE_PLACE),
    ),
    DeclineReason(
        "host_stops",
        "host",
        "Ik wil voorlopig geen logés meer",
        "I want no guests for now",
        (POOL, HOST_ON_HOLD),
    ),
    DeclineReason(
        "host_other",
        "host",
        "Andere reden",
        "Other reason",
        (POOL,),
    ),
    DeclineReason(
        "household_too_far",
        "household",
        "Te ver weg (school, werk, zorg)",
        "Too far away (school, work, care)",
        (POOL, EXCLUDE_PAIR),
    ),
    DeclineReason(
        "household_wants_wachtkamer",
        "household",
        "Wil liever een Wachtkamerwoning",
        "Prefers a Wachtkamer dwelling",
        (POOL, EXCLUDE_PAIR),
    ),
    DeclineReason(
        "household_own_place",
        "household",
        "Heeft zelf onderdak gevonden",
        "Found a place of its own",
        (CLOSE_CASE,),
    ),
    DeclineReason(
        "household_other",
        "household",
        "Andere reden van het huishouden",
        "Other reason of the household",
        (POOL,),
    ),
    DeclineReason(
        "team_safety",
        "team",
        "Zorg over veiligheid",
        "Safety concern",
        (POOL, EXCLUDE_PAIR, HOST_ON_HOLD),
    ),
    DeclineReason(
        "team_withdrawn",
        "team",
        "Aanbod ingetrokken door het team",
        "Offer withdrawn by the team",
        (POOL,),
    ),
)

BY_CODE = {r.code: r for r in CATALOGUE}


def for_party(party: str) -> list[DeclineReason]:
    return [r for r in CATALOGUE if r.party == party]
