"""Per-page metadata and the JSON-LD of offering pages."""

from __future__ import annotations

import json
import re
from pathlib import Path

from generator.build import build_site
from generator.seo import json_ld_text


def _json_ld(page: str) -> dict[str, dict]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    return {item["@type"]: item for item in map(json.loads, blocks)}


def test_offering_json_ld_describes_prices_faq_and_breadcrumbs(sample_site: Path) -> None:
    page = (sample_site / "models/o1-mini-2024-09-12/replicate/index.html").read_text()
    found = _json_ld(page)
    offer = found["Product"]["offers"]
    assert (offer["price"], offer["priceCurrency"]) == ("1.1", "USD")
    assert [s["name"] for s in offer["priceSpecification"]] == ["Input tokens", "Output tokens"]
    faq = found["FAQPage"]["mainEntity"]
    assert faq[-1]["name"] == "Does Replicate bill the hidden reasoning tokens?"
    assert faq[-1]["acceptedAnswer"]["text"] == "Yes, as output tokens."  # Markdown reduced to text
    crumbs = found["BreadcrumbList"]["itemListElement"]
    assert crumbs[-1]["item"] == "https://example.org/models/o1-mini-2024-09-12/replicate/"


def test_retired_offerings_say_discontinued(sample_site: Path) -> None:
    page = (sample_site / "models/claude-3-haiku-20240307/anthropic/index.html").read_text()
    assert _json_ld(page)["Product"]["offers"]["availability"] == "https://schema.org/Discontinued"


def test_contributor_text_cannot_close_the_script(make_site, tmp_path: Path) -> None:
    files = {
        "content/offerings/replicate/o1-mini-2024-09-12.yaml": """\
            model_id: openai/o1-mini
            source: https://replicate.com/openai/o1-mini
            as_of: 2026-04-15
            pricing: {input: 1.10, output: 4.40}
            faq:
              - q: "</script><script>alert(1)</script>"
                a: "& <b>bold</b>"
            """
    }
    build_site(make_site(files), tmp_path / "out")
    page = (tmp_path / "out/models/o1-mini-2024-09-12/replicate/index.html").read_text()
    assert "<script>alert(1)" not in page
    faq = _json_ld(page)["FAQPage"]["mainEntity"][-1]
    assert faq["name"] == "</script><script>alert(1)</script>"


def test_feeds_are_announced(sample_site: Path) -> None:
    provider = (sample_site / "providers/replicate/index.html").read_text()
    assert (
        'type="application/atom+xml" title="Replicate: price changes" href="/feeds/providers/replicate.xml"'
        in provider
    )
    model = (sample_site / "models/o1-mini-2024-09-12/index.html").read_text()
    assert 'href="/feeds/models/o1-mini-2024-09-12.xml"' in model


def test_structured_data_is_compact_json_that_cannot_end_its_script_element() -> None:
    data = {
        "@type": "Product",
        "name": 'ünïcødé — "quoted" \\ </script><!-- & \u2028 \x01',
        "offers": [{"position": 1, "price": "0.15", "none": None, "yes": True}],
    }
    text = json_ld_text(data)
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == data
    expected = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    assert text == expected.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
