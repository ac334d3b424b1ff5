"""Render and write pages on every core.

The parent process has loaded and checked the content and built the catalog;
worker processes are *forked* from it, so each starts with the catalog, the
routes, the compiled templates and the writer already in memory (nothing is
pickled on the way in). Each worker takes a batch of routes at a time, renders
them, writes them through its copy of the writer into the shared staging folder
and sends back, per page, only the path, the digest of its bytes and the
dependency keys it recorded. The parent adopts those into its writer, so the
parent's writer knows every file of the new site (see :mod:`generator.write`).

Small jobs (a rebuild after one edit) render in the parent: forking costs more
than it saves. Where ``fork`` does not exist, everything renders in the parent.
The workers end with the parent, even when it is killed outright (:mod:`generator.children`).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import jinja2

from . import children, deps
from .catalog import Catalog
from .errors import BuildError
from .render import page_globals, render_page
from .routes import Route
from .write import SiteWriter

PARALLEL_FROM = 400  # pages; below this one process is faster than forking
BATCH = 64
T = TypeVar("T")
HEAVY = ("home", "provider", "all_offerings", "changelog")  # pages that read the whole catalog


@dataclass(frozen=True)
class Rendered:
    path: str
    digest: str
    written: bool
    size: int
    deps: frozenset[deps.Key]
    seconds: tuple[float, float]  # rendering, writing


class Beside(Generic[T]):
    """Work done beside the pages by one of the workers (a share of a build's catalog extras).

    ``run`` is called once in a worker, which takes it before any page, so the
    parent only gathers what the workers send; its value comes back in
    ``result``. When the pages render in this process, ``run`` follows them.
    """

    def __init__(self, run: Callable[[], T]) -> None:
        self.run = run
        self.result: T | None = None
        self.here = False  # run in this process (its writes are this process's writer's already)


@dataclass
class _Job:
    catalog: Catalog
    routes: list[Route]
    env: jinja2.Environment
    writer: SiteWriter
    globals_: dict[str, Any]
    beside: Sequence[Beside[Any]]


_job: _Job | None = None  # set in the parent just before forking; inherited by the workers


def _render_batch(indexes: list[int]) -> list[Rendered]:
    assert _job is not None
    done = []
    for index in indexes:
        route = _job.routes[index]
        start = time.perf_counter()
        html, read = render_page(_job.catalog, route, _job.env, _job.globals_)
        rendered = time.perf_counter()
        fingerprint, written = _job.writer.put(route.output_path, html)
        seconds = (rendered - start, time.perf_counter() - rendered)
        done.append(Rendered(route.output_path, fingerprint, written, len(html), read, seconds))
    return done


def _run_beside(index: int) -> Any:
    assert _job is not None
    return _job.beside[index].run()


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _batches(routes: list[Route], first: frozenset[str] = frozenset()) -> list[list[int]]:
    """Batches of route indexes: the pages asked for ``first`` (output paths), then the pages that
    list everything, so no worker ends last with one, then the rest."""
    wanted = [i for i, r in enumerate(routes) if r.output_path in first]
    rest = [i for i, r in enumerate(routes) if r.output_path not in first]
    heavy = [i for i in rest if routes[i].kind in HEAVY]
    light = [i for i in rest if routes[i].kind not in HEAVY]
    return [[i] for i in wanted + heavy] + [light[k : k + BATCH] for k in range(0, len(light), BATCH)]


def _render_here(batches: list[list[int]], progress: Callable[[int], None] | None) -> Iterator[Rendered]:
    for batch in batches:
        done = _render_batch(batch)
        if progress:
            progress(len(done))
        yield from done


def render_all(
    catalog: Catalog,
    routes: list[Route],
    env: jinja2.Environment,
    writer: SiteWriter,
    jobs: int | None = None,
    progress: Callable[[int], None] | None = None,
    first: frozenset[str] = frozenset(),
    beside: Sequence[Beside[Any]] = (),
) -> Iterator[Rendered]:
    """Render and write ``routes``; yield what each page wrote and read, the pages whose output
    paths are in ``first`` before the others, the rest in no particular order.

    Each of ``beside`` (see :class:`Beside`) runs in a worker, before it takes
    any page, while the others render, or while this process renders a few
    pages (an incremental build: then up to ``jobs`` workers take them); its
    value is in its ``result`` once the last page is yielded.
    """
    global _job
    jobs = jobs or default_jobs()
    _job = _Job(catalog, routes, env, writer, page_globals(catalog), beside)
    try:
        batches = _batches(routes, first)
        can_fork = jobs > 1 and "fork" in multiprocessing.get_all_start_methods()
        if not can_fork or (len(routes) < PARALLEL_FROM and not beside):
            yield from _render_here(batches, progress)
            for work in beside:
                work.here, work.result = True, work.run()
            return
        gc.freeze()  # keep the inherited heap shared: the collector would touch every object
        context = multiprocessing.get_context("fork")
        few = len(routes) < PARALLEL_FROM  # a few pages here, the work beside them in workers
        pool = ProcessPoolExecutor(
            min(jobs, len(beside)) if few else jobs,
            mp_context=context,
            initializer=children.end_with,
            initargs=(os.getpid(),),
        )
        try:
            asides = [pool.submit(_run_beside, i) for i in range(len(beside))]  # taken before any page
            if few:
                yield from _render_here(batches, progress)
            else:
                for batch in as_completed([pool.submit(_render_batch, b) for b in batches]):
                    done = _result(batch)
                    if progress:
                        progress(len(done))
                    yield from done
            for work, aside in zip(beside, asides, strict=True):
                work.result = _result(aside)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)  # (a failed build: the batches not yet begun)
    finally:
        _job = None
        gc.unfreeze()


def _result(future: Future[T]) -> T:
    """The value of work done in a worker; a worker that died (killed, out of memory) fails the
    build instead of leaving it waiting for the pages that worker had."""
    try:
        return future.result()
    except BrokenProcessPool:
        raise BuildError(
            "a worker process stopped before it finished (killed, or out of memory?); nothing was published"
        ) from None
