"""Atom feeds of price changes: the whole site, each provider and each model.

Entries come from :mod:`generator.history`; their ids and dates come from the
content (an entry's id is a ``tag:`` URI made of the site's host, the change
date and the offering), so a rebuild never makes a reader see an old change
again, and identical content gives byte-identical feeds.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from urllib.parse import urlsplit
from xml.sax.saxutils import escape, quoteattr

from . import history
from .catalog import Catalog
from .history import PriceChange
from .project import Project
from .routes import CHANGELOG_URL, model_url, offering_url, provider_url
from .write import SiteWriter

SITE_FEED_URL = "/feeds/changes.xml"
SITE_FEED_LIMIT = 200  # the changelog page lists every change; the site feed the newest


def provider_feed_url(provider: str) -> str:
    return f"/feeds/providers/{provider}.xml"


def model_feed_url(model: str) -> str:
    return f"/feeds/models/{model}.xml"


def _stamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def entry_id(base_url: str, change: PriceChange) -> str:
    host = urlsplit(base_url).hostname or "localhost"
    provider, model = change.offering.key
    return f"tag:{host},{change.date.isoformat()}:price-change/{provider}/{model}"


def _entry(base_url: str, change: PriceChange) -> str:
    offering = change.offering
    title = f"{offering.model.record.name} on {offering.provider.record.name}: {change.summary}"
    link = base_url + offering_url(*offering.key) + "#" + change.anchor
    text = change.summary + "." + (f" {change.note}" if change.note else "")
    if change.source:
        text += f" Source: {change.source}"
    return (
        "<entry>\n"
        f"<id>{escape(entry_id(base_url, change))}</id>\n"
        f"<title>{escape(title)}</title>\n"
        f"<updated>{_stamp(change.date)}</updated>\n"
        f'<link rel="alternate" type="text/html" href={quoteattr(link)}/>\n'
        f'<summary type="text">{escape(text)}</summary>\n'
        "</entry>\n"
    )


def atom_feed(catalog: Catalog, url: str, title: str, page: str, changes: list[PriceChange]) -> bytes:
    """One Atom document; ``url`` and ``page`` are site paths (the feed itself and its HTML page)."""
    base = catalog.site.base_url
    updated = max((c.date for c in changes), default=catalog.build_date)
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>\n',
        '<feed xmlns="http://www.w3.org/2005/Atom">\n',
        f"<id>{escape(base + url)}</id>\n",
        f"<title>{escape(title)}</title>\n",
        f"<updated>{_stamp(updated)}</updated>\n",
        f'<link rel="self" type="application/atom+xml" href={quoteattr(base + url)}/>\n',
        f'<link rel="alternate" type="text/html" href={quoteattr(base + page)}/>\n',
        f"<author><name>{escape(catalog.site.title)}</name></author>\n",
        *(_entry(base, c) for c in changes),
        "</feed>\n",
    ]
    return "".join(parts).encode("utf-8")


def write_feeds(catalog: Catalog, project: Project, writer: SiteWriter) -> None:
    site = catalog.site.title
    every = history.all_changes(catalog)
    writer.write(
        SITE_FEED_URL.lstrip("/"),
        atom_feed(
            catalog, SITE_FEED_URL, f"{site}: LLM API price changes", CHANGELOG_URL, every[:SITE_FEED_LIMIT]
        ),
    )
    by_provider: dict[str, list[PriceChange]] = defaultdict(list)
    by_model: dict[str, list[PriceChange]] = defaultdict(list)
    for change in every:  # newest first, and stays so in each group
        by_provider[change.offering.provider.slug].append(change)
        by_model[change.offering.model.slug].append(change)
    for slug, provider in catalog.providers.items():
        url = provider_feed_url(slug)
        title = f"{site}: {provider.record.name} price changes"
        writer.write(url.lstrip("/"), atom_feed(catalog, url, title, provider_url(slug), by_provider[slug]))
    for slug, model in catalog.models.items():
        url = model_feed_url(slug)
        title = f"{site}: {model.record.name} price changes"
        writer.write(url.lstrip("/"), atom_feed(catalog, url, title, model_url(slug), by_model[slug]))
