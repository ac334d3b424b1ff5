"""View models of the whole-site pages: the price changelog, deprecations, and the API guide.

Like :mod:`generator.views`, these build final strings for templates; the
facts come from :mod:`generator.history` and :mod:`generator.lifecycle` so the
pages agree with the offering pages, the feeds and the JSON API.

Like :mod:`generator.views.types`, plain dataclasses: they are made for every page.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import api, changelog, feeds, history, lifecycle, paging
from .catalog import Catalog, Offering
from .routes import (
    API_DOCS_URL,
    CHANGELOG_URL,
    DEPRECATIONS_URL,
    changelog_url,
    offering_url,
    provider_url,
)
from .views import Link, Page
from .views.common import per_offering


@dataclass
class ChangeRow:
    date: str
    offering: Link
    provider: Link
    changes: list[str]
    source: str | None
    note: str | None


@dataclass
class MonthLink:
    link: Link
    changes: int


@dataclass
class ChangelogView:
    """The changelog's front page: the newest changes, and every month that has an archive."""

    page: Page
    rows: list[ChangeRow]
    feed_url: str
    total: int
    months: list[MonthLink]


@dataclass
class ChangelogMonthView:
    """A page of the archive of one month."""

    page: Page
    heading: str
    rows: list[ChangeRow]
    total: int  # the changes of the month
    first: int  # the place in the month of the first row shown, from 1
    pager: paging.Pager | None
    newer: Link | None  # the archives of the months either side
    older: Link | None


@dataclass
class DeprecationRow:
    offering: Link
    provider: Link
    model_id: str
    status: str
    announced: str
    retires: str
    replacement: Link | None


@dataclass
class DeprecationsView:
    page: Page
    rows: list[DeprecationRow]


@dataclass
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


MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December")  # fmt: skip


def month_name(month: str) -> str:
    """ "2026-05" -> "May 2026" (in English whatever the locale, as every page is)."""
    return f"{MONTH_NAMES[int(month[5:7]) - 1]} {month[:4]}"


def changelog_view(catalog: Catalog) -> ChangelogView:
    found = changelog.index(catalog)
    changelog.read("newest")
    changelog.read("counts")
    total = found.total
    return ChangelogView(
        page=_page(
            catalog,
            "Price changelog",
            "Price changelog: every LLM API price change",
            f"The newest of {total} recorded price changes of LLM API offerings, each with its date "
            "and source, and every change in an archive by month. Also as an Atom feed.",
            CHANGELOG_URL,
        ),
        rows=_rows(catalog, found.newest()),
        feed_url=feeds.SITE_FEED_URL,
        total=total,
        months=[MonthLink(Link(month_name(m), changelog_url(m)), len(e)) for m, e in found.months.items()],
    )


def changelog_month_view(catalog: Catalog, month: str, number: int) -> ChangelogMonthView:
    found = changelog.index(catalog)
    changelog.read(month)
    changelog.read(f"around {month}")
    months = list(found.months)
    place, pages, total = months.index(month), found.pages(month), len(found.months[month])
    name = month_name(month)
    first = (number - 1) * paging.CHANGES_PER_PAGE + 1
    shown = found.page(month, number)
    crumbs = [Link("Home", "/"), Link("Price changelog", CHANGELOG_URL), Link(name, changelog_url(month))]
    if number > 1:
        crumbs.append(Link(f"Page {number}", changelog_url(month, number)))
    of_pages = f" (page {number} of {pages})" if pages > 1 else ""
    what = f"LLM API price changes recorded in {name}"
    what = f"{what}, {first}–{first + len(shown) - 1} of {total}" if pages > 1 else f"The {total} {what}"
    return ChangelogMonthView(
        page=Page(
            title=f"LLM API price changes of {name}{of_pages} — {catalog.site.title}",
            description=f"{what}, newest first, each with its date and source.",
            url=changelog_url(month, number),
            edit_url=None,
            breadcrumbs=crumbs,
        ),
        heading=f"Price changes of {name}",
        rows=_rows(catalog, shown),
        total=total,
        first=first,
        pager=paging.pager(number, pages, lambda n: changelog_url(month, n)),
        newer=Link(month_name(months[place - 1]), changelog_url(months[place - 1])) if place else None,
        older=Link(month_name(months[place + 1]), changelog_url(months[place + 1]))
        if place + 1 < len(months)
        else None,
    )


def _rows(catalog: Catalog, entries: list[changelog.Entry]) -> list[ChangeRow]:
    offerings = catalog.offerings
    return [_change_row(catalog, offerings[key], place) for _, key, place in entries]


def _change_row(catalog: Catalog, offering: Offering, place: int) -> ChangeRow:
    """The changelog row of the change at ``place`` of the offering's changes (oldest first).

    Made one change at a time: an offering's changes are on the pages of different months."""

    def compute() -> ChangeRow:
        model, provider = offering.model, offering.provider
        change = history.timeline(offering)[1][place]
        return ChangeRow(
            change.date.isoformat(),
            Link(model.record.name, offering_url(provider.slug, model.slug) + "#" + change.anchor),
            Link(provider.record.name, provider_url(provider.slug)),
            [c.text for c in change.changes],
            change.source,
            change.note,
        )

    return per_offering(f"changelog {place}", offering, catalog.site, compute)


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
