"""Small date helpers shared by the rules (age on a day, adding years and months)."""

from __future__ import annotations

from datetime import date, timedelta


def age_on(birth_date: date, day: date) -> int:
    """Completed years on ``day``.

    The birthday itself counts: someone born on 2 March 1997 is 27 on 2 March 2024
    (so a guest counts as a cost-sharer from the day of the 27th birthday on). Someone
    born on 29 February has the birthday on 1 March in other years.
    """
    years = day.year - birth_date.year
    if (day.month, day.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def add_years_months(start: date, years: int, months: int = 0) -> date:
    """``start`` plus whole years and months; a day that does not exist rolls to the next day."""
    month_index = start.month - 1 + months
    year = start.year + years + month_index // 12
    month = month_index % 12 + 1
    try:
        return date(year, month, start.day)
    except ValueError:
        # e.g. 29 February in a non-leap year, 31 in a 30-day month: first day after.
        return date(year, month + 1, 1) if month < 12 else date(year + 1, 1, 1)


def add_days(start: date, days: int) -> date:
    return start + timedelta(days=days)
