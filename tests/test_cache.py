"""The parsed content files one-off builds keep between processes (generator/cache.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_incremental import _edit, _files, assert_same, catalog_site

from generator import load as load_module
from generator.build import build_site
from generator.cache import CACHE_DIR, ParseCache
from generator.errors import ContentError
from generator.incremental import generator_fingerprint
from generator.load import load
from generator.project import Project

NO_SEARCH = frozenset({"search_index"})


@pytest.fixture
def site(tmp_path: Path) -> Project:
    return catalog_site(tmp_path, 40, seed=11)


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The display paths of the files parsed from here on."""
    names: list[str] = []
    read_document = load_module.read_document

    def counting(raw: bytes, path: Path, display: str) -> Any:
        names.append(display)
        return read_document(raw, path, display)

    monkeypatch.setattr(load_module, "read_document", counting)
    return names


def _cache(site: Project, reuse: bool = True, fingerprint: str | None = None) -> ParseCache:
    return ParseCache.of(site.root, site.content, fingerprint or generator_fingerprint(), reuse)


def _values(site: Project, parses: ParseCache | None) -> list[tuple[str, Any]]:
    loaded = load(site.content, site.root, parses=parses)
    assert not loaded.problems
    return [(source.display, document.data) for source, document in loaded.documents]


def test_a_new_build_parses_only_the_files_changed_since_the_last(
    site: Project, tmp_path: Path, parsed: list[str]
) -> None:
    out = tmp_path / "public"
    build_site(site, out, skip_extras=NO_SEARCH)
    files = len(parsed)
    assert files > 40 and list((site.root / CACHE_DIR).glob("parsed-*.pickle"))
    offerings = _files(site, "offerings")
    _edit(offerings[3], r"^  input: .*$", "  input: 12.34")
    offerings[8].unlink()
    parsed.clear()
    build_site(site, out, skip_extras=NO_SEARCH)
    assert parsed == [offerings[3].relative_to(site.root).as_posix()]
    parsed.clear()
    build_site(site, out, skip_extras=NO_SEARCH)
    assert parsed == []  # what the last build took from the cache, it saved again
    build_site(site, out, incremental=False, skip_extras=NO_SEARCH)
    assert len(parsed) == files - 1  # a build that ignores the build state parses every file
    build_site(site, tmp_path / "clean", incremental=False, skip_extras=NO_SEARCH)
    assert_same(out, tmp_path / "clean")
    site.site_file.write_text("title: [\n")  # a build that stops before loading leaves nothing open
    with pytest.raises(ContentError):
        build_site(site, out, skip_extras=NO_SEARCH)
    assert not list((site.root / CACHE_DIR).glob("*.tmp"))


def test_the_values_taken_are_the_values_parsed(site: Project, parsed: list[str]) -> None:
    fresh = _values(site, _cache(site, reuse=False))
    count = len(parsed)
    parsed.clear()
    assert _values(site, _cache(site)) == fresh and parsed == []
    assert _values(site, None) == fresh and len(parsed) == count


def test_a_damaged_or_foreign_cache_only_means_parsing_again(site: Project, parsed: list[str]) -> None:
    fresh = _values(site, _cache(site, reuse=False))
    count = len(parsed)
    path = _cache(site, reuse=False).path
    data = path.read_bytes()
    for damaged in (b"", b"not a cache", data[: len(data) // 2], data[:8] + b"\0" * (len(data) - 8)):
        path.write_bytes(damaged)
        parsed.clear()
        assert _values(site, _cache(site)) == fresh
        assert len(parsed) == count, damaged[:20]
    parsed.clear()
    assert _values(site, _cache(site)) == fresh and parsed == []  # (the last load saved it again)
    assert _values(site, _cache(site, fingerprint="other code")) == fresh and len(parsed) == count


def test_a_cache_that_cannot_be_written_is_no_reason_to_fail(site: Project, tmp_path: Path) -> None:
    fresh = _values(site, None)
    parses = ParseCache(tmp_path / "missing" / "parsed.pickle", generator_fingerprint(), reuse=True)
    assert _values(site, parses) == fresh
    assert not (tmp_path / "missing").exists()
