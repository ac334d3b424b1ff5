"""What each page read: the dependency record behind incremental builds.

While a page renders, every catalog object it touches notes a *dependency key*
here (catalog objects do this themselves when their ``record`` is read, see
:mod:`generator.catalog`); the build stores the keys with the page. On the next
build a page is rendered again only when one of its keys has a different
*fingerprint* (see :func:`generator.incremental.fingerprints`). Keys are tuples:

``("file", display)``
    a content file (its bytes); noted when a record or a value derived from
    it is read;
``("members", kind, slug)``
    which records make up a list and in which order: ``("members",
    "model", m)`` for the offerings of model ``m``, ``"provider"`` for a
    provider's offerings, ``"creator"`` for a creator's models;
``("all", kind)``
    the set of every record of a kind (a page that lists or counts them all);
``("changelog", part)``
    a part of the changelog's index: the changes of one month, the newest
    changes, the months (see :mod:`generator.changelog`);
``("listing", part)``
    a part of the catalog table: the filters' choices, or which offerings
    (in order) are on a page of it (see :mod:`generator.views.listings`);
    or what a selection chose from every record (the deprecated offerings,
    those where sources disagree, the count from each dataset: see
    :func:`generator.catalog.selection`);
``("site",)``, ``("build_date",)``, ``("template", name)``
    the configuration, the date in every footer, a template and what it
    includes, imports or extends.

A value computed once and shared by several pages (:func:`shared`) replays the
keys it noted to every page that uses it, so sharing never hides a dependency.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

Key = tuple[str, ...]
T = TypeVar("T")

_active: set[Key] | None = None


def note(key: Key) -> None:
    """Record that the page being rendered read ``key`` (no-op outside a page)."""
    if _active is not None:
        _active.add(key)


@contextmanager
def recording() -> Iterator[set[Key]]:
    """Collect the keys noted inside the block (blocks nest; the outer one sees them too)."""
    global _active
    outer = _active
    keys: set[Key] = set()
    _active = keys
    try:
        yield keys
    finally:
        _active = outer
        if outer is not None:
            outer |= keys


@contextmanager
def unrecorded() -> Iterator[None]:
    """Note nothing inside the block: for a value whose readers note what they use of it instead."""
    global _active
    outer = _active
    _active = None
    try:
        yield
    finally:
        _active = outer


def unshared(memo: dict[Any, Any], key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()`` once per ``memo``, noting nothing: for a value made from much of the catalog
    whose readers note the part of it they use instead (the changelog's index, the catalog table)."""
    if key not in memo:
        with unrecorded():
            memo[key] = compute()
    found: T = memo[key]
    return found


def shared(memo: dict[Any, Any], key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()`` once per ``memo``; every caller still records what it read."""
    hit = memo.get(key)
    if hit is None:
        with recording() as keys:
            value = compute()
        memo[key] = hit = (value, frozenset(keys))
    elif _active is not None:
        _active.update(hit[1])
    result: T = hit[0]
    return result


class Memo:
    """Values kept across the builds of a long-running process, each with the keys it read.

    Keys are made of the identities of the objects a value was computed from
    (records that the loader reuses while their files are unchanged); ``keep``
    holds those objects so that an identity is never reused while its value is
    cached. Values unused for a whole build are dropped by :meth:`advance`.
    """

    def __init__(self) -> None:
        self.current: dict[Hashable, tuple[Any, frozenset[Key], Any]] = {}
        self.previous: dict[Hashable, tuple[Any, frozenset[Key], Any]] = {}

    def advance(self) -> None:
        self.previous, self.current = self.current, {}

    def get(self, key: Hashable, compute: Callable[[], T], keep: Any = None) -> T:
        hit = self.current.get(key)
        if hit is None:
            hit = self.previous.pop(key, None)
            if hit is None:
                with recording() as keys:
                    value = compute()
                hit = (value, frozenset(keys), keep)
            self.current[key] = hit
        if _active is not None:
            _active.update(hit[1])
        result: T = hit[0]
        return result

    def swap(self, key: Hashable, value: Any) -> Any:
        """Keep ``value`` under ``key`` (read by no page); return what was kept there before, or None."""
        old = self.current.get(key) or self.previous.pop(key, None)
        self.current[key] = (value, frozenset(), None)
        return old[0] if old else None


class RecordedDict(dict[Any, T]):
    """A dict of every record of one kind; listing or counting it notes ``("all", kind)``."""

    def __init__(self, kind: str, items: dict[Any, T]) -> None:
        super().__init__(items)
        self.kind = kind

    def _note(self) -> None:
        note(("all", self.kind))

    def values(self) -> Any:
        self._note()
        return super().values()

    def items(self) -> Any:
        self._note()
        return super().items()

    def keys(self) -> Any:
        self._note()
        return super().keys()

    def __iter__(self) -> Iterator[Any]:
        self._note()
        return super().__iter__()

    def __len__(self) -> int:
        self._note()
        return super().__len__()
