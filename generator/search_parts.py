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
* ``/pagefind/parts.json`` lists the others, for ``static/site.js`` to merge
  (an empty list for a site in one part, whose bundle is Pagefind's own);
* a page goes to the part given by a hash of its path, so each part is a
  random sample of the site: Pagefind ranks the results of each part with its
  own word statistics, which are then alike, so the merged ranking is close to
  one index's;
* two runs of Pagefind at once, when the machine has two cores: one uses about
  1.4. At 10,000 offerings in 8 parts the runs took 0.72 x the time one after
  the other, and 0.87 x one run over every page.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import zlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from . import children
from .errors import BuildError

PARTS_FILE = "parts.json"  # in the bundle: the URLs of the parts to merge into the first
# what the search page needs of a part that it merges: its index, without Pagefind's scripts
PART_DATA = ("pagefind-entry.json", "index", "fragment", "filter")


def part_count(pages: int, part_pages: int) -> int:
    """How many parts ``pages`` pages are indexed in: enough that a part holds about
    ``part_pages`` at most."""
    return max(1, math.ceil(pages / part_pages))


def part_of(parts: int) -> Callable[[str], str]:
    """The part (a folder name, "0" and up) of a page, by its path in the site."""

    def part(relative: str) -> str:
        return str(zlib.crc32(relative.encode()) % parts)

    return part


def index_parts(pages: Path, bundle: Path) -> None:
    """Index each part folder of ``pages`` (named by :func:`part_of`; an empty part has none)
    into one bundle in the empty folder ``bundle``: the first part's bundle, with the others
    in ``part-<n>/`` and listed in :data:`PARTS_FILE`."""
    parts = sorted((p for p in pages.iterdir() if p.is_dir()), key=lambda p: int(p.name))
    outputs = [bundle.with_name(f"{bundle.name}.{n}") for n in range(len(parts))]
    try:
        _run_all([_command(part, output) for part, output in zip(parts, outputs, strict=True)])
        merged = []
        for n, output in enumerate(outputs):
            if n == 0:
                shutil.copytree(output, bundle, dirs_exist_ok=True)
                continue
            name = f"part-{n}"
            for data in PART_DATA:
                source = output / data
                if source.is_dir():
                    shutil.copytree(source, bundle / name / data)
                elif source.is_file():
                    (bundle / name).mkdir(exist_ok=True)
                    shutil.copy2(source, bundle / name / data)
            for meta in sorted(output.glob("*.pf_meta")):
                shutil.copy2(meta, bundle / name / meta.name)
            merged.append(f"/pagefind/{name}/")
        (bundle / PARTS_FILE).write_text(json.dumps(merged) + "\n")
    finally:
        for output in outputs:
            shutil.rmtree(output, ignore_errors=True)


def _command(pages: Path, output: Path) -> list[str]:
    return children.tool_command("pagefind", "--site", str(pages), "--output-path", str(output))


def _run_all(commands: list[list[str]]) -> None:
    """Run the commands, as many at once as there are cores (at most two: see the module's
    docs); a failing one fails the build."""
    at_once = max(1, min(2, os.cpu_count() or 1))
    with ThreadPoolExecutor(at_once) as pool:  # (threads that only wait for their process)
        results = list(pool.map(_run, commands))
    for result in results:
        if result.returncode != 0:
            detail = (result.stderr or result.stdout).strip().splitlines()[-3:]
            raise BuildError(
                f"the search index could not be built (pagefind[extended] installed?): {' '.join(detail)}"
            )


def _run(command: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, check=False)
