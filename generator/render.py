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
from markupsafe import Markup

from . import deps, views
from .catalog import Catalog
from .errors import BuildError
from .routes import Route


def environment(templates_dir: Path) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )


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


def _not_found(catalog: Catalog, route: Route) -> tuple[str, dict[str, Any]]:
    return "404.html", {"page": views.not_found_view(catalog)}


# One entry per page kind that routes.plan_routes declares: kind -> (template, context).
PAGE_KINDS: dict[str, PageBuilder] = {
    "home": _home,
    "not_found": _not_found,
    "offering": _record_page(views.offering_view, "offerings"),
    "model": _record_page(views.model_view, "models"),
    "provider": _record_page(views.provider_view, "providers"),
    "creator": _record_page(views.creator_view, "creators"),
}


def _view(catalog: Catalog, route: Route) -> tuple[str, dict[str, Any]]:
    builder = PAGE_KINDS.get(route.kind)
    if builder is None:  # pragma: no cover - routes only declares registered kinds
        raise BuildError(f"no page builder for page kind {route.kind!r}")
    return builder(catalog, route)


class Once:
    """The template global ``once(macro, *args)``: a macro's output, rendered once per distinct arguments.

    A fragment that many pages share (the table of every provider of a model
    appears on each of its offering pages) is rendered the first time and
    reused after, keyed by the values of the arguments (view models are frozen,
    so equal arguments give equal output). Lists are compared by their items.
    """

    def __init__(self) -> None:
        self._cache: dict[Any, tuple[Any, Markup]] = {}

    def __call__(self, macro: Any, *args: Any, **kwargs: Any) -> Markup:
        key = (id(macro), tuple(_hashable(a) for a in args), tuple(sorted(kwargs.items())))
        hit = self._cache.get(key)
        if hit is None:
            hit = self._cache[key] = (macro, Markup(macro(*args, **kwargs)))  # keeps the macro alive
        return hit[1]


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def page_globals(catalog: Catalog) -> dict[str, Any]:
    """What every template sees besides its view model; every page depends on all of it."""
    return {
        "site": catalog.site,
        "build_date": catalog.build_date.isoformat(),
        "once": Once(),
    }


GLOBAL_DEPS: frozenset[deps.Key] = frozenset({("site",), ("build_date",)})


def render_page(
    catalog: Catalog, route: Route, env: jinja2.Environment, globals_: dict[str, Any]
) -> tuple[bytes, frozenset[deps.Key]]:
    """One page's bytes and what it read; a failure names the page and the files it came from."""
    try:
        with deps.recording() as read:
            name, context = _view(catalog, route)
            html = env.get_template(name).render(**globals_, **context)
    except BuildError as exc:
        raise BuildError(f"{route.url} ({', '.join(route.sources) or route.kind}): {exc}") from exc
    except jinja2.TemplateError as exc:
        raise BuildError(f"template error while rendering {route.url}: {exc}") from exc
    read.add(("template", name))
    return html.encode("utf-8"), frozenset(read) | GLOBAL_DEPS


def render_pages(
    catalog: Catalog, routes: list[Route], env: jinja2.Environment
) -> Iterator[tuple[Route, bytes]]:
    """Render every route in order, in this process."""
    globals_ = page_globals(catalog)
    for route in routes:
        yield route, render_page(catalog, route, env, globals_)[0]
