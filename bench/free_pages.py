"""A bound for the cold build: `modeldir` with the pages of some kinds rendered for nothing.

    python bench/free_pages.py KIND[,KIND...] build --full --skip-extra search_index --content DIR --out DIR

runs the `modeldir` command given after the kinds, except that every page of those kinds
(route kinds of `generator.routes`: offering, model, changelog, provider, all_offerings...) is
written as the same 32-byte document instead of being rendered. Everything else (loading,
validation, lint, catalog, routes, the other pages, the extras, writing, publishing) runs as in
a real build, so timing this command beside Hugo's build (`paired.sh` does) shows how far the
rest of the build alone is from a target, whatever rendering those pages could be brought to
cost. The site it writes is not a real one: never publish it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import jinja2

from generator import workers
from generator.catalog import Catalog
from generator.cli import main
from generator.routes import Route

STAND_IN = b"<!DOCTYPE html><title>-</title>\n"


def free(kinds: set[str]) -> None:
    """Make ``workers.render_page`` return :data:`STAND_IN` for the routes of ``kinds``."""
    render_page: Callable[..., tuple[bytes, Any]] = workers.render_page  # type: ignore[attr-defined]

    def render_or_not(
        catalog: Catalog, route: Route, env: jinja2.Environment, globals_: dict[str, Any]
    ) -> tuple[bytes, Any]:
        if route.kind in kinds:
            return STAND_IN, ()
        return render_page(catalog, route, env, globals_)

    # the name the workers call
    workers.render_page = render_or_not  # type: ignore[attr-defined]


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    free(set(sys.argv[1].split(",")))
    sys.exit(main(sys.argv[2:]))
