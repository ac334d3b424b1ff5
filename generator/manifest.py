"""The build manifest: every offering page's prices, as the reader sees them.

Each build writes it to ``modeldir-build.json``, so that ``modeldir diff`` can
compare a checkout with a site built earlier (for example the published one)
and say which prices changed from what to what. Prices are the formatted
texts of the pages ("$1.10", "Not offered"); a dimension nobody has sourced yet
is absent.
"""

from __future__ import annotations

import json
from typing import Any

from . import __version__
from .catalog import Catalog, PriceFact
from .routes import offering_url

MANIFEST = "modeldir-build.json"
Prices = dict[str, dict[str, Any]]  # page URL -> {"title": str, "prices": {label: text}}


def _shown(facts: list[PriceFact], suffix: str = "") -> dict[str, str]:
    return {f"{fact.label}{suffix}": fact.text for fact in facts if fact.state != "unsourced"}


def offering_prices(catalog: Catalog) -> Prices:
    table: Prices = {}
    for offering in catalog.offerings.values():
        prices = _shown(list(offering.prices.values()))
        for tier in offering.tiers:
            prices.update(_shown(tier.prices, f" above {tier.above:,} tokens"))
        table[offering_url(offering.provider.slug, offering.model.slug)] = {
            "title": f"{offering.model.record.name} on {offering.provider.record.name}",
            "prices": prices,
        }
    return dict(sorted(table.items()))


def manifest(catalog: Catalog) -> bytes:
    document = {
        "generator": f"modeldir {__version__}",
        "build_date": catalog.build_date.isoformat(),
        "offerings": offering_prices(catalog),
    }
    return (json.dumps(document, indent=1, ensure_ascii=False) + "\n").encode("utf-8")
