"""What search engines and link previews read: canonical URL, Open Graph, Twitter, JSON-LD.

:func:`head` is called for every page with the page's view; base.html prints
the result through the head of ``base.html``. Offering pages describe their
prices (a Product with an Offer per billed token type), their FAQ (an FAQPage
holding exactly the questions and answers the page shows) and their place in
the site (a BreadcrumbList). JSON-LD is serialised with ``<``, ``>`` and ``&``
escaped, so contributor text can never close the script element.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from . import api, feeds
from .catalog import Catalog
from .jsontext import compact_json
from .routes import API_DOCS_URL, Route
from .views import Faq, Page

SCHEMA_ORG = "https://schema.org"
AVAILABILITY = {
    "preview": "https://schema.org/PreOrder",
    "ga": "https://schema.org/InStock",
    "deprecated": "https://schema.org/LimitedAvailability",
    "retired": "https://schema.org/Discontinued",
}


@dataclass(frozen=True)
class Head:
    canonical: str | None
    og_type: str
    feeds: list[tuple[str, str]] = field(default_factory=list)  # (title, url)
    json_ld: list[Markup] = field(default_factory=list)
    noindex: bool = False


def json_ld_text(data: dict[str, Any]) -> Markup:
    """Structured data for a ``<script>`` element: compact JSON that cannot end the element.

    The JSON is :func:`~generator.jsontext.compact_json`'s (``json.dumps`` with compact
    separators, made in Rust): the data is strings, integers, lists and dicts only."""
    text = compact_json(data).decode()
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def breadcrumb_list(base: str, page: Page) -> dict[str, Any]:
    return {
        "@context": SCHEMA_ORG,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": i, "name": crumb.text, "item": base + crumb.url}
            for i, crumb in enumerate(page.breadcrumbs, start=1)
        ],
    }


def faq_page(faq: list[Faq]) -> dict[str, Any]:
    return {
        "@context": SCHEMA_ORG,
        "@type": "FAQPage",
        "mainEntity": [
            {
                "@type": "Question",
                "name": f.question,
                "acceptedAnswer": {"@type": "Answer", "text": f.answer_text},
            }
            for f in faq
        ],
    }


def product(catalog: Catalog, route: Route, page: Page) -> dict[str, Any]:
    offering = catalog.offerings[(route.key[0], route.key[1])]
    base = catalog.site.base_url
    specs = []
    for dim in ("input", "output", "cache_read", "batch_input", "batch_output"):
        fact = offering.prices[dim]
        if fact.usd is None:
            continue
        spec: dict[str, Any] = {
            "@type": "UnitPriceSpecification",
            "name": fact.label,
            "price": api.decimal_string(fact.usd),
            "priceCurrency": "USD",
            "referenceQuantity": {"@type": "QuantitativeValue", "value": 1_000_000, "unitText": "tokens"},
        }
        if fact.as_of:
            spec["validFrom"] = fact.as_of.isoformat()
        specs.append(spec)
    data: dict[str, Any] = {
        "@context": SCHEMA_ORG,
        "@type": "Product",
        "name": f"{offering.model.record.name} on {offering.provider.record.name}",
        "description": page.description,
        "url": base + page.url,
        "sku": offering.record.model_id,
        "category": "LLM API",
        "brand": {"@type": "Brand", "name": offering.model.creator.record.name},
    }
    if specs:
        data["offers"] = {
            "@type": "Offer",
            "url": base + page.url,
            "price": specs[0]["price"],
            "priceCurrency": "USD",
            "availability": AVAILABILITY[offering.record.status.value],
            "seller": {"@type": "Organization", "name": offering.provider.record.name},
            "priceSpecification": specs,
        }
    return data


def dataset(catalog: Catalog) -> dict[str, Any]:
    base = catalog.site.base_url
    return {
        "@context": SCHEMA_ORG,
        "@type": "Dataset",
        "name": f"{catalog.site.title}: LLM API offerings and prices",
        "description": "Every LLM API offering (model × provider) with its prices per billed dimension, "
        "the source and date of each price, and the price history.",
        "url": base + API_DOCS_URL,
        "dateModified": catalog.build_date.isoformat(),
        "isAccessibleForFree": True,
        "distribution": [
            {
                "@type": "DataDownload",
                "encodingFormat": "text/csv",
                "contentUrl": f"{base}{api.BASE}offerings.csv",
            },
            {
                "@type": "DataDownload",
                "encodingFormat": "application/json",
                "contentUrl": f"{base}{api.BASE}catalog.json",
            },
        ],
    }


def head(catalog: Catalog, route: Route, context: dict[str, Any]) -> Head:
    """The metadata of one page, from its route and the view it was rendered from."""
    page: Page = context["page"]
    base = catalog.site.base_url
    site_feed = (f"{catalog.site.title}: every price change", feeds.SITE_FEED_URL)
    if route.kind == "not_found":
        return Head(None, "website", [site_feed], [], noindex=True)
    found: list[dict[str, Any]] = []
    page_feeds = [site_feed]
    if page.breadcrumbs:
        found.append(breadcrumb_list(base, page))
    if route.kind == "home":
        found.append(
            {"@context": SCHEMA_ORG, "@type": "WebSite", "name": catalog.site.title, "url": base + "/"}
        )
    elif route.kind == "offering":
        found += [product(catalog, route, page), faq_page(context["v"].faq)]
        model = catalog.offerings[(route.key[0], route.key[1])].model
        page_feeds.append((f"{model.record.name}: price changes", feeds.model_feed_url(model.slug)))
    elif route.kind == "model":
        name = catalog.models[route.key[0]].record.name
        page_feeds.append((f"{name}: price changes", feeds.model_feed_url(route.key[0])))
    elif route.kind == "provider":
        name = catalog.providers[route.key[0]].record.name
        page_feeds.append((f"{name}: price changes", feeds.provider_feed_url(route.key[0])))
    elif route.kind == "api_docs":
        found.append(dataset(catalog))
    og_type = "article" if route.kind in ("offering", "model", "provider", "creator") else "website"
    return Head(base + page.url, og_type, page_feeds, [json_ld_text(d) for d in found])
