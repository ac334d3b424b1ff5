"""sitemap.xml: every page but the 404, lastmod from the data, an index past the size limit."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from generator import sitemap
from generator.build import build_site

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_lastmod_comes_from_the_content(sample_site: Path) -> None:
    root = ET.parse(sample_site / "sitemap.xml").getroot()
    entries = {u.findtext(f"{NS}loc"): u.findtext(f"{NS}lastmod") for u in root.iter(f"{NS}url")}
    assert "https://example.org/404.html" not in entries
    assert entries["https://example.org/models/o1-mini-2024-09-12/openai/"] == "2026-04-15"  # its as_of
    assert entries["https://example.org/models/o1-mini-2024-09-12/replicate/"] == "2026-11-20"  # verified
    assert entries["https://example.org/providers/anthropic/"] == "2026-11-01"  # newest offering
    assert len(entries) == len(list(sample_site.rglob("index.html")))


def test_past_the_limit_the_sitemap_becomes_an_index(make_site, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(sitemap, "MAX_URLS", 3)
    out = tmp_path / "out"
    build_site(make_site(), out)
    root = ET.parse(out / "sitemap.xml").getroot()
    assert root.tag == f"{NS}sitemapindex"
    pages = len(list(out.rglob("index.html")))  # every page but the 404
    numbers = range(1, (pages + 2) // 3 + 1)
    parts = [s.findtext(f"{NS}loc") for s in root.iter(f"{NS}sitemap")]
    assert parts == [f"https://example.org/sitemap-{n}.xml" for n in numbers]
    urls = [u for n in numbers for u in ET.parse(out / f"sitemap-{n}.xml").getroot().iter(f"{NS}url")]
    assert len(urls) == pages


def test_builds_are_byte_identical(make_site, tmp_path: Path) -> None:
    project = make_site()
    build_site(project, tmp_path / "one")
    build_site(project, tmp_path / "two")
    one = {
        p.relative_to(tmp_path / "one"): p.read_bytes() for p in (tmp_path / "one").rglob("*") if p.is_file()
    }
    two = {
        p.relative_to(tmp_path / "two"): p.read_bytes() for p in (tmp_path / "two").rglob("*") if p.is_file()
    }
    assert one == two
