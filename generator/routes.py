"""Stage 4, routes: declare every output path before anything renders.

A route is one URL of the site (pretty URLs: ``/models/x/`` is written to
``models/x/index.html``) with the kind of page it is, the key of the record it
shows and the content files it comes from. Two routes claiming one path is an
error naming both sources: it is found here, before a single page is rendered,
not discovered later as one page silently overwriting another.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from . import changelog, paging
from .catalog import Catalog
from .errors import BuildError


@dataclass(frozen=True, order=True)
class Route:
    url: str  # "/models/gpt-4o/openai/"
    kind: str  # a key of render.PAGE_KINDS
    key: tuple[str, ...]
    sources: tuple[str, ...]  # content files the page is made from (for messages and edit links)

    @functools.cached_property
    def output_path(self) -> str:
        """Path of the file under the output folder, with forward slashes (asked for every page of
        every build: kept once found)."""
        if self.url.endswith("/"):
            return self.url.lstrip("/") + "index.html"
        return self.url.lstrip("/")


ALL_URL = "/offerings/"  # every offering in a server-rendered table, in pages (all_offerings_url)
COMPARE_URL = "/compare/"
SEARCH_URL = "/search/"
DATA_URL = "/catalog.json"  # the catalog table's data, read by static/catalog.js
CHANGELOG_URL = "/changelog/"
DEPRECATIONS_URL = "/deprecations/"
API_DOCS_URL = "/api/"


def all_offerings_url(number: int) -> str:
    """Page ``number`` (from 1) of the table of every offering."""
    return ALL_URL if number == 1 else f"{ALL_URL}{number}/"


def changelog_url(month: str | None = None, number: int = 1) -> str:
    """The changelog's front page, or page ``number`` of the archive of ``month`` ("2026-05")."""
    if month is None:
        return CHANGELOG_URL
    return f"{CHANGELOG_URL}{month}/" + (f"{number}/" if number > 1 else "")


def offering_url(provider: str, model: str) -> str:
    return f"/models/{model}/{provider}/"


def model_url(model: str) -> str:
    return f"/models/{model}/"


def provider_url(provider: str) -> str:
    return f"/providers/{provider}/"


def creator_url(creator: str) -> str:
    return f"/creators/{creator}/"


AUDIT_URL = "/disagreements/"
CREDITS_URL = "/credits/"


def plan_routes(catalog: Catalog) -> list[Route]:
    """Every page of the site, sorted by URL; raise BuildError on a path collision.

    Planned once per catalog: the build, the sitemap and the CDN rules all ask.
    """
    found: list[Route] | None = catalog.memo.get("routes")
    if found is None:
        found = catalog.memo["routes"] = _plan_routes(catalog)
    return found


def _plan_routes(catalog: Catalog) -> list[Route]:
    routes = [
        Route("/", "home", (), ()),
        Route("/404.html", "not_found", (), ()),
        Route(AUDIT_URL, "audit", (), ()),
        Route(CREDITS_URL, "credits", (), ()),
        Route(COMPARE_URL, "compare", (), ()),
        Route(SEARCH_URL, "search", (), ()),
        Route(CHANGELOG_URL, "changelog", (), ()),
        Route(DEPRECATIONS_URL, "deprecations", (), ()),
        Route(API_DOCS_URL, "api_docs", (), ()),
    ]
    pages = paging.count(len(catalog.offerings), paging.OFFERINGS_PER_PAGE)
    routes += [Route(all_offerings_url(n), "all_offerings", (str(n),), ()) for n in range(1, pages + 1)]
    changes = changelog.index(catalog)
    routes += [
        Route(changelog_url(month, n), "changelog", (month, str(n)), ())
        for month in changes.months
        for n in range(1, changes.pages(month) + 1)
    ]
    routes += [Route(creator_url(c.slug), "creator", (c.slug,), (c.file,)) for c in catalog.creators.values()]
    routes += [Route(model_url(m.slug), "model", (m.slug,), (m.file,)) for m in catalog.models.values()]
    routes += [
        Route(provider_url(p.slug), "provider", (p.slug,), (p.file,)) for p in catalog.providers.values()
    ]
    routes += [
        Route(offering_url(o.provider.slug, o.model.slug), "offering", o.key, (o.file,))
        for o in catalog.offerings.values()
    ]
    check_collisions(routes)
    return sorted(routes, key=_by_url)  # URLs are unique once no path collides


def _by_url(route: Route) -> str:
    return route.url


def check_collisions(routes: list[Route]) -> None:
    claimed: dict[str, Route] = {}
    clashes: list[str] = []
    for route in routes:
        path = route.output_path
        if path in claimed:
            first = claimed[path]
            clashes.append(f"/{path} is claimed twice: by {_describe(first)} and by {_describe(route)}")
        else:
            claimed[path] = route
    if clashes:
        raise BuildError("; ".join(clashes))


def _describe(route: Route) -> str:
    return ", ".join(route.sources) if route.sources else f"the {route.kind} page"
