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

Incremental builds keep the same guarantee. Given the digests of the files of
the published site (``previous``, from the build state), the writer starts the
staging folder as a tree of *hard links* to the published files: no bytes are
copied, and the live site is never written to. Then

* a file written with the same bytes as before stays a link (nothing written);
* a file written with new bytes replaces its link in the staging folder
  (unlink, then create: the published inode is never modified);
* a page that did not need rendering is :meth:`kept <SiteWriter.keep>`;
* the pages of removed records are removed from the staging folder before the
  extras run (:meth:`SiteWriter.drop`), so an extra that reads every page, like
  the search index, sees exactly the pages of a clean build;
* at publish, every other linked file that this build neither wrote nor kept
  (a deleted static file, an extra's output it no longer makes) is removed,
  with the folders it leaves empty.

So the staging folder ends up exactly what a clean build would write, and is
swapped in exactly like one. The old tree is removed after the swap; files it
shares with the new one live on through their other link.

Rendering runs in worker processes (:mod:`generator.workers`); each writes
through its inherited copy of the writer into the same staging folder, and the
parent :meth:`adopts <SiteWriter.adopt>` what they wrote, so the parent's writer
knows every file of the new site. Routes are unique, so no two workers ever
write one path.

A caller may ask a build to stop (:attr:`SiteWriter.stop`): the long steps that
follow the pages (copying them for the search indexer, running it) ask it as
they go, and raise :class:`generator.errors.BuildStopped`. The staging folder of
a stopped build can become the spare (:meth:`SiteWriter.abandon`): it holds the
published site but for the files the build wrote, which the writer knows.
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import os
import re
import shutil
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from itertools import compress, filterfalse
from operator import and_, itemgetter, ne, not_, or_
from pathlib import Path, PurePosixPath

from .errors import BuildError, BuildStopped

RENAME_EXCHANGE = 2
WRITE_BATCH = 256  # files of write_files handled at a time
STOP_EVERY = 32  # files sorted_copies copies between two calls of SiteWriter.stop
# or fewer files, once they hold this many bytes (the feed of a large provider is megabytes)
WRITE_BATCH_BYTES = 8 << 20
AT_FDCWD = -100
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
# A normalised relative path: no empty, "." or ".." part (a part never starts with a dot), no backslash.
_PLAIN = re.compile(r"[\w~+-][\w.~+-]*(?:/[\w~+-][\w.~+-]*)*", re.ASCII)


def file_digest(data: bytes) -> str:
    """The fingerprint of an output file's bytes, as the build state keeps it.

    128 bits of SHA-256: OpenSSL computes it with the processor's SHA
    instructions, twice as fast as BLAKE2b (:func:`generator.load.digest`)
    on the machines the site is built on, and a build hashes every byte it
    writes (200 MB for 10,000 offerings).
    """
    return hashlib.sha256(data).hexdigest()[:32]


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths; False when the platform cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)  # the C library this process already uses
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    result = renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE)
    return bool(result == 0)


def leftovers(out_dir: Path) -> list[Path]:
    """Staging, retired and scratch folders a killed build may have left beside ``out_dir``."""
    parent = out_dir.parent
    if not parent.is_dir():
        return []
    kinds = ("staging-", "old-", "spare", "sorted-", "scratch-", "cut-")
    prefixes = tuple(f".{out_dir.name}.{kind}" for kind in kinds)
    return sorted(p for p in parent.iterdir() if p.name.startswith(prefixes))


@dataclass
class Spare:
    """The site before the last one, kept beside it to start the next staging folder.

    ``files`` are the digests of its files (empty when ``differ`` is known).
    Instead of linking the whole published tree again, the next build renames
    the spare into place and re-links only the files that differ between it and
    the published site. The development server keeps it in memory; a one-off
    build finds it through the build state (``BuildState.spare``: the folder's
    :func:`folder_identity` and the differing files).
    """

    path: Path
    files: dict[str, str]
    # the files that differ between it and the site published after it, when known (the build that
    # retired it wrote or removed them); None: compare every file
    differ: set[str] | None = None


class SiteWriter:
    def __init__(
        self,
        out_dir: Path,
        previous: dict[str, str] | None = None,
        spare: Spare | None = None,
        keep_spare: bool = False,
    ) -> None:
        self.out_dir = out_dir.absolute()
        self.spare_path = spare_path(self.out_dir)
        self.keep_spare = keep_spare
        reuse = spare is not None and previous is not None and spare.path == self.spare_path
        for stale in leftovers(self.out_dir):
            if not (reuse and stale == self.spare_path) and not _own_scratch(stale):
                shutil.rmtree(stale, ignore_errors=True)
        self.out_dir.parent.mkdir(parents=True, exist_ok=True)
        self.staging = self.out_dir.parent / f".{self.out_dir.name}.staging-{os.getpid()}"
        self._made: set[str] = set()  # folders known to exist in the staging folder
        self.previous: dict[str, str] = {}
        self.linked: set[str] = set()
        if previous is not None and self.out_dir.is_dir():
            self.previous = previous
            if reuse and spare is not None and self.spare_path.is_dir():
                os.rename(self.spare_path, self.staging)
                self._made.add(str(self.staging))
                self._sync(spare)
                self.linked = set(previous)
            else:
                self.staging.mkdir()
                self._made.add(str(self.staging))
                self.linked = _link_tree(self.out_dir, self.staging, self._made)
        else:
            self.staging.mkdir()
            self._made.add(str(self.staging))
        self.produced: dict[str, str] = {}  # every file of the new site -> digest of its bytes
        self.order: list[str] = []  # the same files, in the order produced (see since())
        self.touched: set[str] = set()  # files of the staging folder written or removed by this build
        self.files = 0  # files whose bytes were written by this build
        self.bytes = 0
        self.removed = 0  # files of the previous site that this build no longer produces
        self.spare: Spare | None = None  # after publish: the retired site, when kept
        self.stop: Callable[[], bool] = _never  # whether the caller wants the build to stop now

    def stop_if_asked(self) -> None:
        """Raise :class:`BuildStopped` when the caller wants the build to stop."""
        if self.stop():
            raise BuildStopped("stopped by its caller")

    def _target(self, relative: str) -> Path:
        pure = PurePosixPath(relative)
        if pure.is_absolute() or ".." in pure.parts or not pure.parts or "\\" in relative:
            raise BuildError(f"refusing to write outside the output folder: {relative!r}")
        return self.staging.joinpath(*pure.parts)

    def _file(self, relative: str) -> str:
        """:meth:`_target` as a string; a plain relative path (the usual case) is checked by one regex."""
        if _PLAIN.fullmatch(relative):
            return f"{self.staging}/{relative}"
        return str(self._target(relative))

    def put(
        self, relative: str, data: bytes, fingerprint: str | None = None, source: Path | None = None
    ) -> tuple[str, bool]:
        """Write one file into the staging folder; return its digest and whether bytes were written.

        Workers call this; the parent then calls :meth:`adopt`. Everyone else calls :meth:`write`.
        ``fingerprint``, when the caller already knows it, must be ``file_digest(data)``. A file of the
        published site whose digest is unchanged is not touched (and its path was checked when it
        was first written). ``source``: a file that holds ``data`` and is never changed after (a
        tool's output in a scratch folder), hard-linked into place instead of written again.
        """
        if fingerprint is None:
            fingerprint = file_digest(data)
        linked = relative in self.linked
        if linked and self.previous.get(relative) == fingerprint:
            return fingerprint, False
        target = self._file(relative)
        if linked:
            os.unlink(target)  # never write through a link into the published tree
        parent = target.rpartition("/")[0]
        if parent not in self._made:
            os.makedirs(parent, exist_ok=True)
            self._made.add(parent)
        if source is not None:
            try:
                os.link(source, target)
                return fingerprint, True
            except FileExistsError:
                raise  # (as O_EXCL below: two writes to one path are a bug)
            except OSError:
                pass  # a file system without hard links: written
        handle = os.open(target, _CREATE, 0o666)  # O_EXCL: two writes to one path are a bug
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(handle, view) :]
        finally:
            os.close(handle)
        return fingerprint, True

    def paths(self) -> list[str]:
        """The relative paths of the new site so far, in the order they were produced."""
        return list(self.order)

    def since(self, count: int) -> list[str]:
        """The files produced after the first ``count``, in order (a slice: the development server
        takes each extra's files from among 35,000, which islice would walk from the start)."""
        return self.order[count:]

    def read(self, relative: str) -> bytes:
        """The bytes of a file of the new site."""
        if relative not in self.produced:
            raise BuildError(f"/{relative} is not a file of the new site")
        return self._target(relative).read_bytes()

    def adopt(self, relative: str, fingerprint: str, written: bool, size: int) -> None:
        """Register a file that :meth:`put` wrote (or kept), possibly in another process."""
        if relative in self.produced:
            raise BuildError(f"two outputs claim /{relative}")
        self.produced[relative] = fingerprint
        self.order.append(relative)
        if written:
            self.files += 1
            self.bytes += size
            self.touched.add(relative)

    def adopt_files(self, produced: list[tuple[str, str]], written: list[str], files: int, size: int) -> None:
        """Register the files another process made with its copy of this writer, in order:
        ``(path, fingerprint)``; which of them it wrote (the others kept their link to the
        published site), and how many files and bytes that is.

        Only the written ones differ from the published site: the next build's
        staging folder (this build's spare, see :class:`Spare`) re-links those alone.
        """
        self._adopt_all([path for path, _ in produced], [fingerprint for _, fingerprint in produced])
        self.touched.update(written)
        self.files += files
        self.bytes += size

    def write(
        self, relative: str, data: bytes, fingerprint: str | None = None, source: Path | None = None
    ) -> None:
        fingerprint, written = self.put(relative, data, fingerprint, source)
        self.adopt(relative, fingerprint, written, len(data))

    def write_files(self, files: Iterable[tuple[str, bytes, str]]) -> None:
        """:meth:`write` each ``(relative, data, fingerprint)``, with the fingerprints known.

        Which files differ from the published site is found by chains of
        ``map`` that run in C, so ten thousand unchanged files cost about a
        millisecond (the development server writes the extras after every edit).
        The files are taken a batch at a time (:data:`WRITE_BATCH` files, or
        fewer of :data:`WRITE_BATCH_BYTES` together): a one-off build makes each
        file as it is written, and never holds them all. Files already in memory (a list, or
        the values of a dict: the development server keeps them) go in one batch, without a
        step per file here.
        """
        if isinstance(files, Collection):  # all in memory already (the development server's): one batch
            self._write_batch(list(files))
            return
        batch: list[tuple[str, bytes, str]] = []
        size = 0
        for file in files:
            batch.append(file)
            size += len(file[1])
            if len(batch) == WRITE_BATCH or size >= WRITE_BATCH_BYTES:
                self._write_batch(batch)
                batch, size = [], 0
        if batch:
            self._write_batch(batch)

    def _write_batch(self, files: list[tuple[str, bytes, str]]) -> None:
        paths = list(map(itemgetter(0), files))
        self._adopt_all(paths, map(itemgetter(2), files))
        changed = map(ne, map(self.previous.get, paths), map(itemgetter(2), files))
        unlinked = map(not_, map(self.linked.__contains__, paths))
        for relative, data, fingerprint in compress(files, map(or_, changed, unlinked)):
            if self.put(relative, data, fingerprint)[1]:
                self.files += 1
                self.bytes += len(data)
                self.touched.add(relative)

    def keep(self, relative: str) -> None:
        """Keep a file of the published site unchanged (its inputs did not change)."""
        if relative not in self.linked:
            raise BuildError(f"cannot keep /{relative}: it is not in the published site")
        self.adopt(relative, self.previous[relative], False, 0)

    def keep_all(self, relatives: list[str]) -> None:
        """:meth:`keep` each of ``relatives``, in order, by chains of ``map`` that run in C."""
        missing = next(filterfalse(self.linked.__contains__, relatives), None)
        if missing is not None:
            self.keep(missing)  # raises
        self._adopt_all(relatives, map(self.previous.__getitem__, relatives))

    def _adopt_all(self, paths: list[str], fingerprints: Iterable[str]) -> None:
        """:meth:`adopt` files that wrote no bytes now (``write_files`` counts the ones it writes)."""
        before = len(self.produced)
        self.produced.update(zip(paths, fingerprints, strict=True))
        self.order += paths
        if len(self.produced) < before + len(paths):  # a path claimed before, or twice here
            earlier = set(self.order[:before])
            twice = next((p for p in paths if p in earlier), None)
            twice = twice or next(p for p, n in Counter(paths).items() if n > 1)
            raise BuildError(f"two outputs claim /{twice}")

    def keepable(self, relatives: list[str]) -> Iterator[bool]:
        """Whether each of ``relatives`` is a file of the published site, linked into the staging
        folder, that can be kept as it is (by chains of ``map`` that run in C)."""
        return map(and_, map(self.linked.__contains__, relatives), map(self.previous.__contains__, relatives))

    @contextlib.contextmanager
    def sorted_copies(
        self,
        suffix: str,
        edit: Callable[[bytes], bytes | None] | None = None,
        part_of: Callable[[str], str] | None = None,
        only: Callable[[str], bool] | None = None,
        premade: dict[str, str | None] | None = None,
    ) -> Iterator[Path]:
        """A folder beside the staging folder with every file of the new site whose name ends
        with ``suffix``, made in sorted order; removed on leaving.

        Each file is a hard link to the new site's, or with ``edit``, a new file of
        ``edit(its bytes)`` (still a link when that changes nothing, left out when it
        is None). A tool that lists a folder in the order its entries were made
        (tmpfs does; ext4 orders them by a hash of their names) then finds them in
        one order whatever order the workers wrote them in: Pagefind numbers the
        pages of its index in the order it finds them. With ``part_of``, a file is
        put in the subfolder ``part_of(its path in the site)`` instead, at the same
        path there. With ``only``, only the files whose path in the site it accepts are
        copied (the others are not even read).

        ``premade`` holds files already edited, by their path in the site: the path of
        a file that holds ``edit(its bytes)`` (moved into its place, not read), or None
        when ``edit`` leaves it out. Each one used is taken out of ``premade``.
        """
        with self.scratch("sorted") as folder:
            made = {str(folder)}
            staging = len(str(self.staging))
            chosen = sorted(r for r in self.produced if r.endswith(suffix))
            for count, relative in enumerate(chosen if only is None else filter(only, chosen)):
                if count % STOP_EVERY == 0:
                    self.stop_if_asked()
                source = self._file(relative)
                moved: str | None = None  # a premade file, moved into place
                edited: bytes | None = None  # (None: a link to the file as it is)
                if premade is not None and relative in premade:
                    moved = premade.pop(relative)
                    if moved is None:
                        continue  # left out
                elif edit is not None:
                    with open(source, "rb") as handle:
                        data = handle.read()
                    edited = edit(data)
                    if edited is None:
                        continue  # left out
                    if edited is data:
                        edited = None
                part = "" if part_of is None else f"/{part_of(relative)}"
                target = f"{folder}{part}{source[staging:]}"
                parent = target.rpartition("/")[0]
                if parent not in made:
                    os.makedirs(parent, exist_ok=True)
                    made.add(parent)
                if moved is not None:
                    os.rename(moved, target)  # (both are beside the staging folder: one file system)
                elif edited is not None:
                    with open(target, "xb") as handle:
                        handle.write(edited)
                else:
                    try:
                        os.link(source, target)
                    except OSError:  # a file system without hard links
                        shutil.copyfile(source, target)
            yield folder

    @contextlib.contextmanager
    def scratch(self, kind: str = "scratch") -> Iterator[Path]:
        """An empty folder beside the staging folder (``.<out>.<kind>-<pid>``), for a tool's
        input or output; removed on leaving.

        Beside the output rather than in the system's temporary folder: it is on
        the same file system, and when a build is killed the next one removes it
        with the other folders it left (:func:`leftovers`).
        """
        folder = self.out_dir.parent / f".{self.out_dir.name}.{kind}-{os.getpid()}"
        shutil.rmtree(folder, ignore_errors=True)
        stopped = False
        try:
            folder.mkdir()
            yield folder
        except BuildStopped:
            # left for this process's next scratch folder of its kind to remove (see _own_scratch):
            # the copies of every page take a good part of a second to remove at 10,000 offerings,
            # which the build its caller stopped for would wait
            stopped = True
            raise
        finally:
            if not stopped:
                shutil.rmtree(folder, ignore_errors=True)

    def copy_tree(self, source: Path, relative: str, only: Callable[[str], bool] | None = None) -> None:
        """Copy a tool's output folder, in sorted order, through the writer (with ``only``, the
        files whose path in ``source`` it accepts). Its files are hard-linked into place, not
        written again (see :meth:`put`): nothing may change them after."""
        if not source.is_dir():
            return
        for path in sorted(source.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                inside = path.relative_to(source).as_posix()
                if only is None or only(inside):
                    self.write(f"{relative}/{inside}", path.read_bytes(), source=path)

    def _sync(self, spare: Spare) -> None:
        """Make the staging folder (the former spare) hold the published site, by re-linking the differences."""
        folders: set[Path] = set()
        differ = (
            spare.differ  # (what the build that retired the spare wrote or removed)
            if spare.differ is not None
            else {relative for relative, _ in spare.files.items() ^ self.previous.items()}  # compared in C
        )
        for relative in differ:
            now = self.previous.get(relative)
            target = self._target(relative)
            target.unlink(missing_ok=True)
            if now is None:
                folders.update(self._parents(target))
                continue
            if str(target.parent) not in self._made:
                target.parent.mkdir(parents=True, exist_ok=True)
                self._made.add(str(target.parent))
            os.link(self.out_dir / relative, target)
        self._remove_empty(folders)

    def _parents(self, target: Path) -> list[Path]:
        return [p for p in target.parents if p != self.staging and self.staging in p.parents]

    def _remove_empty(self, folders: set[Path]) -> None:
        for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
            with contextlib.suppress(OSError):  # not empty: it still holds files of the new site
                folder.rmdir()

    def drop(self, relatives: set[str]) -> None:
        """Remove files of the previous site now, before the extras run (the pages of removed records).

        An extra that reads the staging folder (the search index reads every
        page) must not see pages that no longer exist. Files the previous build's
        extras wrote stay until :meth:`publish`: the extras write them again, and
        unchanged bytes keep their link.
        """
        self.removed += self._prune(relatives & self.linked - self.produced.keys())

    def _prune(self, stale: set[str] | None = None) -> int:
        """Remove linked files that this build did not produce, and the folders they leave empty."""
        if stale is None:
            stale = self.linked - self.produced.keys()
        self.linked -= stale
        self.touched |= stale
        folders: set[Path] = set()
        for relative in stale:
            target = self._target(relative)
            target.unlink()
            folders.update(self._parents(target))
        self._remove_empty(folders)
        return len(stale)

    def publish(self) -> None:
        """Swap the finished staging folder into place of the output folder."""
        self.removed += self._prune()
        if self.out_dir.exists() and not self.out_dir.is_dir():
            raise BuildError(f"{self.out_dir} exists and is not a folder")
        if self.out_dir.exists():
            if _exchange(self.staging, self.out_dir):
                if self.keep_spare and self.previous:
                    os.rename(self.staging, self.spare_path)  # the old site: the next staging folder
                    self.spare = Spare(self.spare_path, self.previous, self.touched)
                else:
                    shutil.rmtree(self.staging)
                return
            retired = self.out_dir.parent / f".{self.out_dir.name}.old-{os.getpid()}"
            os.rename(self.out_dir, retired)
            os.rename(self.staging, self.out_dir)
            shutil.rmtree(retired)
        else:
            os.rename(self.staging, self.out_dir)

    def abandon(self, keep_spare: bool = False) -> Spare | None:
        """Remove the staging folder; or with ``keep_spare``, keep it as the spare, and return it.

        Only this process may have written into the staging folder (it knows which
        files it wrote, and so how the folder differs from the published site): a
        build stopped after its workers ended, not one that failed while they ran.
        """
        if keep_spare and self.keep_spare and self.previous and self.staging.is_dir():
            shutil.rmtree(self.spare_path, ignore_errors=True)
            os.rename(self.staging, self.spare_path)
            return Spare(self.spare_path, {}, set(self.touched))
        shutil.rmtree(self.staging, ignore_errors=True)
        return None


def _never() -> bool:
    return False


def _own_scratch(path: Path) -> bool:
    """Whether ``path`` is a scratch folder of this process: one that a stopped build left
    (:meth:`SiteWriter.scratch`) and this process removes when it next makes one of its kind."""
    return path.name.endswith(f"-{os.getpid()}") and any(
        f".{kind}-" in path.name for kind in ("sorted", "scratch", "cut")
    )


def folder_identity(path: Path) -> tuple[int, int] | None:
    """A folder's inode and change time: a rename keeps the inode and sets the time, and a folder
    made later in its place, even under a reused inode number, has another time."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_ino, found.st_ctime_ns


def spare_path(out_dir: Path) -> Path:
    """Where the site before the published one is kept, beside it (a hidden folder)."""
    out_dir = out_dir.absolute()
    return out_dir.parent / f".{out_dir.name}.spare"


def make_spare(out_dir: Path, files: dict[str, str]) -> Spare:
    """A spare made now, as hard links to the published site (whose files are ``files``), so that
    the next build of a long-running process does not have to link the whole tree first."""
    path = spare_path(out_dir)
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir()
    _link_tree(out_dir, path, set())
    return Spare(path, dict(files), set())


def _link_tree(source: Path, target: Path, made: set[str]) -> set[str]:
    """Recreate ``source`` under ``target`` as hard links; return the files' relative paths.

    Where the platform allows, each link is made by name relative to open
    folders (``dir_fd``): no path is built or resolved per file, which takes a
    third off linking the 23,000 files of a 10,000-offering site.
    """
    if os.link not in os.supports_dir_fd or os.scandir not in os.supports_fd:
        return _link_tree_by_path(source, target, made)
    linked: set[str] = set()
    stack = [(str(source), str(target), "")]
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)
    while stack:
        src, dst, prefix = stack.pop()
        src_fd, dst_fd = os.open(src, flags), os.open(dst, flags)
        try:
            with os.scandir(src_fd) as entries:
                for entry in entries:
                    name = entry.name
                    if entry.is_dir(follow_symlinks=False):
                        sub = os.path.join(dst, name)
                        os.mkdir(sub)
                        made.add(sub)
                        stack.append((os.path.join(src, name), sub, prefix + name + "/"))
                    elif entry.is_file(follow_symlinks=False):
                        os.link(name, name, src_dir_fd=src_fd, dst_dir_fd=dst_fd, follow_symlinks=False)
                        linked.add(prefix + name)
        finally:
            os.close(src_fd)
            os.close(dst_fd)
    return linked


def _link_tree_by_path(source: Path, target: Path, made: set[str]) -> set[str]:
    linked: set[str] = set()
    stack = [(source, target, "")]
    while stack:
        src, dst, prefix = stack.pop()
        with os.scandir(src) as entries:
            for entry in entries:
                relative = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    sub = dst / entry.name
                    sub.mkdir()
                    made.add(str(sub))
                    stack.append((Path(entry.path), sub, relative + "/"))
                elif entry.is_file(follow_symlinks=False):
                    os.link(entry.path, dst / entry.name)
                    linked.add(relative)
    return linked
