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
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Location, Problem, error, warning
from .yamlsource import Document, parse_document, read_source

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
            return path.relative_to(display_root).as_posix()
        except ValueError:
            return path.as_posix()

    def admit(path: Path) -> bool:
        if path.is_symlink():
            target = path.resolve()
            if not target.is_relative_to(root):
                problems.append(
                    error(Location(show(path)), "symbolic link points outside the content folder")
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
                            Location(show(provider_dir)),
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
        if entry.is_dir():
            problems.append(error(Location(prefix + name), f"unexpected folder inside {kind}/"))
            continue
        if not name.endswith(".yaml"):
            hint = "; rename it to .yaml" if name.endswith(".yml") else ""
            problems.append(error(Location(prefix + name), f"content files end in .yaml{hint}"))
            continue
        if entry.is_symlink() and not admit(path):
            continue
        found.append(SourceFile(kind, name[: -len(".yaml")], path, prefix + name, parent))
    return found


# A warm cache for a long-running process (the development server): display path ->
# (identity of the file on disk, digest, parse result). A file whose size, inode and
# modification and change times are unchanged is not read again.
LoadCache = dict[str, tuple[tuple[int, int, int, int], str, "Document | Problem"]]


def load(content_dir: Path, display_root: Path, cache: LoadCache | None = None) -> Loaded:
    """Discover and parse every content file; unreadable files become problems."""
    files, problems = discover(content_dir, display_root)
    documents: list[tuple[SourceFile, Document]] = []
    digests: dict[str, str] = {}
    fresh: LoadCache = {}
    for source in files:
        identity = None
        if cache is not None:
            try:
                st = os.stat(source.path)
                identity = (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino)
            except OSError:
                pass
            hit = cache.get(source.display)
            if hit is not None and identity is not None and hit[0] == identity:
                fresh[source.display] = hit
                digests[source.display] = hit[1]
                if isinstance(hit[2], Problem):
                    problems.append(hit[2])
                else:
                    documents.append((source, hit[2]))
                continue
        raw = read_source(source.path, source.display)
        if isinstance(raw, Problem):
            problems.append(raw)
            continue
        digests[source.display] = fingerprint = digest(raw)
        parsed = parse_document(raw, source.path, source.display)
        if identity is not None:
            fresh[source.display] = (identity, fingerprint, parsed)
        if isinstance(parsed, Problem):
            problems.append(parsed)
        else:
            documents.append((source, parsed))
    if cache is not None:
        cache.clear()
        cache.update(fresh)
    return Loaded(documents, problems, digests)
