"""Wait for changes to the site's inputs: inotify on Linux, polling elsewhere.

:class:`Watcher` reports a *burst* of changes once: after the first change it
keeps collecting until the files have been quiet for :data:`QUIET` seconds (an
editor that writes a temporary file, renames it and touches the folder, or a
``git checkout`` of many files, gives one rebuild, not ten).

After a burst, :attr:`Watcher.changed` names the paths it touched, so that the
development server reads (and stats) only those content files. It is None when
the watcher cannot vouch for the list: the kernel's event queue overflowed, a
folder appeared or was moved in (files written into it before its watch was
added raise no event), or changes are found by polling.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import select
import struct
import time
from collections.abc import Iterable
from pathlib import Path

QUIET = 0.04  # seconds without events that end a burst
LONGEST = 1.0  # a burst is reported after this long even if events keep coming
POLL = 0.3  # seconds between scans when inotify is not available

IN_MODIFY, IN_ATTRIB, IN_CLOSE_WRITE = 0x2, 0x4, 0x8
IN_MOVED_FROM, IN_MOVED_TO, IN_CREATE, IN_DELETE = 0x40, 0x80, 0x100, 0x200
IN_DELETE_SELF, IN_MOVE_SELF, IN_ISDIR, IN_Q_OVERFLOW = 0x400, 0x800, 0x40000000, 0x4000
MASK = (
    IN_MODIFY
    | IN_ATTRIB
    | IN_CLOSE_WRITE
    | IN_MOVED_FROM
    | IN_MOVED_TO
    | IN_CREATE
    | IN_DELETE
    | IN_DELETE_SELF
)
_EVENT = struct.Struct("iIII")


class Watcher:
    """Watch folders (recursively) and single files for changes."""

    def __init__(self, folders: Iterable[Path], files: Iterable[Path] = ()) -> None:
        self.folders = [f.absolute() for f in folders]
        self.files = {f.absolute() for f in files}
        self._fd = -1
        self._watches: dict[int, Path] = {}
        self.changed: set[Path] | None = None  # paths the last burst touched; None: not known
        self._early = False  # pending() read changes that the next wait() or drain() reports
        self._scanned = 0.0  # (without inotify) when pending() last scanned the files
        try:
            self._libc = ctypes.CDLL(None, use_errno=True)  # the C library this process already uses
            self._fd = self._libc.inotify_init1(os.O_CLOEXEC | os.O_NONBLOCK)
        except (OSError, AttributeError):
            self._fd = -1
        if self._fd >= 0:
            for folder in self.folders:
                self._add_tree(folder)
            for file in self.files:
                self._add(file.parent)
        else:
            self._snapshot = self._scan()

    @property
    def uses_inotify(self) -> bool:
        return self._fd >= 0

    def _add(self, folder: Path) -> None:
        wd = self._libc.inotify_add_watch(self._fd, os.fsencode(folder), MASK)
        if wd >= 0:
            self._watches[wd] = folder

    def _add_tree(self, folder: Path) -> None:
        if not folder.is_dir():
            return
        self._add(folder)
        for root, dirs, _ in os.walk(folder):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            for name in dirs:
                self._add(Path(root) / name)

    def _relevant(self, data: bytes) -> bool:
        """Parse inotify events; watch new folders; True if any event concerns a watched input."""
        relevant = False
        offset = 0
        while offset + _EVENT.size <= len(data):
            wd, mask, _, length = _EVENT.unpack_from(data, offset)
            name = (
                data[offset + _EVENT.size : offset + _EVENT.size + length]
                .rstrip(b"\0")
                .decode(errors="replace")
            )
            offset += _EVENT.size + length
            if mask & IN_Q_OVERFLOW:
                relevant = True
                self.changed = None
                continue
            folder = self._watches.get(wd)
            if folder is None:
                continue
            path = folder / name if name else folder
            if mask & IN_ISDIR and mask & (IN_CREATE | IN_MOVED_TO):
                self._add_tree(path)
            if path in self.files or any(path == f or f in path.parents for f in self.folders):
                relevant = True
                if mask & (IN_ISDIR | IN_DELETE_SELF | IN_MOVE_SELF):
                    self.changed = None  # whole folders: what is in them is not listed
                elif self.changed is not None:
                    self.changed.add(path)
        return relevant

    def wait(self, timeout: float | None = None) -> bool:
        """Block until a burst of changes has ended; False if ``timeout`` passed without any."""
        if self._fd < 0:
            return self._poll(timeout)
        changed, self._early = self._early, False
        if not changed:
            ready, _, _ = select.select([self._fd], [], [], timeout)
            if not ready:
                return False
            self.changed = set()
        started = time.monotonic()
        while True:
            with contextlib.suppress(BlockingIOError):
                changed |= self._relevant(os.read(self._fd, 65536))
            remaining = LONGEST - (time.monotonic() - started)
            if remaining <= 0:
                break
            ready, _, _ = select.select([self._fd], [], [], min(QUIET, remaining))
            if not ready:
                break
        return changed or self.wait(timeout)

    def drain(self) -> set[Path] | None:
        """The paths changed since the last call, from the events already queued, without waiting
        for a burst to end; None when the watcher cannot vouch for them (no inotify, an overflow, a
        folder moved). The build server calls this as a build starts: the kernel queues a save's
        events before the save returns, so every change made before the build was asked for is in."""
        if self._fd < 0:
            return None
        if not self._early:
            self.changed = set()
        self._early = False
        self._read_queued()
        return self.changed

    def pending(self) -> bool:
        """Whether a change came since the last :meth:`wait`, without waiting for a burst to end;
        the next :meth:`wait` (or :meth:`drain`) reports it. Without inotify, the files are scanned
        at most every :data:`POLL` seconds."""
        if self._fd < 0:
            if time.monotonic() - self._scanned >= POLL:
                self._scanned = time.monotonic()
                self._early = self._scan() != self._snapshot
            return self._early
        if not self._early:
            self.changed = set()
        self._early = self._read_queued() or self._early
        return self._early

    def _read_queued(self) -> bool:
        """Take the events already queued; True if any concerns a watched input."""
        relevant = False
        while True:
            try:
                data = os.read(self._fd, 65536)
            except BlockingIOError:
                return relevant
            relevant |= self._relevant(data)

    def _scan(self) -> dict[str, tuple[int, int]]:
        seen: dict[str, tuple[int, int]] = {}
        for folder in self.folders:
            for root, dirs, names in os.walk(folder):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                for name in names:
                    try:
                        st = os.stat(os.path.join(root, name))
                    except OSError:
                        continue
                    seen[os.path.join(root, name)] = (st.st_mtime_ns, st.st_size)
        for file in self.files:
            try:
                st = os.stat(file)
                seen[str(file)] = (st.st_mtime_ns, st.st_size)
            except OSError:
                pass
        return seen

    def _poll(self, timeout: float | None) -> bool:
        deadline = None if timeout is None else time.monotonic() + timeout
        while deadline is None or time.monotonic() < deadline:
            time.sleep(POLL)
            now = self._scan()
            self.changed = None
            if now != self._snapshot:
                time.sleep(QUIET)
                self._snapshot = self._scan()
                self._early = False  # (what pending() saw is reported now)
                return True
        return False

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1
