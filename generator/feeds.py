"""Atom feeds of price changes: the whole site, each provider and each model.

Entries come from :mod:`generator.history`; their ids and dates come from the
content (an entry's id is a ``tag:`` URI made of the site's host, the change
date and the offering), so a rebuild never makes a reader see an old change
again, and identical content gives byte-identical feeds.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit
from xml.sax.saxutils import escape, quoteattr

from . import changelog
from .catalog import Catalog, Model, Offering, Provider
from .fragments import Fragments, Members, Parts, blob
from .history import PriceChange
from .project import Project
from .routes import CHANGELOG_URL, model_url, offering_url, provider_url
from .write import SiteWriter

SITE_FEED_URL = "/feeds/changes.xml"
SITE_FEED_LIMIT = 200  # the changelog's archive lists every change; the site feed the newest


def provider_feed_url(provider: str) -> str:
    return f"/feeds/providers/{provider}.xml"


def model_feed_url(model: str) -> str:
    return f"/feeds/models/{model}.xml"


def _stamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


# An entry as the feeds hold it: where it goes (newest first; then by model, provider and
# the order of the offering's changes, which is where a stable sort of every change puts
# it), its date and its text.
Entry = tuple[tuple[int, str, str, int], dt.date, str]


def offering_entries(base_url: str, host: str, offering: Offering, changes: list[PriceChange]) -> list[Entry]:
    """The entries of one offering's price ``changes``, newest first.

    What the entries share is escaped once: escaping replaces characters one by
    one, so the escaped parts make the escaped whole. The anchor added to the
    link is letters, digits and hyphens, which quoteattr leaves as they are.
    """
    provider, model = offering.key
    title = escape(f"{offering.model.record.name} on {offering.provider.record.name}: ")
    href = quoteattr(base_url + offering_url(provider, model) + "#")
    href, quote = href[:-1], href[-1]
    tag, path = escape(f"tag:{host},"), escape(f":price-change/{provider}/{model}")
    found = []
    for i, change in enumerate(changes):
        day = change.date.isoformat()
        summary = escape(change.summary)
        more = (f" {change.note}" if change.note else "") + (
            f" Source: {change.source}" if change.source else ""
        )
        text = (
            f"<entry>\n<id>{tag}{day}{path}</id>\n<title>{title}{summary}</title>\n"
            f"<updated>{day}T00:00:00Z</updated>\n"
            f'<link rel="alternate" type="text/html" href={href}{change.anchor}{quote}/>\n'
            f'<summary type="text">{summary}.{escape(more)}</summary>\n</entry>\n'
        )
        found.append(((-change.date.toordinal(), model, provider, i), change.date, text))
    return sorted(found)


def atom_feed(catalog: Catalog, url: str, title: str, page: str, entries: list[Entry]) -> bytes:
    """One Atom document; ``url`` and ``page`` are site paths (the feed itself and its HTML page)."""
    base = catalog.site.base_url
    updated = max((day for _, day, _ in entries), default=catalog.build_date)
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>\n',
        '<feed xmlns="http://www.w3.org/2005/Atom">\n',
        f"<id>{escape(base + url)}</id>\n",
        f"<title>{escape(title)}</title>\n",
        f"<updated>{_stamp(updated)}</updated>\n",
        f'<link rel="self" type="application/atom+xml" href={quoteattr(base + url)}/>\n',
        f'<link rel="alternate" type="text/html" href={quoteattr(base + page)}/>\n',
        f"<author><name>{escape(catalog.site.title)}</name></author>\n",
        *(text for _, _, text in entries),
        "</feed>\n",
    ]
    return "".join(parts).encode("utf-8")


def write_feeds(catalog: Catalog, project: Project, writer: SiteWriter, fragments: Fragments) -> None:
    """The site's feed, and one per provider and per model.

    Each offering's entries are pieces of its :class:`~generator.fragments.Parts`;
    a model's or provider's feed is remade only when it or one of its offerings
    changed (a one-off build keeps the published file then, see
    :mod:`generator.keptfiles`). The site's feed holds the newest changes of the
    changelog's index, which orders them as the entries sort.
    """
    fragments.start(catalog)
    site = catalog.site.title
    base = catalog.site.base_url
    host = urlsplit(base).hostname or "localhost"

    def entries_of(part: Parts[Offering]) -> list[Entry]:
        return offering_entries(base, host, part.item, fragments.price_history(part)[1])

    def entries(members: Members) -> list[Entry]:
        return sorted(e for p in members for e in fragments.piece(p, "feeds", entries_of))

    def feed(part: Parts[Model] | Parts[Provider], members: Members) -> tuple[str, bytes, str]:
        item = part.item
        if isinstance(item, Model):
            url, page = model_feed_url(item.slug), model_url(item.slug)
        else:
            url, page = provider_feed_url(item.slug), provider_url(item.slug)
        title = f"{site}: {item.record.name} price changes"
        return url.lstrip("/"), *blob(atom_feed(catalog, url, title, page, entries(members)))

    def path_of(item: Model | Provider) -> str:
        return (
            model_feed_url(item.slug) if isinstance(item, Model) else provider_feed_url(item.slug)
        ).lstrip("/")

    def entry(key: tuple[str, str], place: int) -> Entry:
        """The entry of the change at ``place`` in the changes of the offering ``key``."""
        made = fragments.piece(fragments.offering(key), "feeds", entries_of)
        return next(e for e in made if e[0][3] == place)

    for kind in ("model", "provider"):
        writer.write_files(fragments.each_record_file(kind, "feed", feed, path_of, catalog.build_date))
    # the changelog's index has every change in the order of the entries (made before the workers
    # fork): the site's feed makes the entries of its newest changes alone
    newest = [entry(key, place) for _, key, place in changelog.index(catalog).newest(SITE_FEED_LIMIT)]

    def site_feed() -> bytes:
        title = f"{site}: LLM API price changes"
        return atom_feed(catalog, SITE_FEED_URL, title, CHANGELOG_URL, newest)

    made_from = (catalog.build_date, newest)
    writer.write(SITE_FEED_URL.lstrip("/"), *fragments.file(("feed", SITE_FEED_URL), made_from, site_feed))
