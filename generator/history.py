"""Price history: the dated periods of an offering's prices, and the changes between them.

An offering's ``history`` lists earlier prices, oldest first, each in effect from
its date; the current ``pricing`` follows, dated by the offering's ``as_of`` (the
day the current prices were read: the change happened on or before it). A
*change* is a dimension whose price differs between two consecutive periods
that both state it; a dimension a period does not mention is not a change.

Everything here is derived from the content alone, so the changelog page, the
history chart, the Atom feeds and the JSON API agree, and their dates never
come from the clock.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from decimal import Decimal

from . import schema
from .catalog import Catalog, Offering
from .deps import note
from .money import format_usd

Amount = Decimal | str  # a number of dollars, or "not_offered"

# The values below are never changed once made, but are not frozen dataclasses: those take four
# times as long to make, and a build makes about ten per offering before its workers start.


@dataclass(slots=True)
class Period:
    date: dt.date
    prices: dict[str, Amount]  # only the dimensions this period states
    source: str | None
    note: str | None
    current: bool

    @property
    def anchor(self) -> str:
        """The id of this period's row in the offering's history table."""
        return "prices-current" if self.current else f"prices-{self.date.isoformat()}"


@dataclass(slots=True)
class DimensionChange:
    dimension: str
    label: str
    old: Amount
    new: Amount

    @property
    def text(self) -> str:
        return f"{self.label}: {amount_text(self.old)} → {amount_text(self.new)}"


@dataclass(slots=True)
class PriceChange:
    offering: Offering
    date: dt.date
    changes: tuple[DimensionChange, ...]
    source: str | None
    note: str | None
    anchor: str  # the id of the new prices' row in the offering's history table

    @property
    def summary(self) -> str:
        return "; ".join(c.text for c in self.changes)


def amount_text(amount: Amount) -> str:
    return "not offered" if isinstance(amount, str) else format_usd(amount)


def _amounts(prices: schema.Prices) -> dict[str, Amount]:
    return {
        dim: (price.usd if isinstance(price, schema.PricePoint) else price) for dim, price in prices.items()
    }


def current_date(offering: Offering) -> dt.date | None:
    """When the current prices were read: the offering's as_of, else its newest per-price date."""
    record = offering.record
    dated = [f.as_of for f in offering.prices.values() if f.as_of]
    return record.as_of or (max(dated) if dated else None) or record.verified


def periods(offering: Offering) -> list[Period]:
    """Every dated set of prices, oldest first; the current pricing last (when it is dated)."""
    record = offering.record
    found = [Period(h.date, _amounts(h), h.source or record.source, h.note, False) for h in record.history]
    when = current_date(offering)
    if when is not None:
        current = {
            dim: (f.usd if f.usd is not None else "not_offered")
            for dim, f in offering.prices.items()
            if f.state != "unsourced"
        }
        found.append(Period(when, current, record.source, None, True))
    return found


def changes(offering: Offering, timeline: list[Period] | None = None) -> list[PriceChange]:
    """The price changes of one offering, oldest first (``timeline``: its periods, if known)."""
    found: list[PriceChange] = []
    timeline = periods(offering) if timeline is None else timeline
    labels = schema.PRICE_DIMENSIONS
    for before, after in itertools.pairwise(timeline):
        now = after.prices
        diffs = tuple(
            DimensionChange(dim, labels[dim], old, new)
            for dim, old in before.prices.items()
            if (new := now.get(dim, old)) != old
        )
        if diffs:
            found.append(PriceChange(offering, after.date, diffs, after.source, after.note, after.anchor))
    return found


def timeline(offering: Offering, keep: bool = True) -> tuple[list[Period], list[PriceChange]]:
    """The offering's :func:`periods` and :func:`changes`, made once per catalog (``keep``).

    The offering page, its rows in the changelog, the API and the feeds all
    read them. The changelog's index reads every offering's changes before the
    render workers fork, and keeps them for the workers to share; past
    :data:`KEEP_TIMELINES` offerings a one-off build does not keep them there (at
    100,000 offerings they take over a hundred megabytes, which every process
    would start with): a worker makes those of the pages it renders.
    """
    found: tuple[list[Period], list[PriceChange]] | None = offering._timeline
    if found is None:
        made = periods(offering)
        found = (made, changes(offering, made))
        if keep:
            offering._timeline = found
    else:
        note(("file", offering.file))  # what making them read
    return found


# Up to this many offerings, a one-off build keeps every timeline the changelog's index made
# before the workers fork: the pages, API and feeds the workers make read them again.
KEEP_TIMELINES = 30_000

DAY_KEY = 8  # the characters of a newest_first_key that stand for the date


def newest_first_key(change: PriceChange) -> str:
    """Newest date first, then model and provider slug, as one string (slugs hold no NUL):
    it sorts several times faster than the tuple it stands for."""
    return (
        f"{10**8 - change.date.toordinal():08d}{change.offering.model.slug}\0{change.offering.provider.slug}"
    )


def day_of_key(key: str) -> dt.date:
    """The date of a :func:`newest_first_key` (or of its first :data:`DAY_KEY` characters)."""
    return dt.date.fromordinal(10**8 - int(key[:DAY_KEY]))


def newest_first(found: list[PriceChange]) -> list[PriceChange]:
    return sorted(found, key=newest_first_key)


def all_changes(catalog: Catalog) -> list[PriceChange]:
    """Every price change of the catalog, newest first."""
    return newest_first([c for o in catalog.offerings.values() for c in timeline(o)[1]])


def last_modified(offering: Offering) -> dt.date | None:
    """The newest date the content gives for an offering (verified, as_of, history)."""
    record = offering.record
    dates = [d for d in (record.verified, current_date(offering)) if d]
    dates += [h.date for h in record.history]
    return max(dates) if dates else None
