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
  what each part was made from: a digest of the pages handed to its indexer
  (``inputs``) and, by the part's folder, a digest of what the indexer would
  be handed of each of its pages, marked or not (``parts``, see below);
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
  ("qwen") 2 more of 1,335;
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
  of one offering, that is the part of its model's pages. A kept part is the
  same, byte for byte, as the part made again;
* and it copies for the indexer only the pages of those parts. What the
  indexer is handed of each page is known by the page's file digest (the
  build state keeps it, and the development server in memory: see
  :data:`PageInputs`), so only the pages written since are read and cut to
  find the parts that changed (:func:`reusable_parts`). After an edit of one
  offering of the real site (7,099 pages), a one-off rebuild with its index
  took 6.81 s instead of 8.69 s (0.78 x, medians of 7 pairs, this and the
  grouping above together): 1,632 pages copied instead of 7,099, and one run
  of the indexer instead of two. The indexer's run is now most of what is
  left (3.4-3.6 s of the index's 4.2-4.5 s);
* a one-off build cuts each page for the indexer as it comes in from its
  worker (:class:`CutPages`), so the indexer starts as soon as the last page
  is in, rather than after a pass over every page on one core; and each part's
  output is handed to the writer (and its folders removed) as soon as its run
  and those before it end, while the later runs go on, rather than all of them
  after the last run. On the real site that took the cold build with its index
  to 0.97 x (median of the ratios of 7 pairs; every pair faster), the same
  output byte for byte.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.metadata
import json
import math
import os
import shutil
import subprocess
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import children
from .errors import BuildError
from .progress import Progress
from .search_pages import index_input
from .write import STOP_EVERY, SiteWriter

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


PageInputs = dict[str, str | None]
"""What the indexer is handed of each page (in the mode where pages mark their body), by the
page's file digest as the writer knows it: the digest of the page as handed over, or None
when the page is left out (it does not mark its body)."""


def read_inputs(writer: SiteWriter, pages: list[str], inputs: PageInputs) -> None:
    """Add to ``inputs`` each of ``pages`` it does not know, read from the new site and cut as
    the indexer is handed it (:func:`generator.search_pages.index_input`)."""
    produced = writer.produced
    unknown = [relative for relative in pages if produced[relative] not in inputs]
    for count, relative in enumerate(unknown):
        if count % STOP_EVERY == 0:
            writer.stop_if_asked()
        _learn_input(writer, relative, produced[relative], inputs)


def _learn_input(writer: SiteWriter, relative: str, fingerprint: str, inputs: PageInputs) -> bytes | None:
    """Read the page at ``relative`` (of file digest ``fingerprint``) from the new site, cut as
    the indexer is handed it; record the digest of that in ``inputs``, and return it."""
    handed = index_input(writer.read(relative))
    inputs[fingerprint] = None if handed is None else _digest(handed)
    return handed


class CutPages:
    """Pages cut for the indexer as they are written, while the others still render.

    A one-off build's main process mostly waits while the workers render; cut
    there, each page's copy for the indexer (:func:`index_input`) and its input
    digest (``inputs``) are ready when the last page is in, so the indexer starts
    at once instead of after a pass over every page that left the other core idle
    (figures in :func:`generator.extras.index_pages`). The copies are written in
    the order the pages come, under numbers; :meth:`SiteWriter.sorted_copies`
    moves them into their sorted places (``made``).
    """

    def __init__(self, folder: Path, inputs: PageInputs) -> None:
        self.folder = folder
        self.inputs = inputs
        # a page's path in the site -> its cut copy, or None when the indexer is not handed it
        self.made: dict[str, str | None] = {}
        self.bodies = 0  # pages that mark their body

    def add(self, writer: SiteWriter, relative: str, fingerprint: str) -> None:
        """Cut the page at ``relative`` (of file digest ``fingerprint``) as the indexer is handed it,
        unless what it is handed of those bytes is known (an incremental build: the page is then
        read only if its part is indexed again)."""
        if not relative.endswith(".html") or fingerprint in self.inputs:
            return
        handed = _learn_input(writer, relative, fingerprint, self.inputs)
        if handed is None:
            self.made[relative] = None
            return
        copy = f"{self.folder}/{len(self.made)}"
        with open(copy, "xb") as handle:
            handle.write(handed)
        self.made[relative] = copy
        self.bodies += 1


def part_sums(writer: SiteWriter, parts_of: dict[str, str], parts: int, inputs: PageInputs) -> dict[str, str]:
    """What the indexer is handed of each part, by the part's folder name: a digest of its
    version, the number of parts, and the path and input (``inputs``, which knows every page)
    of each page of the part, whether it is handed over or not. ``parts_of``: each page's
    part, in sorted order."""
    sums: dict[str, Any] = {}
    start = f"pagefind {_pagefind_version()} parts={parts}\n".encode()
    produced = writer.produced
    for relative, part in parts_of.items():
        digest = sums.get(part)
        if digest is None:
            digest = sums[part] = hashlib.sha256(start)
        digest.update(f"{relative}\0{inputs[produced[relative]] or '-'}\n".encode())
    return {part: digest.hexdigest() for part, digest in sums.items()}


def listed_parts(writer: SiteWriter) -> dict[str, Any]:
    """The sums and inputs of the published index's parts, by the part's folder name, as its
    parts file lists them (see :func:`index_parts`); none unless it was made from the pages
    that mark their body."""
    listed = _published_listing(writer)
    made = listed.get("parts")
    return made if listed.get("bodies") is True and isinstance(made, dict) else {}


def reusable_parts(made: dict[str, Any], sums: dict[str, str]) -> dict[str, str | None]:
    """The parts whose pages the indexer would be handed as the published index was made from
    them (by the sums ``made`` lists: :func:`listed_parts`), with the input each part's index
    was made from (None: the part had no page to index)."""
    reused: dict[str, str | None] = {}
    for name, pages in sums.items():
        entry = made.get(name)
        if isinstance(entry, list) and len(entry) == 2 and entry[0] == pages:
            made_from = entry[1]
            if made_from is None or isinstance(made_from, str):
                reused[name] = made_from
    return reused


def index_parts(
    copies: Path,
    placed: PagesInParts,
    scratch: Path,
    writer: SiteWriter,
    parts_of: dict[str, str],
    inputs: PageInputs,
    reused: dict[str, str | None] | None = None,
    bodies: bool = True,
    progress: Progress | None = None,
) -> bool:
    """Index each part folder of ``copies`` (as ``placed`` put the pages there; an empty part
    has none) and write the bundle through ``writer`` at :data:`FOLDER`: the first part's
    bundle, with the others in ``part-<n>/`` and listed in :data:`PARTS_FILE`. ``scratch`` is
    an empty folder for the indexer's output. ``parts_of`` is the part of every page, handed
    over or not.

    With ``bodies`` (the pages handed over are those that mark their body), the parts
    file also lists what the indexer was handed of each part (:func:`part_sums`), and
    ``inputs`` gives what it is handed of the pages it knows (their copies are not
    read again) and learns that of the others.

    A part made from the same input as the published site's part in its place is
    kept as it is, when the writer can keep its files (an incremental build): the
    indexer runs only for the parts with a page whose input changed.

    ``reused`` are parts whose pages were not copied, because the indexer would be
    handed them as the published index was made (:func:`reusable_parts`), with the
    inputs of their indexes. When the published parts cannot be kept for each of
    them (a part that was first is not, a file of one is gone), nothing is written
    and it returns False: the caller then hands over every page.

    ``progress`` shows the runs of the indexer, a part done as each one's output is taken.
    """
    reused = reused or {}
    names = sorted({*placed.pages, *(name for name, made in reused.items() if made is not None)}, key=int)
    produced = writer.produced

    def handed(part: str, relative: str) -> str:
        """The digest of a page's copy in the folder of ``part``."""
        known = inputs.get(produced[relative]) if bodies else None
        if known is None:
            with open(copies / part / relative, "rb") as handle:
                known = _digest(handle.read())
            if bodies:
                inputs[produced[relative]] = known
        return known

    made_from = [
        reused.get(name) or _input_digest(placed.pages[name], n == 0, functools.partial(handed, name))
        for n, name in enumerate(names)
    ]
    published = _published_inputs(writer)
    files = _published_parts(writer, len(names))
    kept = [
        n < len(published) and published[n] == digest and all(writer.keepable(files[n]))
        for n, digest in enumerate(made_from)
    ]
    if reused and (not names or not all(kept[n] for n, name in enumerate(names) if name in reused)):
        return False
    made = {n: scratch / str(n) for n, keep in enumerate(kept) if not keep}
    runs = [(_command(copies / names[n], output), scratch / f"{n}.log") for n, output in made.items()]
    run_parts = list(made)  # the part of each run
    adopted = 0  # the parts before this one are the writer's (in order: the site's file order)

    def adopt_through(last: int) -> None:
        """Hand the writer every part up to ``last``: kept ones as they are, made ones (whose
        runs have ended) from the indexer's output, whose folder and copies then go."""
        nonlocal adopted
        for n in range(adopted, last + 1):
            if kept[n]:
                writer.keep_all(files[n])
                continue
            writer.copy_tree(
                made[n], FOLDER if n == 0 else f"{FOLDER}/{_part_folder(n)}", _part_data if n else None
            )
            shutil.rmtree(made[n], ignore_errors=True)
            shutil.rmtree(copies / names[n], ignore_errors=True)
        adopted = last + 1

    line = progress or Progress(enabled=False)
    if runs:
        line.stage("search index", len(runs), "parts")

    def ended(run: int) -> None:
        adopt_through(run_parts[run])
        line()

    def poll() -> None:
        writer.stop_if_asked()
        line.tick()

    # each part's output is taken while the runs after it go on
    _run_all(runs, poll, ended)
    adopt_through(len(kept) - 1)
    listed: dict[str, Any] = {
        "merge": [f"/{FOLDER}/{_part_folder(n)}/" for n in range(1, len(names))],
        "inputs": made_from,
        "bodies": bodies,
    }
    if bodies:
        for relative, part in parts_of.items():
            if part not in reused:
                inputs.setdefault(produced[relative], None)  # (a page not handed over)
        sums = part_sums(writer, parts_of, placed.parts, inputs)
        part_input = dict(zip(names, made_from, strict=True))
        listed["parts"] = {name: [sums[name], part_input.get(name)] for name in sorted(sums, key=int)}
    writer.write(f"{FOLDER}/{PARTS_FILE}", (json.dumps(listed, indent=1) + "\n").encode())
    return True


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


def _input_digest(pages: list[str], first: bool, handed: Callable[[str], str]) -> str:
    """What a part's index is made from: the indexer's version, whether it is the first part
    (the one with Pagefind's scripts), and the path and the digest of what it is handed of
    every page (``handed``)."""
    digest = hashlib.sha256(f"pagefind {_pagefind_version()} first={first}\n".encode())
    for relative in pages:
        digest.update(f"{relative}\0{handed(relative)}\n".encode())
    return digest.hexdigest()


def _digest(handed: bytes) -> str:
    """The digest of what the indexer is handed of one page."""
    return hashlib.sha256(handed).hexdigest()[:32]


def _published_listing(writer: SiteWriter) -> dict[str, Any]:
    """The published search index's parts file (empty when the writer cannot keep that file,
    or it is not one of ours)."""
    relative = f"{FOLDER}/{PARTS_FILE}"
    if not all(writer.keepable([relative])):
        return {}
    try:
        listed = json.loads((writer.out_dir / relative).read_bytes())
    except (OSError, ValueError):
        return {}
    return listed if isinstance(listed, dict) else {}


def _published_inputs(writer: SiteWriter) -> list[str]:
    """The inputs of each part of the published search index, as its parts file lists them."""
    inputs = _published_listing(writer).get("inputs")
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


def _run_all(
    runs: list[tuple[list[str], Path]], stop_if_asked: Callable[[], None], ended: Callable[[int], None]
) -> None:
    """Run each command with its output to its log file, as many at once as there are cores
    (at most two: see the module's docs); a failing one fails the build. ``ended(i)`` is
    called for each run in order, once it and every run before it ended well, after the
    runs waiting for a place have started.

    ``stop_if_asked`` is called every :data:`STOP_POLL` seconds while they run: when it
    raises (:class:`generator.errors.BuildStopped`), the running commands are killed first.
    """
    at_once = max(1, min(2, os.cpu_count() or 1))
    waiting = list(reversed(range(len(runs))))
    running: list[tuple[subprocess.Popen[bytes], int]] = []
    done: set[int] = set()
    reported = 0
    failed: list[Path] = []

    def start() -> None:
        while waiting and len(running) < at_once:
            index = waiting.pop()
            command, log = runs[index]
            running.append((_start(command, log), index))

    try:
        while waiting or running:
            start()
            with contextlib.suppress(subprocess.TimeoutExpired):
                running[0][0].wait(STOP_POLL)
            for process, index in [r for r in running if r[0].poll() is not None]:
                running.remove((process, index))
                if process.returncode != 0:
                    failed.append(runs[index][1])
                done.add(index)
            if failed:
                break
            start()
            while reported in done:
                ended(reported)
                reported += 1
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
