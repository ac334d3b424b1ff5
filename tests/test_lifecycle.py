"""Lifecycle badges and the deprecations page."""

from __future__ import annotations

from pathlib import Path

from generator.build import check_content
from generator.lifecycle import badge, deprecations


def test_badges_say_status_dates_and_replacement(sample_site: Path) -> None:
    offering = (sample_site / "models/o1-mini-2024-09-12/openai/index.html").read_text()
    assert '<span class="badge badge-deprecated">Deprecated: retires 2026-10-27</span>' in offering
    assert (
        'Its replacement is <a href="/models/gpt-4o-2024-08-06/openai/">GPT-4o (2024-08-06)</a>.' in offering
    )
    retired = (sample_site / "models/claude-3-haiku-20240307/anthropic/index.html").read_text()
    assert "Retired 2026-03-01" in retired and 'href="/models/claude-haiku-4-5/anthropic/"' in retired
    home = (sample_site / "index.html").read_text()
    assert '<span class="badge badge-preview">Preview</span>' in home
    ga = (sample_site / "models/gpt-4o-2024-08-06/openai/index.html").read_text()
    assert 'class="lifecycle"' not in ga


def test_deprecations_page_sorts_by_retirement_date(sample_site: Path) -> None:
    page = (sample_site / "deprecations/index.html").read_text()
    assert page.index("2026-03-01") < page.index("2026-10-27")
    assert "Claude Haiku 4.5</a></td></tr>" in page  # the retired model's replacement


def test_undated_deprecations_come_last(make_site) -> None:
    files = {
        "content/offerings/replicate/o1-mini-2024-09-12.yaml": """\
            model_id: openai/o1-mini
            status: deprecated
            source: https://replicate.com/openai/o1-mini
            as_of: 2026-04-15
            pricing: {input: 1.10}
            """
    }
    catalog = check_content(make_site(files)).catalog
    assert catalog is not None
    (offering,) = deprecations(catalog)
    found = badge(offering, catalog)
    assert found is not None and found.text == "Deprecated" and found.replacement_url is None
