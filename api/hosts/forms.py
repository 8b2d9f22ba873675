"""The public sign-up form: parse the posted fields, validate every one server-side, keep the input.

Why not a Pydantic body: the form must come back with the user's input kept and a message next to
each wrong field (not a JSON error list), including repeated rows (rooms, busy periods, housemates)
whose number the user chooses. :func:`parse_signup` returns the cleaned :class:`SignupData` or the
errors keyed by field name; the template shows ``errors[name]`` next to the input called ``name``.
Limits (capacity 1–12) mirror the database's check constraints.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from api.core import geocoding
from api.core.i18n import gettext as _
from api.hosts.geo import find_town, in_netherlands, normalise_postcode
from api.hosts.models import HOST_MEMBER_STATUSES, LANDLORD_TYPES
from matcher.rules.dates import age_on

MAX_ROOMS = 5
MAX_BUSY = 6
MAX_MEMBERS = 6
MIN_CAPACITY, MAX_CAPACITY = 1, 12  # ck_place_capacity
MIN_HOST_AGE = 18
HONEYPOT_FIELD = "website"
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9 ()-]{8,20}$")
_HOUSE_NUMBER = re.compile(r"^[0-9]{1,5}(\s?[A-Za-z0-9-]{1,6})?$")


@dataclass
class RoomData:
    capacity: int
    accessible: bool
    allows_pets: bool
    allows_children: bool


@dataclass
class MemberData:
    first_name: str
    birth_date: date
    status: str
    on_benefit: bool


@dataclass
class SignupData:
    municipality_code: str
    name: str
    email: str
    phone: str | None
    birth_date: date
    street: str
    house_number: str
    postcode: str
    city: str
    lat: float
    lon: float
    location_from_pin: bool
    rooms: list[RoomData]
    available_from: date
    available_until: date | None
    busy: list[tuple[date, date]]
    members: list[MemberData]
    on_benefit: bool
    landlord_type: str
    has_rent_arrears: bool
    one_household_at_a_time: bool
    consent: bool
    location_approximate: bool = False  # a town's centre: the address itself was not found (api.core.geocoding)


@dataclass
class ParsedForm:
    """What came in (as text, for re-display), the errors per field and the clean data when valid."""

    values: dict[str, str]
    room_count: int
    busy_count: int
    member_count: int
    errors: dict[str, str] = field(default_factory=dict)
    data: SignupData | None = None

    @property
    def ok(self) -> bool:
        return not self.errors and self.data is not None


def _count(form: Mapping[str, str], name: str, default: int, maximum: int) -> int:
    try:
        return max(0, min(maximum, int(form.get(name, default))))
    except (TypeError, ValueError):
        return default


def _date(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        return None


def _float(raw: str) -> float | None:
    try:
        value = float(raw)
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None


def _yes(form: Mapping[str, str], name: str) -> bool:
    return form.get(name, "") in ("1", "on", "yes", "true")


def empty_form(municipality_code: str) -> ParsedForm:
    return ParsedForm(
        values={"municipality": municipality_code, "room0_children": "1"},
        room_count=1,
        busy_count=0,
        member_count=0,
    )


def _row_counts(form: Mapping[str, str], add: str | None) -> tuple[int, int, int]:
    """How many room, busy-period and member rows the form shows; ``add`` adds one empty row."""
    rooms_n = max(1, _count(form, "room_count", 1, MAX_ROOMS))
    busy_n = _count(form, "busy_count", 0, MAX_BUSY)
    members_n = _count(form, "member_count", 0, MAX_MEMBERS)
    if add == "room":
        rooms_n = min(MAX_ROOMS, rooms_n + 1)
    elif add == "busy":
        busy_n = min(MAX_BUSY, busy_n + 1)
    elif add == "member":
        members_n = min(MAX_MEMBERS, members_n + 1)
    return rooms_n, busy_n, members_n


def _text(values: dict[str, str], e: dict[str, str], name: str, label_max: int, required: bool = True) -> str:
    value = values.get(name, "").strip()
    if required and not value:
        e[name] = _("Vul dit veld in.")
    elif len(value) > label_max:
        e[name] = _("Dit is te lang.")
    return value


def _person(values: dict[str, str], e: dict[str, str], today: date) -> tuple[str, str, str | None, date | None]:
    """Name, e-mail, phone and birth date of the host."""
    name = _text(values, e, "name", 120)
    email = _text(values, e, "email", 254).lower()
    if email and "email" not in e and not _EMAIL.match(email):
        e["email"] = _("Dit is geen geldig e-mailadres.")
    phone = _text(values, e, "phone", 32, required=False) or None
    if phone and not _PHONE.match(phone):
        e["phone"] = _("Dit is geen geldig telefoonnummer.")
    birth = _date(values.get("birth_date", ""))
    if birth is None:
        e["birth_date"] = _("Vul uw geboortedatum in.")
    elif birth > today or age_on(birth, today) < MIN_HOST_AGE:
        e["birth_date"] = _("U moet 18 jaar of ouder zijn om een kamer aan te bieden.")
    elif birth.year < 1900:
        e["birth_date"] = _("Deze geboortedatum klopt niet.")
    return name, email, phone, birth


def _address(values: dict[str, str], e: dict[str, str]) -> tuple[str, str, str | None, str]:
    """Street, house number, postcode (normalised) and city as typed."""
    street = _text(values, e, "street", 120)
    house_number = _text(values, e, "house_number", 16)
    if house_number and "house_number" not in e and not _HOUSE_NUMBER.match(house_number):
        e["house_number"] = _("Vul een huisnummer in, bijvoorbeeld 12 of 12 A.")
    raw_postcode = _text(values, e, "postcode", 10)
    postcode = normalise_postcode(raw_postcode) if raw_postcode else None
    if raw_postcode and postcode is None:
        e["postcode"] = _(
            "Vul een Nederlandse postcode in, bijvoorbeeld 6211 AB. Adressen buiten Nederland kunnen niet."
        )
    city = _text(values, e, "city", 80)
    return street, house_number, postcode, city


def _location(values: dict[str, str], e: dict[str, str], city: str) -> tuple[float | None, float | None, bool, str]:
    """The pin on the map, or else the town's centre; returns lat, lon, from_pin and the city's spelling."""
    lat, lon = _float(values.get("lat", "")), _float(values.get("lon", ""))
    from_pin = lat is not None and lon is not None
    if from_pin:
        assert lat is not None and lon is not None
        if not in_netherlands(lat, lon):
            e["location"] = _("De speld staat buiten Nederland. Zet de speld op uw adres in Nederland.")
    elif values.get("lat") or values.get("lon"):
        e["location"] = _("De plek op de kaart klopt niet. Zet de speld opnieuw of laat hem weg.")
    if not from_pin and city and "city" not in e:
        town = find_town(city)
        if town is None:
            e["city"] = _(
                "Deze plaats kennen we niet. Kies een plaats in Nederland uit de lijst, of zet een speld op de kaart."
            )
        else:
            lat, lon, city = town.lat, town.lon, town.name
    return lat, lon, from_pin, city


def _rooms(form: Mapping[str, str], values: dict[str, str], e: dict[str, str], rooms_n: int) -> list[RoomData]:
    rooms: list[RoomData] = []
    for i in range(rooms_n):
        raw = values.get(f"room{i}_capacity", "").strip()
        try:
            capacity = int(raw)
        except ValueError:
            e[f"room{i}_capacity"] = _("Vul het aantal personen in (1 tot en met 12).")
            continue
        if not MIN_CAPACITY <= capacity <= MAX_CAPACITY:
            e[f"room{i}_capacity"] = _("Een kamer is voor 1 tot en met 12 personen.")
            continue
        flags = (_yes(form, f"room{i}_accessible"), _yes(form, f"room{i}_pets"), _yes(form, f"room{i}_children"))
        rooms.append(RoomData(capacity, *flags))
    return rooms


def _availability(values: dict[str, str], e: dict[str, str], today: date) -> tuple[date | None, date | None]:
    start = _date(values.get("available_from", ""))
    until_raw = values.get("available_until", "").strip()
    until = _date(until_raw) if until_raw else None
    if start is None:
        e["available_from"] = _("Vul in vanaf wanneer de kamer vrij is.")
    elif start < today:
        e["available_from"] = _("Deze datum ligt in het verleden.")
    if until_raw and until is None:
        e["available_until"] = _("Dit is geen geldige datum.")
    elif until is not None and start is not None and until <= start:
        e["available_until"] = _("De einddatum moet na de begindatum liggen.")
    return start, until


def _busy(values: dict[str, str], e: dict[str, str], busy_n: int) -> list[tuple[date, date]]:
    busy: list[tuple[date, date]] = []
    for i in range(busy_n):
        b_start_raw, b_end_raw = values.get(f"busy{i}_start", "").strip(), values.get(f"busy{i}_end", "").strip()
        if not b_start_raw and not b_end_raw:
            continue
        b_start, b_end = _date(b_start_raw), _date(b_end_raw)
        if b_start is None:
            e[f"busy{i}_start"] = _("Vul een begindatum in.")
        if b_end is None:
            e[f"busy{i}_end"] = _("Vul een einddatum in.")
        if b_start and b_end:
            if b_end <= b_start:
                e[f"busy{i}_end"] = _("De einddatum moet na de begindatum liggen.")
            else:
                busy.append((b_start, b_end))
    return busy


def _member(
    form: Mapping[str, str], values: dict[str, str], e: dict[str, str], i: int, today: date
) -> MemberData | None:
    """Housemate row ``i``: None when it is empty or has an error (recorded in ``e``)."""
    m_name = values.get(f"member{i}_first_name", "").strip()
    m_birth_raw = values.get(f"member{i}_birth_date", "").strip()
    if not m_name and not m_birth_raw:
        return None
    if not m_name:
        e[f"member{i}_first_name"] = _("Vul een voornaam in.")
    elif len(m_name) > 80:
        e[f"member{i}_first_name"] = _("Dit is te lang.")
    m_birth = _date(m_birth_raw)
    if m_birth is None or m_birth > today:
        e[f"member{i}_birth_date"] = _("Vul een geldige geboortedatum in.")
    status = values.get(f"member{i}_status", "none")
    if status not in HOST_MEMBER_STATUSES:
        e[f"member{i}_status"] = _("Kies een van de mogelijkheden.")
    if m_name and m_birth and m_birth <= today and status in HOST_MEMBER_STATUSES:
        return MemberData(m_name[:80], m_birth, status, _yes(form, f"member{i}_on_benefit"))
    return None


def _household_answers(form: Mapping[str, str], values: dict[str, str], e: dict[str, str]) -> tuple[str, str, bool]:
    """Benefit (raw "yes"/"no"), landlord type and consent."""
    benefit_raw = values.get("on_benefit", "")
    if benefit_raw not in ("yes", "no"):
        e["on_benefit"] = _("Kies ja of nee.")
    landlord = values.get("landlord_type", "")
    if landlord not in LANDLORD_TYPES:
        e["landlord_type"] = _("Kies wie de eigenaar van uw woning is.")
    consent = _yes(form, "consent")
    if not consent:
        e["consent"] = _("Zonder uw toestemming kunnen we uw aanmelding niet verwerken.")
    return benefit_raw, landlord, consent


def parse_signup(
    form: Mapping[str, str], *, today: date, municipality_codes: set[str], add: str | None = None
) -> ParsedForm:
    """Validate every field; ``add`` ("room", "busy", "member") adds one empty row (no-JS buttons)."""
    values = {k: str(v)[:500] for k, v in form.items() if k not in ("csrf_token", HONEYPOT_FIELD)}
    rooms_n, busy_n, members_n = _row_counts(form, add)
    parsed = ParsedForm(values=values, room_count=rooms_n, busy_count=busy_n, member_count=members_n)
    e = parsed.errors

    municipality = values.get("municipality", "")
    if municipality not in municipality_codes:
        e["municipality"] = _("Kies een gemeente uit de lijst.")
    name, email, phone, birth = _person(values, e, today)
    street, house_number, postcode, city = _address(values, e)
    lat, lon, from_pin, city = _location(values, e, city)
    approximate = not from_pin
    if not from_pin and postcode and house_number and not {"postcode", "house_number", "city"} & set(e):
        # The address itself (PDOK Locatieserver) beats the town's centre; the fallback is the town again.
        found = geocoding.current().lookup(postcode, house_number, town=city)
        if found is not None and not found.approximate:
            lat, lon, approximate = found.lat, found.lon, False
    rooms = _rooms(form, values, e, rooms_n)
    start, until = _availability(values, e, today)
    busy = _busy(values, e, busy_n)
    members = [m for i in range(members_n) if (m := _member(form, values, e, i, today)) is not None]
    benefit_raw, landlord, consent = _household_answers(form, values, e)
    if not e and start is not None and birth is not None and lat is not None and lon is not None and postcode:
        parsed.data = SignupData(
            municipality_code=municipality,
            name=name,
            email=email,
            phone=phone,
            birth_date=birth,
            street=street,
            house_number=house_number,
            postcode=postcode,
            city=city,
            lat=round(lat, 6),
            lon=round(lon, 6),
            location_from_pin=from_pin,
            rooms=rooms,
            available_from=start,
            available_until=until,
            busy=busy,
            members=members,
            on_benefit=benefit_raw == "yes",
            landlord_type=landlord,
            has_rent_arrears=_yes(form, "has_rent_arrears"),
            one_household_at_a_time=_yes(form, "one_household"),
            consent=consent,
            location_approximate=approximate,
        )
    elif not e:
        e["postcode"] = e.get("postcode") or _("Vul dit veld in.")
    return parsed
