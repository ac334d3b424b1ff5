"""Stage 1, load: find every content file and parse it.

The content folder has a fixed shape (see DESIGN.md)::

    creators/<slug>.yaml  models/<slug>.yaml  providers/<slug>.yaml
    offerings/<provider>/<model>.yaml

Files are visited in sorted order so that output never depends on the order the
file system lists them in. A symbolic link is followed only when its target
stays inside the content folder. Anything else in the folder (stray files,
``.yml`` spellings, deeper folders) is reported rather than silently skipped.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import signal
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path
from typing import IO

from .cache import Identity, ParseCache
from .cache import pickler as parsed_values_pickler
from .errors import Location, Problem, error, warning
from .progress import Progress
from .yamlquick import read_document
from .yamlsource import Document, read_source

KINDS = ("creators", "models", "providers", "offerings")
READING = "reading content"  # the stage of a build's progress line (see generator.progress)


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One content file found on disk, before parsing."""

    kind: str
    slug: str
    path: Path
    display: str  # the path as messages show it, relative to the project root
    parent: str | None = None  # for offerings: the provider folder's name
    linked: bool = False  # reached through a symbolic link (the file or its provider folder)


@dataclass
class Loaded:
    documents: list[tuple[SourceFile, Document]]
    problems: list[Problem]
    files: list[SourceFile]  # every file found, readable or not
    digests: dict[str, str] = field(default_factory=dict)  # display path -> digest of the file's bytes


def digest(data: bytes) -> str:
    """A short fingerprint of some bytes (content files, output files)."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def discover(content_dir: Path, display_root: Path) -> tuple[list[SourceFile], list[Problem]]:
    """List every content file under ``content_dir``, in a stable order."""
    files: list[SourceFile] = []
    problems: list[Problem] = []
    root = content_dir.resolve()

    def show(path: Path) -> str:
        try:
            shown = path.relative_to(display_root).as_posix()
        except ValueError:
            shown = path.as_posix()
        # a name that is not UTF-8 holds surrogate escapes, which no output stream can encode
        return os.fsencode(shown).decode("utf-8", "backslashreplace")

    def admit(path: Path) -> bool:
        if path.is_symlink():
            try:
                target = path.resolve(strict=True)
            except (OSError, RuntimeError):  # dangling, or a loop of links
                problems.append(
                    error(Location(show(path), 1, 1), "symbolic link is broken or loops; point it at a file")
                )
                return False
            if not target.is_relative_to(root):
                problems.append(
                    error(
                        Location(show(path), 1, 1),
                        "symbolic link points outside the content folder; copy the file in instead",
                    )
                )
                return False
        return True

    if not content_dir.is_dir():
        problems.append(error(Location(show(content_dir)), "content folder not found"))
        return files, problems

    for entry in sorted(content_dir.iterdir()):
        if entry.name.startswith("."):
            continue
        if entry.name not in KINDS or not entry.is_dir():
            problems.append(
                warning(
                    Location(show(entry)),
                    "not part of the content layout (creators/, models/, providers/, offerings/); ignored",
                )
            )
    for kind in KINDS:
        folder = content_dir / kind
        if not folder.is_dir():
            continue
        if kind == "offerings":
            for provider_dir in sorted(folder.iterdir()):
                if provider_dir.name.startswith("."):
                    continue
                if not provider_dir.is_dir():
                    problems.append(
                        error(
                            Location(show(provider_dir), 1, 1),
                            "offerings go in a folder per provider: offerings/<provider>/<model>.yaml",
                        )
                    )
                    continue
                if not admit(provider_dir):
                    continue
                linked = folder.is_symlink() or provider_dir.is_symlink()
                files += _yaml_files(kind, provider_dir, show, admit, problems, provider_dir.name, linked)
        else:
            files += _yaml_files(kind, folder, show, admit, problems, None, folder.is_symlink())
    return files, problems


def _yaml_files(
    kind: str,
    folder: Path,
    show: Callable[[Path], str],
    admit: Callable[[Path], bool],
    problems: list[Problem],
    parent: str | None,
    linked: bool,
) -> list[SourceFile]:
    found: list[SourceFile] = []
    prefix = show(folder) + "/"
    with os.scandir(folder) as listing:  # file types come with the listing: no stat per file
        entries = sorted(listing, key=lambda e: e.name)
    for entry in entries:
        name = entry.name
        if name.startswith("."):
            continue
        path = folder / name
        shown = prefix + name if name.isascii() else show(path)  # a name that is not UTF-8, printable
        try:
            is_dir = entry.is_dir()
        except OSError:  # a loop of symbolic links: admit() reports it below
            is_dir = False
        if is_dir:
            problems.append(error(Location(shown), f"unexpected folder inside {kind}/; remove it"))
            continue
        if not name.endswith(".yaml"):
            hint = "; rename it to .yaml" if name.endswith(".yml") else ""
            problems.append(error(Location(shown, 1, 1), f"content files end in .yaml{hint}"))
            continue
        link = entry.is_symlink()
        if link and not admit(path):
            continue
        found.append(SourceFile(kind, name[: -len(".yaml")], path, shown, parent, linked or link))
    return found


class LoadCache:
    """What a long-running process (the development server) keeps between loads.

    ``files``: display path -> (identity of the file on disk, digest, parse
    result); a file whose size, inode and modification and change times are
    unchanged is not read again. ``listing``: the modification times of the
    content folders and what :func:`discover` found in them; while no folder
    changed (no file added, removed or renamed), the folders are not listed again.

    ``pending``: the paths a file watcher saw change since the last load, or
    None when no watcher vouches for them. While it is a set, a load stats only
    those files (and files reached through a symbolic link, whose target's
    events name the target); every other file is taken as unchanged. It must
    only become a set when a watcher was running *before* the load that last
    stat'ed every file: the development server starts its watcher, loads once
    in full (:func:`generator.build.prime`), then hands over each burst's
    paths. A load that fails keeps what was pending, and :meth:`stale` lets the
    server check every file while it is idle, for whatever a watcher missed.
    """

    def __init__(self) -> None:
        self.files: dict[str, tuple[tuple[int, int, int, int], str, Document | Problem]] = {}
        self.listing: tuple[tuple[tuple[str, int], ...], list[SourceFile], list[Problem]] | None = None
        self.pending: set[str] | None = None
        self.watching = False  # a watcher runs, so a full load can be followed by ones that trust it

    def changed(self, paths: set[Path] | None) -> None:
        """What a watcher saw change (None: it cannot tell); the next load stats only those."""
        if paths is None or self.pending is None:
            self.pending = None
        else:
            self.pending |= {str(p) for p in paths}

    def stale(self, content_dir: Path) -> bool:
        """Whether any file differs on disk from what the last load read, besides those ``pending``
        names: a full check, for idle moments."""
        if self.listing is None or self.listing[0] != _folder_times(content_dir):
            return True
        named = self.pending or set()  # (read again by the next load anyway)
        for source in self.listing[1]:
            hit = self.files.get(source.display)
            # (files not kept are read every time)
            if hit is not None and str(source.path) not in named and hit[0] != _identity(source.path):
                return True
        return False


def _identity(path: Path) -> Identity | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino


def _folder_times(content_dir: Path) -> tuple[tuple[str, int], ...]:
    times = []
    stack = [str(content_dir)]
    while stack:
        folder = stack.pop()
        try:
            times.append((folder, os.stat(folder).st_mtime_ns))
            with os.scandir(folder) as entries:
                stack += [e.path for e in entries if e.is_dir(follow_symlinks=False) and e.name in KINDS]
        except OSError:
            times.append((folder, -1))
    offerings = content_dir / "offerings"
    if offerings.is_dir():
        with os.scandir(offerings) as entries:
            times += [(e.path, e.stat().st_mtime_ns) for e in entries if e.is_dir()]
    return tuple(sorted(times))


PARALLEL_FROM = 2000  # files; below this, forking a second reader costs more than it saves
CHILD_SHARE = 0.5  # of the files, read by the second process
CHUNK = 256  # files per message from the second process

Then = Callable[[SourceFile, Document], None]
# the digest of a file's bytes (None if it could not be read), and what it holds
Read = tuple[str | None, Document | Problem]


def _read(source: SourceFile) -> Read:
    raw = read_source(source.path, source.display)
    if isinstance(raw, Problem):
        return None, raw
    return digest(raw), read_document(raw, source.path, source.display)


def _read_all(files: list[SourceFile]) -> Iterator[Read]:
    """Read and parse every file, in order; with many files, a forked process reads the last part.

    The second process writes the parsed values (documents have no positions
    to send, see :class:`~generator.yamlsource.Document`) to a temporary file,
    pickled a chunk at a time (numbers and dates by their text, see
    :func:`~generator.yamlquick.canonical`), while this process reads the first
    part; this one then takes the chunks one by one, so the raw values of only
    one chunk are in memory at a time (the caller validates each document as it
    comes). If the second process cannot start or fails for any reason, this
    process reads its part itself, so the result never depends on it.
    """
    if len(files) < PARALLEL_FROM or not hasattr(os, "fork"):
        yield from map(_read, files)
        return
    split = len(files) - int(len(files) * CHILD_SHARE)
    try:
        spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed by the with statement below
    except OSError:
        yield from map(_read, files)
        return
    try:
        pid = os.fork()
    except OSError:
        spool.close()
        yield from map(_read, files)
        return
    if pid == 0:  # the second reader
        status = 1
        try:
            _spool(files[split:], spool)
            status = 0
        finally:
            os._exit(status)
    with spool:
        try:
            yield from map(_read, files[:split])
        except BaseException:  # the caller stopped early (GeneratorExit) or failed
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            raise
        _, status = os.waitpid(pid, 0)
        done = split
        if os.waitstatus_to_exitcode(status) == 0:
            spool.seek(0)
            for read in _unspool(files[split:], spool):
                done += 1
                yield read
    yield from map(_read, files[done:])


def _spool(files: list[SourceFile], spool: IO[bytes]) -> None:
    pickler = parsed_values_pickler(spool)
    for start in range(0, len(files), CHUNK):
        chunk = [_read(source) for source in files[start : start + CHUNK]]
        pickler.dump([(d, p.data if isinstance(p, Document) else p) for d, p in chunk])
        pickler.clear_memo()  # nothing is shared between chunks, and the chunk can go
    spool.flush()


def _unspool(files: list[SourceFile], spool: IO[bytes]) -> Iterator[Read]:
    """What :func:`_spool` wrote, file by file, until its end."""
    sources = iter(files)
    try:
        while True:
            for fingerprint, value in pickle.load(spool):
                source = next(sources)
                if not isinstance(value, Problem):
                    value = Document.unplaced(source.path, source.display, value)
                yield fingerprint, value
    except (EOFError, pickle.UnpicklingError, StopIteration):
        return


def _take(
    source: SourceFile,
    read: Read,
    documents: list[tuple[SourceFile, Document]],
    problems: list[Problem],
    digests: dict[str, str],
    then: Then | None,
) -> None:
    fingerprint, parsed = read
    if fingerprint is not None:
        digests[source.display] = fingerprint
    if isinstance(parsed, Problem):
        problems.append(parsed)
        return
    documents.append((source, parsed))
    if then is not None:
        then(source, parsed)


def _load_saving(
    files: list[SourceFile],
    parses: ParseCache,
    documents: list[tuple[SourceFile, Document]],
    problems: list[Problem],
    digests: dict[str, str],
    then: Then | None,
    progress: Progress,
) -> None:
    """Read every file, taking the unchanged ones from ``parses``, and save them all there."""
    identities = list(map(_identity, (source.path for source in files)))  # before any file is read
    parses.begin()
    reads = _read_all(files) if not parses.has_saved else map(_reuse, files, identities, repeat(parses))
    try:
        for source, identity, read in zip(files, identities, reads, strict=True):
            fingerprint, parsed = read
            if identity is not None and fingerprint is not None and isinstance(parsed, Document):
                parses.add(source.display, identity, fingerprint, parsed.data)  # (before it is validated)
            _take(source, read, documents, problems, digests, then)
            progress()
    except BaseException:
        parses.abandon()
        raise
    parses.finish()


def _reuse(source: SourceFile, identity: Identity | None, parses: ParseCache) -> Read:
    saved = parses.take(source.display, identity)
    if saved is None:
        return _read(source)
    return saved[0], Document.unplaced(source.path, source.display, saved[1])


def load(
    content_dir: Path,
    display_root: Path,
    cache: LoadCache | None = None,
    then: Then | None = None,
    parses: ParseCache | None = None,
    progress: Progress | None = None,
) -> Loaded:
    """Discover and parse every content file; unreadable files become problems.

    ``then`` is called with each document as soon as it is read, in file order:
    the build validates it there and then, so that the raw values of all files
    are never in memory at once. ``cache`` is what a long-running process keeps
    between loads; ``parses`` what one-off builds keep between processes (see
    :mod:`generator.cache`). ``progress`` counts the files as they are taken.
    """
    documents: list[tuple[SourceFile, Document]] = []
    digests: dict[str, str] = {}
    progress = progress or Progress(enabled=False)
    if cache is None:
        files, problems = discover(content_dir, display_root)
        progress.stage(READING, len(files), "files")
        if parses is not None:
            _load_saving(files, parses, documents, problems, digests, then, progress)
            return Loaded(documents, problems, files, digests)
        for source, result in zip(files, _read_all(files), strict=True):
            _take(source, result, documents, problems, digests, then)
            progress()
        return Loaded(documents, problems, files, digests)
    times = _folder_times(content_dir)
    if cache.listing is None or cache.listing[0] != times:
        cache.listing = (times, *discover(content_dir, display_root))
    files, problems = cache.listing[1], list(cache.listing[2])
    progress.stage(READING, len(files), "files")
    fresh: dict[str, tuple[tuple[int, int, int, int], str, Document | Problem]] = {}
    pending = cache.pending if cache.watching else None
    for source in files:
        hit = cache.files.get(source.display)
        if hit is not None and pending is not None and not source.linked and str(source.path) not in pending:
            fresh[source.display] = hit  # the watcher saw no change: no stat (nor a call of _take)
            digests[source.display] = hit[1]
            if isinstance(hit[2], Problem):
                problems.append(hit[2])
            else:
                documents.append((source, hit[2]))
                if then is not None:
                    then(source, hit[2])
            progress()
            continue
        identity = _identity(source.path)
        read: Read
        if hit is not None and identity is not None and hit[0] == identity:
            fresh[source.display] = hit
            read = hit[1], hit[2]
        else:
            read = _read(source)
            if read[0] is not None and identity is not None:
                fresh[source.display] = (identity, read[0], read[1])
        _take(source, read, documents, problems, digests, then)
        progress()
    cache.files = fresh
    if cache.watching:
        cache.pending = set()  # every file is as read now, or was seen by the watcher
    return Loaded(documents, problems, files, digests)
