"""The development server's short way through the first stages after offering files were saved.

A rebuild of the development server loads, validates, lints and makes the
catalog of every record again, from caches that hand back the same objects for
unchanged files (:class:`generator.load.LoadCache` and the caches of
:class:`generator.build.Warm`). At 10,000 offerings that whole pass still
costs about 70 ms of steps over files that did not change, for an edit of one.

When the file watcher names every content file saved since the last build
(``LoadCache.pending``) and all of those it names are offerings that existed
before and still do, this module patches the last build's records, lint
results, fingerprints and catalog instead: it reads those files, validates and
lints them, gives the catalog a new object for each of those offerings (the
other offerings, models, providers and creators are the same objects as
before, in a new :class:`~generator.catalog.Catalog`), and puts each back in
its model's order. It takes the whole pass, which is always right, whenever
anything else is possible: a file added, removed or renamed (the folders'
times changed), a model, provider or creator, a file reached through a
symbolic link (whose saves the watcher cannot vouch for), another
configuration or another day, a file that does not parse or validate, an
error in an edited file or a warning from its validation (so those messages
come from the whole pass; lint's warnings of an edited file are kept), or a
change of the build date.

The test ``tests/test_incremental.py`` builds both ways after random edits,
with a watcher's list of saved files, and compares the sites byte for byte.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from . import schema
from .catalog import Catalog, Derived, _derive, with_offerings
from .errors import Problem
from .lint import _lint_offering
from .load import SourceFile, _folder_times, _identity, _read
from .validate import Entry, Records, _check_slug, validate_record

if TYPE_CHECKING:
    from .build import Warm


@dataclass
class LastCheck:
    """What the last successful pass of the development server found, for the next to patch."""

    listing: object  # LoadCache.listing it was made from: the same object while no folder changed
    by_path: dict[str, SourceFile]  # every content file, by its path
    records: Records
    digests: dict[str, str]
    problems: list[Problem]  # every problem, sorted (no errors: the catalog was made)
    catalog: Catalog
    today: dt.date
    linked: bool  # some content file is reached through a symbolic link


def remember(
    warm: Warm,
    records: Records,
    digests: dict[str, str],
    problems: list[Problem],
    catalog: Catalog,
    today: dt.date,
) -> None:
    """Keep what a whole pass found, for the next build to patch (nothing, if it found errors)."""
    listing = warm.load.listing
    if listing is None or any(p.is_error for p in problems):
        warm.last = None
        return
    last = warm.last
    files = listing[1]
    by_path = last.by_path if last and last.listing is listing else {str(s.path): s for s in files}
    linked = last.linked if last and last.listing is listing else any(s.linked for s in files)
    warm.last = LastCheck(listing, by_path, records, digests, problems, catalog, today, linked)


@dataclass
class _Saved:
    """An offering file saved since the last build, read and checked again."""

    key: tuple[str, str]
    before: Entry[schema.Offering]
    entry: Entry[schema.Offering]
    identity: tuple[int, int, int, int]
    digest: str
    problems: list[Problem]  # what lint says of it: warnings only
    derived: Derived
    was_newest: dt.date | None  # the newest date of the record it replaces


def patched(
    warm: Warm, content: Path, site: schema.Site, today: dt.date, build_date: dt.date | None
) -> tuple[Catalog, list[Problem], dict[str, str], set[str]] | None:
    """The catalog, the problems, every file's digest and the files whose bytes changed, after
    the saves the watcher named; or None when the whole pass must run (see the module's
    documentation), and then nothing was changed. ``build_date``: the one the environment
    fixes, if any."""
    last, cache = warm.last, warm.load
    if (
        last is None
        or last.linked
        or not cache.watching
        or cache.pending is None
        or cache.listing is None
        or cache.listing is not last.listing
        or last.catalog.site is not site
        or last.today != today
        or _folder_times(content) != cache.listing[0]
    ):
        return None
    saved: list[_Saved] = []
    for path in sorted(cache.pending):
        source = last.by_path.get(path)
        if source is None:
            continue  # not a content file (the watcher sees templates and static files too)
        found = _read_again(warm, last, source, site, today)
        if found is None:
            return None
        if isinstance(found, _Saved):
            saved.append(found)
    if not _same_build_date(last.catalog.build_date, saved, build_date):
        return None
    _apply(warm, last, saved)
    cache.pending = set()
    return last.catalog, last.problems, last.digests, {change.entry.source.display for change in saved}


def _read_again(
    warm: Warm, last: LastCheck, source: SourceFile, site: schema.Site, today: dt.date
) -> _Saved | Literal["as read"] | None:
    """The saved offering checked again, or "as read" when its file is as the last build read it,
    or None when the whole pass must run."""
    if source.kind != "offerings" or source.parent is None:
        return None
    key = (source.parent, source.slug)
    before = last.records.offerings.get(key)
    kept = warm.load.files.get(source.display)
    identity = _identity(source.path)
    if before is None or kept is None or identity is None or before.source is not source:
        return None
    if identity == kept[0]:
        return "as read"
    validated = warm.validate.get(id(before.doc))
    derived = warm.prices.get(id(before.record))
    if validated is None or validated[2] or derived is None:  # (warnings of the whole pass stay its own)
        return None
    digest, doc = _read(source)
    if digest is None or isinstance(doc, Problem) or _check_slug(source, doc):
        return None
    record, found = validate_record(schema.Offering, doc)
    if record is None or found:
        return None
    doc.data = None  # as the validator does: the record holds every value
    entry = Entry(source.slug, record, source, doc)
    problems = list(_lint_offering(key, entry, last.records, site, today))
    if any(p.is_error for p in problems):
        return None
    return _Saved(key, before, entry, identity, digest, problems, _derive(record), derived[1][3])


def _same_build_date(before: dt.date, saved: list[_Saved], fixed: dt.date | None) -> bool:
    """Whether the build date stays: it is fixed, or it is the newest date of the content and no
    saved offering brings a newer one or took away one that was the newest."""
    if fixed is not None:
        return fixed == before
    for change in saved:
        old, new = change.was_newest, change.derived[3]
        if (new is not None and new > before) or (old == before and new != old):
            return False
    return True


def _apply(warm: Warm, last: LastCheck, saved: list[_Saved]) -> None:
    """Put the saved offerings into every cache and into a new catalog (the same objects for the
    rest), and their problems among the others."""
    records, prices = last.records, warm.prices
    dropped: set[int] = set()
    for change in saved:
        entry, before = change.entry, change.before
        record, doc, source = entry.record, entry.doc, entry.source
        warm.load.files[source.display] = (change.identity, change.digest, doc)
        del warm.validate[id(before.doc)]
        warm.validate[id(doc)] = (doc, record, [], entry)
        lint = warm.lint.offerings
        dropped |= set(map(id, lint[change.key][3]))
        lint[change.key] = (record, doc, records.providers[change.key[0]].record, change.problems)
        prices.pop(id(before.record), None)
        prices[id(record)] = (record, change.derived)
        records.offerings[change.key] = entry
        last.digests[source.display] = change.digest
    problems = [p for p in last.problems if id(p) not in dropped]
    problems += [p for change in saved for p in change.problems]
    problems.sort()
    last.problems = problems
    last.catalog = with_offerings(
        last.catalog, [(c.key, c.entry.record, c.entry.source.display) for c in saved], prices
    )
