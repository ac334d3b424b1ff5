"""Stage 7, publish extras: files made from the whole catalog after the pages.

Each extra is a function ``(catalog, project, writer) -> None`` that writes
through the single writer (sitemap, feeds, JSON API, search index, headers…).
They run in the order of :data:`EXTRAS`, after every page was rendered and
before the new site is published, so a failing extra fails the whole build.
"""

from __future__ import annotations

from collections.abc import Callable

from .api import write_api
from .assets import fingerprint
from .catalog import Catalog
from .cdn import precompress, write_cdn_files
from .feeds import write_feeds
from .manifest import MANIFEST, manifest
from .project import Project
from .sitemap import write_sitemap
from .write import SiteWriter

Extra = Callable[[Catalog, Project, SiteWriter], None]


ROOT_FILES = ("favicon.ico",)  # asked for by a fixed name, whatever the pages link to


def static_files(catalog: Catalog, project: Project, writer: SiteWriter) -> None:
    """Every file of static/ under its fingerprinted name (see :mod:`generator.assets`)."""
    for asset in fingerprint(project.static):
        writer.write(asset.output, asset.data)
        if asset.name in ROOT_FILES:
            writer.write(asset.name, asset.data)


def build_manifest(catalog: Catalog, project: Project, writer: SiteWriter) -> None:
    """Every offering's prices, for ``modeldir diff`` against this build later."""
    writer.write(MANIFEST, manifest(catalog))


# precompress runs last: it compresses what the others wrote.
EXTRAS: list[Extra] = [
    static_files,
    build_manifest,
    write_api,
    write_feeds,
    write_sitemap,
    write_cdn_files,
    precompress,
]
