"""Golden output: the reference offering page, byte for byte.

Regenerate after an intended change (see tests/fixtures/golden/README.md):
    MODELDIR_REGENERATE=1 .venv/bin/python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import os
import re

import pytest
from conftest import FIXTURES, REPO

from generator.build import build_site
from generator.project import Project

GOLDEN = FIXTURES / "golden"
PAGE = "models/o1-mini-2024-09-12/replicate/index.html"
SECTIONS = [
    "freshness",
    "intro",
    "prices",
    "setup",
    "gotchas",
    "pricing",
    "capabilities",
    "about",
    "faq",
    "get-started",
    "specs",
]


@pytest.fixture(scope="module")
def reference_page(tmp_path_factory: pytest.TempPathFactory) -> str:
    root = GOLDEN / "site"
    project = Project(root, root / "content", REPO / "templates", REPO / "static", root / "site.yaml")
    out = tmp_path_factory.mktemp("golden") / "public"
    build_site(project, out)
    # asset names carry a content hash; a stylesheet edit is not a change of this page
    return re.sub(
        r"(/static/[^\"]+)\.[0-9a-f]{10}(\.[a-z]+)", r"\1\2", (out / PAGE).read_text(encoding="utf-8")
    )


def test_reference_page_matches_golden(reference_page: str) -> None:
    expected = GOLDEN / "expected" / PAGE
    if os.environ.get("MODELDIR_REGENERATE"):
        expected.parent.mkdir(parents=True, exist_ok=True)
        expected.write_text(reference_page, encoding="utf-8")
    assert reference_page == expected.read_text(encoding="utf-8")


def test_reference_page_has_every_section_in_order(reference_page: str) -> None:
    positions = [reference_page.find(f'id="{section}"') for section in SECTIONS]
    assert all(p > 0 for p in positions), dict(zip(SECTIONS, positions, strict=True))
    assert positions == sorted(positions)


def test_reference_page_shows_the_real_id_and_prices_as_text(reference_page: str) -> None:
    text = re.sub(r"<[^>]+>", "", reference_page)
    assert "openai/o1-mini" in text
    assert "$1.10" in text and "$4.40" in text
    assert "$1.1 " not in text and "$4.4 " not in text  # one spelling of each price
    assert 'o1-mini-2024-09-12"' not in text  # the slug never appears as the model ID in code
    assert "unknown in the seed data" not in text


def test_every_recipe_tab_renders_what_its_label_promises(reference_page: str) -> None:
    labels = re.findall(r'<h3 id="tab-[a-z]+-h">([^<]+)</h3>', reference_page)
    assert labels == ["Python", "curl", "JavaScript"]
    curl_section = reference_page.split('id="tab-curl"', 1)[1].split("</section>", 1)[0]
    assert "'https://api.replicate.com/v1/models/openai/o1-mini/predictions'" in curl_section
