"""The build manifest: every offering page's prices, as the reader sees them.

Each build writes it to ``modeldir-build.json``, so that ``modeldir diff`` can
compare a checkout with a site built earlier (for example the published one)
and say which prices changed from what to what. Prices are the formatted
texts of the pages ("$1.10", "Not offered"); a dimension nobody has sourced yet
is absent.
"""

from __future__ import annotations

from operator import itemgetter
from typing import Any

from . import __version__
from .catalog import Catalog, Offering, PriceFact
from .fragments import Fragments, Parts
from .jsontext import indented_json, nested, spliced_json
from .routes import offering_url

MANIFEST = "modeldir-build.json"
Prices = dict[str, dict[str, Any]]  # page URL -> {"title": str, "prices": {label: text}}


def _shown(facts: list[PriceFact], suffix: str = "") -> dict[str, str]:
    return {f"{fact.label}{suffix}": fact.text for fact in facts if fact.state != "unsourced"}


def offering_entry(offering: Offering) -> tuple[str, dict[str, Any]]:
    """An offering's page URL and what the manifest says of it."""
    prices = _shown(list(offering.prices.values()))
    for tier in offering.tiers:
        prices.update(_shown(tier.prices, f" above {tier.above:,} tokens"))
    title = f"{offering.model.record.name} on {offering.provider.record.name}"
    return offering_url(offering.provider.slug, offering.model.slug), {"title": title, "prices": prices}


def offering_prices(catalog: Catalog) -> Prices:
    return dict(sorted(offering_entry(o) for o in catalog.offerings.values()))


def _member(part: Parts[Offering]) -> tuple[str, bytes]:
    url, entry = offering_entry(part.item)
    return url, b"  " + indented_json(url) + b": " + nested(entry, 2)[2:]


def manifest(catalog: Catalog, fragments: Fragments) -> bytes:
    """The manifest, from a piece per offering (kept in its :class:`~generator.fragments.Parts`)."""
    fragments.start(catalog)
    members = fragments.column("manifest", _member)
    urls = list(map(itemgetter(0), members))
    order = fragments.joined(
        "manifest.order", (urls,), lambda: sorted(range(len(urls)), key=urls.__getitem__)
    )
    head = {"generator": f"modeldir {__version__}", "build_date": catalog.build_date.isoformat()}
    return spliced_json(
        head, "offerings", list(map(itemgetter(1), map(members.__getitem__, order))), brackets=b"{}"
    )
