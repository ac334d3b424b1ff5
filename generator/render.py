"""Stage 5, render: one page per route, from a view model through a Jinja2 template.

The environment autoescapes everything and uses StrictUndefined, so a template
that reads a missing attribute fails the build instead of printing nothing.
Templates are compiled once per build and cached by Jinja2. Contributor text
only ever reaches a template as a value: it is never compiled as one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from . import deps, price_cell, seo, site_views, views
from .assets import Manifest
from .catalog import Catalog
from .compiled import use_compiled
from .errors import BuildError
from .routes import Route


def environment(
    templates_dir: Path,
    once: Once | None = None,
    assets: Manifest | None = None,
    compiled: jinja2.BytecodeCache | None = None,
) -> jinja2.Environment:
    """The template environment; ``asset(name)`` gives the fingerprinted URL of a static file.
    ``compiled`` keeps compiled templates between processes (see
    :class:`generator.incremental.TemplateCache`)."""
    env = use_compiled(
        jinja2.Environment(
            loader=jinja2.FileSystemLoader(templates_dir),
            bytecode_cache=compiled,
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            auto_reload=False,
        )
    )
    env.globals["once"] = once or Once()  # a global of the environment: imported macros see it too
    env.globals["asset"] = (assets or Manifest([])).url
    env.globals["price"] = price_cell.price
    # pages read asset names through base.html: a changed static file makes every template "changed"
    env.globals["assets_digest"] = " ".join(a.output for a in (assets or Manifest([])))
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
    view = views.home_view(catalog, everything=True, number=int(route.key[0]))
    return "home.html", {"v": view, "page": view.page}


def _changelog(catalog: Catalog, route: Route) -> tuple[str, dict[str, Any]]:
    """The front page (no key), or a page of a month's archive (key: month, page number)."""
    if not route.key:
        view: Any = site_views.changelog_view(catalog)
        return "changelog.html", {"v": view, "page": view.page}
    view = site_views.changelog_month_view(catalog, route.key[0], int(route.key[1]))
    return "changelog_month.html", {"v": view, "page": view.page}


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
    "changelog": _changelog,
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


class Once:
    """The template global ``once(macro, *args)``: a macro's output, rendered once per distinct arguments.

    A fragment that many pages share (the table of every provider of a model
    appears on each of its offering pages; a row of the table of every offering)
    is rendered the first time and reused after. Arguments are compared by
    identity: view models are frozen, and the objects a key names are kept in
    the cache, so an identity is never reused while its fragment is cached.

    A build keeps at most ``limit`` fragments (the oldest go first); the
    development server keeps every fragment of the last two builds instead
    (:meth:`advance`), so the rows of unchanged offerings are not rendered again.
    """

    def __init__(self, limit: int | None = 4096) -> None:
        self.limit = limit
        self._cache: dict[Any, tuple[Any, Markup]] = {}
        self._previous: dict[Any, tuple[Any, Markup]] = {}

    def advance(self) -> None:
        self._previous, self._cache = self._cache, {}

    def __call__(self, macro: Any, *args: Any, **kwargs: Any) -> Markup:
        key = (id(macro), *map(id, args), *kwargs.items())
        hit = self._cache.get(key) or self._previous.pop(key, None)
        if hit is None:
            hit = ((macro, args), Markup(macro(*args, **kwargs)))
            if self.limit is not None and len(self._cache) >= self.limit:
                del self._cache[next(iter(self._cache))]
        self._cache[key] = hit
        return hit[1]

    def each(self, macro: Any, items: Iterable[Any], *args: Any) -> Markup:
        """``once(macro, item, *args)`` for every item, each followed by a newline, as one fragment.

        The same bytes as a template loop over ``once`` with a line per item,
        without a template call per item: the table of every offering and the
        changelog are rebuilt after every edit from fragments that are almost
        all cached.
        """
        cache, previous, ids = self._cache, self._previous, tuple(map(id, args))
        fragments = []
        for item in items:  # __call__ inlined for the common case, a fragment kept from before
            key = (id(macro), id(item), *ids)
            hit = cache.get(key) or previous.pop(key, None)
            if hit is None:
                fragments.append(self(macro, item, *args))
            else:
                cache[key] = hit
                fragments.append(hit[1])
        return Markup("\n".join(fragments) + "\n") if fragments else Markup("")


def page_globals(catalog: Catalog) -> dict[str, Any]:
    """What every template sees besides its view model; every page depends on all of it."""
    return {
        "site": catalog.site,
        "build_date": catalog.build_date.isoformat(),
        "contributing_url": views.contributing_url(catalog.site),
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
