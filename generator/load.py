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
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import Location, Problem, error, warning
from .yamlsource import Document, load_document, parse_document, read_source

KINDS = ("creators", "models", "providers", "offerings")


@dataclass(frozen=True)
class SourceFile:
    """One content file found on disk, before parsing."""

    kind: str
    slug: str
    path: Path
    display: str  # the path as messages show it, relative to the project root
    parent: str | None = None  # for offerings: the provider folder's name


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
                files += _yaml_files(kind, provider_dir, show, admit, problems, parent=provider_dir.name)
        else:
            files += _yaml_files(kind, folder, show, admit, problems, parent=None)
    return files, problems


def _yaml_files(
    kind: str,
    folder: Path,
    show: Callable[[Path], str],
    admit: Callable[[Path], bool],
    problems: list[Problem],
    parent: str | None,
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
        if entry.is_symlink() and not admit(path):
            continue
        found.append(SourceFile(kind, name[: -len(".yaml")], path, shown, parent))
    return found


class _Positions:
    """A document's line/column tables, dropped after parsing and read again only when a message needs them.

    Keeping the position of every value of every file costs more memory than
    the data itself (hundreds of megabytes at 100,000 files) and almost every
    file never has a problem to point at. The first lookup parses the file
    again and fills both tables of its document.
    """

    def __init__(self, doc: Document, which: str) -> None:
        self.doc = doc
        self.which = which

    def _table(self) -> dict[Any, tuple[int, int]]:
        fresh = load_document(self.doc.path, self.doc.display)
        if isinstance(fresh, Problem):  # the file changed since it was loaded
            fresh_positions: dict[Any, tuple[int, int]] = {}
            self.doc.positions, self.doc.key_positions = fresh_positions, {}
        else:
            self.doc.positions, self.doc.key_positions = fresh.positions, fresh.key_positions
        table: dict[Any, tuple[int, int]] = getattr(self.doc, self.which)
        return table

    def __contains__(self, key: object) -> bool:
        return key in self._table()

    def __getitem__(self, key: Any) -> tuple[int, int]:
        return self._table()[key]

    def get(self, key: Any, default: tuple[int, int]) -> tuple[int, int]:
        return self._table().get(key, default)


def _forget_positions(doc: Document) -> Document:
    doc.positions = _Positions(doc, "positions")  # type: ignore[assignment]
    doc.key_positions = _Positions(doc, "key_positions")  # type: ignore[assignment]
    return doc


class LoadCache:
    """What a long-running process (the development server) keeps between loads.

    ``files``: display path -> (identity of the file on disk, digest, parse
    result); a file whose size, inode and modification and change times are
    unchanged is not read again. ``listing``: the modification times of the
    content folders and what :func:`discover` found in them; while no folder
    changed (no file added, removed or renamed), the folders are not listed again.
    """

    def __init__(self) -> None:
        self.files: dict[str, tuple[tuple[int, int, int, int], str, Document | Problem]] = {}
        self.listing: tuple[tuple[tuple[str, int], ...], list[SourceFile], list[Problem]] | None = None


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


PARALLEL_FROM = 2000  # files; below this, forking a second parser costs more than it saves


def _read_and_parse(source: SourceFile) -> tuple[str | None, Document | Problem]:
    raw = read_source(source.path, source.display)
    if isinstance(raw, Problem):
        return None, raw
    return digest(raw), parse_document(raw, source.path, source.display)


def _parse_all(files: list[SourceFile]) -> list[tuple[str | None, Document | Problem]]:
    """Read and parse every file; with many files, a forked process parses every other one.

    The second process sends back only the parsed values (no positions; see
    :class:`_Positions`), pickled through a pipe. If it fails for any reason
    the parent parses its share itself, so the result never depends on it.
    """
    if len(files) < PARALLEL_FROM or not hasattr(os, "fork"):
        return [_read_and_parse(source) for source in files]
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the second parser
        status = 1
        try:
            os.close(read_end)
            theirs = []
            for index in range(1, len(files), 2):
                fingerprint, parsed = _read_and_parse(files[index])
                theirs.append((fingerprint, parsed.data if isinstance(parsed, Document) else parsed))
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(pickle.dumps(theirs, protocol=pickle.HIGHEST_PROTOCOL))
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    results: list[tuple[str | None, Document | Problem] | None] = [None] * len(files)
    for index in range(0, len(files), 2):
        results[index] = _read_and_parse(files[index])
    with os.fdopen(read_end, "rb") as pipe:
        received = pipe.read()
    _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) == 0:
        for index, (fingerprint, value) in zip(range(1, len(files), 2), pickle.loads(received), strict=True):
            source = files[index]
            results[index] = (
                fingerprint,
                value if isinstance(value, Problem) else Document(source.path, source.display, value),
            )
    return [result or _read_and_parse(files[i]) for i, result in enumerate(results)]


def load(content_dir: Path, display_root: Path, cache: LoadCache | None = None) -> Loaded:
    """Discover and parse every content file; unreadable files become problems."""
    if cache is None:
        files, problems = discover(content_dir, display_root)
        documents: list[tuple[SourceFile, Document]] = []
        digests: dict[str, str] = {}
        for source, (fingerprint, parsed) in zip(files, _parse_all(files), strict=True):
            if fingerprint is not None:
                digests[source.display] = fingerprint
            if isinstance(parsed, Problem):
                problems.append(parsed)
            else:
                documents.append((source, _forget_positions(parsed)))
        return Loaded(documents, problems, files, digests)
    times = _folder_times(content_dir)
    if cache.listing is None or cache.listing[0] != times:
        cache.listing = (times, *discover(content_dir, display_root))
    files, problems = cache.listing[1], list(cache.listing[2])
    documents = []
    digests = {}
    fresh: dict[str, tuple[tuple[int, int, int, int], str, Document | Problem]] = {}
    for source in files:
        identity = None
        try:
            st = os.stat(source.path)
            identity = (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino)
        except OSError:
            pass
        hit = cache.files.get(source.display)
        if hit is not None and identity is not None and hit[0] == identity:
            fresh[source.display] = hit
            digests[source.display] = hit[1]
            if isinstance(hit[2], Problem):
                problems.append(hit[2])
            else:
                documents.append((source, hit[2]))
            continue
        fingerprint, parsed = _read_and_parse(source)
        if fingerprint is None:
            assert isinstance(parsed, Problem)
            problems.append(parsed)
            continue
        digests[source.display] = fingerprint
        if identity is not None:
            fresh[source.display] = (identity, fingerprint, parsed)
        if isinstance(parsed, Problem):
            problems.append(parsed)
        else:
            documents.append((source, _forget_positions(parsed)))
    cache.files = fresh
    return Loaded(documents, problems, files, digests)
