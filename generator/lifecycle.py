"""Lifecycle of an offering: preview, generally available, deprecated, retired.

A badge says it in a few words wherever an offering is listed; the
deprecations page lists every deprecated or retired offering (and any with a
retirement date) by retirement date, soonest first, undated ones last.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from . import schema
from .catalog import SELECTIONS, Catalog, Chosen, Offering, selection
from .deps import note
from .routes import model_url, offering_url


@dataclass(frozen=True)
class Badge:
    status: str  # preview, deprecated, retired
    text: str  # "Deprecated: retires 2026-10-27"
    replacement_name: str | None
    replacement_url: str | None


def badge(offering: Offering, catalog: Catalog | None = None) -> Badge | None:
    """The lifecycle badge of an offering (None when generally available); with ``catalog``, its replacement."""
    record = offering.record
    status = record.status
    if status is schema.Status.ga:
        return None
    retires = record.retires_on.isoformat() if record.retires_on else None
    if status is schema.Status.preview:
        text = "Preview"
    elif status is schema.Status.deprecated:
        text = f"Deprecated: retires {retires}" if retires else "Deprecated"
    else:
        text = f"Retired {retires}" if retires else "Retired"
    name = url = None
    if catalog and record.replacement:
        note(("all", "models"))  # whether the replacement exists
        if record.replacement in catalog.models:
            note(("all", "offerings"))  # whether this provider offers it too
            name = catalog.models[record.replacement].record.name
            same_provider = (offering.provider.slug, record.replacement) in catalog.offerings
            url = (
                offering_url(offering.provider.slug, record.replacement)
                if same_provider
                else model_url(record.replacement)
            )
    return Badge(status.value, text, name, url)


def deprecations(catalog: Catalog) -> list[Offering]:
    """Deprecated and retired offerings (and any with a retirement date), soonest retirement first
    (a :func:`~generator.catalog.selection`: the page notes the files of these offerings only)."""
    found: list[Offering] = selection(catalog, "deprecations")
    return found


_ENDING = (schema.Status.deprecated, schema.Status.retired)
SELECTIONS["deprecations"] = Chosen(
    keep=lambda record: record.status in _ENDING or record.retires_on,
    order=lambda o: (
        o._record.retires_on is None,
        o._record.retires_on or dt.date.min,
        o.model.slug,
        o.provider.slug,
    ),
)
