"""Stage 7, publish extras: files made from the whole catalog after the pages.

Each extra is a function ``(catalog, project, writer) -> None`` that writes
through the single writer (sitemap, feeds, JSON API, search index, headers…).
They run in the order of :data:`EXTRAS`, after every page was rendered and
before the new site is published, so a failing extra fails the whole build.
"""

from __future__ import annotations

from collections.abc import Callable

from .catalog import Catalog
from .manifest import MANIFEST, manifest
from .project import Project
from .write import SiteWriter

Extra = Callable[[Catalog, Project, SiteWriter], None]


def static_files(catalog: Catalog, project: Project, writer: SiteWriter) -> None:
    writer.copy_tree(project.static, "static")


def build_manifest(catalog: Catalog, project: Project, writer: SiteWriter) -> None:
    """Every offering's prices, for ``modeldir diff`` against this build later."""
    writer.write(MANIFEST, manifest(catalog))


EXTRAS: list[Extra] = [static_files, build_manifest]
