"""generator.workers: pages render on every core while the parent makes the catalog's extras."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from generator import build, workers
from generator.build import build_site
from generator.catalog import Catalog
from generator.errors import BuildError
from generator.fragments import Fragments
from generator.project import Project
from generator.write import SiteWriter


def _render(project: Project, out: Path, first: frozenset[str]) -> tuple[list[str], int]:
    """The pages in the order they came back, and how many had come back when ``meanwhile`` ran."""
    checked = build.check_content(project)
    assert checked.catalog is not None
    routes = build.plan_routes(checked.catalog)
    writer = SiteWriter(out)
    seen: list[str] = []
    ran: list[int] = []
    env = build._environment(project, None)
    for done in workers.render_all(
        checked.catalog, routes, env, writer, jobs=2, first=first, meanwhile=lambda: ran.append(len(seen))
    ):
        seen.append(done.path)
    writer.abandon()
    assert len(ran) == 1 and len(seen) == len(routes)
    return seen, ran[0]


def test_meanwhile_runs_while_the_workers_render(
    make_site: Callable[..., Project], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workers, "PARALLEL_FROM", 1)
    project = make_site()
    _, ran = _render(project, tmp_path / "a", frozenset())
    assert ran == 0  # before the first page came back
    seen, ran = _render(project, tmp_path / "b", frozenset({"404.html"}))
    assert seen[0] == "404.html" and ran >= 1  # after the pages asked for first


def test_a_failing_catalog_extra_stops_the_workers_and_keeps_the_old_site(
    make_site: Callable[..., Project], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    project = make_site()
    build_site(project, out, skip_extras=frozenset({"search_index"}))
    before = (out / "index.html").read_bytes()

    def failing(catalog: Catalog, project: Project, writer: SiteWriter, fragments: Fragments) -> None:
        raise BuildError("the feeds could not be made")

    monkeypatch.setattr(workers, "PARALLEL_FROM", 1)
    monkeypatch.setattr(build, "CATALOG_EXTRAS", [failing])
    with pytest.raises(BuildError, match="feeds could not be made"):
        build_site(project, out, incremental=False, jobs=2)
    assert (out / "index.html").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "site"]  # no staging folder left
