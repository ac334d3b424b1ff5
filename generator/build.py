"""The build driver: it reads like the pipeline, and times each stage.

    load -> validate -> lint -> catalog -> routes -> render + write -> publish

``check_content`` runs the stages up to and including the catalog and returns
every problem found; ``build_site`` continues, and publishes the new site only
if every page rendered.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .assets import fingerprint
from .catalog import Catalog, build_catalog
from .errors import ContentError, Problem
from .extras import EXTRAS
from .lint import lint
from .load import load
from .project import Project, load_site, source_date, today
from .render import environment, render_pages
from .routes import plan_routes
from .validate import validate
from .write import SiteWriter


@dataclass
class Timings:
    stages: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.stages[name] = self.stages.get(name, 0.0) + time.perf_counter() - start

    @property
    def total(self) -> float:
        return sum(self.stages.values())


@dataclass
class Checked:
    catalog: Catalog | None
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


@dataclass
class BuildResult:
    pages: int
    files: int
    bytes: int
    warnings: list[Problem]
    timings: Timings


def check_content(project: Project, timings: Timings | None = None) -> Checked:
    """Load, validate and cross-check everything; the catalog is None if there are errors."""
    timings = timings or Timings()
    site = load_site(project)
    with timings.stage("load"):
        loaded = load(project.content, project.root)
    with timings.stage("validate"):
        parsed = {id(source) for source, _ in loaded.documents}
        records, problems = validate(loaded.documents, [s for s in loaded.files if id(s) not in parsed])
        problems = loaded.problems + problems
    with timings.stage("lint"):
        problems += lint(records, site, today())
    problems.sort()
    if any(p.is_error for p in problems):
        return Checked(None, problems)
    with timings.stage("catalog"):
        catalog = build_catalog(records, site, source_date())
    return Checked(catalog, problems)


def build_site(project: Project, out_dir: Path) -> BuildResult:
    """Build the whole site into ``out_dir``, atomically; raise ContentError on invalid content."""
    timings = Timings()
    checked = check_content(project, timings)
    if checked.catalog is None:
        raise ContentError(checked.problems)
    catalog = checked.catalog
    with timings.stage("routes"):
        routes = plan_routes(catalog)
    writer = SiteWriter(out_dir)
    try:
        env = environment(project.templates, fingerprint(project.static))
        with timings.stage("render+write"):
            pages = 0
            for route, html in render_pages(catalog, routes, env):
                writer.write(route.output_path, html)
                pages += 1
        with timings.stage("extras"):
            for extra in EXTRAS:
                extra(catalog, project, writer)
        with timings.stage("publish"):
            writer.publish()
    except BaseException:
        writer.abandon()
        raise
    return BuildResult(pages, writer.files, writer.bytes, checked.problems, timings)
