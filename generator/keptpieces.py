"""The offerings' pieces of the extras that a one-off build keeps for the next one.

A file made from the whole catalog (``catalog.json``, the CSV, the manifest,
the client's catalog) is a join of a piece per offering
(:class:`generator.fragments.Parts`). The development server keeps the pieces
in memory; a new process would make every one of them again after an edit of
one file: at 10,000 offerings that is most of what a rebuild's extras cost.

So each extra of a one-off build saves the pieces of offerings it made that are
worth keeping (:data:`KEPT_PIECES`), with the dependency keys
(:mod:`generator.deps`) each read while it was made, in
``.modeldir-cache/pieces-<key>/<extra>.pickle`` beside the build state. The
next one-off build takes a saved piece instead of making it when none of its
keys changed since the last build (:func:`generator.incremental.stale_pages`)
and the state knows every one of them (a key it does not know cannot be
compared, so the piece is made). Whatever was read, a piece's keys include the
files of its offering, model, creator and provider, the configuration and the
build date (:func:`generator.keptfiles.record_keys`). A saved piece that is
taken notes its keys again, so a file made from it records them as if the
piece had been made.

Saved pieces belong to the build state they were made with: each file names
the build that wrote it, and the state names its build, so pieces written by a
build that failed before saving its state are never taken.
"""

from __future__ import annotations

import contextlib
import os
import pickle
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, TypeVar

from . import deps
from .catalog import Offering
from .deps import Key
from .keptfiles import ALWAYS, record_keys

T = TypeVar("T")

# The pieces kept: those of the files made from every offering (the API's catalog and CSV, the
# client's catalog, the manifest). An offering's sitemap line and feed entries cost less to make
# than to save and read back; a feed is kept whole when its offerings are unchanged
# (generator.keptfiles), and the site's takes its newest changes from the changelog's index.
KEPT_PIECES = frozenset({"api.summary", "api.csv", "client.row", "manifest"})
Saved = dict[tuple[str, Hashable], tuple[tuple[Key, ...], Any]]  # (piece, offering key) -> (keys, value)


def pieces_folder(state_file: Path) -> Path:
    """Where the pieces of the builds saving their state in ``state_file`` are kept."""
    return state_file.with_name(state_file.name.removesuffix(".pickle").replace("state-", "pieces-", 1))


class KeptPieces:
    """For one one-off build: the pieces the last build saved, and those this build makes."""

    def __init__(
        self,
        folder: Path,
        build: str,
        last: str | None,
        known: dict[Key, Any],
        changed: dict[Key, Any],
    ) -> None:
        """``build``: this build's name; ``last``: the last build's, whose pieces may be taken
        (None: none); ``known``: the keys the last build's state has fingerprints of;
        ``changed``: those whose fingerprint changed since."""
        self.folder = folder
        self.build = build
        self.last = last
        self.known = known
        self.changed = changed
        self.extra: str | None = None
        self.taken = 0  # pieces taken from the last build, for tests and benchmarks
        self._saved: Saved = {}
        self._made: Saved = {}
        self._usable: dict[tuple[Key, ...], bool] = {}
        self._keys: dict[frozenset[Key], tuple[Key, ...]] = {}  # one tuple per distinct set of keys

    def open(self, extra: str) -> None:
        """Start the pieces of ``extra``: read what the last build saved of them."""
        self.extra, self._saved, self._made = extra, {}, {}
        if self.last is None:
            return
        try:
            with open(self.folder / f"{extra}.pickle", "rb") as handle:
                if pickle.load(handle) != self.last:  # (the build's name comes first, alone)
                    return
                saved = pickle.load(handle)
        except Exception:  # missing, damaged or written by other code: every piece is made
            return
        if isinstance(saved, dict):
            self._saved = saved

    def get(self, name: str, offering: object, make: Callable[[], T]) -> T:
        """The piece ``name`` of ``offering``: the last build's when it may be taken, else ``make()``."""
        assert isinstance(offering, Offering)  # (only offerings' parts are given this store)
        place = (name, offering.key)
        saved = self._saved.get(place)
        value: T
        if saved is not None and self._may_take(saved[0]):
            keys, value = saved[0], saved[1]
            self.taken += 1
            for key in keys:  # (what made it read, for whatever is made from it)
                deps.note(key)
        else:
            with deps.recording() as read:
                value = make()
            found = frozenset(read.union(record_keys(offering), ALWAYS))
            keys = self._keys.get(found) or self._keys.setdefault(found, tuple(found))
        self._made[place] = (keys, value)
        return value

    def _may_take(self, keys: tuple[Key, ...]) -> bool:
        usable = self._usable.get(keys)
        if usable is None:
            known = self.known
            usable = self._usable[keys] = all(
                map(known.__contains__, keys)
            ) and self.changed.keys().isdisjoint(keys)
        return usable

    def close(self) -> None:
        """Save the pieces this extra made or took, for the next build (nothing, if it cannot)."""
        extra, made = self.extra, self._made
        self.extra, self._saved, self._made = None, {}, {}
        if extra is None:
            return
        path = self.folder / f"{extra}.pickle"
        if not made:  # (an extra that keeps no piece any more leaves no file behind)
            with contextlib.suppress(OSError):
                path.unlink()
            return
        temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with open(temporary, "wb") as handle:
                pickle.dump(self.build, handle, protocol=pickle.HIGHEST_PROTOCOL)
                pickle.dump(made, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, path)
        except OSError:
            with contextlib.suppress(OSError):
                temporary.unlink()
