"""The one catalogue of error codes: a stable code → (Dutch, English) text with ``%(name)s`` parameters.

The Dutch text is also the msgid of ``locale/en/LC_MESSAGES/errors.po`` (written by :func:`po_text`;
a test keeps the two in step), so a message goes through the same Babel catalogue as every other
text of the app: :func:`render` asks :func:`api.core.i18n.gettext` for the current language.
Codes are part of the API: never rename one, add a new one instead.
"""

from __future__ import annotations

import sys
from typing import Any

from api.core import i18n

# Codes whose text is the raw ``msg`` of an error that has not been given its own code yet.
GENERIC = "error"
PASSTHROUGH = {
    GENERIC,
    "input.invalid",
    "not_found",
    "forbidden",
    "not_authenticated",
    "conflict",
    "rule_breach",
    "rate_limited",
    "configuration",
    "database_unavailable",
    "http_error",
    "rules.invalid",
    "household.import_row",
}
GENERIC_BY_TYPE = {
    "value_error": "input.invalid",
    "not_found": "not_found",
    "forbidden": "forbidden",
    "not_authenticated": "not_authenticated",
    "conflict": "conflict",
    "rule_breach": "rule_breach",
    "rate_limited": "rate_limited",
    "configuration": "configuration",
    "database_unavailable": "database_unavailable",
    "http_error": "http_error",
    "internal": "internal",
}

CODES: dict[str, tuple[str, str]] = {
    # -- generic: the text is the error's own msg (sites not yet given a code of their own)
    GENERIC: ("%(detail)s", "%(detail)s"),
    "input.invalid": ("%(detail)s", "%(detail)s"),
    "not_found": ("%(detail)s", "%(detail)s"),
    "forbidden": ("%(detail)s", "%(detail)s"),
    "not_authenticated": ("%(detail)s", "%(detail)s"),
    "conflict": ("%(detail)s", "%(detail)s"),
    "rule_breach": ("%(detail)s", "%(detail)s"),
    "rate_limited": ("%(detail)s", "%(detail)s"),
    "configuration": ("%(detail)s", "%(detail)s"),
    "database_unavailable": ("%(detail)s", "%(detail)s"),
    "http_error": ("%(detail)s", "%(detail)s"),
    "rules.invalid": ("%(detail)s", "%(detail)s"),
    "household.import_row": ("%(detail)s", "%(detail)s"),
    # -- the app itself
    "internal": ("Er ging iets mis bij ons; de fout is vastgelegd.", "Internal error; it has been logged."),
    "db.conflict": (
        "Dit botst met bestaande gegevens; laad de pagina opnieuw en probeer het nog eens.",
        "This conflicts with existing data; reload and retry.",
    ),
    "db.out_of_range": ("Een waarde is te groot of heeft een onjuiste vorm.", "A value is out of range or malformed."),
    "db.number_out_of_range": ("Een getal is te groot.", "A number is out of range."),
    "db.unavailable": (
        "De database is even niet bereikbaar; probeer het zo opnieuw.",
        "The database is unavailable; try again.",
    ),
    # -- request validation (Pydantic); %(field)s is the field's label
    "input.missing": ("%(field)s: dit veld is verplicht.", "%(field)s: this field is required."),
    "input.invalid_date": (
        "%(field)s: vul een datum in als JJJJ-MM-DD.",
        "%(field)s: enter a date as YYYY-MM-DD.",
    ),
    "input.invalid_datetime": (
        "%(field)s: vul een datum en tijd in als JJJJ-MM-DDTUU:MM.",
        "%(field)s: enter a date and time as YYYY-MM-DDTHH:MM.",
    ),
    "input.invalid_time": ("%(field)s: vul een tijd in als UU:MM.", "%(field)s: enter a time as HH:MM."),
    "input.invalid_int": ("%(field)s: vul een heel getal in.", "%(field)s: enter a whole number."),
    "input.invalid_number": ("%(field)s: vul een getal in.", "%(field)s: enter a number."),
    "input.invalid_bool": ("%(field)s: kies ja of nee.", "%(field)s: choose yes or no."),
    "input.invalid_text": ("%(field)s: vul tekst in.", "%(field)s: enter text."),
    "input.invalid_list": ("%(field)s: geef een lijst op.", "%(field)s: give a list."),
    "input.invalid_object": ("%(field)s: de gegevens hebben niet de verwachte vorm.", "%(field)s: wrong structure."),
    "input.too_long": (
        "%(field)s: hoogstens %(limit)s tekens.",
        "%(field)s: at most %(limit)s characters.",
    ),
    "input.too_short": (
        "%(field)s: minstens %(limit)s tekens.",
        "%(field)s: at least %(limit)s characters.",
    ),
    "input.too_many": ("%(field)s: hoogstens %(limit)s stuks.", "%(field)s: at most %(limit)s items."),
    "input.too_few": ("%(field)s: minstens %(limit)s stuks.", "%(field)s: at least %(limit)s items."),
    "input.too_small": (
        "%(field)s: vul een getal in van minstens %(limit)s.",
        "%(field)s: enter a number of at least %(limit)s.",
    ),
    "input.too_small_strict": (
        "%(field)s: vul een getal in groter dan %(limit)s.",
        "%(field)s: enter a number greater than %(limit)s.",
    ),
    "input.too_large": (
        "%(field)s: vul een getal in van hoogstens %(limit)s.",
        "%(field)s: enter a number of at most %(limit)s.",
    ),
    "input.too_large_strict": (
        "%(field)s: vul een getal in kleiner dan %(limit)s.",
        "%(field)s: enter a number less than %(limit)s.",
    ),
    "input.invalid_choice": (
        "%(field)s: kies een van: %(choices)s.",
        "%(field)s: choose one of: %(choices)s.",
    ),
    "input.invalid_format": (
        "%(field)s: de invoer heeft niet de verwachte vorm.",
        "%(field)s: the input does not have the expected form.",
    ),
    "input.invalid_email": ("%(field)s: vul een geldig e-mailadres in.", "%(field)s: enter a valid e-mail address."),
    "input.unexpected": ("%(field)s: dit veld is hier niet toegestaan.", "%(field)s: this field is not allowed here."),
    "input.invalid_value": ("%(field)s: %(detail)s", "%(field)s: %(detail)s"),
    "input.invalid_json": ("De gegevens zijn geen geldige JSON.", "The body is not valid JSON."),
    "input.invalid_date_text": (
        "%(value)s is geen datum; vul een datum in als JJJJ-MM-DD.",
        "%(value)s is not a date; enter a date as YYYY-MM-DD.",
    ),
    "input.invalid_month": (
        "%(value)s is geen maand; vul een maand in als JJJJ-MM.",
        "%(value)s is not a month; enter a month as YYYY-MM.",
    ),
    # -- auth
    "auth.bad_credentials": ("E-mailadres of wachtwoord klopt niet.", "E-mail address or password is wrong."),
    "auth.too_many_attempts": (
        "Te veel mislukte pogingen. Probeer het opnieuw om %(at)s (over %(minutes)s minuten).",
        "Too many failed attempts; try again at %(at)s Amsterdam time (in %(minutes)s min).",
    ),
    "auth.unknown_feed_token": (
        "Onbekende of ingetrokken agendalink; maak een nieuwe aan.",
        "Unknown or revoked feed token; create a new one.",
    ),
    "auth.invalid_token": ("Onbekende of ingetrokken token.", "Unknown or revoked token."),
    "auth.login_required": ("Log eerst in.", "Log in first."),
    "auth.role_forbidden": ("Uw rol (%(role)s) mag dit niet.", "Role %(role)s may not do this."),
    "auth.unknown_role": ("Onbekende rol %(role)s; kies uit %(roles)s.", "Unknown role %(role)s; one of %(roles)s."),
    "auth.password_too_short": (
        "Het wachtwoord moet minstens %(min)s tekens hebben.",
        "The password needs at least %(min)s characters.",
    ),
    "auth.passwords_differ": ("De wachtwoorden zijn niet gelijk.", "The passwords do not match."),
    "auth.link_invalid": ("Deze link is ongeldig of verlopen.", "This link is invalid or has expired."),
    "municipality.unknown": ("Onbekende gemeente %(municipality)s.", "Unknown municipality %(municipality)s."),
    "auth.login_or_token": ("Log in of geef ?token= mee.", "Log in or pass ?token=."),
    "auth.csrf": (
        "CSRF-token ontbreekt of klopt niet; laad de pagina opnieuw.",
        "CSRF token missing or wrong; reload the page.",
    ),
    "admin.export_format": ("Kies het formaat csv of json.", "Format must be csv or json."),
    "admin.account_not_found": ("Account niet gevonden.", "Account not found."),
    "admin.staff_role": ("Kies een rol uit %(roles)s.", "Role must be one of %(roles)s."),
    "admin.email_taken": (
        "Er bestaat al een account met dit e-mailadres.",
        "An account with this e-mail address exists.",
    ),
    "admin.change_not_found": ("Wijziging niet gevonden.", "Change not found."),
    "admin.change_decided": (
        "Over deze wijziging is al beslist (%(status)s).",
        "This change has already been decided (%(status)s).",
    ),
    "admin.change_own_request": (
        "Een tweede beheerder moet uw eigen verzoek goedkeuren of weigeren.",
        "A second administrator must approve or refuse your own request.",
    ),
    "admin.theme_colour": (
        "Kies een kleur als #rrggbb, bijvoorbeeld #01689b.",
        "Choose a colour as #rrggbb, for example #01689b.",
    ),
    "admin.theme_contrast": (
        "Witte tekst is op deze kleur slecht te lezen (contrast %(ratio)s, minstens 4,5). Kies een donkerdere kleur.",
        "White text is hard to read on this colour (contrast %(ratio)s, at least 4.5 needed). Choose a darker colour.",
    ),
    "admin.theme_logo": (
        "Het logo moet een adres onder /static/ zijn, bijvoorbeeld /static/logos/maastricht.svg.",
        "The logo must be an address under /static/, for example /static/logos/maastricht.svg.",
    ),
    "admin.own_account": (
        "U kunt uw eigen account niet uitschakelen en uw eigen rol niet wijzigen.",
        "You cannot deactivate your own account or change your own role.",
    ),
    "place.capacity_range": ("De capaciteit is 1 tot en met 12.", "Capacity must be 1 to 12."),
    "place.room_not_found": ("Kamer niet gevonden.", "Room not found."),
    "place.end_before_start": (
        "De einddatum moet na de begindatum liggen.",
        "The end date must lie after the start date.",
    ),
    "place.period_not_found": ("Periode niet gevonden.", "Period not found."),
    "map.unknown_layer": (
        "Onbekende kaartlaag %(layer)s; kies uit %(choices)s.",
        "Unknown layer %(layer)s; choose from %(choices)s.",
    ),
    "rate.too_many_requests": (
        "Te veel verzoeken; probeer het over %(seconds)s seconden opnieuw.",
        "Too many requests; retry in %(seconds)s seconds.",
    ),
    "rules.agreement_needs_host": (
        "Een logeerovereenkomst hoort bij een verblijf bij een gastgever, niet bij een wachtruimte.",
        "A logeer agreement belongs to a stay with a host, not a waiting-room dwelling.",
    ),
    "object.not_found": ("%(what)s niet gevonden.", "%(what)s not found."),
    "rules.use_agreement_needs_waiting_room": (
        "Een gebruiksovereenkomst hoort bij een wachtkamerwoning; bij een gastgever is het de logeerafspraak.",
        "A use agreement belongs to a waiting-room dwelling; with a host it is the logeer agreement.",
    ),
    "norms.already_entered": (
        "Geldig vanaf: de normen vanaf %(day)s zijn al ingevoerd; kies een andere datum.",
        "Valid from: norms from %(day)s are already entered; choose another date.",
    ),
    "norms.not_half_year": (
        "Geldig vanaf: de normen veranderen alleen op 1 januari en 1 juli (art. 38 Participatiewet).",
        "Valid from: the norms change on 1 January and 1 July only (art. 38 Participatiewet).",
    ),
    "map.no_policy_for_day": (
        "Datum: geen kaart voor %(day)s: %(detail)s",
        "Date: no map for %(day)s: %(detail)s",
    ),
    # -- operators: policy parameters and backups (CLI and configuration)
    "policy.max_distance_not_a_number": (
        "Beleid: matching.max_distance_km moet een getal zijn, niet %(value)s.",
        "Policy: matching.max_distance_km must be a number, got %(value)s.",
    ),
    "policy.invalid_at": ("Beleid op %(day)s: %(detail)s", "Policy at %(day)s: %(detail)s"),
    "policy.horizon_exceeds_minimum_stay": (
        "Beleid: matching.horizon_days mag niet groter zijn dan stay_limits.minimum_days.",
        "Policy: matching.horizon_days may not exceed stay_limits.minimum_days.",
    ),
    "backup.memory_database": (
        "Database: een SQLite-database in het geheugen kan niet worden geback-upt of teruggezet.",
        "Database: an in-memory SQLite database cannot be backed up or restored.",
    ),
    "backup.source_not_found": (
        "Back-upbestand %(source)s niet gevonden; geef het pad van een bestaand bestand.",
        "Backup file %(source)s not found; give the path of an existing file.",
    ),
    "backup.database_not_empty": (
        "De database bevat gegevens; geef --yes mee om ze te vervangen door de back-up.",
        "The database holds data; pass --yes to replace it with the backup.",
    ),
    "backup.not_sqlite": ("%(source)s is geen SQLite-back-up.", "%(source)s is not a SQLite backup."),
    "backup.not_pg_dump": (
        "%(source)s is geen back-up in het custom-formaat van pg_dump.",
        "%(source)s is not a pg_dump custom-format backup.",
    ),
    # -- households
    "household.not_found": ("Huishouden niet gevonden.", "Household not found."),
    "household.reference_taken": (
        "Het kenmerk %(reference)s bestaat al.",
        "Reference %(reference)s already exists.",
    ),
    "household.import_too_large": (
        "Het bestand is te groot (hoogstens %(kb)s kB).",
        "The file is too large (at most %(kb)s kB).",
    ),
    "household.import_not_utf8": (
        "Het bestand is geen UTF-8-tekst (sla het op als CSV UTF-8).",
        "The file is not UTF-8 text (save it as CSV UTF-8).",
    ),
    "household.import_empty": ("Het bestand is leeg.", "The file is empty."),
    "household.import_not_csv": (
        "Het bestand is geen geldige CSV (%(detail)s).",
        "The file is not valid CSV (%(detail)s).",
    ),
    "household.location_missing": (
        "Vul een postcode (en huisnummer) in, of de ligging van de oude woning.",
        "Give a postcode (and house number), or the location of the former home.",
    ),
    "household.no_adult": (
        "Minstens één lid moet 18 jaar of ouder zijn.",
        "At least one member must be 18 or older.",
    ),
    "household.closed": (
        "Dit huishouden is afgesloten; het kan niet meer worden gewijzigd.",
        "This household is closed; it can no longer be changed.",
    ),
    "household.close_has_stay": (
        "Dit huishouden heeft nog een lopende plaatsing (%(placement)s); beëindig of annuleer die eerst.",
        "This household still has a running placement (%(placement)s); end or cancel it first.",
    ),
    "household.override_crisis_team": (
        "Alleen het crisisteam besluit over voorrang.",
        "Only the crisis team decides on precedence.",
    ),
    "household.unknown_case_worker": ("Onbekende casusregisseur.", "Unknown case worker."),
    "search.too_short": (
        "Zoeken: typ minstens %(limit)s tekens.",
        "Search: type at least %(limit)s characters.",
    ),
    "place.retired": (
        "Deze plaats is buiten gebruik; zij kan niet meer worden gewijzigd.",
        "This place is retired; it can no longer be changed.",
    ),
    "place.has_future_stays": (
        "Deze plaats heeft nog plaatsingen tot %(until)s; die gaan voor.",
        "This place still has placements until %(until)s; they come first.",
    ),
    "place.pause_in_past": (
        "Pauzeren kan tot een datum na vandaag.",
        "A pause must run until a day after today.",
    ),
    "place.kind_not_editable": (
        "Een kamer bij een gastgever wijzigt de gastgever of de coördinator via de gastgever.",
        "A host's room is changed by the host, or by the coordinator through the host.",
    ),
    "calendar.weeks_range": ("Weken: 1 tot en met %(limit)s.", "Weeks: 1 to %(limit)s."),
    # -- placements
    "placement.not_found": ("Plaatsing niet gevonden.", "Placement not found."),
    "placement.host_limit": (
        "Deze gastgever heeft in die periode al het maximum aantal huishoudens (%(limit)s).",
        "This host already has its maximum number of households (%(limit)s) in that period.",
    ),
    "cost_sharing.guest_not_born": (
        "Voor deze datum is de berekening niet mogelijk (een gast is dan nog niet geboren).",
        "No calculation for this day (a guest is not yet born then).",
    ),
    "placement.reason_required": ("Geef een reden op.", "A reason is required."),
    "placement.reason_too_long": ("De reden is te lang (hoogstens 2000 tekens).", "Reason too long (at most 2000)."),
    "placement.double_booking": (
        "Deze plaats is in die periode al bezet (dubbele boeking geweigerd).",
        "This place is already taken in that period: double booking refused.",
    ),
    "placement.concurrent": (
        "Iemand anders heeft dit huishouden of deze plaats net geplaatst.",
        "Someone else just placed this household or this place.",
    ),
    "placement.not_confirmed": (
        "Deze plaatsing is %(status)s, niet bevestigd.",
        "Placement is %(status)s, not confirmed.",
    ),
    "placement.not_started": (
        "Deze plaatsing is %(status)s; alleen een begonnen verblijf kan eindigen.",
        "Placement is %(status)s; only a started stay can end.",
    ),
    "placement.not_cancellable": (
        "Deze plaatsing is %(status)s; alleen een bevestigd verblijf kan worden geannuleerd.",
        "Placement is %(status)s; only a confirmed stay can be cancelled.",
    ),
    "placement.arrival_in_future": ("De aankomstdag ligt in de toekomst.", "The arrival day lies in the future."),
    "placement.arrival_after_end": (
        "De aankomstdag ligt na het geplande einde van het verblijf.",
        "The arrival day lies after the planned end of the stay.",
    ),
    "placement.end_in_future": ("De einddag ligt in de toekomst.", "The end day lies in the future."),
    "placement.end_before_arrival": ("De einddag ligt vóór de aankomst.", "The end day lies before the arrival."),
    "placement.unknown_outcome": ("Onbekende afloop; kies uit %(choices)s.", "Unknown outcome; one of %(choices)s."),
    # -- during and after a stay (api.stays)
    "stay.unknown_choice": ("Onbekende keuze; kies uit %(choices)s.", "Unknown choice; one of %(choices)s."),
    "stay.day_in_future": ("Deze dag ligt in de toekomst.", "This day lies in the future."),
    "stay.not_confirmed": (
        "Deze plaatsing is %(status)s; dit kan alleen vóór de aankomst.",
        "Placement is %(status)s; this is only possible before the arrival.",
    ),
    "stay.not_running": (
        "Deze plaatsing is %(status)s; dit kan alleen tijdens het verblijf.",
        "Placement is %(status)s; this is only possible during the stay.",
    ),
    "stay.before_arrival": ("Deze dag ligt vóór de aankomst.", "This day lies before the arrival."),
    "stay.agreement_recorded": (
        "De ondertekening van de overeenkomst is al vastgelegd.",
        "The signing of the agreement is already recorded.",
    ),
    "stay.agreement_missing": (
        "De overeenkomst is niet vóór of op de dag van aankomst getekend; leg eerst de ondertekening vast.",
        "The agreement was not signed on or before the day of arrival; record the signing first.",
    ),
    "stay.introduction_stopped": (
        "Na de kennismaking is besloten niet te starten; annuleer de plaatsing.",
        "After the introduction it was decided not to start; cancel the placement.",
    ),
    "stay.note_required": ("Schrijf kort wat er besproken is.", "Write briefly what was discussed."),
    "stay.note_too_long": (
        "De tekst is te lang (hoogstens 2000 tekens).",
        "The text is too long (at most 2,000 characters).",
    ),
    "stay.paused_until_required": (
        "Geef aan tot wanneer de kamer gepauzeerd is (een dag na het einde).",
        "Say until when the room is paused (a day after the end).",
    ),
    "stay.extension_not_later": (
        "De nieuwe einddag moet na de huidige einddag (%(end)s) liggen.",
        "The new end day must lie after the current end day (%(end)s).",
    ),
    "stay.extension_too_long": (
        "Eén verlenging is hoogstens %(days)s dagen.",
        "One extension is at most %(days)s days.",
    ),
    "stay.extension_limit": (
        "Dit verblijf is al %(count)s keer verlengd; vaker mag niet.",
        "This stay was already extended %(count)s times; no more is allowed.",
    ),
    "stay.place_unavailable": (
        "De plaats is in die periode niet beschikbaar.",
        "The place is not available in that period.",
    ),
    "stay.not_ended": (
        "Nazorg hoort bij een beëindigd verblijf (niet bij een afgebroken verblijf).",
        "A follow-up belongs to an ended stay (not to one that broke down).",
    ),
    "stay.follow_up_unknown": (
        "Geen nazorgmoment na %(months)s maanden; kies uit %(choices)s.",
        "No follow-up after %(months)s months; one of %(choices)s.",
    ),
    "stay.follow_up_not_due": (
        "Deze nazorg is pas vanaf %(due)s aan de beurt.",
        "This follow-up is only due from %(due)s.",
    ),
    "stay.follow_up_recorded": ("Deze nazorg is al vastgelegd.", "This follow-up is already recorded."),
    "stay.invalid_quarter": (
        "Ongeldig kwartaal %(value)s; schrijf bijvoorbeeld 2026-K4.",
        "Invalid quarter %(value)s; write e.g. 2026-Q4.",
    ),
    # -- matching and proposals
    "matching.run_not_found": ("Matchingronde niet gevonden.", "Matching run not found."),
    "matching.records_do_not_fit_day": (
        "Voor %(day)s kan de matching niet draaien: de gegevens passen niet bij die datum (bijvoorbeeld een lid dat "
        "dan nog niet geboren is; %(count)s probleem/problemen, eerste: %(first)s).",
        "No matching for %(day)s: the records do not fit that date (%(count)s problem(s), first: %(first)s).",
    ),
    "matching.no_run_for_day": ("Voor deze dag is nog geen matching gedraaid.", "No matching run for this day yet."),
    "matching.solution_breaks_rules": (
        "De oplossing van de matcher breekt harde regels: %(breaches)s",
        "The matcher's solution breaks hard rules: %(breaches)s",
    ),
    "proposal.not_found": ("Voorstel niet gevonden.", "Proposal not found."),
    "proposal.already_decided": ("Dit voorstel is al %(status)s.", "This proposal was already %(status)s."),
    "proposal.stale": (
        "Dit voorstel is verouderd: de gegevens zijn veranderd sinds de matching van %(at)s. "
        "Draai de matching opnieuw.",
        "This proposal is stale: the data changed since the run of %(at)s; run the matching again.",
    ),
    "proposal.household_placed": ("Dit huishouden is al geplaatst.", "This household is already placed."),
    "proposal.offered": (
        "Dit voorstel is aangeboden; de gastgever of de Wachtkamer beslist nu via de link.",
        "This proposal has been offered; the host or the Wachtkamer now decides through the link.",
    ),
    "offer.not_found": ("Aanbod niet gevonden.", "Offer not found."),
    "offer.link_invalid": (
        "Deze link werkt niet meer: hij is al gebruikt, ingetrokken of verlopen.",
        "This link no longer works: it was used, revoked or has expired.",
    ),
    "offer.not_pending": ("Dit aanbod is al %(status)s.", "This offer is already %(status)s."),
    "offer.place_taken": (
        "Deze plaats is intussen niet meer beschikbaar (%(why)s). Het aanbod vervalt; het team zoekt verder.",
        "This place is no longer available (%(why)s). The offer is void; the team will look further.",
    ),
    "offer.reason_unknown": (
        "Kies een reden uit de lijst (%(choices)s).",
        "Choose a reason from the list (%(choices)s).",
    ),
    "offer.reason_not_for_party": (
        "Deze reden hoort niet bij %(party)s.",
        "This reason does not belong to %(party)s.",
    ),
    "offer.pause_until_required": (
        "Vul in tot wanneer de plaats niet beschikbaar is (een datum na vandaag).",
        "Fill in until when the place is unavailable (a date after today).",
    ),
    "offer.no_proposals": ("Kies ten minste één voorstel.", "Choose at least one proposal."),
    "offer.consent_via_unknown": (
        "Kies hoe het huishouden toestemming gaf (%(choices)s).",
        "Choose how the household gave its consent (%(choices)s).",
    ),
    "offer.consent_by_required": (
        "Vul in wie in het huishouden antwoordde (bijvoorbeeld: hoofdbewoner).",
        "Fill in who in the household answered (for example: main occupant).",
    ),
    "reconfirm.link_invalid": (
        "Deze link werkt niet meer: hij is al gebruikt of verlopen.",
        "This link no longer works: it was used or has expired.",
    ),
    "reconfirm.pause_until_required": (
        "Vul in tot wanneer u geen logés kunt opvangen (een datum na vandaag, binnen een jaar).",
        "Fill in until when you cannot take guests (a date after today, within a year).",
    ),
    "vetting.date_required": ("Vul de datum in.", "Fill in the date."),
    "vetting.kind_unknown": ("Onbekend screeningsonderdeel: %(kind)s.", "Unknown vetting item: %(kind)s."),
    "vetting.done_in_future": ("De datum ligt in de toekomst.", "The date lies in the future."),
    "vetting.expiry_before_done": (
        "De vervaldatum moet na de datum van uitvoering liggen.",
        "The expiry date must come after the date it was done.",
    ),
    "jobs.unknown": ("Onbekende taak: %(name)s (bekend: %(known)s).", "Unknown job: %(name)s (known: %(known)s)."),
    "placement.household_not_waiting": (
        "Dit huishouden is al geplaatst of afgesloten.",
        "This household is already placed or closed.",
    ),
    "placement.place_inactive": (
        "Deze plaats is niet actief (of de gastgever niet).",
        "This place (or its host) is not active.",
    ),
    "placement.household_incomplete": (
        "Dit huishouden mist gegevens voor de matching (leden of ontruiming).",
        "This household lacks data for the matching (members or eviction).",
    ),
    "placement.hard_rules": (
        "Harde regels staan deze plaatsing niet toe: %(breaches)s",
        "Hard rules refuse this placement: %(breaches)s",
    ),
    "place.not_found": ("Plaats niet gevonden.", "Place not found."),
    # -- hosts
    "host.not_found": ("Gastgever niet gevonden.", "Host not found."),
    "host.signup_failed": ("Aanmelden lukte niet; probeer het opnieuw.", "Signing up failed; please try again."),
    "host.checklist_before_confirmation": (
        "De checklist kan alleen na bevestiging worden ingevuld.",
        "The checklist can only be filled in after confirmation.",
    ),
    "host.owner_needs_no_consent": (
        "Een eigen woning heeft geen toestemming van een verhuurder nodig.",
        "An owner-occupied home needs no landlord's consent.",
    ),
    "host.consent_incomplete": (
        "Vul datum, wie en document van de toestemming in.",
        "Fill in the date, who, and the document of the consent.",
    ),
    "host.checklist_must_stay_complete": (
        "Een gescreende of actieve gastgever moet de hele checklist houden; pauzeer of wijs af.",
        "A vetted or active host must keep the whole checklist; pause or reject instead.",
    ),
    "host.unknown_action": ("Onbekende actie %(action)s.", "Unknown action %(action)s."),
    "host.coordinator_only": ("Alleen de coördinator kan dit.", "Only the coordinator can do this."),
    "host.bad_transition": ("Kan niet van %(status)s naar %(target)s.", "Cannot go from %(status)s to %(target)s."),
    "host.checklist_incomplete": (
        "De checklist is niet compleet: %(missing)s.",
        "The checklist is not complete: %(missing)s.",
    ),
    "host.rejection_reason_required": ("Geef een reden voor de afwijzing.", "Give a reason for the rejection."),
    "host.guest_present": (
        "Er verblijft of komt nog een logé; neem contact op met de coördinator om af te melden.",
        "A guest is staying or still to come; contact the coordinator to withdraw.",
    ),
    "host.email_taken": (
        "Er bestaat al een account met het e-mailadres van deze gastgever; gebruik een ander adres.",
        "An account with this host's e-mail address already exists; use another address.",
    ),
    "host.no_account_status": (
        "Alleen een actieve of gepauzeerde gastgever heeft een account.",
        "Only an active or paused host has an account.",
    ),
    "host.no_active_account": ("Deze gastgever heeft geen actief account.", "This host has no active account."),
    "host.decision_in_future": ("De besluitdatum ligt in de toekomst.", "The decision date lies in the future."),
    "host.decision_reference_required": (
        "Noem het besluit of het zaaknummer.",
        "Name the decision document or case number.",
    ),
    "host.nobody_on_benefit": (
        "Niemand in dit gastgevershuishouden heeft een uitkering: geen besluit nodig.",
        "Nobody in this host household is on benefit: no decision needed.",
    ),
    "host.exemption_not_applied": (
        "Deze gemeente past de vrijstelling voor tijdelijk verblijf niet toe.",
        "This municipality does not apply the temporary-stay exemption.",
    ),
    "host.landlord_consent": (
        "E6 toestemming verhuurder: %(detail)s",
        "E6 landlord consent: %(detail)s",
    ),
    # -- storage
    "storage.lot_not_found": ("Opslagpartij niet gevonden.", "Storage lot not found."),
    "storage.stored_in_future": (
        "De opslagdatum %(day)s ligt in de toekomst; vandaag is %(today)s.",
        "The storage date %(day)s lies in the future; today is %(today)s.",
    ),
    "storage.unknown_household": ("Onbekend huishouden.", "Unknown household."),
    "storage.eviction_other_household": (
        "Deze uitzetting hoort niet bij dit huishouden.",
        "This eviction does not belong to this household.",
    ),
    "storage.eviction_has_lot": (
        "Voor deze uitzetting is al een opslagpartij vastgelegd.",
        "A storage lot is already recorded for this eviction.",
    ),
    "storage.unknown_depot": ("Onbekende opslagplaats.", "Unknown depot."),
    "storage.tariff_incomplete": (
        "Geef het soort tarief én het bedrag op (of geen van beide).",
        "Give both the kind of tariff and the amount (or neither).",
    ),
    "storage.suspension_reason_required": (
        "Leg vast waarom de teruggave wordt opgeschort tot betaling.",
        "Record why the return is suspended until payment.",
    ),
    "storage.paid_in_future": ("De betaaldatum ligt in de toekomst.", "The payment date lies in the future."),
    "storage.paid_before_storage": ("De betaaldatum ligt vóór de opslag.", "The payment date lies before the storage."),
    "storage.return_in_future": (
        "De datum van teruggave ligt in de toekomst.",
        "The return date lies in the future.",
    ),
    "storage.return_before_storage": (
        "De datum van teruggave ligt vóór de opslag.",
        "The return date lies before the storage.",
    ),
    "storage.confirmation_note_required": (
        "Beschrijf hoe de ontvangst is bevestigd (wie, wanneer, hoe).",
        "Describe how the receipt was confirmed (who, when, how).",
    ),
    "storage.signature_required": (
        "Voeg de scan van het getekende ontvangstbewijs toe, of kies een vastgelegde bevestiging.",
        "Attach the scan of the signed receipt, or choose a recorded confirmation.",
    ),
    "storage.item_not_in_lot": ("Dit onderdeel hoort niet bij deze partij.", "This item does not belong to this lot."),
    "storage.item_twice_in_return": (
        "Dit onderdeel staat twee keer in de teruggave.",
        "This item appears twice in the return.",
    ),
    "storage.nothing_to_return": ("Er is niets meer om terug te geven.", "There is nothing left to return."),
    "storage.return_exceeds_stock": (
        "'%(item)s': %(quantity)s terug te geven, maar er is nog %(remaining)s van %(stored)s opgeslagen.",
        "'%(item)s': %(quantity)s to return, but only %(remaining)s of %(stored)s remain in storage.",
    ),
    "storage.return_suspended": (
        "De teruggave is opgeschort tot de kosten zijn betaald (besluit over de kosten); "
        "persoonlijke papieren, foto's en herinneringen kunnen wel altijd mee.",
        "The return is suspended until the costs are paid (cost decision); "
        "personal papers, photos and keepsakes can always be taken.",
    ),
    "storage.waiver_in_future": (
        "De datum van de afstandsverklaring ligt in de toekomst.",
        "The date of the waiver lies in the future.",
    ),
    "storage.waiver_before_storage": (
        "De afstandsverklaring is ouder dan de opslag.",
        "The waiver predates the storage.",
    ),
    "storage.item_twice_in_waiver": (
        "Een onderdeel staat twee keer in de afstandsverklaring.",
        "An item appears twice in the waiver.",
    ),
    "storage.waiver_protected": (
        "Persoonlijke papieren, foto's en herinneringen worden altijd bewaard om terug te geven; "
        "een afstandsverklaring kan ze niet omvatten.",
        "Personal papers, photos and keepsakes are always kept to be returned; a waiver cannot include them.",
    ),
    "storage.disposal_protected": (
        "%(label)s worden nooit verkocht of vernietigd: ze blijven bewaard om terug te geven.",
        "%(label)s are never sold or destroyed: they are kept to be returned.",
    ),
    "storage.category_empty": ("Er is geen %(label)s meer in deze partij.", "There is no %(label)s left in this lot."),
    "storage.destruction_no_proceeds": ("Vernietiging heeft geen opbrengst.", "Destruction has no proceeds."),
    "storage.disposal_pending": (
        "Er ligt al een verzoek voor %(label)s dat op goedkeuring wacht.",
        "A request for %(label)s is already awaiting approval.",
    ),
    "storage.disposal_too_early": (
        "De bewaartermijn loopt tot %(deadline)s (dag %(day)s van %(days)s): eerder verkopen of vernietigen "
        "mag alleen met een vastgelegde reden (kosten niet in verhouding tot de waarde) en goedkeuring van "
        "een tweede gebruiker.",
        "The storage period runs until %(deadline)s (day %(day)s of %(days)s): selling or destroying earlier "
        "needs a recorded reason (costs out of proportion to the value) and approval by a second user.",
    ),
    "storage.disposal_not_found": ("Verzoek niet gevonden.", "Request not found."),
    "storage.disposal_settled": ("Dit verzoek is al afgehandeld.", "This request has already been settled."),
    "storage.four_eyes": (
        "Volgens het vier-ogenprincipe moet een andere gebruiker dan de aanvrager het verzoek goedkeuren.",
        "Four-eyes principle: a user other than the requester must approve the request.",
    ),
    "storage.personal_papers_never_disposed": (
        "Persoonlijke papieren worden nooit verkocht of vernietigd.",
        "Personal papers are never sold or destroyed.",
    ),
    "storage.category_exhausted": (
        "Er is niets meer over van deze categorie.",
        "Nothing is left of this category.",
    ),
    "storage.unknown_attachment_kind": ("Onbekend soort bijlage.", "Unknown kind of attachment."),
    "storage.file_empty": ("Het bestand is leeg.", "The file is empty."),
    "storage.file_too_large": ("Het bestand is groter dan 8 MB.", "The file is larger than 8 MB."),
    "storage.file_type": ("Alleen JPEG, PNG of PDF.", "Only JPEG, PNG or PDF."),
    "storage.attachment_not_found": ("Bijlage niet gevonden.", "Attachment not found."),
    "storage.unknown_letter_kind": ("Onbekend soort brief.", "Unknown kind of letter."),
    "storage.letter_not_due": (
        "Deze brief is pas op %(day)s aan de beurt.",
        "This letter is not due until %(day)s.",
    ),
    "storage.letter_kind": (
        "Onbekend soort brief; kies uit %(choices)s.",
        "Unknown kind of letter; one of %(choices)s.",
    ),
    "storage.whole_quantity": ("Vul een heel aantal in.", "Enter a whole number."),
    "storage.quantity_required": (
        "Vul bij minstens één onderdeel een aantal in.",
        "Enter a quantity for at least one item.",
    ),
    "storage.date_required": ("Vul een datum in.", "Enter a date."),
    "storage.letter_not_found": ("Brief niet gevonden.", "Letter not found."),
    # -- storage: art. 5:30 Awb (day 92, early sale, copy of the proces-verbaal, proceeds and claims)
    "storage.no_storage_period": (
        "Opslagdatum: voor deze dag is geen bewaartermijn bekend (%(detail)s); vul een andere datum in.",
        "Storage date: no storage period is known for this day (%(detail)s); enter another date.",
    ),
    "storage.invoice_date_out_of_range": (
        "Factuurdatum: de factuurdatum ligt in de toekomst of vóór de opslag; vul een datum in van "
        "%(stored)s tot en met %(today)s.",
        "Invoice date: the invoice date lies in the future or before the storage; enter a date from "
        "%(stored)s up to and including %(today)s.",
    ),
    "storage.no_proceeds_without_sale": (
        "Opbrengst en kosten: vernietigen of weggeven heeft geen opbrengst en geen af te trekken kosten; "
        "laat deze velden leeg.",
        "Proceeds and costs: destroying or giving away has no proceeds and no costs to deduct; "
        "leave these fields empty.",
    ),
    "storage.unsellable_reason_required": (
        "Waarom verkopen niet kan: vernietigen of weggeven mag alleen als verkoop niet mogelijk is; leg in "
        "'unsellable_reason' vast waarom verkopen niet kan (art. 5:30 lid 5 Awb).",
        "Why sale is not possible: destroying or giving away is only allowed when sale is not possible; record "
        "in 'unsellable_reason' why the goods cannot be sold (art. 5:30(5) Awb).",
    ),
    "storage.costs_need_proceeds": (
        "Opbrengst: vul ook de opbrengst in, dan rekenen wij het netto bedrag uit.",
        "Proceeds: also enter the proceeds, so that we can work out the net amount.",
    ),
    "storage.early_reason_required": (
        "Reden: verkoop of vernietiging mag pas vanaf %(allowed)s (dag %(allowed_day)s; vandaag is dag "
        "%(today_day)s): eerder mag alleen als de opslagkosten niet in verhouding staan tot de waarde; leg in "
        "'reason' vast waarom, en een tweede gebruiker keurt goed (art. 5:30 lid 2 Awb).",
        "Reason: sale or destruction is only allowed from %(allowed)s (day %(allowed_day)s; today is day "
        "%(today_day)s): earlier only when the storage costs are out of proportion to the value; record in "
        "'reason' why, and a second user approves (art. 5:30(2) Awb).",
    ),
    "storage.record_copy_date_required": (
        "Datum afschrift: eerder verkopen mag pas twee weken nadat de eigenaar een afschrift van het "
        "proces-verbaal kreeg; leg in 'record_copy_given_on' vast op welke dag het is gegeven of gestuurd "
        "(art. 5:30 lid 3 Awb).",
        "Copy date: an early sale is only allowed two weeks after the owner received a copy of the official "
        "report (proces-verbaal); record in 'record_copy_given_on' the day it was handed over or sent "
        "(art. 5:30(3) Awb).",
    ),
    "storage.record_copy_in_future": (
        "Datum afschrift: de datum van het afschrift ligt in de toekomst; vul een datum in tot en met %(today)s.",
        "Copy date: the date of the copy lies in the future; enter a date up to and including %(today)s.",
    ),
    "storage.record_copy_before_storage": (
        "Datum afschrift: de datum van het afschrift ligt vóór de opslag; vul een datum in vanaf %(stored)s.",
        "Copy date: the date of the copy lies before the storage; enter a date from %(stored)s.",
    ),
    "storage.early_sale_copy_wait": (
        "Het afschrift van het proces-verbaal is op %(copy_day)s gegeven of gestuurd; eerder verkopen mag niet "
        "binnen twee weken daarna, dus op zijn vroegst op %(allowed)s (art. 5:30 lid 3 Awb).",
        "The copy of the official report (proces-verbaal) was handed over or sent on %(copy_day)s; an early "
        "sale is not allowed within two weeks after that, so on %(allowed)s at the earliest (art. 5:30(3) Awb).",
    ),
    "storage.approval_copy_date_missing": (
        "Bij dit verzoek is niet vastgelegd wanneer de eigenaar een afschrift van het proces-verbaal kreeg; "
        "trek het in en vraag opnieuw, met die datum (art. 5:30 lid 3 Awb).",
        "This request does not record when the owner received a copy of the official report (proces-verbaal); "
        "withdraw it and request again, with that date (art. 5:30(3) Awb).",
    ),
    "storage.not_a_done_sale": (
        "Dit is geen uitgevoerde verkoop; opbrengst en aanspraak horen bij een verkoop die is uitgevoerd.",
        "This is not a completed sale; proceeds and claims belong to a sale that has been carried out.",
    ),
    "storage.proceeds_paid_out": (
        "De opbrengst is al uitbetaald; de bedragen liggen vast.",
        "The proceeds have already been paid out; the amounts are fixed.",
    ),
    "storage.claim_exists": (
        "Datum aanspraak: voor deze verkoop is al een aanspraak vastgelegd.",
        "Claim date: a claim has already been recorded for this sale.",
    ),
    "storage.claim_in_future": (
        "Datum aanspraak: de datum van de aanspraak ligt in de toekomst; vul een datum in tot en met %(today)s.",
        "Claim date: the date of the claim lies in the future; enter a date up to and including %(today)s.",
    ),
    "storage.claim_before_sale": (
        "Datum aanspraak: de datum van de aanspraak ligt vóór de verkoop; vul een datum in vanaf %(sale_day)s.",
        "Claim date: the date of the claim lies before the sale; enter a date from %(sale_day)s.",
    ),
    "storage.claim_too_late": (
        "Datum aanspraak: de opbrengst kon worden opgeëist tot en met %(last_day)s: drie jaar na de verkoop op "
        "%(sale_day)s (art. 5:30 lid 4 Awb).",
        "Claim date: the proceeds could be claimed up to and including %(last_day)s: three years after the sale "
        "on %(sale_day)s (art. 5:30(4) Awb).",
    ),
    "storage.claim_missing": (
        "Leg eerst de aanspraak van de eigenaar vast.",
        "Record the owner's claim first.",
    ),
    "storage.claim_paid": ("Deze aanspraak is al uitbetaald.", "This claim has already been paid."),
    "storage.sale_result_missing": (
        "Leg eerst de opbrengst en de kosten van de verkoop vast.",
        "Record the proceeds and the costs of the sale first.",
    ),
    "storage.claim_paid_on_out_of_range": (
        "Betaaldatum: de betaaldatum ligt in de toekomst of vóór de aanspraak; vul een datum in van "
        "%(claim_day)s tot en met %(today)s.",
        "Payment date: the payment date lies in the future or before the claim; enter a date from "
        "%(claim_day)s up to and including %(today)s.",
    ),
    "storage.claim_exceeds_net": (
        "Bedrag: de eigenaar heeft recht op de opbrengst min de kosten: %(net)s, niet meer.",
        "Amount: the owner is entitled to the proceeds minus the costs: %(net)s, no more.",
    ),
    # -- lists: paging, sorting, bulk decisions
    "list.unknown_sort": (
        "Sorteren: %(value)s is geen kolom van deze lijst; kies uit %(choices)s.",
        "Sort: %(value)s is not a column of this list; one of %(choices)s.",
    ),
    "proposal.bulk_empty": (
        "Kies minstens één voorstel.",
        "Choose at least one proposal.",
    ),
    "proposal.bulk_unknown_action": (
        "Onbekende handeling %(value)s; kies bevestigen of afwijzen.",
        "Unknown action %(value)s; choose confirm or reject.",
    ),
    # -- capacity planning (year simulator)
    "capacity.too_little_history": (
        "Te weinig geschiedenis in %(municipality)s voor een profiel: %(households)s huishoudens met een "
        "uitzetting in %(weeks)s weken; nodig zijn minstens %(min_households)s huishoudens over %(min_weeks)s weken.",
        "Too little history in %(municipality)s for a profile: %(households)s households with an eviction in "
        "%(weeks)s weeks; at least %(min_households)s households over %(min_weeks)s weeks are needed.",
    ),
    "capacity.unknown_profile": (
        "Onbekend profiel %(value)s; kies uit %(choices)s.",
        "Unknown profile %(value)s; choose one of %(choices)s.",
    ),
    "capacity.profile_or_history": (
        "Kies een profiel of de geschiedenis van de gemeente, niet allebei en niet geen van beide.",
        "Choose a profile or the municipality's history, not both and not neither.",
    ),
    "capacity.plan_unknown": ("Onbekende capaciteitsberekening.", "Unknown capacity plan."),
    "capacity.comparison_unknown": ("Onbekende vergelijking van het beleid.", "Unknown policy comparison."),
    "capacity.too_many_plans": (
        "Er lopen al %(running)s berekeningen voor deze gemeente; wacht tot er een klaar is.",
        "%(running)s capacity calculations (plans or comparisons) are already running for this municipality; "
        "wait until one is done.",
    ),
    "capacity.not_restartable": (
        "Deze berekening is niet mislukt of onderbroken (stand: %(status)s); alleen die kunt u opnieuw starten.",
        "This calculation has not failed or been interrupted (state: %(status)s); only those can be started again.",
    ),
    "capacity.hindsight_budget": (
        "Optimum achteraf: herhalingen × seconden rekentijd mag hoogstens %(limit)s zijn (nu %(value)s); "
        "kies minder herhalingen of minder seconden.",
        "Hindsight: seeds × hindsight seconds may be at most %(limit)s (now %(value)s); choose fewer seeds or "
        "fewer seconds.",
    ),
}

# Statuses named in messages: pass ``status=status_label(row.status)``.
STATUS_LABELS: dict[str, tuple[str, str]] = {
    "proposed": ("voorgesteld", "proposed"),
    "confirmed": ("bevestigd", "confirmed"),
    "started": ("begonnen", "started"),
    "ended": ("beëindigd", "ended"),
    "cancelled": ("geannuleerd", "cancelled"),
    "rejected": ("afgewezen", "rejected"),
    "stale": ("verouderd", "stale"),
    "unconfirmed": ("onbevestigd", "unconfirmed"),
    "pending": ("in behandeling", "pending"),
    "vetted": ("gescreend", "vetted"),
    "active": ("actief", "active"),
    "paused": ("gepauzeerd", "paused"),
    "withdrawn": ("afgemeld", "withdrawn"),
    "accepted": ("geaccepteerd", "accepted"),
    "declined": ("afgeslagen", "declined"),
    "expired": ("verlopen", "expired"),
    "void": ("vervallen", "void"),
}


def status_label(status: str) -> tuple[str, str]:
    return STATUS_LABELS.get(status, (status, status))


OBJECT_LABELS: dict[str, tuple[str, str]] = {
    "household": ("Huishouden", "Household"),
    "host": ("Gastgever", "Host"),
    "place": ("Plaats", "Place"),
    "placement": ("Plaatsing", "Placement"),
    "proposal": ("Voorstel", "Proposal"),
    "storage_lot": ("Opslagpartij", "Storage lot"),
    "document": ("Document", "Document"),
    "user": ("Gebruiker", "User"),
}


def object_label(what: str) -> tuple[str, str]:
    nl, en = OBJECT_LABELS.get(what, (what, what))
    return (nl, en)


# Labels of request fields, for messages such as "Geboortedatum: vul een datum in als JJJJ-MM-DD."
FIELD_LABELS: dict[str, tuple[str, str]] = {
    "birth_date": ("Geboortedatum", "Date of birth"),
    "start_date": ("Begindatum", "Start date"),
    "end_date": ("Einddatum", "End date"),
    "day": ("Dag", "Day"),
    "date": ("Datum", "Date"),
    "planning_date": ("Planningsdatum", "Planning date"),
    "announced_date": ("Datum van aankondiging", "Announcement date"),
    "eviction_date": ("Datum van ontruiming", "Eviction date"),
    "arrived_on": ("Aankomstdatum", "Arrival date"),
    "ended_on": ("Einddatum", "End date"),
    "stored_on": ("Opslagdatum", "Storage date"),
    "signed_on": ("Datum van ondertekening", "Signing date"),
    "returned_on": ("Datum van teruggave", "Return date"),
    "paid_on": ("Betaaldatum", "Payment date"),
    "decided_on": ("Besluitdatum", "Decision date"),
    "landlord_consent_date": ("Datum toestemming verhuurder", "Landlord consent date"),
    "available_from": ("Beschikbaar vanaf", "Available from"),
    "available_until": ("Beschikbaar tot", "Available until"),
    "household_id": ("Huishouden", "Household"),
    "place_id": ("Plaats", "Place"),
    "host_id": ("Gastgever", "Host"),
    "reference": ("Kenmerk", "Reference"),
    "email": ("E-mailadres", "E-mail address"),
    "password": ("Wachtwoord", "Password"),
    "name": ("Naam", "Name"),
    "reason": ("Reden", "Reason"),
    "quantity": ("Aantal", "Quantity"),
    "capacity": ("Capaciteit", "Capacity"),
    "members": ("Leden", "Members"),
    "origin_postcode": ("Postcode oude woning", "Postcode of the former home"),
    "origin_house_number": ("Huisnummer oude woning", "House number of the former home"),
    "origin_lat": ("Breedtegraad", "Latitude"),
    "origin_lon": ("Lengtegraad", "Longitude"),
    "display_name": ("Naam voor de brieven", "Name for letters"),
    "house_number": ("Huisnummer", "House number"),
    "postcode": ("Postcode", "Postcode"),
    "label": ("Naam", "Name"),
    "address": ("Adres", "Address"),
    "until": ("Tot en met", "Until"),
    "q": ("Zoeken", "Search"),
    "case_worker_id": ("Casusregisseur", "Case worker"),
    "month": ("Maand", "Month"),
    "outcome": ("Afloop", "Outcome"),
    "role": ("Rol", "Role"),
    "valid_from": ("Geldig vanaf", "Valid from"),
    "single": ("Norm alleenstaande", "Single person's norm"),
    "couple": ("Norm gehuwden (B)", "Married couple's norm (B)"),
    "source": ("Bron", "Source"),
}

# Pydantic error type → code (see pydantic_core's ErrorType); limits come from the error's ctx.
PYDANTIC_CODES: dict[str, str] = {
    "missing": "input.missing",
    "date_type": "input.invalid_date",
    "date_parsing": "input.invalid_date",
    "date_from_datetime_parsing": "input.invalid_date",
    "date_from_datetime_inexact": "input.invalid_date",
    "datetime_type": "input.invalid_datetime",
    "datetime_parsing": "input.invalid_datetime",
    "datetime_from_date_parsing": "input.invalid_datetime",
    "time_type": "input.invalid_time",
    "time_parsing": "input.invalid_time",
    "int_type": "input.invalid_int",
    "int_parsing": "input.invalid_int",
    "int_parsing_size": "input.invalid_int",
    "int_from_float": "input.invalid_int",
    "float_type": "input.invalid_number",
    "float_parsing": "input.invalid_number",
    "decimal_type": "input.invalid_number",
    "decimal_parsing": "input.invalid_number",
    "finite_number": "input.invalid_number",
    "bool_type": "input.invalid_bool",
    "bool_parsing": "input.invalid_bool",
    "string_type": "input.invalid_text",
    "list_type": "input.invalid_list",
    "dict_type": "input.invalid_object",
    "model_type": "input.invalid_object",
    "model_attributes_type": "input.invalid_object",
    "string_too_long": "input.too_long",
    "string_too_short": "input.too_short",
    "too_long": "input.too_many",
    "too_short": "input.too_few",
    "greater_than": "input.too_small_strict",
    "greater_than_equal": "input.too_small",
    "less_than": "input.too_large_strict",
    "less_than_equal": "input.too_large",
    "enum": "input.invalid_choice",
    "literal_error": "input.invalid_choice",
    "string_pattern_mismatch": "input.invalid_format",
    "value_error": "input.invalid_value",
    "assertion_error": "input.invalid_value",
    "extra_forbidden": "input.unexpected",
    "json_invalid": "input.invalid_json",
}
LOCATIONS = ("body", "query", "path", "header", "cookie", "form")


def _language() -> str:
    return i18n.current_language.get()


def _fill(template: str, params: dict[str, Any]) -> str:
    try:
        return template % params
    except (KeyError, TypeError, ValueError):
        return template


def render(code: str, params: dict[str, Any] | None = None, language: str | None = None) -> str:
    """The text of ``code`` in ``language`` (default: the current one), through the Babel catalogue."""
    nl, _en = CODES.get(code, CODES[GENERIC])
    language = language or _language()
    template = i18n.translations(language).gettext(nl)
    return _fill(template, _localised(params or {}, language))


def bilingual(code: str, params: dict[str, Any] | None = None) -> str:
    """Dutch and English together: the language-independent ``msg`` of a coded problem."""
    nl, en = (render(code, params, language) for language in ("nl", "en"))
    return nl if nl == en else f"{nl} / {en}"


def _localised(params: dict[str, Any], language: str) -> dict[str, Any]:
    """A parameter given as ``(nl, en)`` is picked by language; everything else is used as is."""
    out = dict(params)
    for key, value in params.items():
        if isinstance(value, tuple) and len(value) == 2 and all(isinstance(v, str) for v in value):
            out[key] = value[0] if language == "nl" else value[1]
    return out


def field_label(loc: tuple[str | int, ...] | list[str | int]) -> tuple[str, str]:
    """(nl, en) label of the field at ``loc``: the last named part, looked up in :data:`FIELD_LABELS`."""
    parts = list(loc[1:] if loc and loc[0] in LOCATIONS else loc)
    names = [p for p in parts if isinstance(p, str)]
    if not names:
        return ("Invoer", "Input")
    name = names[-1]
    nl, en = FIELD_LABELS.get(name, (name, name))
    index = [p for p in parts if isinstance(p, int)]
    if index:  # members.0.birth_date → "Geboortedatum (lid 1)"-style position, kept simple and exact
        where = ".".join(str(p) for p in parts[:-1])
        return (f"{nl} ({where})", f"{en} ({where})")
    return (nl, en)


def pydantic_problem_args(error: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """Code and parameters for one Pydantic error (``RequestValidationError.errors()`` item)."""
    kind = str(error.get("type", "value_error"))
    code = PYDANTIC_CODES.get(kind, "input.invalid_format")
    ctx = error.get("ctx") or {}
    params: dict[str, Any] = {"field": field_label(tuple(error.get("loc", ())))}
    for key in ("max_length", "min_length", "gt", "ge", "lt", "le"):
        if key in ctx:
            params["limit"] = ctx[key]
    if "expected" in ctx:
        params["choices"] = str(ctx["expected"])
    if kind in ("value_error", "assertion_error"):
        detail = str(error.get("msg", ""))
        for prefix in ("Value error, ", "Assertion failed, "):
            detail = detail.removeprefix(prefix)
        params["detail"] = detail
    return code, params


def po_text() -> str:
    """``locale/en/LC_MESSAGES/errors.po``: every Dutch text with its English translation."""

    def quote(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = [
        "# English texts of the error codes; written from api/core/error_codes.py (do not edit by hand).",
        'msgid ""',
        'msgstr ""',
        '"Content-Type: text/plain; charset=UTF-8\\n"',
        '"Language: en\\n"',
        "",
    ]
    seen: set[str] = set()
    for code, (nl, en) in CODES.items():
        if nl in seen or nl == en:
            continue
        seen.add(nl)
        lines += [f"#. {code}", f"msgid {quote(nl)}", f"msgstr {quote(en)}", ""]
    return "\n".join(lines)


if __name__ == "__main__":  # python -m api.core.error_codes > api/locale/en/LC_MESSAGES/errors.po
    sys.stdout.write(po_text())


def pydantic_message(error: dict[str, Any]) -> str:
    """The localised text for one Pydantic error, for forms that validate a model themselves."""
    code, params = pydantic_problem_args(error)
    return render(code, params)
