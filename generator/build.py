"""The build driver: it reads like the pipeline, and times each stage.

    load -> validate -> lint -> catalog -> routes -> render + write -> extras -> publish

``check_content`` (:mod:`generator.check`) runs the stages up to and including
the catalog and returns every problem found; ``build_site`` continues, and
publishes the new site only if every page rendered.

Builds are incremental (:mod:`generator.incremental`): a page is rendered
again only when something it read changed since the last build into the same
folder, and a file is written only when its bytes changed. Pages render in
worker processes, one per core (:mod:`generator.workers`); before their first
page the workers make the extras that come from the catalog alone (API, feeds,
sitemap…), and the extras that read the written pages follow. The cyclic garbage
collector is paused during a build: the pipeline makes millions of small
objects and almost no cycles, and collecting would cost more than a third of
the time.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import itertools
import operator
import os
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from . import changelog, keptfiles, schema, views
from .assets import fingerprint
from .cache import ParseCache
from .catalog import Catalog, PriceCache
from .check import Checked as Checked
from .check import Timings, paused_gc
from .check import check_content as check_content
from .deps import Key, Memo
from .errors import BuildStopped, ContentError, Problem
from .extras import CATALOG_EXTRAS, EXTRA_LABELS, PAGES_ONLY, SITE_EXTRAS, Extra, beside_groups
from .fragments import Fragments
from .incremental import (
    BuildState,
    Fingerprints,
    Readers,
    forget_state,
    generator_fingerprint,
    load_state,
    next_fingerprints,
    read_again,
    readers_of,
    save_state,
    site_digest,
    stale_pages,
    state_path,
    template_cache,
    templates_digest,
)
from .keptfiles import KeptFiles
from .keptpieces import KeptPieces, pieces_folder
from .lint import LintCache
from .load import LoadCache
from .patch import LastCheck
from .progress import Progress
from .project import Project
from .render import Once, environment, page_globals, render_page
from .routes import Route, plan_routes
from .search_parts import CutPages
from .validate import ValidateCache
from .workers import HEAVY, PARALLEL_FROM, Beside, render_all
from .write import SiteWriter, Spare, folder_identity, make_spare, spare_path


@dataclass
class BuildResult:
    pages: int
    files: int  # files whose bytes were written (unchanged files are kept as they are)
    bytes: int
    warnings: list[Problem]
    timings: Timings
    rendered: int = 0  # pages rendered by this build; the others were unchanged
    removed: int = 0  # files of the previous site that no longer exist
    incremental: bool = False
    work: dict[str, float] = field(default_factory=dict)  # seconds summed over processes: render, write


@dataclass
class Warm:
    """What a long-running process (the development server) keeps between builds.

    Unchanged content files are neither read nor validated again, and the build
    state stays in memory instead of being read from and written to disk.
    """

    load: LoadCache = field(default_factory=LoadCache)
    validate: ValidateCache = field(default_factory=dict)
    state: BuildState | None = None
    spare: Spare | None = None
    site: tuple[str, schema.Site] | None = None  # digest of site.yaml, and the configuration read from it
    env: tuple[str, jinja2.Environment] | None = None  # digest of the templates, and their environment
    rows: Memo = field(default_factory=Memo)
    lint: LintCache = field(default_factory=LintCache)
    prices: PriceCache = field(default_factory=dict)
    template_digests: dict[str, str] = field(default_factory=dict)
    # each record's share of the extras (generator.fragments)
    extras: Fragments = field(default_factory=lambda: Fragments(kept=True))
    routes: tuple[object, list[Route]] | None = None  # the slugs and files of every record, and their pages
    last: LastCheck | None = None  # the last check, for the next to patch (generator.patch)
    patched: bool = False  # this build's check was a patch: no record was added, removed or renamed
    state_is_last: bool = False  # ``state`` was made by the last build, from the last check
    edited: set[str] | None = None  # content files whose bytes changed since ``state``, when known
    readers: tuple[BuildState, Readers] | None = None  # the pages that read each key of a state
    # the cached fragments hold the pages that list the whole catalog: False after a build rendered
    # most pages in worker processes, whose fragments died with them (see prime)
    primed: bool = False


@dataclass(frozen=True)
class ExtrasMade:
    """What the catalog's extras wrote in a worker (see :func:`_build`)."""

    produced: list[tuple[str, str]]  # (path, fingerprint) in the order written
    written: list[str]  # those whose bytes the worker wrote (the others kept their link)
    files: int
    bytes: int
    lists: dict[str, list[str]]  # each extra's files
    read: dict[str, tuple[Key, ...]]  # what each file made from one record read (generator.keptfiles)
    seconds: float


@dataclass(frozen=True)
class Preview:
    """Pages wanted before the rest of a build: the development server shows the pages open in
    the browser as soon as they are rendered, while the pages that list the whole catalog are
    still being rendered.

    ``ready`` is called once, with the new bytes of every page of ``urls`` that the build renders
    (by URL), after the content passed every check and those pages rendered, and before the rest.
    It is not called when the build renders none of them.
    """

    urls: frozenset[str]
    ready: Callable[[dict[str, bytes]], None]


def prime(project: Project, out_dir: Path, warm: Warm) -> None:
    """Render the pages that list the whole catalog in this process, and throw them away.

    The first build of the development server renders in worker processes,
    whose fragments (rows of every table, compiled templates) die with them;
    without this, the first edit after starting would render the changelog and
    every table from scratch. Rendering them once here fills ``warm`` instead
    (and one page of every other kind compiles its template). It also makes the
    spare staging folder the writer would otherwise link on the first rebuild.
    """
    if warm.spare is None and warm.state is not None and out_dir.is_dir():
        warm.spare = make_spare(out_dir, warm.state.files)
    if warm.state is not None and (warm.readers is None or warm.readers[0] is not warm.state):
        warm.readers = (warm.state, readers_of(warm.state))
    with paused_gc():
        views.keep_rows_in(warm.rows)
        checked = check_content(project, None, warm)
        if checked.catalog is None:
            return
        catalog = checked.catalog
        env, _ = _environment(project, warm)
        globals_ = page_globals(catalog)
        kinds: set[str] = set()
        for route in plan_routes(catalog):
            if route.kind in HEAVY or route.kind not in kinds:  # one of each kind compiles its template
                kinds.add(route.kind)
                render_page(catalog, route, env, globals_)
        warm.primed = True


def hand_over(project: Project, out_dir: Path, warm: Warm) -> None:
    """Save what ``warm`` knows of the published site as a one-off build saves its state, so that
    the next one-off build (or the next build server) starts from it rather than from nothing.

    A long-running process forgets the saved state when it first publishes (it keeps the state
    in memory from then on); the build server hands it back when it ends. It is the state a
    one-off build would save, but for the extras' kept pieces (which only one-off builds write):
    the next one-off build makes those again. Nothing is saved when the published site is no
    longer the one ``warm`` made (another process built it since).
    """
    state = warm.state
    if state is None or state.out_inode != _inode(out_dir):
        return
    state_file = state_path(project.root, project.content, out_dir)
    handed = dataclasses.replace(state, pieces="", search_inputs=warm.extras.search_inputs)
    save_state(state_file, _with_spare(handed, warm.spare))


def _saved_spare(state: BuildState | None, out_dir: Path) -> Spare | None:
    """The spare the last one-off build kept, when it is still the folder it left."""
    if state is None or state.spare is None:
        return None
    identity, differ = state.spare
    path = spare_path(out_dir)
    return Spare(path, {}, set(differ)) if folder_identity(path) == identity else None


def _with_spare(state: BuildState, spare: Spare | None) -> BuildState:
    """The state a one-off build saves: it names the spare it kept, for the next build to start from."""
    if spare is None or spare.differ is None or (identity := folder_identity(spare.path)) is None:
        return state
    return dataclasses.replace(state, spare=(identity, sorted(spare.differ)))


def _pages_digest(writer: SiteWriter) -> str:
    """A digest of every page of the new site, by path and bytes."""
    found = hashlib.blake2b(digest_size=16)
    for path, digest in sorted(item for item in writer.produced.items() if item[0].endswith(".html")):
        found.update(f"{path}\0{digest}\n".encode())
    return found.hexdigest()


def _made_from(state: BuildState | None, writer: SiteWriter, extra: str) -> str | None:
    """The digest of the pages an extra made from the pages alone (:data:`PAGES_ONLY`) last
    made its files from, while those files are all still there; None otherwise. The same pages
    give the same files, so they are kept instead of made again."""
    if state is None or extra not in state.made_from or not state.extras.get(extra):
        return None
    return state.made_from[extra] if all(writer.keepable(state.extras[extra])) else None


def _inode(path: Path) -> int:
    try:
        return os.stat(path).st_ino
    except OSError:
        return -1


def _environment(project: Project, warm: Warm | None) -> tuple[jinja2.Environment, str]:
    """The templates' environment, and a digest of the templates and assets it was made from;
    the development server keeps the environment while that digest is the same."""
    assets = fingerprint(project.static)  # asset() names depend on static/, so the key does too
    key = templates_digest(project.templates) + " ".join(a.output for a in assets)
    if warm is None:
        return environment(project.templates, assets=assets, compiled=template_cache(project.root)), key
    if warm.env is None or warm.env[0] != key:
        warm.env = (
            key,
            environment(project.templates, Once(limit=None), assets, template_cache(project.root)),
        )
        warm.template_digests = {}
    return warm.env[1], key


def _advance_fragments(env: jinja2.Environment) -> None:
    """Start a new generation of the template fragments a long-running process keeps (:class:`Once`)."""
    once = env.globals["once"]
    assert isinstance(once, Once)
    once.advance()


def _routes(catalog: Catalog, warm: Warm | None) -> list[Route]:
    """Every page; the development server plans them again only when a record was added, removed or
    renamed, or a month of the changelog gained or lost a page (a route is made of the slugs and
    the file names of the records, and of the changelog's months)."""
    if warm is None:
        return plan_routes(catalog)
    kinds: tuple[dict[Any, Any], ...] = (
        catalog.creators,
        catalog.models,
        catalog.providers,
        catalog.offerings,
    )
    changes = changelog.index(catalog)  # the changelog's pages: its months and their sizes
    records: tuple[object, ...] = (
        warm.routes[0][:-1]  # type: ignore[index]
        if warm.patched and warm.routes is not None  # the same records, files and slugs
        else tuple((tuple(k), tuple(map(_FILE, dict.values(k)))) for k in kinds)  # nothing renders: no note
    )
    made_from = (*records, tuple((month, changes.pages(month)) for month in changes.months))
    if warm.routes is None or warm.routes[0] != made_from:
        warm.routes = (made_from, plan_routes(catalog))
    catalog.memo["routes"] = warm.routes[1]  # what plan_routes() gives the extras of this build
    return warm.routes[1]


_FILE = operator.attrgetter("file")
_OUTPUT_PATH = operator.attrgetter("output_path")


def build_site(
    project: Project,
    out_dir: Path,
    *,
    incremental: bool = True,
    jobs: int | None = None,
    progress: bool = False,
    warm: Warm | None = None,
    skip_extras: frozenset[str] = frozenset(),
    preview: Preview | None = None,
    stop: Callable[[], bool] | None = None,
) -> BuildResult:
    """Build the site into ``out_dir``, atomically; raise ContentError on invalid content.

    An extra named in ``skip_extras`` does not run: on an incremental build the
    files it wrote last time are kept as they are (the development server does
    this with the search index, which takes far longer than the rest of a
    rebuild); on a full build they are simply absent.

    ``stop`` is asked, while the search index is made, whether to stop: when it
    says so the build raises :class:`BuildStopped` and publishes nothing (the
    development server stops bringing the index up to date when a file is saved).
    """
    with paused_gc(), Progress(enabled=progress) as line:  # (on a terminal: what the build is doing)
        return _build(project, out_dir, incremental, jobs, line, warm, skip_extras, preview, stop)


def _build(
    project: Project,
    out_dir: Path,
    incremental: bool,
    jobs: int | None,
    progress: Progress,
    warm: Warm | None,
    skip_extras: frozenset[str],
    preview: Preview | None,
    stop: Callable[[], bool] | None,
) -> BuildResult:
    timings = Timings()
    views.keep_rows_in(warm.rows if warm else None)
    # a one-off build parses only the files changed since the last one (read with incremental)
    parses = (
        None if warm else ParseCache.of(project.root, project.content, generator_fingerprint(), incremental)
    )
    checked = check_content(project, timings, warm, parses=parses, progress=progress)
    if checked.catalog is None:
        raise ContentError(checked.problems)
    catalog = checked.catalog
    progress.stage("planning pages")
    with timings.stage("routes"):
        routes = _routes(catalog, warm)
    env, templates_key = _environment(project, warm)
    state_file = state_path(project.root, project.content, out_dir)
    state = None
    if incremental and warm is not None:
        state = warm.state or load_state(state_file, out_dir)
        state = state if state and state.out_inode == _inode(out_dir) else None
    elif incremental:
        state = load_state(state_file, out_dir)
    # the templates' fingerprints are the last build's while no template or asset changed
    if warm is not None:
        templates = warm.template_digests
    else:
        templates = dict(state.templates[1]) if state and state.templates[0] == templates_key else {}
    now = Fingerprints(catalog, checked.digests, site_digest(project.site_file), env, templates)
    writer = SiteWriter(
        out_dir,
        previous=state.files if state else None,
        spare=warm.spare if warm else _saved_spare(state, out_dir),
        keep_spare=True,
    )
    if stop is not None:
        writer.stop = stop
    cleanup = contextlib.ExitStack()  # (scratch folders that outlive a stage)
    try:
        pages: dict[str, tuple[Key, ...]] = {}
        todo = routes
        changed: dict[Key, Any] = {}  # keys whose fingerprint changed since the last build
        readers: Readers | None = None  # the development server's: the pages that read each key
        if state is not None:
            if warm is not None:  # (made when the server starts, then kept up to date)
                readers = warm.readers[1] if warm.readers and warm.readers[0] is state else readers_of(state)
            stale, changed = stale_pages(state, now, warm.edited if warm else None, readers)
            # a page is kept when nothing it read changed and it is in the published site: found by
            # chains of map that run in C (a rebuild of the development server looks at every page)
            paths = list(map(_OUTPUT_PATH, routes))
            keep = list(
                map(
                    operator.and_,
                    map(operator.not_, map(stale.__contains__, paths)),
                    map(operator.and_, map(state.pages.__contains__, paths), writer.keepable(paths)),
                )
            )
            todo = list(itertools.compress(routes, map(operator.not_, keep)))
            kept = list(itertools.compress(paths, keep))
            known = state.pages
            writer.keep_all(kept)
            pages.update(zip(kept, map(known.__getitem__, kept), strict=True))
        if warm is not None and todo:
            # a new generation of the fragments kept in memory: those this build does not use are
            # dropped at the next. A build that renders nothing (bringing the search index up to
            # date) leaves them as they are, or the rebuild after it would render every row again.
            warm.rows.advance()
            _advance_fragments(env)
        work = {"render": 0.0, "write": 0.0}
        if todo:
            progress.stage("rendering", len(todo), "pages")
        canonical: dict[Key, Key] = {}
        wanted = {r.output_path: r.url for r in todo if preview and r.url in preview.urls}
        waiting = set(wanted)
        extra_files: dict[str, list[str]] = {}
        made_from: dict[str, str] = {}  # an extra made from the pages alone -> the pages' digest
        fragments = warm.extras if warm is not None else Fragments()
        if state is not None and not fragments.search_inputs:  # (else the server's, in memory)
            fragments.search_inputs = state.search_inputs
        if warm is None and "search_index" not in skip_extras:
            # the pages are cut for the indexer here while the workers render the others
            folder = cleanup.enter_context(writer.scratch("cut"))
            fragments.search_cuts = CutPages(folder, fragments.search_inputs)
        cuts = fragments.search_cuts
        # (the development server keeps the extras' pieces in memory instead)
        build_name = uuid.uuid4().hex
        if warm is None and len(catalog.offerings) <= keptfiles.UP_TO:
            fragments.kept_files = KeptFiles(state.extra_keys if state else {}, changed, writer)
            fragments.kept_pieces = KeptPieces(
                pieces_folder(state_file),
                build_name,
                state.pieces if state else None,
                state.fingerprints if state else {},
                changed,
            )
        extra_keys: dict[str, tuple[Key, ...]] = {}  # what each file made from one record read

        def run_extras(extras: list[Extra], line: Progress | None = None) -> None:
            """Run ``extras`` (those not skipped), each shown on ``line`` (this process's only)."""
            with timings.stage("extras"):
                for extra in extras:
                    name = extra.__name__
                    # (the pages' digest only for an extra that may run: the development server
                    # skips the search index on every rebuild)
                    pages = _pages_digest(writer) if name in PAGES_ONLY and name not in skip_extras else None
                    if name in skip_extras or (
                        pages is not None and _made_from(state, writer, name) == pages
                    ):
                        last = state.extras.get(name, []) if state else []
                        extra_files[name] = list(itertools.compress(last, writer.keepable(last)))
                        writer.keep_all(extra_files[name])
                        if state is not None:
                            kept = state.extra_keys
                            extra_keys.update((f, kept[f]) for f in extra_files[name] if f in kept)
                        if state is not None and name in state.made_from and extra_files[name] == last:
                            made_from[name] = state.made_from[name]  # (every file it names is kept)
                        continue
                    before = len(writer.produced)
                    if fragments.kept_pieces is not None:
                        fragments.kept_pieces.open(name)
                    if line is not None:
                        line.stage(EXTRA_LABELS.get(name, name))
                    fragments.progress = line  # (the search index counts its parts there)
                    extra(catalog, project, writer, fragments)
                    fragments.progress = None
                    if fragments.kept_pieces is not None:
                        fragments.kept_pieces.close()
                    extra_files[name] = writer.since(before)
                    fragments.forget()
                    if pages is not None:
                        made_from[name] = pages

        def extras_beside(extras: list[Extra]) -> ExtrasMade:
            """Some of the catalog's extras, in a worker: what they wrote, for this process to adopt."""
            before, files, size = len(writer.produced), writer.files, writer.bytes
            start = time.perf_counter()
            run_extras(extras)
            made = list(itertools.islice(writer.produced.items(), before, None))
            written = [path for path, _ in made if path in writer.touched]
            read: dict[str, tuple[Key, ...]] = {}
            if fragments.kept_files is not None:  # (only this share's: a worker takes several)
                read, fragments.kept_files.read = fragments.kept_files.read, {}
            seconds = time.perf_counter() - start
            return ExtrasMade(
                made, written, writer.files - files, writer.bytes - size, extra_files, read, seconds
            )

        # A one-off build makes the catalog's extras in workers while the others render; the
        # development server makes them here, into the fragments it keeps for the next build.
        groups = beside_groups(CATALOG_EXTRAS) if warm is None else []
        beside = [Beside(functools.partial(extras_beside, group)) for group in groups]
        if warm is not None and len(todo) >= PARALLEL_FROM:
            warm.primed = False  # (rendered in workers)
        with timings.stage("render+write"):
            rendered = render_all(catalog, todo, env, writer, jobs, progress, frozenset(wanted), beside)
            for done in rendered:
                writer.adopt(done.path, done.digest, done.written, done.size)
                if cuts is not None:
                    cuts.add(writer, done.path, done.digest)
                waiting.discard(done.path)
                if preview and wanted and not waiting:
                    preview.ready({url: (writer.staging / path).read_bytes() for path, url in wanted.items()})
                    wanted = {}
                pages[done.path] = tuple(map(canonical.setdefault, done.deps, done.deps))  # shared keys
                work["render"] += done.seconds[0]
                work["write"] += done.seconds[1]
        if warm is not None:
            run_extras(CATALOG_EXTRAS, progress)
        for share in beside:
            made = share.result
            if made is None:
                continue
            extra_keys.update(
                (path, tuple(map(canonical.setdefault, keys, keys))) for path, keys in made.read.items()
            )
            if not share.here:  # (made in this process, its files are this writer's already)
                writer.adopt_files(made.produced, made.written, made.files, made.bytes)
                extra_files.update(made.lists)
                timings.add("extras", made.seconds)
        if state is not None:
            writer.drop(set(state.pages))
        run_extras(SITE_EXTRAS, progress)
        progress.stage("publishing")
        with timings.stage("publish"):
            if warm is not None and state is not None and pages.keys() >= state.pages.keys():
                fingerprints = next_fingerprints(state, now, changed, (pages[r.output_path] for r in todo))
            else:
                fingerprints = now.snapshot(set().union(*pages.values(), *extra_keys.values()))
            new_state = BuildState(
                generator_fingerprint(),
                _inode(writer.staging),
                fingerprints,
                pages,
                dict(writer.produced),
                extra_files,  # what a skipped extra keeps next time
                (templates_key, now.templates),
                made_from=made_from,
                extra_keys=extra_keys,
                pieces=build_name if fragments.kept_pieces is not None else "",
                search_inputs=fragments.search_inputs if warm is None else {},
            )
            if warm is not None:
                forget_state(state_file)  # the state lives in memory now; the file would be stale
                warm.state = None
            writer.publish()
            if warm is None:
                save_state(state_file, _with_spare(new_state, writer.spare))
            if warm is not None:
                if readers is not None and state is not None:
                    read_again(readers, state, new_state, (r.output_path for r in todo))
                warm.readers = (new_state, readers) if readers is not None else None
                warm.state, warm.spare = new_state, writer.spare
                warm.state_is_last = True
    except BaseException as exc:
        # a build stopped when asked (after the workers ended: this process knows every file
        # written) leaves its staging folder as the next build's spare, as a publish does
        stopped = isinstance(exc, BuildStopped) and warm is not None
        spare = writer.abandon(keep_spare=stopped)
        if warm is not None:
            if stopped:
                warm.spare = spare
            warm.extras.unfinished()
        raise
    finally:
        cleanup.close()
    return BuildResult(
        len(routes),
        writer.files,
        writer.bytes,
        checked.problems,
        timings,
        rendered=len(todo),
        removed=writer.removed,
        incremental=state is not None,
        work=work,
    )
