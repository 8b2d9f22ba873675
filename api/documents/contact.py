"""The municipality's contact details as every letter and agreement prints them (plain Dutch, B1).

Set per municipality (columns ``contact_*`` of ``municipality``); a missing value is left out, and
without any details the text still says to call or mail the municipality.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Contact:
    """Who to call or visit: the municipality's team, address, phone number and e-mail address."""

    municipality: str
    name: str | None = None
    address: str | None = None
    phone: str | None = None
    email: str | None = None

    @classmethod
    def of(cls, municipality: Any) -> Contact:
        """From a ``Municipality`` row (or anything with the same attributes)."""
        return cls(
            municipality=municipality.name,
            name=getattr(municipality, "contact_name", None),
            address=getattr(municipality, "contact_address", None),
            phone=getattr(municipality, "contact_phone", None),
            email=getattr(municipality, "contact_email", None),
        )

    def lines(self) -> list[str]:
        """'Gemeente X, Team Wonen', 'Adres: …', 'Telefoon: …', 'E-mail: …' (only what is known)."""
        who = f"Gemeente {self.municipality}" + (f", {self.name}" if self.name else "")
        out = [who]
        out += [f"{label}: {value}" for label, value in self._details() if value]
        return out

    def _details(self) -> tuple[tuple[str, str | None], ...]:
        return (("Adres", self.address), ("Telefoon", self.phone), ("E-mail", self.email))

    def how_to_reach(self) -> str:
        """One sentence: 'Bel 14 043 of mail naar wonen@… .' (or a plain 'Bel of mail de gemeente.')."""
        if self.phone and self.email:
            return f"Bel ons op {self.phone} of mail naar {self.email}."
        if self.phone:
            return f"Bel ons op {self.phone}."
        if self.email:
            return f"Mail ons op {self.email}."
        return f"Bel of mail de gemeente {self.municipality}."
