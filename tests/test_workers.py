"""generator.workers: pages render on every core while the parent makes the catalog's extras."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator import build, workers
from generator.build import build_site
from generator.catalog import Catalog
from generator.errors import BuildError
from generator.extras import CATALOG_EXTRAS, beside_groups, static_files
from generator.fragments import Fragments
from generator.project import Project
from generator.write import SiteWriter


def _render(project: Project, out: Path, jobs: int) -> tuple[list[str], workers.Beside[int]]:
    """The pages in the order they came back, and the work done beside them."""
    checked = build.check_content(project)
    assert checked.catalog is not None
    routes = build.plan_routes(checked.catalog)
    writer = SiteWriter(out)
    seen: list[str] = []
    beside = workers.Beside(os.getpid)
    env, _ = build._environment(project, None)
    for done in workers.render_all(checked.catalog, routes, env, writer, jobs=jobs, beside=[beside]):
        seen.append(done.path)
    writer.abandon()
    assert len(seen) == len(routes)
    return seen, beside


def test_work_beside_the_pages_runs_in_a_worker(
    make_site: Callable[..., Project], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, beside = _render(make_site(), tmp_path / "a", jobs=2)  # a few pages here, the work in a worker
    assert beside.result not in (None, os.getpid()) and not beside.here
    _, beside = _render(make_site(), tmp_path / "b", jobs=1)
    assert beside.result == os.getpid() and beside.here
    monkeypatch.setattr(workers, "PARALLEL_FROM", 1)  # every page in the workers
    _, beside = _render(make_site(), tmp_path / "c", jobs=2)
    assert beside.result not in (None, os.getpid()) and not beside.here


def test_every_share_of_the_work_beside_comes_back(
    make_site: Callable[..., Project], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_site()
    checked = build.check_content(project)
    assert checked.catalog is not None
    routes = build.plan_routes(checked.catalog)
    for parallel_from, out in (
        (10**6, tmp_path / "a"),
        (1, tmp_path / "b"),
    ):  # a few pages here; all in workers
        monkeypatch.setattr(workers, "PARALLEL_FROM", parallel_from)
        shares = [workers.Beside(lambda n=n: (n, os.getpid())) for n in range(3)]
        writer = SiteWriter(out)
        env, _ = build._environment(project, None)
        pages = list(workers.render_all(checked.catalog, routes, env, writer, jobs=2, beside=shares))
        writer.abandon()
        assert len(pages) == len(routes)
        assert [s.result[0] for s in shares if s.result] == [0, 1, 2]
        assert all(s.result and s.result[1] != os.getpid() and not s.here for s in shares)


def test_the_catalog_extras_are_shared_out_whole_the_longest_first() -> None:
    groups = beside_groups(CATALOG_EXTRAS)
    assert all(len(g) == 1 for g in groups) and sorted(e.__name__ for g in groups for e in g) == sorted(
        e.__name__ for e in CATALOG_EXTRAS
    )
    assert [g[0].__name__ for g in groups][:2] == ["write_api", "write_feeds"]
    assert beside_groups([static_files]) == [[static_files]]


def test_a_failing_catalog_extra_stops_the_workers_and_keeps_the_old_site(
    make_site: Callable[..., Project], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project, out, before = _published(make_site, tmp_path)

    def failing(catalog: Catalog, project: Project, writer: SiteWriter, fragments: Fragments) -> None:
        raise BuildError("the feeds could not be made")

    monkeypatch.setattr(workers, "PARALLEL_FROM", 1)
    monkeypatch.setattr(build, "CATALOG_EXTRAS", [failing])
    with pytest.raises(BuildError, match="feeds could not be made"):
        build_site(project, out, incremental=False, jobs=2)
    _assert_unchanged(out, before)


def test_a_worker_that_dies_fails_the_build_instead_of_leaving_it_waiting(
    make_site: Callable[..., Project], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker killed mid-build (the system out of memory) fails the build, which publishes nothing."""
    project, out, before = _published(make_site, tmp_path)
    parent, render_page = os.getpid(), workers.render_page

    def dying(*args: Any) -> Any:
        if os.getpid() != parent:
            os._exit(9)
        return render_page(*args)

    monkeypatch.setattr(workers, "PARALLEL_FROM", 1)
    monkeypatch.setattr(workers, "render_page", dying)
    with pytest.raises(BuildError, match="worker process stopped"):
        build_site(project, out, incremental=False, jobs=2, skip_extras=frozenset({"search_index"}))
    _assert_unchanged(out, before)


def _published(make_site: Callable[..., Project], tmp_path: Path) -> tuple[Project, Path, bytes]:
    """A site built into ``tmp_path/out``, and its home page."""
    project, out = make_site(), tmp_path / "out"
    build_site(project, out, skip_extras=frozenset({"search_index"}))
    return project, out, (out / "index.html").read_bytes()


def _assert_unchanged(out: Path, home: bytes) -> None:
    """The published site is as it was, and no staging folder is left beside it."""
    assert (out / "index.html").read_bytes() == home
    assert sorted(p.name for p in out.parent.iterdir()) == ["out", "site"]
