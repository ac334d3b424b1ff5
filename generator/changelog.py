"""The changelog's index: every price change, newest first, grouped by the month it was recorded in.

``/changelog/`` shows the newest changes and lists the months; each month that
has changes has its archive, ``/changelog/2026-05/``, in pages of at most
:data:`~generator.paging.CHANGES_PER_PAGE` rows (``/changelog/2026-05/2/``).
Every change is on exactly one archive page.

The index is made once per catalog, when the routes are planned (so in the
parent process, before the workers fork: they share it), and holds only the
sort key, the offering and the place of each change; a page makes the rows it
shows (memoised per change, see :mod:`generator.site_views`).

Making the index reads every offering, but a page does not depend on all of
them: that would render every archive page again after any edit. The index is
made unrecorded, and a page notes instead the part of it that it shows,
``("changelog", month)`` and ``("changelog", "around " + month)`` (the months
it links to), or ``("changelog", "newest")`` and ``("changelog", "counts")``
for the front page, whose fingerprints
(:func:`fingerprint`) change exactly when that part does: a change added,
removed or moved between months renders the pages of the months concerned (and
the front page), and an archive page whose month is gone is no longer planned,
so the build removes it. The rows a page shows note their own files.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from itertools import islice
from operator import itemgetter

from . import deps, history, paging
from .catalog import Catalog, Offering

# a change: its history.newest_first_key, its offering's key and its place in the offering's changes
Entry = tuple[str, tuple[str, str], int]


@dataclass(frozen=True)
class Index:
    months: dict[str, list[Entry]]  # "2026-05" -> its changes newest first; the newest month first
    # the fingerprint of each part asked for (see fingerprint()): the development server keeps an
    # index while the changes are the same, and its fingerprints with it
    fingerprints: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    @property
    def total(self) -> int:
        return sum(map(len, self.months.values()))

    def newest(self, count: int | None = None) -> list[Entry]:
        """The newest ``count`` changes (by default, as many as the changelog's front page shows)."""
        every = (entry for entries in self.months.values() for entry in entries)
        return list(islice(every, paging.CHANGELOG_FRONT_ROWS if count is None else count))

    def pages(self, month: str) -> int:
        return paging.count(len(self.months.get(month, ())), paging.CHANGES_PER_PAGE)

    def page(self, month: str, number: int) -> list[Entry]:
        start = (number - 1) * paging.CHANGES_PER_PAGE
        return self.months.get(month, [])[start : start + paging.CHANGES_PER_PAGE]


def index(catalog: Catalog) -> Index:
    """The catalog's changes by month, made once per catalog and never recorded as read."""
    return deps.unshared(catalog.memo, "changelog.index", lambda: _index(catalog))


@dataclass
class _Kept:
    """The development server's last index, and what it was made from."""

    records: dict[tuple[str, str], object]  # each offering's record
    each: dict[tuple[str, str], list[Entry]]  # each offering's changes
    keyed: list[Entry]  # every change, sorted
    index: Index
    memo: dict[object, object] | None = None  # that of the catalog it was made for


def _index(catalog: Catalog) -> Index:
    """The index; the development server patches the last build's with the offerings edited
    since, and keeps it whole when their changes kept their dates and places.

    An entry is one tuple, shared by the lists that hold it: at 100,000
    offerings the index holds a quarter of a million of them, before the
    workers fork.
    """
    from .views import common  # the views import the routes, which import this module

    offerings: dict[tuple[str, str], Offering] = dict(dict.items(catalog.offerings))
    if common.ROWS is None:  # a one-off build keeps only the index, and the timelines of a small catalog
        keep = len(offerings) <= history.KEEP_TIMELINES
        keyed = [entry for offering in offerings.values() for entry in _keyed(offering, keep)]
        keyed.sort(key=itemgetter(0))
        return _grouped(keyed)
    kept: _Kept | None = common.ROWS.swap(("changelog.index",), None)
    made: _Kept | None = None
    if kept is not None and catalog.edits is not None and kept.memo is catalog.edits[0]:
        # made by replacing offerings of the catalog the kept index was made from: only those
        records = dict(kept.records)
        records.update((new.key, new._record) for _, new in catalog.edits[1])
        made = _patched(kept, {new.key for _, new in catalog.edits[1]}, offerings, records)
    elif kept is not None:
        records = {key: o._record for key, o in offerings.items()}
        edited = {key for key, record in records.items() if kept.records.get(key) is not record}
        edited |= kept.records.keys() - records.keys()  # removed
        if len(edited) <= len(records) // 10:
            made = _patched(kept, edited, offerings, records)
    else:
        records = {key: o._record for key, o in offerings.items()}
    if made is None:
        each = {key: _keyed(offering) for key, offering in offerings.items()}
        keyed = [entry for entries in each.values() for entry in entries]
        keyed.sort(key=itemgetter(0))
        made = _Kept(records, each, keyed, _grouped(keyed))
    made.memo = catalog.memo
    common.ROWS.swap(("changelog.index",), made)
    return made.index


def _patched(
    kept: _Kept,
    edited: set[tuple[str, str]],
    offerings: dict[tuple[str, str], Offering],
    records: dict[tuple[str, str], object],
) -> _Kept:
    each = kept.each
    fresh = {key: _keyed(offerings[key]) for key in edited if key in offerings}
    if all(fresh.get(key, []) == each.get(key, []) for key in edited):  # the same changes: the same index
        return _Kept(records, each, kept.keyed, kept.index)
    for key in edited:
        each.pop(key, None)
    each.update(fresh)
    keyed = [entry for entry in kept.keyed if entry[1] not in edited]
    keyed += [entry for entries in fresh.values() for entry in entries]
    keyed.sort(key=itemgetter(0))
    return _Kept(records, each, keyed, _grouped(keyed))


def _grouped(keyed: list[Entry]) -> Index:
    """The entries (sorted) by month; a month is read from the date at the head of the sort key."""
    months: dict[str, list[Entry]] = {}
    month_of: dict[str, list[Entry]] = {}  # the head of a sort key (a day) -> its month's list
    for entry in keyed:
        day = entry[0][: history.DAY_KEY]
        found = month_of.get(day)
        if found is None:
            month = history.day_of_key(day).isoformat()[:7]
            found = month_of[day] = months.setdefault(month, [])
        found.append(entry)
    return Index(months)


def _keyed(offering: Offering, keep: bool = True) -> list[Entry]:
    """The offering's changes as entries, oldest first, from its :func:`history.timeline`
    (kept on the offering when ``keep``; the development server also keeps the entries
    per offering in its last index, see :func:`_index`)."""
    key = offering.key
    return [
        (history.newest_first_key(change), key, place)
        for place, change in enumerate(history.timeline(offering, keep)[1])
    ]


def read(part: str) -> None:
    """Note that the page being rendered shows ``part`` of the index (see the module's docstring)."""
    deps.note(("changelog", part))


_FIRST = itemgetter(0)


def fingerprint(catalog: Catalog, part: str) -> str:
    """A digest of ``part`` of the index: a month's changes, the months around it, every month
    with its size (``counts``) or the newest changes (``newest``)."""
    found = index(catalog)
    known = found.fingerprints.get(part)
    if known is None:
        known = found.fingerprints[part] = _fingerprint(found, part)
    return known


def _fingerprint(found: Index, part: str) -> str:
    if part.startswith("around "):  # the months either side of a month, which its pages link to
        months = list(found.months)
        month = part.removeprefix("around ")
        place = months.index(month) if month in months else -1
        lines = months[max(0, place - 1) : place + 2] if place >= 0 else []
    elif part == "counts":
        lines = [f"{month} {len(entries)}" for month, entries in found.months.items()]
    elif part == "newest":
        lines = list(map(_FIRST, found.newest()))
    else:
        lines = list(map(_FIRST, found.months.get(part, ())))
    return hashlib.blake2b("\n".join(lines).encode(), digest_size=16).hexdigest()
