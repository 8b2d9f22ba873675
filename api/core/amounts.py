"""Decimal amounts (euros, cubic metres) whose OpenAPI schema says what the model accepts.

Pydantic documents a ``Decimal`` as "a number or any string", so a generated ``"1e+198"`` or ``"abc"`` is
schema-valid and then refused. These types bound both branches: a number between the limits in steps of the
unit (``multipleOf``), or a plain decimal string with at most the allowed digits — the same limits as the
model's own ``ge``/``le``/``decimal_places`` and the database column.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from pydantic import Field, WithJsonSchema


def decimal_schema(maximum: Decimal, places: int = 2) -> dict[str, Any]:
    """JSON Schema for a decimal from 0 to ``maximum`` with at most ``places`` decimals."""
    whole_digits = len(str(int(maximum)))
    return {
        "anyOf": [
            {
                "type": "number",
                "minimum": 0,
                "maximum": float(maximum),
                "multipleOf": float(Decimal(1).scaleb(-places)),
            },
            {"type": "string", "pattern": rf"^[0-9]{{1,{whole_digits}}}(\.[0-9]{{1,{places}}})?$"},
        ]
    }


MAX_EUROS = Decimal("999999.99")  # a sanity bound: Numeric(8, 2) columns and cents in an integer column fit it
MAX_CUBIC_METRES = Decimal("999.99")

# Euros with cents, 0 .. 999,999.99.
Euros = Annotated[
    Decimal, Field(ge=0, le=MAX_EUROS, max_digits=8, decimal_places=2), WithJsonSchema(decimal_schema(MAX_EUROS))
]
# A volume in m³ with two decimals, 0 .. 999.99.
CubicMetres = Annotated[
    Decimal,
    Field(ge=0, le=MAX_CUBIC_METRES, max_digits=5, decimal_places=2),
    WithJsonSchema(decimal_schema(MAX_CUBIC_METRES)),
]
