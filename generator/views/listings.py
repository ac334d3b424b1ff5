"""Whole-catalog pages: home and every offering, compare, search, 404."""

from __future__ import annotations

from ..catalog import Catalog
from ..deps import shared
from ..routes import (
    ALL_URL,
    COMPARE_URL,
    DATA_URL,
    SEARCH_URL,
)
from .common import CAPABILITY_LABELS, STATUS_LABELS, _breadcrumbs, offering_row
from .types import Choice, Filters, HomeView, Link, Page, ToolView

HOME_ROWS = 100  # rows the home page renders; the script pages through the rest from the data file


def _choices(values: dict[str, str]) -> list[Choice]:
    return [Choice(v, label) for v, label in sorted(values.items(), key=lambda kv: kv[1].lower())]


def filters(catalog: Catalog) -> Filters:
    """The choices of the catalog table's filters; the home page and /offerings/ share them."""
    return shared(catalog.memo, "filters", lambda: _filters(catalog))


def _filters(catalog: Catalog) -> Filters:
    capabilities = {c.value for o in catalog.offerings.values() for c in o.capabilities}
    modalities = {
        m.value
        for model in catalog.models.values()
        for m in (*model.record.modalities.input, *model.record.modalities.output)
    }
    statuses = {o.record.status.value for o in catalog.offerings.values()}
    return Filters(
        providers=_choices({p.slug: p.record.name for p in catalog.providers.values() if p.offerings}),
        creators=_choices({c.slug: c.record.name for c in catalog.creators.values() if c.models}),
        capabilities=_choices({c: CAPABILITY_LABELS[c] for c in capabilities}),
        modalities=_choices({m: m for m in modalities}),
        statuses=[Choice(s, label) for s, label in STATUS_LABELS.items() if s in statuses],
    )


def home_view(catalog: Catalog, everything: bool = False) -> HomeView:
    """The catalog table: the home page shows the first rows, /offerings/ every row."""
    site = catalog.site
    ordered = sorted(
        catalog.offerings.values(),
        key=lambda o: (o.model.record.name.lower(), o.model.slug, o.provider.slug),
    )
    shown = ordered if everything else ordered[:HOME_ROWS]
    total = len(ordered)
    description = (
        f"{total} LLM API offerings from {len(catalog.providers)} providers: "
        "prices per 1M tokens with sources, model IDs, setup code and gotchas."
    )
    page = (
        Page(
            title=f"Every LLM API offering ({total}) — {site.title}",
            description=f"All {total} LLM API offerings in one table, to filter and sort: "
            "input, output and cached-input prices per 1M tokens, model IDs and context windows.",
            url=ALL_URL,
            edit_url=None,
            breadcrumbs=_breadcrumbs(Link("Every offering", ALL_URL)),
            scripts=("catalog.js",),
        )
        if everything
        else Page(
            title=f"{site.title}: LLM API prices and setup for every provider",
            description=description,
            url="/",
            edit_url=None,
            scripts=("catalog.js",),
        )
    )
    return HomeView(
        page=page,
        rows=[offering_row(o, site) for o in shown],
        counts=(total, len(catalog.models), len(catalog.providers)),
        filters=filters(catalog),
        data_url=DATA_URL,
        all_url=None if everything or total <= HOME_ROWS else ALL_URL,
    )


def compare_view(catalog: Catalog) -> ToolView:
    return ToolView(
        page=Page(
            title=f"Compare LLM API offerings and models — {catalog.site.title}",
            description="Two to four LLM API offerings or models side by side: prices, limits, capabilities and specs.",
            url=COMPARE_URL,
            edit_url=None,
            breadcrumbs=_breadcrumbs(Link("Compare", COMPARE_URL)),
            scripts=("catalog.js",),
        ),
        data_url=DATA_URL,
    )


def search_view(catalog: Catalog) -> ToolView:
    return ToolView(
        page=Page(
            title=f"Search — {catalog.site.title}",
            description="Search every model, provider and offering in the directory.",
            url=SEARCH_URL,
            edit_url=None,
            breadcrumbs=_breadcrumbs(Link("Search", SEARCH_URL)),
        ),
        data_url=DATA_URL,
    )


def not_found_view(catalog: Catalog) -> Page:
    return Page(
        title=f"Page not found — {catalog.site.title}",
        description="This page does not exist.",
        url="/404.html",
        edit_url=None,
    )
