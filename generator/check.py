"""The first stages of a build, which ``modeldir check`` runs alone: load, validate, lint, catalog.

This module imports nothing that renders (no templates, Markdown or syntax
highlighting), so ``modeldir check`` starts quickly; :mod:`generator.build`
continues from here.

Each file is validated as soon as it is read (:class:`generator.validate.Validator`),
so the raw values of all files are never in memory together; the time spent
validating still counts as the validate stage, not as loading.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from . import patch, schema
from .cache import ParseCache
from .catalog import Catalog, build_catalog
from .errors import Problem
from .lint import lint
from .load import digest, load
from .progress import Progress
from .project import Project, load_site, source_date, today
from .validate import Validator

if TYPE_CHECKING:
    from .build import Warm


@dataclass
class Timings:
    """Seconds per stage. A stage timed inside another counts for itself only, not for both."""

    stages: dict[str, float] = field(default_factory=dict)
    _inner: list[float] = field(default_factory=list, repr=False)  # time of inner stages, per open stage

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        self.stages.setdefault(name, 0.0)  # stages are listed in the order they start
        self._inner.append(0.0)
        try:
            yield
        finally:
            spent = time.perf_counter() - start
            self.stages[name] += spent - self._inner.pop()
            if self._inner:
                self._inner[-1] += spent

    def add(self, name: str, seconds: float) -> None:
        """Count ``seconds`` spent on stage ``name`` elsewhere (in another process)."""
        self.stages[name] = self.stages.get(name, 0.0) + seconds

    def inner(self, name: str, seconds: float) -> None:
        """Count ``seconds`` spent inside the open stage for stage ``name`` instead (which must have started)."""
        self.stages[name] += seconds
        if self._inner:
            self._inner[-1] += seconds


@dataclass
class Checked:
    catalog: Catalog | None
    problems: list[Problem]
    digests: dict[str, str] = field(default_factory=dict)  # content file -> digest of its bytes

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


@contextmanager
def paused_gc() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _site(project: Project, warm: Warm | None) -> schema.Site:
    if warm is None:
        return load_site(project)
    key = digest(project.site_file.read_bytes())
    if warm.site is None or warm.site[0] != key:
        warm.site = (key, load_site(project))
    return warm.site[1]


def check_content(
    project: Project,
    timings: Timings | None = None,
    warm: Warm | None = None,
    with_catalog: bool = True,
    parses: ParseCache | None = None,
    progress: Progress | None = None,
) -> Checked:
    """Load, validate and cross-check everything; the catalog is None if there are errors (or not asked for).

    With ``warm`` (the development server), saved offerings may be patched into the last
    catalog instead, when that is all that changed (:mod:`generator.patch`). ``parses``:
    the parsed files one-off builds keep between processes (:mod:`generator.cache`).
    ``progress``: the line that shows a terminal what the check is doing.
    """
    timings = timings or Timings()
    progress = progress or Progress(enabled=False)
    site = _site(project, warm)
    day = today()
    if warm is not None and with_catalog:
        with timings.stage("load"):  # reading and checking the saved offerings again, if that is all
            found = patch.patched(warm, project.content, site, day, source_date())
        warm.patched = found is not None
        # the files whose bytes changed since the build state in memory was made, when known
        warm.edited = found[3] if found is not None and warm.state_is_last else None
        warm.state_is_last = False
        if found is not None:
            return Checked(*found[:3])
    elif warm is not None:
        warm.edited, warm.state_is_last = None, False
    validator = Validator(warm.validate if warm else None)

    with timings.stage("load"):
        timings.stages.setdefault("validate", 0.0)  # listed after load, which starts first
        loaded = load(
            project.content, project.root, warm.load if warm else None, validator.add, parses, progress
        )
        timings.inner("validate", validator.seconds)
    progress.stage("checking content")
    with timings.stage("validate"):
        parsed = {id(source) for source, _ in loaded.documents}
        records, problems = validator.finish([s for s in loaded.files if id(s) not in parsed])
        problems = loaded.problems + problems
    with timings.stage("lint"):
        problems += lint(records, site, day, warm.lint if warm else None)
    problems.sort()
    if any(p.is_error for p in problems) or not with_catalog:
        if warm is not None:
            warm.last = None
        return Checked(None, problems, loaded.digests)
    with timings.stage("catalog"):
        catalog = build_catalog(records, site, source_date(), warm.prices if warm else None)
    if warm is not None:
        patch.remember(warm, records, loaded.digests, problems, catalog, day)
    return Checked(catalog, problems, loaded.digests)
