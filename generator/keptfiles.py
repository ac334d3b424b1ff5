"""The extras' files made one per record that a one-off build keeps from the last build.

The API has a file per offering, model and provider, and the feeds one per
model and provider (12,000 files at 10,000 offerings, most of the extras'
work). The development server keeps their serialised pieces in memory
(:class:`generator.fragments.Fragments`); a new process would make every one
of them again after an edit of one file. So,
like a page, each such file records the dependency keys (:mod:`generator.deps`)
it read while it was made, plus the files of its records, the configuration
and the build date; the build state keeps them (``BuildState.extra_keys``)
with their fingerprints. The next one-off build keeps a file as published,
without making it, when none of its keys changed and the published site has
it; it makes every other file, and records what it read. Past :data:`UP_TO`
offerings, one-off builds make every file and record nothing.

Keys are noted by the catalog's objects as they are read. Whatever was read,
the files of the record itself and of its model, provider and creator are
added, and for a model's or provider's file its list of offerings and their
keys: those are read through the extras' own groupings and pieces made once
for several files, which note nothing the second time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from . import deps
from .catalog import Model, Offering, Provider
from .deps import Key
from .write import SiteWriter

File = tuple[str, bytes, str]  # a path of the site, its bytes and their digest (SiteWriter.write_files)

# Up to this many offerings a one-off build records and keeps files so. Past it every file is
# made, as the development server's memory is not at stake but a one-off build's is: at 100,000
# offerings the keys of 110,000 files, sent back from a worker and saved in the state, took the
# largest process from 911 to 1,142 MiB.
UP_TO = 30_000
ALWAYS: tuple[Key, ...] = (("site",), ("build_date",))


def record_keys(item: Offering | Model | Provider) -> set[Key]:
    """The keys of a record's extras file whatever it reads: the files of the record and of
    those it belongs to; for a model or provider, which offerings it has, and their keys (its
    file holds a summary of each, made once for every file that shows it, so reading it again
    notes nothing)."""
    if isinstance(item, Offering):
        files = (item.file, item.model.file, item.model.creator.file, item.provider.file)
        return {("file", f) for f in files}
    kind = "model" if isinstance(item, Model) else "provider"
    keys: set[Key] = {("file", item.file), ("members", kind, item.slug)}
    if isinstance(item, Model):
        keys.add(("file", item.creator.file))
    for offering in item._offerings:
        keys |= record_keys(offering)
    return keys


class KeptFiles:
    """For one one-off build: which files it may keep, and what each file it has read."""

    def __init__(
        self, previous: dict[str, tuple[Key, ...]], changed: dict[Key, Any], writer: SiteWriter
    ) -> None:
        """``previous``: the last build's files and their keys; ``changed``: the keys whose
        fingerprint changed since (:func:`generator.incremental.stale_pages`)."""
        self.previous = previous
        self.changed = changed
        self.writer = writer
        self.read: dict[str, tuple[Key, ...]] = {}  # every file this build has, made or kept

    def made_or_kept(self, files: Iterable[tuple[str, Any, Callable[[], File]]]) -> Iterator[File]:
        """Each ``(path, record, make)`` of ``files``: ``make()``, recording what it read, or the
        published file when it may be kept (as bytes the writer does not look at, and the
        published digest, which it then keeps)."""
        previous, unchanged = self.previous, self.changed.keys().isdisjoint
        published, linked = self.writer.previous, self.writer.linked
        for path, item, make in files:
            keys = previous.get(path)
            if keys is not None and unchanged(keys) and path in linked and path in published:
                self.read[path] = keys
                yield path, b"", published[path]
                continue
            with deps.recording() as read:
                made = make()
            self.read[path] = tuple(read.union(record_keys(item), ALWAYS))
            yield made
