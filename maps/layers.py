"""The map's layers, their statuses, colours and labels (Dutch first, English second).

The service sets ``properties.layer`` and ``properties.status`` on every feature; this
table says how each is drawn and named in the legend, the layer switcher and the popups.
Placement colours follow the stay clock's signals (matcher.rules.stay_clock: plan the next
step, minimum stay reached, maximum stay), whose day numbers are dated policy parameters.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Status:
    key: str
    colour: str
    nl: str
    en: str


@dataclass(frozen=True)
class LayerSpec:
    key: str
    nl: str
    en: str
    statuses: tuple[Status, ...]
    fields: tuple[tuple[str, str, str], ...]  # (property, Dutch label, English label) shown in the popup

    def label(self, language: str) -> str:
        return self.en if language == "en" else self.nl


_PLACE_FIELDS = (
    ("ref", "Kenmerk", "Reference"),
    ("capacity", "Personen", "Persons"),
    ("address", "Adres", "Address"),
    ("occupant_ref", "Huishouden", "Household"),
    ("precision", "Locatie", "Location"),
    ("municipality", "Buurgemeente", "Neighbouring municipality"),
)

LAYERS: tuple[LayerSpec, ...] = (
    LayerSpec(
        "wachtkamer",
        "Wachtkamerwoningen",
        "Waiting-room dwellings",
        (
            Status("free", "#2e7d32", "vrij", "free"),
            Status("occupied", "#01689b", "bezet", "occupied"),
            Status("paused", "#8a8a8a", "gepauzeerd", "paused"),
        ),
        _PLACE_FIELDS,
    ),
    LayerSpec(
        "host_room",
        "Kamers bij gastgevers",
        "Host rooms",
        (
            Status("free", "#43a047", "vrij", "free"),
            Status("occupied", "#1565c0", "bezet", "occupied"),
            Status("paused", "#9e9e9e", "gepauzeerd", "paused"),
        ),
        (("host_ref", "Gastgever", "Host"), *_PLACE_FIELDS),
    ),
    LayerSpec(
        "waiting",
        "Wachtende huishoudens (herkomst)",
        "Households waiting (origin)",
        (
            Status("evicted", "#6a1b9a", "uitgezet, wacht op plek", "evicted, waiting"),
            Status("eviction_ahead", "#ab47bc", "uitzetting aangekondigd", "eviction announced"),
        ),
        (
            ("ref", "Huishouden", "Household"),
            ("persons", "Personen", "Persons"),
            ("eviction_date", "Uitzetting", "Eviction"),
            ("precision", "Locatie", "Location"),
        ),
    ),
    LayerSpec(
        "placement",
        "Huidige plaatsingen (verblijfsklok)",
        "Current placements (stay clock)",
        (
            Status("running", "#2e7d32", "loopt", "running"),
            Status("plan_next_step", "#f9a825", "vervolg plannen", "plan the next step"),
            Status("minimum_stay_reached", "#ef6c00", "minimale duur bereikt", "minimum stay reached"),
            Status("maximum_stay", "#c62828", "maximale duur: escaleren", "maximum stay: escalate"),
        ),
        (
            ("ref", "Huishouden", "Household"),
            ("place_ref", "Plaats", "Place"),
            ("start_date", "Sinds", "Since"),
            ("day_count", "Dag", "Day"),
            ("days_left", "Dagen over", "Days left"),
            ("latest_end_date", "Uiterlijk tot", "Latest end"),
            ("next_signal", "Volgende signaal", "Next signal"),
            ("precision", "Locatie", "Location"),
        ),
    ),
    LayerSpec(
        "storage",
        "Opslag van inboedels",
        "Storage of belongings",
        (
            Status("stored", "#795548", "opgeslagen", "stored"),
            Status("deadline_passed", "#b00020", "termijn verstreken", "period ended"),
            Status("empty", "#bcaaa4", "leeg", "empty"),
        ),
        (
            ("ref", "Depot", "Depot"),
            ("address", "Adres", "Address"),
            ("lot_count", "Partijen", "Lots"),
            ("next_deadline", "Eerste termijn", "First deadline"),
        ),
    ),
)

LAYER_KEYS: tuple[str, ...] = tuple(spec.key for spec in LAYERS)
BY_KEY: dict[str, LayerSpec] = {spec.key: spec for spec in LAYERS}

_WORDS: dict[str, tuple[str, str]] = {
    "exact": ("exact", "exact"),
    "approx_1km": ("afgerond op ca. 1 km", "rounded to about 1 km"),
    "open": ("Openen", "Open"),
    "legend": ("Legenda", "Legend"),
    "lots": ("Partijen en termijnen", "Lots and deadlines"),
    "days": ("dagen", "days"),
    "towns": ("Plaatsen (oriëntatie)", "Towns (orientation)"),
}


def client_config(language: str) -> dict[str, object]:
    """Everything the browser script needs to draw legend, markers and popups, in one language."""
    en = language == "en"
    return {
        "language": "en" if en else "nl",
        "layers": [
            {
                "key": spec.key,
                "label": spec.label(language),
                "statuses": [{"key": s.key, "colour": s.colour, "label": s.en if en else s.nl} for s in spec.statuses],
                "fields": [[prop, en_label if en else nl_label] for prop, nl_label, en_label in spec.fields],
            }
            for spec in LAYERS
        ],
        "words": {key: (pair[1] if en else pair[0]) for key, pair in _WORDS.items()},
    }
