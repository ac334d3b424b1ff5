"""The benchmark's bound (bench/free_pages.py) frees only the pages it names.

Its figure (the cold build with every offering page rendered for nothing) means
something only if everything else is built as in a real build.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import REPO, tree
from test_incremental import catalog_site


def test_free_pages_renders_the_named_kinds_as_a_constant_and_every_other_page_for_real(
    tmp_path: Path,
) -> None:
    project = catalog_site(tmp_path / "site", 30, seed=3)  # (its own cache, not the repository's)
    real, bound = tmp_path / "real", tmp_path / "bound"
    build = ["build", "--full", "--skip-extra", "search_index"]
    for command, out in (
        ([sys.executable, "-m", "generator", *build], real),
        ([sys.executable, str(REPO / "bench" / "free_pages.py"), "offering", *build], bound),
    ):
        subprocess.run([*command, "--out", str(out)], cwd=project.root, check=True, capture_output=True)
    real_files, bound_files = tree(real), tree(bound)
    assert sorted(real_files) == sorted(bound_files)
    offering_pages = {path for path in real_files if path.count("/") == 3 and path.startswith("models/")}
    assert len(offering_pages) == 30
    assert {bound_files[path] for path in offering_pages} == {b"<!DOCTYPE html><title>-</title>\n"}
    assert all(real_files[path].startswith(b"<!DOCTYPE html>\n") for path in offering_pages)
    others = [path for path in real_files if path.endswith(".html") and path not in offering_pages]
    assert len(others) > 30  # the model, provider, creator, listing and site pages
    assert all(real_files[path] == bound_files[path] for path in others)
