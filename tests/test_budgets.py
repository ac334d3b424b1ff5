"""Budgets and rules of the built pages: bytes on the wire, scripts that never block or run inline.

Sizes are measured, not timed: gzip at level 9 stands in for the CDN's
compression (brotli does better), and the figures are printed (pytest -s).
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest
from conftest import write_site
from uisite import UI_FILES

from generator import views
from generator.build import build_site

OFFERING_BUDGET = 30 * 1024


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("budget")
    build_site(write_site(root / "site", UI_FILES), root / "public")
    return root / "public"


def compressed(data: bytes) -> int:
    return len(gzip.compress(data, 9, mtime=0))


def assets_of(html: str) -> list[str]:
    """Every same-site stylesheet and script a page loads (icons load lazily and are cached)."""
    css = re.findall(r'<link rel="stylesheet" href="(/[^"]+)"', html)
    js = re.findall(r'<script src="(/[^"]+)"', html)
    return css + js


def test_offering_page_with_its_css_and_js_fits_the_budget(site: Path) -> None:
    page = site / "models/claude-sonnet-4-5/anthropic/index.html"
    html = page.read_text()
    assets = assets_of(html)
    names = {re.sub(r"\.[0-9a-f]{10}(\.[a-z]+)$", r"\1", a) for a in assets}  # fingerprints aside
    assert {"/static/style.css", "/static/calc.js", "/static/site.js"} <= names
    sizes = {"page": compressed(page.read_bytes())}
    sizes |= {a: compressed((site / a.lstrip("/")).read_bytes()) for a in assets}
    total = sum(sizes.values())
    print(f"offering page, gzip -9: {sizes} total {total} bytes (budget {OFFERING_BUDGET})")
    assert total <= OFFERING_BUDGET


def test_scripts_are_external_deferred_and_never_inline(site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        if "pagefind" in page.parts:
            continue
        html = page.read_text()
        code = re.sub(r'<script type="application/ld\+json">[^<]*</script>', "", html)  # data, never run
        for tag in re.findall(r"<script\b[^>]*>", code):
            assert re.search(r'src="/static/[^"]+"', tag) and " defer" in tag, (page, tag)
        assert not re.search(r"<script\b[^>]*>[^<]+</script>", code), page
        assert not re.search(r"\son[a-z]+\s*=", html), page
        assert "javascript:" not in html, page
        for url in re.findall(r'<(?:link|script|img)\b[^>]*(?:href|src)="([^"]+)"', html):
            assert url.startswith("/") or url.startswith("https://example.org"), (page, url)


def test_home_renders_a_bounded_number_of_rows(
    make_site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views.listings, "HOME_ROWS", 3)
    out = tmp_path / "out"
    build_site(make_site(UI_FILES), out)
    home = (out / "index.html").read_text()
    everything = (out / "offerings/index.html").read_text()
    assert home.count("<tr>") == 1 + 3  # header + the first rows
    assert everything.count("<tr>") == 1 + 6
    assert 'href="/offerings/">See all 6 offerings' in home
    data = json.loads((out / "catalog.json").read_text())
    assert len(data["offerings"]) == 6


def test_catalog_data_carries_formatted_prices_and_states(site: Path) -> None:
    data = json.loads((site / "catalog.json").read_text())
    providers = [slug for slug, _ in data["providers"]]
    by_key = {(providers[o["p"]], data["models"][o["m"]]["s"]): o for o in data["offerings"]}
    claude = by_key[("anthropic", "claude-sonnet-4-5")]
    assert claude["pr"]["input"] == [3_000_000, "$3"]
    assert claude["pr"]["cache_read"] == [300_000, "$0.30"]
    replicate = by_key[("replicate", "llama-3-1-8b")]
    assert replicate["pr"]["cache_read"] == [None, "Not offered"]
    assert "batch_input" not in replicate["pr"]  # not yet sourced: absent


def test_search_index_reads_record_pages_only(site: Path) -> None:
    assert (site / "pagefind/pagefind.js").is_file()
    assert "data-pagefind-body" in (site / "models/llama-3-1-8b/index.html").read_text()
    assert "data-pagefind-body" not in (site / "index.html").read_text()
    assert (site / "favicon.ico").is_file()
