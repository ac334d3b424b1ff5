"""sitemap.xml and robots.txt: every page for search engines, with ``lastmod`` from the data.

A page's ``lastmod`` is the newest date its content gives (an offering's
verified, as-of and history dates; a model, provider or creator page the newest
of its offerings), never the time of the build, so identical content gives a
byte-identical sitemap. Past 50,000 URLs (the protocol's limit per file) the
sitemap is split into numbered files listed by a sitemap index.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from xml.sax.saxutils import escape

from . import history
from .catalog import Catalog, Offering
from .fragments import Fragments, Members, Parts
from .project import Project
from .routes import Route, offering_url
from .write import SiteWriter

MAX_URLS = 50_000
SITEMAP_URL = "/sitemap.xml"
NOT_LISTED = {"not_found"}
HEADER = '<?xml version="1.0" encoding="UTF-8"?>\n'
NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


# A page's line in the sitemap, and its date
Line = tuple[str, dt.date]


@functools.lru_cache(maxsize=1 << 14)  # the lines of the pages that are not offerings, at every build
def _line(loc: str, day: dt.date) -> Line:
    return f"<url><loc>{escape(loc)}</loc><lastmod>{day.isoformat()}</lastmod></url>\n", day


def _offering_piece(base: str, part: Parts[Offering]) -> tuple[str, dt.date | None]:
    """An offering's URL and the newest date its content gives."""
    offering = part.item
    return base + offering_url(*offering.key), history.last_modified(offering)


def _newest(days: Iterable[dt.date | None]) -> dt.date | None:
    return max((d for d in days if d), default=None)


def listing(routes: list[Route]) -> list[tuple[str, str, tuple[str, ...]]]:
    """(url, kind, key) of every page the sitemap lists, in order."""
    return [(r.url, r.kind, r.key) for r in routes if r.kind not in NOT_LISTED]


Plan = tuple[list[tuple[str, str, str | None]], list[int]]


def _plan(catalog: Catalog, routes: list[Route]) -> Plan:
    """The pages that are not offerings (url, kind, slug), and the order of every page as
    indexes into the offerings (in catalog order) followed by those other pages."""
    position = {key: i for i, key in enumerate(catalog.offerings)}
    others: list[tuple[str, str, str | None]] = []
    order = []
    for url, kind, key in listing(routes):
        if kind == "offering":
            order.append(position[(key[0], key[1])])
        else:
            order.append(len(position) + len(others))
            others.append((url, kind, key[0] if key else None))
    return others, order


def sitemap_lines(catalog: Catalog, fragments: Fragments) -> list[Line]:
    """Every page's line, in the order of the routes.

    An offering's URL and date are a piece of its Parts; a model's and a
    provider's date (the newest of their offerings') are kept while their
    offerings are the same.
    """
    base, fallback = catalog.site.base_url, catalog.build_date
    routes = fragments.routes(catalog)
    others, order = fragments.joined("sitemap.plan", (routes,), _plan, catalog, routes)
    piece = functools.partial(_offering_piece, base)

    def line(part: Parts[Offering]) -> Line:
        loc, day = part.get("sitemap", piece)
        return _line(loc, day or fallback)

    def newest(part: object, members: Members) -> dt.date | None:
        return _newest(p.get("sitemap", piece)[1] for p in members)

    models = fragments.each("model", "sitemap", newest)
    days = {
        "model": models,
        "provider": fragments.each("provider", "sitemap", newest),
        "creator": {
            slug: _newest(models[m.slug] for m in creator.item._models)
            for slug, creator in fragments.creators.items()
        },
    }
    pages = fragments.column("sitemap", line, context=fallback) + [
        _line(base + url, (days[kind][slug] if kind in days and slug else None) or fallback)
        for url, kind, slug in others
    ]
    return list(map(pages.__getitem__, order))


def _urlset(lines: list[Line]) -> bytes:
    return "".join([HEADER, f"<urlset {NS}>\n", *(line for line, _ in lines), "</urlset>\n"]).encode("utf-8")


def write_sitemap(catalog: Catalog, project: Project, writer: SiteWriter, fragments: Fragments) -> None:
    fragments.start(catalog)
    lines = sitemap_lines(catalog, fragments)
    base = catalog.site.base_url
    if len(lines) <= MAX_URLS:
        writer.write(SITEMAP_URL.lstrip("/"), *fragments.file("sitemap.xml", (lines,), _urlset, lines))
    else:
        chunks = [lines[i : i + MAX_URLS] for i in range(0, len(lines), MAX_URLS)]
        index = [HEADER, f"<sitemapindex {NS}>\n"]
        for number, chunk in enumerate(chunks, start=1):
            name = f"sitemap-{number}.xml"
            writer.write(name, _urlset(chunk))
            newest = max(day for _, day in chunk)
            index.append(
                f"<sitemap><loc>{escape(base)}/{name}</loc><lastmod>{newest.isoformat()}</lastmod></sitemap>\n"
            )
        index.append("</sitemapindex>\n")
        writer.write(SITEMAP_URL.lstrip("/"), "".join(index).encode("utf-8"))
    robots = f"User-agent: *\nAllow: /\n\nSitemap: {base}{SITEMAP_URL}\n"
    writer.write("robots.txt", robots.encode("utf-8"))
