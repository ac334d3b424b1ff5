"""Stage 6, write: the single writer, and the atomic swap that publishes a build.

Every output byte goes through :class:`SiteWriter`. It writes into a staging
folder next to the output folder (same file system, so renames are atomic) and
refuses any path that would leave it. Only when the whole build has succeeded
does :meth:`SiteWriter.publish` swap the staging folder into place:

* on Linux with ``renameat2(RENAME_EXCHANGE)`` the old and new sites trade
  places in one atomic step, so at every instant the output folder is a complete
  site, and a build killed at any moment leaves the previous site intact;
* elsewhere, two renames with a window of a few microseconds.

A failed or killed build leaves only a staging folder behind, which the next
build removes before it starts.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from .errors import BuildError

RENAME_EXCHANGE = 2
AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths; False when the platform cannot."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    result = renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE)
    return bool(result == 0)


def leftovers(out_dir: Path) -> list[Path]:
    """Staging and retired folders a killed build may have left beside ``out_dir``."""
    parent = out_dir.parent
    if not parent.is_dir():
        return []
    prefixes = (f".{out_dir.name}.staging-", f".{out_dir.name}.old-")
    return sorted(p for p in parent.iterdir() if p.name.startswith(prefixes))


class SiteWriter:
    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir.absolute()
        for stale in leftovers(self.out_dir):
            shutil.rmtree(stale, ignore_errors=True)
        self.out_dir.parent.mkdir(parents=True, exist_ok=True)
        self.staging = self.out_dir.parent / f".{self.out_dir.name}.staging-{os.getpid()}"
        self.staging.mkdir()
        self._made: set[Path] = {self.staging}
        self.files = 0
        self.bytes = 0
        self._written: list[str] = []

    def _target(self, relative: str) -> Path:
        pure = PurePosixPath(relative)
        if pure.is_absolute() or ".." in pure.parts or not pure.parts or "\\" in relative:
            raise BuildError(f"refusing to write outside the output folder: {relative!r}")
        return self.staging.joinpath(*pure.parts)

    def write(self, relative: str, data: bytes) -> None:
        target = self._target(relative)
        parent = target.parent
        if parent not in self._made:
            parent.mkdir(parents=True, exist_ok=True)
            self._made.add(parent)
        with open(target, "xb") as handle:  # "x": two writes to one path are a bug
            handle.write(data)
        self.files += 1
        self.bytes += len(data)
        self._written.append(relative)

    def paths(self) -> list[str]:
        """The relative paths written so far, in writing order."""
        return list(self._written)

    def written_files(self) -> Iterator[tuple[str, bytes]]:
        """Every file written so far, in writing order (files written while iterating are not included)."""
        for relative in list(self._written):
            yield relative, self._target(relative).read_bytes()

    def copy_tree(self, source: Path, relative: str) -> None:
        """Copy a folder of static files, in sorted order, through the writer."""
        if not source.is_dir():
            return
        for path in sorted(source.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                self.write(f"{relative}/{path.relative_to(source).as_posix()}", path.read_bytes())

    def publish(self) -> None:
        """Swap the finished staging folder into place of the output folder."""
        if self.out_dir.exists() and not self.out_dir.is_dir():
            raise BuildError(f"{self.out_dir} exists and is not a folder")
        if self.out_dir.exists():
            if _exchange(self.staging, self.out_dir):
                shutil.rmtree(self.staging)
                return
            retired = self.out_dir.parent / f".{self.out_dir.name}.old-{os.getpid()}"
            os.rename(self.out_dir, retired)
            os.rename(self.staging, self.out_dir)
            shutil.rmtree(retired)
        else:
            os.rename(self.staging, self.out_dir)

    def abandon(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)
