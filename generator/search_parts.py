"""The search index in parts, so that indexing a large site takes bounded memory.

Pagefind holds everything it indexes in memory until it writes its bundle:
its peak grows with the pages, about 250 KB a page on the benchmark catalog
(2.7 GiB at 10,000 offerings), so a catalog of 100,000 would need about
27 GiB. A site of more than ``part_pages`` pages (``search_part_pages`` in
site.yaml) is therefore indexed in parts, each by its own run of Pagefind, and
the search page merges them as it searches (Pagefind's ``mergeIndex``, made
for searching several sites at once):

* the first part is a whole Pagefind bundle at ``/pagefind/``; every other is
  its index alone (no scripts), at ``/pagefind/part-<n>/``;
* ``/pagefind/parts.json`` lists the others (``merge``), for ``static/site.js``
  to merge (none for a site in one part, whose bundle is Pagefind's own), and
  a digest of what each part was made from (``inputs``);
* a page goes to the part given by a hash of its group: the first two folders
  of its path (``models/<model>``: a model's page and its offerings' pages), or
  its whole path when it has fewer. Pages that an edit changes together are
  then in one part: after an edit of one offering, the index of one part is
  made again instead of two or three (the changed offering page, its model's
  page and the other offering pages of that model whose indexed text names its
  price). The groups are small (a model's pages) and many, so each part is
  still a random sample of the site, and Pagefind's word statistics, by which
  each part ranks its results, are alike in every part. On the real site (four
  parts), nine of ten queries found the same pages as one index, and the tenth
  ("qwen") 2 more of 1,335 (a part of unrelated pages matches a shorter word);
  among results of nearly equal score the order differs: the first ten shared
  44 of 100 pages with one index's first ten (51 when each page went to a part
  by a hash of its own path, which also found 1 page more for "qwen");
* two runs of Pagefind at once, when the machine has two cores: one uses about
  1.4. Four parts of about 1,400 pages of the 10,000-offering catalog took
  0.72 x the time two at a time as one after the other. A cold build of that
  catalog with its index (6 parts) took 0.88 x the time of one index over
  every page, with its largest process at 466 MiB instead of 2.56 GiB;
* an incremental build runs the indexer only for the parts with a page whose
  input changed, and keeps the published files of the others: after an edit
  of one offering, that is the part of its model's pages. A kept part is the same, byte for byte, as the part made again.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.metadata
import json
import math
import os
import subprocess
import zlib
from collections.abc import Callable
from pathlib import Path

from . import children
from .errors import BuildError
from .write import SiteWriter

FOLDER = "pagefind"  # where the bundle is published
PARTS_FILE = "parts.json"  # in the bundle: the parts to merge into the first, and their inputs
# what the search page needs of a part that it merges: its index, without Pagefind's scripts
PART_DATA = ("index/", "fragment/", "filter/")  # (with pagefind-entry.json and the .pf_meta file)
STOP_POLL = 0.02  # seconds between two asks whether to stop, while the indexer runs


def part_count(pages: int, part_pages: int) -> int:
    """How many parts ``pages`` pages are indexed in: enough that a part holds about
    ``part_pages`` at most."""
    return max(1, math.ceil(pages / part_pages))


class PagesInParts:
    """The part of each page handed to the indexer (a folder name, "0" and up, by a hash of
    its group: see :func:`group_of`), as :meth:`SiteWriter.sorted_copies` asks for it;
    ``pages`` keeps the pages given to each part, in the order asked."""

    def __init__(self, parts: int) -> None:
        self.parts = parts
        self.pages: dict[str, list[str]] = {}

    def part(self, relative: str) -> str:
        """The part of the page at ``relative`` (without recording it)."""
        return str(zlib.crc32(group_of(relative).encode()) % self.parts)

    def __call__(self, relative: str) -> str:
        part = self.part(relative)
        self.pages.setdefault(part, []).append(relative)
        return part


def group_of(relative: str) -> str:
    """The pages that go to one part together: the first two folders of a page's path
    (``models/gpt-4o`` for the model's page and each of its offerings' pages), or the whole
    path of a page less deep (``about/index.html``)."""
    first, _, rest = relative.partition("/")
    second, _, deeper = rest.partition("/")
    return f"{first}/{second}" if deeper else relative


def index_parts(copies: Path, placed: PagesInParts, scratch: Path, writer: SiteWriter) -> None:
    """Index each part folder of ``copies`` (as ``placed`` put the pages there; an empty part
    has none) and write the bundle through ``writer`` at :data:`FOLDER`: the first part's
    bundle, with the others in ``part-<n>/`` and listed in :data:`PARTS_FILE`. ``scratch`` is
    an empty folder for the indexer's output.

    A part made from the same input as the published site's part in its place is
    kept as it is, when the writer can keep its files (an incremental build): the
    indexer runs only for the parts with a page whose input changed.
    """
    names = sorted(placed.pages, key=int)
    inputs = [_input_digest(copies / name, placed.pages[name], first=n == 0) for n, name in enumerate(names)]
    published = _published_inputs(writer)
    files = _published_parts(writer, len(names))
    kept = [
        n < len(published) and published[n] == digest and all(writer.keepable(files[n]))
        for n, digest in enumerate(inputs)
    ]
    made = {n: scratch / str(n) for n, keep in enumerate(kept) if not keep}
    runs = [(_command(copies / names[n], output), scratch / f"{n}.log") for n, output in made.items()]
    _run_all(runs, writer.stop_if_asked)
    for n, keep in enumerate(kept):
        if keep:
            writer.keep_all(files[n])
        elif n == 0:
            writer.copy_tree(made[n], FOLDER)
        else:
            writer.copy_tree(made[n], f"{FOLDER}/{_part_folder(n)}", _part_data)
    listed = {"merge": [f"/{FOLDER}/{_part_folder(n)}/" for n in range(1, len(names))], "inputs": inputs}
    writer.write(f"{FOLDER}/{PARTS_FILE}", (json.dumps(listed, indent=1) + "\n").encode())


def _part_data(relative: str) -> bool:
    """Whether a file of Pagefind's bundle is one the search page reads of a part it merges."""
    return (
        relative.startswith(PART_DATA) or relative == "pagefind-entry.json" or relative.endswith(".pf_meta")
    )


@functools.cache
def _pagefind_version() -> str:
    try:
        return importlib.metadata.version("pagefind")
    except importlib.metadata.PackageNotFoundError:  # (then the indexer fails with its own message)
        return "?"


def _part_folder(n: int) -> str:
    return f"part-{n}"


def _input_digest(part: Path, pages: list[str], first: bool) -> str:
    """What a part's index is made from: the indexer's version, whether it is the first part
    (the one with Pagefind's scripts), and the path and bytes of every page handed to it (the
    copies in the folder ``part``)."""
    digest = hashlib.sha256(f"pagefind {_pagefind_version()} first={first}\n".encode())
    for relative in pages:
        digest.update(f"{relative}\0".encode())
        with open(f"{part}/{relative}", "rb") as handle:
            digest.update(handle.read())
        digest.update(b"\0")
    return digest.hexdigest()


def _published_inputs(writer: SiteWriter) -> list[str]:
    """The inputs of each part of the published search index, as its parts file lists them
    (none when the writer cannot keep that file, or it is not one of ours)."""
    relative = f"{FOLDER}/{PARTS_FILE}"
    if not all(writer.keepable([relative])):
        return []
    try:
        listed = json.loads((writer.out_dir / relative).read_bytes())
    except (OSError, ValueError):
        return []
    inputs = listed.get("inputs") if isinstance(listed, dict) else None
    return [i for i in inputs if isinstance(i, str)] if isinstance(inputs, list) else []


def _published_parts(writer: SiteWriter, parts: int) -> list[list[str]]:
    """The published site's files of each of the first ``parts`` parts of the search index."""
    files: list[list[str]] = [[] for _ in range(parts)]
    prefix = f"{FOLDER}/"
    for relative in writer.previous:
        if not relative.startswith(prefix) or relative == prefix + PARTS_FILE:
            continue
        folder, _, rest = relative[len(prefix) :].partition("/")
        number = folder.removeprefix("part-")
        n = int(number) if rest and number != folder and number.isdigit() else 0  # (else the first's)
        if n < parts:
            files[n].append(relative)
    return [sorted(f) for f in files]


def _command(pages: Path, output: Path) -> list[str]:
    return children.tool_command("pagefind", "--site", str(pages), "--output-path", str(output))


def _run_all(runs: list[tuple[list[str], Path]], stop_if_asked: Callable[[], None]) -> None:
    """Run each command with its output to its log file, as many at once as there are cores
    (at most two: see the module's docs); a failing one fails the build.

    ``stop_if_asked`` is called every :data:`STOP_POLL` seconds while they run: when it
    raises (:class:`generator.errors.BuildStopped`), the running commands are killed first.
    """
    at_once = max(1, min(2, os.cpu_count() or 1))
    waiting = list(reversed(runs))
    running: list[tuple[subprocess.Popen[bytes], Path]] = []
    failed: list[Path] = []
    try:
        while waiting or running:
            while waiting and len(running) < at_once:
                command, log = waiting.pop()
                running.append((_start(command, log), log))
            with contextlib.suppress(subprocess.TimeoutExpired):
                running[0][0].wait(STOP_POLL)
            for process, log in [r for r in running if r[0].poll() is not None]:
                running.remove((process, log))
                if process.returncode != 0:
                    failed.append(log)
            if failed:
                break
            stop_if_asked()
    finally:
        for process, _ in running:
            process.kill()
            process.wait()
    if failed:
        detail = failed[0].read_text(errors="replace").strip().splitlines()[-3:]
        raise BuildError(
            f"the search index could not be built (pagefind[extended] installed?): {' '.join(detail)}"
        )


def _start(command: list[str], log: Path) -> subprocess.Popen[bytes]:
    """Start a command with its output (both streams) to the file ``log``."""
    with open(log, "wb") as output:
        return subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
