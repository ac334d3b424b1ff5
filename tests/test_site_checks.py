"""The publishing checks can fail: each one finds a fault planted in a copy of the sample site."""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest
import site_checks
from conftest import require_tool

BASE = "https://example.org"
OFFERING = "models/o1-mini-2024-09-12/replicate/index.html"


@pytest.fixture
def broken(sample_site: Path, tmp_path: Path) -> Path:
    site = tmp_path / "public"
    shutil.copytree(sample_site, site)
    page = site / OFFERING
    text = page.read_text()
    text = re.sub(r'"text":"Send the model ID[^"]*"', '"text":" "', text, count=1)
    planted = '<a href="#nope">x</a><a href="/gone/">y</a></span>'
    text, found = re.subn(r"(<main\b[^>]*>)", lambda m: m.group(1) + planted, text, count=1)
    assert found == 1, "the page has no <main> to plant faults in"
    page.write_text(text)
    feed = site / "feeds/changes.xml"
    feed.write_text(feed.read_text().replace("#prices-current", "#no-such-row", 1))
    record = site / "api/v1/offerings/openai/gpt-4o-2024-08-06.json"
    record.write_text(record.read_text().replace('"usd": "2.5"', '"usd": 2.5', 1))
    return site


def test_structural_checks_find_planted_faults(broken: Path) -> None:
    pytest.importorskip("extruct")
    assert any(
        "without a name or an answer" in p for p in site_checks.json_ld_problems(broken / OFFERING, BASE)
    )
    xml_problems, _ = site_checks.xml_url_problems(broken, BASE)
    assert any("no element with id 'no-such-row'" in p for p in xml_problems)
    json_problems, _ = site_checks.json_schema_problems(broken, BASE)
    assert any("prices/input/usd" in p for p in json_problems)


def test_lychee_finds_planted_broken_link_and_anchor(broken: Path) -> None:
    lychee = require_tool("lychee", str(Path(sys.executable).parent / "lychee"))
    problems = site_checks.run_lychee(lychee, broken, BASE, [broken / OFFERING])
    assert any("#nope" in p for p in problems) and any("/gone" in p for p in problems), problems


def test_vnu_finds_planted_markup_error(broken: Path) -> None:
    java = require_tool("java")
    jar = site_checks.vnu_jar()
    assert jar is not None
    problems = site_checks.run_vnu(java, jar, [broken / OFFERING])
    assert any("span" in p for p in problems), problems
