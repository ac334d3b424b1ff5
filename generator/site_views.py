"""View models of the whole-site pages: the price changelog, deprecations, and the API guide.

Like :mod:`generator.views`, these build final strings for templates; the
facts come from :mod:`generator.history` and :mod:`generator.lifecycle` so the
pages agree with the offering pages, the feeds and the JSON API.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import api, feeds, history, lifecycle
from .catalog import Catalog, Offering
from .routes import (
    API_DOCS_URL,
    CHANGELOG_URL,
    DEPRECATIONS_URL,
    offering_url,
    provider_url,
)
from .views import Link, Page
from .views.common import per_offering


@dataclass(frozen=True)
class ChangeRow:
    date: str
    offering: Link
    provider: Link
    changes: list[str]
    source: str | None
    note: str | None


@dataclass(frozen=True)
class ChangelogView:
    page: Page
    rows: list[ChangeRow]
    feed_url: str


@dataclass(frozen=True)
class DeprecationRow:
    offering: Link
    provider: Link
    model_id: str
    status: str
    announced: str
    retires: str
    replacement: Link | None


@dataclass(frozen=True)
class DeprecationsView:
    page: Page
    rows: list[DeprecationRow]


@dataclass(frozen=True)
class ApiDocsView:
    page: Page
    base: str
    version: str
    example_offering: str | None
    example_model: str | None
    example_provider: str | None
    schemas: list[Link]
    csv_columns: list[str]


def _page(catalog: Catalog, heading: str, title: str, description: str, url: str) -> Page:
    return Page(
        title=f"{title} — {catalog.site.title}",
        description=description,
        url=url,
        edit_url=None,
        breadcrumbs=[Link("Home", "/"), Link(heading, url)],
    )


def changelog_view(catalog: Catalog) -> ChangelogView:
    keyed = [pair for o in catalog.offerings.values() for pair in _change_rows(catalog, o)]
    keyed.sort(key=lambda pair: pair[0])  # stable: the order of history.all_changes
    rows = [row for _, row in keyed]
    return ChangelogView(
        page=_page(
            catalog,
            "Price changelog",
            "Price changelog: every LLM API price change",
            f"{len(rows)} recorded price changes of LLM API offerings, newest first, "
            "each with its date and source. Also as an Atom feed.",
            CHANGELOG_URL,
        ),
        rows=rows,
        feed_url=feeds.SITE_FEED_URL,
    )


def _change_rows(catalog: Catalog, offering: Offering) -> list[tuple[str, ChangeRow]]:
    """The changelog rows of one offering, each with its place in the newest-first order."""

    def compute() -> list[tuple[str, ChangeRow]]:
        model, provider = offering.model, offering.provider
        return [
            (
                history.newest_first_key(change),
                ChangeRow(
                    change.date.isoformat(),
                    Link(model.record.name, offering_url(provider.slug, model.slug) + "#" + change.anchor),
                    Link(provider.record.name, provider_url(provider.slug)),
                    [c.text for c in change.changes],
                    change.source,
                    change.note,
                ),
            )
            for change in history.changes(offering)
        ]

    return per_offering("changelog", offering, catalog.site, compute)


def deprecations_view(catalog: Catalog) -> DeprecationsView:
    rows: list[DeprecationRow] = []
    for offering in lifecycle.deprecations(catalog):
        record = offering.record
        badge = lifecycle.badge(offering, catalog)
        replacement = (
            Link(badge.replacement_name, badge.replacement_url)
            if badge and badge.replacement_name and badge.replacement_url
            else None
        )
        rows.append(
            DeprecationRow(
                Link(offering.model.record.name, offering_url(offering.provider.slug, offering.model.slug)),
                Link(offering.provider.record.name, provider_url(offering.provider.slug)),
                record.model_id,
                record.status.value.capitalize() if badge else "Generally available",
                record.deprecated_on.isoformat() if record.deprecated_on else "Not documented",
                record.retires_on.isoformat() if record.retires_on else "Not announced",
                replacement,
            )
        )
    return DeprecationsView(
        page=_page(
            catalog,
            "Deprecations",
            "Deprecated and retired LLM API models, by retirement date",
            f"{len(rows)} LLM API offerings that are deprecated or retired, soonest retirement "
            "first, with their replacements.",
            DEPRECATIONS_URL,
        ),
        rows=rows,
    )


def api_docs_view(catalog: Catalog) -> ApiDocsView:
    every = list(catalog.offerings.values())
    offering = next((o for o in every if o.record.history), every[0] if every else None)  # one with changes
    return ApiDocsView(
        page=_page(
            catalog,
            "JSON API",
            "JSON API and CSV export: every LLM API price as data",
            "A static, versioned JSON API of every model, provider and offering with prices, "
            "provenance and history; a CSV export; JSON Schemas; curl and Python examples.",
            API_DOCS_URL,
        ),
        base=catalog.site.base_url + api.BASE,
        version=api.VERSION,
        example_offering=api.offering_path(*offering.key) if offering else None,
        example_model=api.model_path(offering.model.slug) if offering else None,
        example_provider=api.provider_path(offering.provider.slug) if offering else None,
        schemas=[Link(name, api.BASE + path) for name, path in api.schema_paths()],
        csv_columns=list(api.CSV_COLUMNS),
    )
