"""Stage 5, render: one page per route, from a view model through a Jinja2 template.

The environment autoescapes everything and uses StrictUndefined, so a template
that reads a missing attribute fails the build instead of printing nothing.
Templates are compiled once per build and cached by Jinja2. Contributor text
only ever reaches a template as a value: it is never compiled as one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jinja2

from . import seo, site_views, views
from .assets import Manifest
from .catalog import Catalog
from .errors import BuildError
from .routes import Route


def environment(templates_dir: Path, assets: Manifest | None = None) -> jinja2.Environment:
    """The template environment; ``asset(name)`` gives the fingerprinted URL of a static file."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.globals["asset"] = (assets or Manifest([])).url
    return env


PageBuilder = Callable[[Catalog, Route], tuple[str, dict[str, Any]]]


def _record_page(build: Callable[[Catalog, Any], Any], table: str) -> PageBuilder:
    def page(catalog: Catalog, route: Route) -> tuple[str, dict[str, Any]]:
        records = getattr(catalog, table)
        key = route.key if len(route.key) > 1 else route.key[0]
        view = build(catalog, records[key])
        return f"{route.kind}.html", {"v": view, "page": view.page}

    return page


def _home(catalog: Catalog, route: Route) -> tuple[str, dict[str, Any]]:
    view = views.home_view(catalog)
    return "home.html", {"v": view, "page": view.page}


def _all_offerings(catalog: Catalog, route: Route) -> tuple[str, dict[str, Any]]:
    view = views.home_view(catalog, everything=True)
    return "home.html", {"v": view, "page": view.page}


def _tool(build: Callable[[Catalog], views.ToolView], template: str) -> PageBuilder:
    def page(catalog: Catalog, route: Route) -> tuple[str, dict[str, Any]]:
        view = build(catalog)
        return template, {"v": view, "page": view.page}

    return page


def _not_found(catalog: Catalog, route: Route) -> tuple[str, dict[str, Any]]:
    return "404.html", {"page": views.not_found_view(catalog)}


def _site_page(build: Callable[[Catalog], Any], template: str) -> PageBuilder:
    def page(catalog: Catalog, route: Route) -> tuple[str, dict[str, Any]]:
        view = build(catalog)
        return template, {"v": view, "page": view.page}

    return page


def _audit(catalog: Catalog, route: Route) -> tuple[str, dict[str, Any]]:
    view = views.audit_view(catalog)
    return "audit.html", {"v": view, "page": view.page}


def _credits(catalog: Catalog, route: Route) -> tuple[str, dict[str, Any]]:
    view = views.credits_view(catalog)
    return "credits.html", {"v": view, "page": view.page}


# One entry per page kind that routes.plan_routes declares: kind -> (template, context).
PAGE_KINDS: dict[str, PageBuilder] = {
    "home": _home,
    "all_offerings": _all_offerings,
    "compare": _tool(views.compare_view, "compare.html"),
    "search": _tool(views.search_view, "search.html"),
    "not_found": _not_found,
    "audit": _audit,
    "credits": _credits,
    "offering": _record_page(views.offering_view, "offerings"),
    "model": _record_page(views.model_view, "models"),
    "provider": _record_page(views.provider_view, "providers"),
    "creator": _record_page(views.creator_view, "creators"),
    "changelog": _site_page(site_views.changelog_view, "changelog.html"),
    "deprecations": _site_page(site_views.deprecations_view, "deprecations.html"),
    "api_docs": _site_page(site_views.api_docs_view, "api_docs.html"),
}


def _view(catalog: Catalog, route: Route) -> tuple[str, dict[str, Any]]:
    builder = PAGE_KINDS.get(route.kind)
    if builder is None:  # pragma: no cover - routes only declares registered kinds
        raise BuildError(f"no page builder for page kind {route.kind!r}")
    name, context = builder(catalog, route)
    context["head"] = seo.head(catalog, route, context)
    return name, context


def render_pages(
    catalog: Catalog, routes: list[Route], env: jinja2.Environment
) -> Iterator[tuple[Route, bytes]]:
    """Render every route in order; a failure names the page and the files it came from."""
    globals_: dict[str, Any] = {
        "site": catalog.site,
        "build_date": catalog.build_date.isoformat(),
        "contributing_url": views.contributing_url(catalog.site),
    }
    templates: dict[str, jinja2.Template] = {}
    for route in routes:
        try:
            name, context = _view(catalog, route)
            template = templates.get(name) or templates.setdefault(name, env.get_template(name))
            html = template.render(**globals_, **context)
        except BuildError as exc:
            raise BuildError(f"{route.url} ({', '.join(route.sources) or route.kind}): {exc}") from exc
        except jinja2.TemplateError as exc:
            raise BuildError(f"template error while rendering {route.url}: {exc}") from exc
        yield route, html.encode("utf-8")
