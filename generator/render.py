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

from . import views
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


def _view(catalog: Catalog, route: Route) -> tuple[str, dict[str, Any]]:
    kind = route.kind
    if kind == "offering":
        view: Any = views.offering_view(catalog, catalog.offerings[(route.key[0], route.key[1])])
    elif kind == "model":
        view = views.model_view(catalog, catalog.models[route.key[0]])
    elif kind == "provider":
        view = views.provider_view(catalog, catalog.providers[route.key[0]])
    elif kind == "creator":
        view = views.creator_view(catalog, route.key[0])
    elif kind == "home":
        view = views.home_view(catalog)
    elif kind == "not_found":
        return "404.html", {"page": views.not_found_view(catalog)}
    else:  # pragma: no cover - routes only declares the kinds above
        raise BuildError(f"no template for page kind {kind!r}")
    return f"{kind}.html", {"v": view, "page": view.page}


def render_pages(
    catalog: Catalog, routes: list[Route], env: jinja2.Environment
) -> Iterator[tuple[Route, bytes]]:
    """Render every route in order; a failure names the page and the files it came from."""
    globals_: dict[str, Any] = {"site": catalog.site, "build_date": catalog.build_date.isoformat()}
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


Renderer = Callable[[Catalog, list[Route], jinja2.Environment], Iterator[tuple[Route, bytes]]]
