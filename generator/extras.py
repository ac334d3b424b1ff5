"""Stage 7, publish extras: files made from the whole catalog beside the pages.

Each extra is a function ``(catalog, project, writer, fragments) -> None`` that
writes through the single writer (sitemap, feeds, JSON API, search index,
headers…). They run in the order of :data:`EXTRAS`, before the new site is
published, so a failing extra fails the whole build. Those made from the
catalog alone (:data:`CATALOG_EXTRAS`) are made by the workers while the pages
render, in the groups of :func:`beside_groups` (the development server makes
them itself, after its pages); those that read the written site
(:data:`SITE_EXTRAS`) run once every page is in.

``fragments`` (:class:`generator.fragments.Fragments`) holds the serialised
pieces each record contributes to the extras' files. The development server
keeps it between builds (``Warm.extras``), so a rebuild serialises only the
records that changed and hands the writer the fingerprints of the files it did
not remake: an unchanged file is neither hashed nor written again.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from .api import write_api
from .assets import fingerprint
from .catalog import Catalog
from .cdn import precompress, write_cdn_files
from .client_data import catalog_json
from .feeds import write_feeds
from .fragments import Fragments
from .manifest import MANIFEST, manifest
from .progress import Progress
from .project import Project
from .routes import DATA_URL
from .search_pages import IndexInput, without_ignored
from .search_parts import (
    CutPages,
    PageInputs,
    PagesInParts,
    index_parts,
    listed_parts,
    part_count,
    part_sums,
    read_inputs,
    reusable_parts,
)
from .sitemap import write_sitemap
from .write import SiteWriter

Extra = Callable[[Catalog, Project, SiteWriter, Fragments], None]


ROOT_FILES = ("favicon.ico",)  # asked for by a fixed name, whatever the pages link to


def static_files(catalog: Catalog, project: Project, writer: SiteWriter, fragments: Fragments) -> None:
    """Every file of static/ under its fingerprinted name (see :mod:`generator.assets`)."""
    for asset in fingerprint(project.static):
        writer.write(asset.output, asset.data)
        if asset.name in ROOT_FILES:
            writer.write(asset.name, asset.data)


def client_data(catalog: Catalog, project: Project, writer: SiteWriter, fragments: Fragments) -> None:
    fragments.start(catalog)
    made = fragments.file("client", fragments.everything, catalog_json, catalog, fragments)
    writer.write(DATA_URL.lstrip("/"), *made)


def search_index(catalog: Catalog, project: Project, writer: SiteWriter, fragments: Fragments) -> None:
    """The search index of the staged pages (:func:`index_pages`), in parts of at most the
    site's ``search_part_pages`` pages."""
    index_pages(
        writer,
        catalog.site.search_part_pages,
        fragments.search_inputs,
        fragments.search_cuts,
        fragments.progress,
    )


def index_pages(
    writer: SiteWriter,
    part_pages: int,
    inputs: PageInputs | None = None,
    cuts: CutPages | None = None,
    progress: Progress | None = None,
) -> None:
    """Index the staged pages with Pagefind; only bodies marked data-pagefind-body are read.

    It is handed only the pages that mark their body, each without the elements
    marked ``data-pagefind-ignore`` (:class:`generator.search_pages.IndexInput`):
    the same index, made in less time (figures there). A site where no page marks
    its body has every page indexed whole, as Pagefind would. A site of more than
    ``part_pages`` pages is indexed in parts, which the search page merges
    (:mod:`generator.search_parts`): Pagefind's memory grows with the pages it
    indexes at once.

    The indexer runs as its own process (``python -m pagefind``, started so that it
    ends with the build: :mod:`generator.children`), which works the same whether
    or not the caller runs an event loop, and writes its bundle to a scratch folder
    beside the output (:meth:`SiteWriter.scratch`) that is then copied through the
    writer. It reads the pages from a folder of copies made in sorted order
    (:meth:`SiteWriter.sorted_copies`): the staging folder lists them in the order
    they were written, which varies from build to build, and so would the index.

    An incremental build copies only the pages of the parts where what the indexer
    is handed changed (:func:`generator.search_parts.reusable_parts`; what it was
    handed of each page is known by the page's file digest, so only the pages
    written since are read): the others keep their published index. After an
    edit of one offering of the real site, that is one part in four, and the
    copies took 0.3-0.4 s instead of 1.3-1.7 s (and 0.1 s instead of 0.3-0.4 s
    to remove).

    ``cuts`` are the pages a one-off build cut while the others rendered
    (:class:`generator.search_parts.CutPages`; their inputs are in ``inputs``
    already): those copies are moved into place instead of being made here. The
    pass over every page that this replaces took 1.5-2 s of the real site's cold
    build on one core, while the other waited; moving the copies takes about
    0.1 s. That cold build, with its index (and the indexer's output linked into
    place: :meth:`SiteWriter.copy_tree`), took 0.93 x the time (median of the
    ratios of 9 pairs; 0.92 and 1.01 in two earlier calls of 7 and 5 pairs on a
    noisy machine), its index the same byte for byte.

    ``progress`` (a build's line on a terminal) counts the parts as their runs end.
    """
    pages = sorted(relative for relative in writer.produced if relative.endswith(".html"))
    parts = part_count(len(pages), part_pages)
    parts_of = dict(zip(pages, map(PagesInParts(parts).part, pages), strict=True))
    inputs = {} if inputs is None else inputs
    premade = cuts.made if cuts is not None else None
    with writer.scratch() as scratch:
        made = listed_parts(writer)  # (an incremental build, after one that made the index)
        if made:
            read_inputs(writer, pages, inputs)
            reused = reusable_parts(made, part_sums(writer, parts_of, parts, inputs))
            if reused:  # only the pages of the other parts are copied
                placed, marked = PagesInParts(parts), IndexInput()
                changed = partial(_not_in, reused, parts_of)
                with writer.sorted_copies(".html", marked, placed, changed, premade=premade) as copies:
                    if index_parts(
                        copies, placed, scratch, writer, parts_of, inputs, reused, progress=progress
                    ):
                        return
        placed, marked = PagesInParts(parts), IndexInput()
        bodies = bool(cuts and cuts.bodies)  # (the pages cut before mark their body)
        with writer.sorted_copies(".html", marked, placed, premade=premade) as copies:
            if marked.bodies or bodies:
                index_parts(copies, placed, scratch, writer, parts_of, inputs, progress=progress)
        if not (marked.bodies or bodies):
            placed = PagesInParts(parts)
            with writer.sorted_copies(".html", without_ignored, placed) as copies:
                index_parts(
                    copies, placed, scratch, writer, parts_of, inputs, bodies=False, progress=progress
                )
    if len(inputs) > 2 * len(pages):  # (the server's, after many builds: keep this site's pages)
        known = {writer.produced[relative] for relative in pages}
        for fingerprint in [f for f in inputs if f not in known]:
            del inputs[fingerprint]


def _not_in(reused: dict[str, str | None], parts_of: dict[str, str], page: str) -> bool:
    return parts_of[page] not in reused


def build_manifest(catalog: Catalog, project: Project, writer: SiteWriter, fragments: Fragments) -> None:
    """Every offering's prices, for ``modeldir diff`` against this build later."""
    fragments.start(catalog)
    made_from = (catalog.build_date, *fragments.offerings)
    writer.write(MANIFEST, *fragments.file("manifest", made_from, manifest, catalog, fragments))


# Made from the catalog alone: a build runs these while its pages render.
CATALOG_EXTRAS: list[Extra] = [
    static_files,
    client_data,
    build_manifest,
    write_api,
    write_feeds,
    write_sitemap,
]


def beside_groups(extras: list[Extra]) -> list[list[Extra]]:
    """The catalog's extras as a one-off build shares them out to its workers: each on its own,
    the ones that take longest first, so that whichever worker is free takes the next.

    A full build makes every API file (the most work, then the feeds); a rebuild keeps most
    of them (:mod:`generator.keptfiles`), and the feeds take longest. Two fixed groups of
    about equal work for one case left one worker idle for most of the other.
    """
    order = {extra: rank for rank, extra in enumerate(BESIDE_ORDER)}
    return [[extra] for extra in sorted(extras, key=lambda e: order.get(e, len(order)))]


# The catalog's extras by the work they take, most first (see beside_groups).
BESIDE_ORDER: list[Extra] = [write_api, write_feeds, client_data, build_manifest, write_sitemap, static_files]

# Made from the written pages alone, the same bytes from the same pages: an incremental build in
# which no page changed keeps the files they made last time (the search index's are 9 of the 15 s
# of a build of the real site).
PAGES_ONLY = frozenset({"search_index"})

# Made from the written site: the search index reads the HTML of every page;
# the CDN rules cover every file written before them; precompress runs last, on everything.
SITE_EXTRAS: list[Extra] = [
    search_index,
    write_cdn_files,
    precompress,
]
EXTRAS: list[Extra] = CATALOG_EXTRAS + SITE_EXTRAS

# What the progress line of a build on a terminal calls each extra that the build's own process runs
# (the site's extras; the development server's builds also run the catalog's there).
EXTRA_LABELS: dict[str, str] = {
    "static_files": "static files",
    "client_data": "catalog data",
    "build_manifest": "build manifest",
    "write_api": "API files",
    "write_feeds": "feeds",
    "write_sitemap": "sitemap",
    "search_index": "search index",
    "write_cdn_files": "CDN rules",
    "precompress": "compressing",
}
