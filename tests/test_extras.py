"""Whole-site outputs written after the pages: the catalog data file and the search index."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.build import build_site
from generator.errors import BuildError
from generator.project import Project


def test_search_index_covers_record_pages(make_site: Callable[..., Project], tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_site(make_site(), out)
    assert (out / "pagefind/pagefind.js").is_file()
    assert any((out / "pagefind/fragment").iterdir())
    assert (out / "catalog.json").is_file() and (out / "favicon.ico").is_file()


def test_a_failing_indexer_fails_the_build_and_keeps_the_old_site(
    make_site: Callable[..., Project], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    project = make_site()
    build_site(project, out)
    before = (out / "index.html").read_bytes()
    monkeypatch.setattr(sys, "executable", "/bin/false")
    with pytest.raises(BuildError, match="search index could not be built"):
        build_site(project, out)
    assert (out / "index.html").read_bytes() == before
    assert (out / "pagefind/pagefind.js").is_file()
