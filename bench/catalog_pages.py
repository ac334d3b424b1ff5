"""How the reader-facing pages scale with the catalog: bytes on the wire and build stage times.

    python bench/catalog_pages.py [N]      (default N = 4000 generated offerings)

Builds the browser tests' small site plus N generated offerings into a
temporary folder and prints the compressed size (gzip -9) of the home page,
the full /offerings/ table, the catalog data file and one offering page with
its CSS and JS, and the time of each build stage. The home page renders a
fixed number of rows, so its size should not grow with N.
"""

from __future__ import annotations

import gzip
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from conftest import write_site  # noqa: E402
from uisite import big_catalog  # noqa: E402

from generator.build import build_site  # noqa: E402


def gz(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), 9, mtime=0))


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 4000
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        result = build_site(write_site(root / "site", big_catalog(n)), root / "public")
        out = root / "public"
        offering = out / "models/claude-sonnet-4-5/anthropic/index.html"
        assets = re.findall(r'(?:href|src)="(/static/[^"]+\.(?:css|js))"', offering.read_text())
        print(f"{result.pages} pages, {result.files} files, {result.bytes / 1e6:.1f} MB")
        for label, path in (
            ("home page", out / "index.html"),
            ("every offering (/offerings/)", out / "offerings/index.html"),
            ("catalog data (/catalog.json)", out / "catalog.json"),
        ):
            print(f"{label:32} {path.stat().st_size:>10,} bytes, {gz(path):>8,} gzip -9")
        total = gz(offering) + sum(gz(out / a.lstrip("/")) for a in assets)
        print(f"{'offering page + CSS + JS':32} {total:>28,} gzip -9 (budget 30,720)")
        for stage, seconds in result.timings.stages.items():
            print(f"  {stage:14} {seconds:7.2f} s")


if __name__ == "__main__":
    main()
