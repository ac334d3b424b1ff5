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
from dataclasses import dataclass
from itertools import islice
from operator import itemgetter

from . import deps, history, paging
from .catalog import Catalog, Offering
from .schema import Site

# a change: its history.newest_first_key, its offering and its place in history.changes(offering)
Entry = tuple[str, Offering, int]


@dataclass(frozen=True)
class Index:
    months: dict[str, list[Entry]]  # "2026-05" -> its changes newest first; the newest month first

    @property
    def total(self) -> int:
        return sum(map(len, self.months.values()))

    def newest(self) -> list[Entry]:
        every = (entry for entries in self.months.values() for entry in entries)
        return list(islice(every, paging.CHANGELOG_FRONT_ROWS))

    def pages(self, month: str) -> int:
        return paging.count(len(self.months.get(month, ())), paging.CHANGES_PER_PAGE)

    def page(self, month: str, number: int) -> list[Entry]:
        start = (number - 1) * paging.CHANGES_PER_PAGE
        return self.months.get(month, [])[start : start + paging.CHANGES_PER_PAGE]


def index(catalog: Catalog) -> Index:
    """The catalog's changes by month, made once per catalog and never recorded as read."""
    found: Index | None = catalog.memo.get("changelog.index")
    if found is None:
        with deps.unrecorded():
            found = catalog.memo["changelog.index"] = _index(catalog)
    return found


# a change while indexing: its sort key, its month, its offering's key and its place in the offering's changes
Keyed = tuple[str, str, tuple[str, str], int]


def _index(catalog: Catalog) -> Index:
    """The index; the development server patches the last build's with the offerings edited since."""
    from .views import common  # the views import the routes, which import this module

    offerings: dict[tuple[str, str], Offering] = dict(dict.items(catalog.offerings))
    records = {key: offering._record for key, offering in offerings.items()}
    kept: tuple[dict[tuple[str, str], object], list[Keyed]] | None = None
    if common.ROWS is not None:
        kept = common.ROWS.swap(("changelog.index",), None)
    keyed: list[Keyed] | None = None
    if kept is not None:
        before, previous = kept
        edited = {key for key, record in records.items() if before.get(key) is not record}
        edited |= before.keys() - records.keys()
        if len(edited) <= len(records) // 10:
            keyed = [entry for entry in previous if entry[2] not in edited]
            keyed += _keyed([offerings[key] for key in edited if key in offerings], catalog.site)
    if keyed is None:
        keyed = _keyed(list(offerings.values()), catalog.site)
    keyed.sort(key=itemgetter(0))
    if common.ROWS is not None:
        common.ROWS.swap(("changelog.index",), (records, keyed))
    months: dict[str, list[Entry]] = {}
    for key, month, offering_key, place in keyed:
        found = months.get(month)
        if found is None:
            found = months[month] = []
        found.append((key, offerings[offering_key], place))
    return Index(months)


def _keyed(offerings: list[Offering], site: Site) -> list[Keyed]:
    return [
        (key, month, offering.key, place)
        for offering in offerings
        for place, (key, month) in enumerate(_changes_of(offering, site))
    ]


def _changes_of(offering: Offering, site: Site) -> tuple[tuple[str, str], ...]:
    """The sort key and month of each of the offering's changes, oldest first.

    Made from :func:`history.timeline`, which a one-off build thus makes for
    every offering before the workers fork; the development server keeps
    these per offering while its records are the same, so a rebuild makes the
    index from them without making any offering's timeline again.
    """
    from .views.common import per_offering  # the views import the routes, which import this module

    def compute() -> tuple[tuple[str, str], ...]:
        return tuple(
            (history.newest_first_key(change), change.date.isoformat()[:7])
            for change in history.timeline(offering)[1]
        )

    return per_offering("changelog.keys", offering, site, compute)


def read(part: str) -> None:
    """Note that the page being rendered shows ``part`` of the index (see the module's docstring)."""
    deps.note(("changelog", part))


def fingerprint(catalog: Catalog, part: str) -> str:
    """A digest of ``part`` of the index: a month's changes, the months around it, every month
    with its size (``counts``) or the newest changes (``newest``)."""
    found = index(catalog)
    if part.startswith("around "):  # the months either side of a month, which its pages link to
        months = list(found.months)
        month = part.removeprefix("around ")
        place = months.index(month) if month in months else -1
        lines = months[max(0, place - 1) : place + 2] if place >= 0 else []
    elif part == "counts":
        lines = [f"{month} {len(entries)}" for month, entries in found.months.items()]
    elif part == "newest":
        lines = [entry[0] for entry in found.newest()]
    else:
        lines = [entry[0] for entry in found.months.get(part, ())]
    return hashlib.blake2b("\n".join(lines).encode(), digest_size=16).hexdigest()
