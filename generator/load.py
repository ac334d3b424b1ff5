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

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .errors import Location, Problem, error, warning
from .yamlsource import Document, load_document

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
    for path in sorted(folder.iterdir()):
        if path.name.startswith("."):
            continue
        if path.is_dir():
            problems.append(error(Location(show(path)), f"unexpected folder inside {kind}/; remove it"))
            continue
        if path.suffix != ".yaml":
            hint = "; rename it to .yaml" if path.suffix == ".yml" else ""
            problems.append(error(Location(show(path), 1, 1), f"content files end in .yaml{hint}"))
            continue
        if not admit(path):
            continue
        found.append(SourceFile(kind, path.stem, path, show(path), parent))
    return found


def load(content_dir: Path, display_root: Path) -> Loaded:
    """Discover and parse every content file; unreadable files become problems."""
    files, problems = discover(content_dir, display_root)
    documents: list[tuple[SourceFile, Document]] = []
    for source in files:
        parsed = load_document(source.path, source.display)
        if isinstance(parsed, Problem):
            problems.append(parsed)
        else:
            documents.append((source, parsed))
    return Loaded(documents, problems, files)
