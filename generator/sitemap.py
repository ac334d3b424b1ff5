"""sitemap.xml and robots.txt: every page for search engines, with ``lastmod`` from the data.

A page's ``lastmod`` is the newest date its content gives (an offering's
verified, as-of and history dates; a model, provider or creator page the newest
of its offerings), never the time of the build, so identical content gives a
byte-identical sitemap. Past 50,000 URLs (the protocol's limit per file) the
sitemap is split into numbered files listed by a sitemap index.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from xml.sax.saxutils import escape

from . import history
from .catalog import Catalog, Offering
from .project import Project
from .routes import Route, plan_routes
from .write import SiteWriter

MAX_URLS = 50_000
SITEMAP_URL = "/sitemap.xml"
NOT_LISTED = {"not_found"}
HEADER = '<?xml version="1.0" encoding="UTF-8"?>\n'
NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def _newest(offerings: Iterable[Offering]) -> dt.date | None:
    dates = [d for o in offerings if (d := history.last_modified(o))]
    return max(dates) if dates else None


def last_modified(catalog: Catalog, route: Route) -> dt.date:
    """The newest date the content gives for a page; the data date for whole-site pages."""
    found: dt.date | None = None
    if route.kind == "offering":
        found = history.last_modified(catalog.offerings[(route.key[0], route.key[1])])
    elif route.kind == "model":
        model = catalog.models[route.key[0]]
        found = _newest(model.offerings)
    elif route.kind == "provider":
        found = _newest(catalog.providers[route.key[0]].offerings)
    elif route.kind == "creator":
        found = _newest(o for m in catalog.creators[route.key[0]].models for o in m.offerings)
    return found or catalog.build_date


def sitemap_entries(catalog: Catalog) -> list[tuple[str, dt.date]]:
    base = catalog.site.base_url
    return [
        (base + route.url, last_modified(catalog, route))
        for route in plan_routes(catalog)
        if route.kind not in NOT_LISTED
    ]


def _urlset(entries: list[tuple[str, dt.date]]) -> bytes:
    lines = [HEADER, f"<urlset {NS}>\n"]
    lines += [
        f"<url><loc>{escape(loc)}</loc><lastmod>{day.isoformat()}</lastmod></url>\n" for loc, day in entries
    ]
    lines.append("</urlset>\n")
    return "".join(lines).encode("utf-8")


def write_sitemap(catalog: Catalog, project: Project, writer: SiteWriter) -> None:
    entries = sitemap_entries(catalog)
    base = catalog.site.base_url
    if len(entries) <= MAX_URLS:
        writer.write(SITEMAP_URL.lstrip("/"), _urlset(entries))
    else:
        chunks = [entries[i : i + MAX_URLS] for i in range(0, len(entries), MAX_URLS)]
        lines = [HEADER, f"<sitemapindex {NS}>\n"]
        for number, chunk in enumerate(chunks, start=1):
            name = f"sitemap-{number}.xml"
            writer.write(name, _urlset(chunk))
            newest = max(day for _, day in chunk)
            lines.append(
                f"<sitemap><loc>{escape(base)}/{name}</loc><lastmod>{newest.isoformat()}</lastmod></sitemap>\n"
            )
        lines.append("</sitemapindex>\n")
        writer.write(SITEMAP_URL.lstrip("/"), "".join(lines).encode("utf-8"))
    robots = f"User-agent: *\nAllow: /\n\nSitemap: {base}{SITEMAP_URL}\n"
    writer.write("robots.txt", robots.encode("utf-8"))
