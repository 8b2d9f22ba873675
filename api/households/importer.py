"""CSV import of eviction notices: every row is checked first; either all rows go in or none.

Why all-or-nothing: a half-imported file leaves the team guessing which households are in
the system on the morning of an eviction. So the whole file is parsed and validated (columns,
dates, numbers, duplicates inside the file and against the records) before anything is
written, and every problem is reported with its row (the line number in the file, header =
line 1) and its column.

Columns (header row required; comma or semicolon separated; UTF-8, a BOM is fine):

======================  ========  ====================================================
column                  required  content
======================  ========  ====================================================
display_name            yes       name for the letters
origin_lat, origin_lon  yes       rounded location of the former home (decimal degrees)
members                 yes       ``Voornaam:YYYY-MM-DD`` separated by ``|``; optional
                                  third part: cost-sharing status (e.g. ``student_finance``)
announced_date          yes       day the bailiff's notice reached the municipality
eviction_date           yes       day of the eviction (art. 14 Gerechtsdeurwaarderswet)
bailiff_reference       yes       the bailiff's case number (duplicates are refused)
reference               no        HH-… code; generated when empty
origin_postcode         no        1234 AB
eviction_time           no        HH:MM
household_goods         no        nature and size of the goods
pets, needs_accessible,
medical_need,
accepts_host            no        ja/nee (also yes/no, true/false, 1/0); accepts_host
                                  defaults to ja, the others to nee
======================  ========  ====================================================

Dates are ``YYYY-MM-DD`` or ``DD-MM-YYYY``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.core import audit
from api.core.errors import InvalidInput, Problem
from api.core.principal import Principal
from api.households import service
from api.households.models import Eviction, Household
from api.households.schemas import HouseholdCreate

REQUIRED = (
    "display_name",
    "origin_lat",
    "origin_lon",
    "members",
    "announced_date",
    "eviction_date",
    "bailiff_reference",
)
OPTIONAL = (
    "reference",
    "origin_postcode",
    "eviction_time",
    "household_goods",
    "pets",
    "needs_accessible",
    "medical_need",
    "accepts_host",
)
COLUMNS = REQUIRED + OPTIONAL
BOOL_DEFAULTS = {"pets": False, "needs_accessible": False, "medical_need": False, "accepts_host": True}
TRUE = {"ja", "j", "yes", "y", "true", "1", "waar"}
FALSE = {"nee", "n", "no", "false", "0", "onwaar"}
MAX_ROWS = 2000
MAX_BYTES = 2_000_000
EXAMPLE = (
    "display_name;origin_lat;origin_lon;members;announced_date;eviction_date;eviction_time;bailiff_reference;"
    "household_goods;pets;needs_accessible;medical_need;accepts_host\n"
    "Familie Jansen;50.85;5.69;Anna:1984-03-02|Tim:2014-09-10;2026-11-20;2026-12-02;09:00;DW-2026-118;"
    "inboedel 3-kamerwoning;nee;nee;nee;ja\n"
)


@dataclass
class ParsedRow:
    line: int
    data: HouseholdCreate


IMPORT_ROW = "household.import_row"  # the row's own text (row, column and what is wrong), passed through


def _problem(line: int, column: str, msg: str) -> Problem:
    text = f"rij {line}, kolom {column}: {msg}"
    return Problem(("file", "row", line, column), text, "value_error.csv", IMPORT_ROW, {"detail": text})


def _date(value: str) -> date:
    value = value.strip()
    for fmt in ("%Y-%m-%d", "%d-%m-%Y"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"{value!r} is geen datum (JJJJ-MM-DD of DD-MM-JJJJ)")


def _bool(value: str, default: bool) -> bool:
    text = value.strip().lower()
    if not text:
        return default
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise ValueError(f"{value!r} is geen ja/nee")


def _members(value: str) -> list[dict[str, Any]]:
    members = []
    for i, part in enumerate(p for p in value.split("|") if p.strip()):
        bits = [b.strip() for b in part.split(":")]
        if len(bits) not in (2, 3) or not bits[0]:
            raise ValueError(f"lid {i + 1}: schrijf Voornaam:JJJJ-MM-DD")
        member: dict[str, Any] = {"first_name": bits[0], "birth_date": _date(bits[1]).isoformat()}
        if len(bits) == 3 and bits[2]:
            member["status"] = bits[2]
        members.append(member)
    if not members:
        raise ValueError("minstens één lid (Voornaam:JJJJ-MM-DD)")
    return members


def _decode(content: bytes) -> str:
    if len(content) > MAX_BYTES:
        raise InvalidInput(code="household.import_too_large", loc=("file",), kb=MAX_BYTES // 1000)
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(code="household.import_not_utf8", loc=("file",)) from None


def parse(content: bytes) -> tuple[list[ParsedRow], list[Problem]]:
    """Parse and validate every row; no database access. Problems name row and column."""
    try:
        return _parse(content)
    except csv.Error as exc:  # e.g. a quote that never closes: the file's fault, not the server's
        raise InvalidInput(code="household.import_not_csv", loc=("file",), detail=str(exc)) from None


def _parse(content: bytes) -> tuple[list[ParsedRow], list[Problem]]:
    text = _decode(content)
    if not text.strip():
        raise InvalidInput(code="household.import_empty", loc=("file",))
    first = text.splitlines()[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    # newline="": the csv module itself splits records, so CR-only (old Mac), LF and CRLF line ends all work
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [h.strip().lower() for h in next(reader)]
    problems: list[Problem] = []
    unknown = [h for h in header if h not in COLUMNS]
    missing = [c for c in REQUIRED if c not in header]
    doubled = sorted({h for h in header if header.count(h) > 1})
    for h in unknown:
        problems.append(_problem(1, h, f"onbekende kolom (toegestaan: {', '.join(COLUMNS)})"))
    for c in missing:
        problems.append(_problem(1, c, "verplichte kolom ontbreekt"))
    for h in doubled:
        problems.append(_problem(1, h, "kolom staat er twee keer in"))
    if problems:
        return [], problems
    rows: list[ParsedRow] = []
    for line, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if line - 1 > MAX_ROWS:
            problems.append(_problem(line, "-", f"te veel rijen (hoogstens {MAX_ROWS})"))
            break
        if len(cells) != len(header):
            problems.append(_problem(line, "-", f"{len(cells)} cellen, de kop heeft er {len(header)}"))
            continue
        parsed = _row(line, dict(zip(header, cells, strict=True)), problems)
        if parsed is not None:
            rows.append(parsed)
    if not rows and not problems:
        problems.append(_problem(2, "-", "geen huishoudens in het bestand"))
    return rows, problems


def _eviction(line: int, raw: dict[str, str], problems: list[Problem]) -> dict[str, Any]:
    """The eviction columns of one row; problems are added to ``problems``."""
    eviction: dict[str, Any] = {
        "bailiff_reference": raw["bailiff_reference"].strip(),
        "household_goods": raw.get("household_goods", "").strip() or None,
    }
    for column in ("announced_date", "eviction_date"):
        try:
            eviction[column] = _date(raw[column])
        except ValueError as exc:
            problems.append(_problem(line, column, str(exc)))
    if raw.get("eviction_time", "").strip():
        try:
            eviction["eviction_time"] = datetime.strptime(raw["eviction_time"].strip(), "%H:%M").time()
        except ValueError:
            problems.append(_problem(line, "eviction_time", f"{raw['eviction_time']!r} is geen tijd (UU:MM)"))
    return eviction


def _row(line: int, raw: dict[str, str], problems: list[Problem]) -> ParsedRow | None:
    before = len(problems)
    value: dict[str, Any] = {
        "display_name": raw["display_name"].strip(),
        "reference": raw.get("reference", "").strip() or None,
        "origin_postcode": raw.get("origin_postcode", "").strip() or None,
    }
    for column in ("origin_lat", "origin_lon"):
        try:
            value[column] = float(raw[column].strip().replace(",", "."))
        except ValueError:
            problems.append(_problem(line, column, f"{raw[column]!r} is geen getal"))
    for column, default in BOOL_DEFAULTS.items():
        try:
            value[column] = _bool(raw.get(column, ""), default)
        except ValueError as exc:
            problems.append(_problem(line, column, str(exc)))
    try:
        value["members"] = _members(raw["members"])
    except ValueError as exc:
        problems.append(_problem(line, "members", str(exc)))
    eviction = _eviction(line, raw, problems)
    if len(problems) > before:
        return None
    value["eviction"] = eviction
    try:
        return ParsedRow(line, HouseholdCreate.model_validate(value))
    except ValidationError as exc:
        for err in exc.errors():
            loc = [str(x) for x in err["loc"]]
            column = _column_of(loc)
            problems.append(_problem(line, column, err["msg"]))
        return None


def _column_of(loc: list[str]) -> str:
    if not loc:
        return "-"
    if loc[0] == "members":
        return "members"
    if loc[0] == "eviction":
        return loc[1] if len(loc) > 1 else "eviction_date"
    return loc[0]


def _duplicates(db: Session, municipality_id: int, rows: list[ParsedRow]) -> list[Problem]:
    problems: list[Problem] = []
    seen_ref: dict[str, int] = {}
    seen_bailiff: dict[str, int] = {}
    for row in rows:
        ref = row.data.reference
        if ref:
            if ref in seen_ref:
                problems.append(_problem(row.line, "reference", f"{ref!r} staat ook in rij {seen_ref[ref]}"))
            seen_ref.setdefault(ref, row.line)
        bailiff = row.data.eviction.bailiff_reference
        if bailiff in seen_bailiff:
            problems.append(
                _problem(row.line, "bailiff_reference", f"{bailiff!r} staat ook in rij {seen_bailiff[bailiff]}")
            )
        seen_bailiff.setdefault(bailiff, row.line)
    existing_refs = set(
        db.scalars(
            select(Household.reference).where(
                Household.municipality_id == municipality_id, Household.reference.in_(list(seen_ref))
            )
        )
    )
    existing_bailiff = set(
        db.scalars(
            select(Eviction.bailiff_reference)
            .join(Household, Household.id == Eviction.household_id)
            .where(Household.municipality_id == municipality_id, Eviction.bailiff_reference.in_(list(seen_bailiff)))
        )
    )
    for row in rows:
        if row.data.reference in existing_refs:
            problems.append(_problem(row.line, "reference", f"{row.data.reference!r} bestaat al"))
        if row.data.eviction.bailiff_reference in existing_bailiff:
            problems.append(
                _problem(
                    row.line,
                    "bailiff_reference",
                    f"{row.data.eviction.bailiff_reference!r} is al ingevoerd (dubbele aanzegging)",
                )
            )
    return problems


def import_csv(db: Session, *, principal: Principal, content: bytes) -> list[Household]:
    """Validate the whole file, then create every household; any problem → 422, nothing written."""
    rows, problems = parse(content)
    problems += _duplicates(db, principal.municipality_id, rows)  # among the rows that parsed, all at once
    if problems:
        problems.sort(key=lambda p: (p.loc[2] if len(p.loc) > 2 else 0, str(p.loc[-1])))
        raise InvalidInput(code=IMPORT_ROW, problems=problems)
    created = []
    for row in rows:
        data = row.data
        if data.reference is None:
            data = data.model_copy(update={"reference": _free_reference(db, principal.municipality_id, data)})
        household = service.create_household(db, municipality_id=principal.municipality_id, data=data)
        created.append(household)
    audit.record(
        db,
        principal=principal,
        action="import",
        object_type="household",
        detail={"household_ids": [h.id for h in created], "rows": len(created)},
    )
    return created


def _free_reference(db: Session, municipality_id: int, data: HouseholdCreate) -> str:
    """The next HH-<year>-NNNN not yet used (counting alone can collide with imported codes)."""
    year = data.eviction.eviction_date.year
    candidate = service.next_reference(db, municipality_id=municipality_id, year=year)
    number = int(candidate.rsplit("-", 1)[1])
    while db.scalar(
        select(Household.id).where(Household.municipality_id == municipality_id, Household.reference == candidate)
    ):
        number += 1
        candidate = f"HH-{year}-{number:04d}"
    return candidate
