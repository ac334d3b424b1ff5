"""Quality gates: upstream values that are obviously broken never become facts.

Each gate returns the reason a value is refused, or None. The readers call
them and record every refusal (:class:`.snapshot.Refused`) with the entry it
came from; the writer stores the refusals in the content file (``withheld``)
so the page and the file say why a value is missing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

EPOCH = dt.date(1970, 1, 1)
SUBSCRIPTION_MARKERS = ("coding-plan", "token-plan", "for-coding")


def bad_token_limit(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        return "not a whole number of tokens"
    if value <= 0:
        return f"a limit of {value} tokens is not a real limit"
    if value > 100_000_000:
        return "more than 100M tokens is not a real limit"
    return None


def parse_date(value: object) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def bad_release(released: dt.date | None, updated: dt.date | None, today: dt.date) -> str | None:
    if released is None:
        return None
    if released <= EPOCH:
        return "1970-01-01 is a placeholder date, not a release date"
    if released > today:
        return "release date in the future"
    if updated is not None and updated < released:
        return f"last updated {updated} is before the release date"
    return None


def is_subscription(provider: str) -> bool:
    return any(marker in provider for marker in SUBSCRIPTION_MARKERS)


def bad_zero_price(amount: Decimal, provider_is_paid: bool, free_entry: bool) -> str | None:
    """$0 is a fact only on a free entry of a provider that does not bill per token anyway."""
    if amount != 0 or free_entry:
        return None
    if provider_is_paid:
        return "$0 on a provider that bills for its other models"
    return None


def bad_price(amount: Decimal | None) -> str | None:
    if amount is None:
        return "not a number"
    if amount < 0:
        return "negative price"
    if amount > 100_000:
        return "more than $100,000 is not a real price"
    return None
