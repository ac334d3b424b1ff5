"""Whole-catalog pages: home and every offering, compare, search, 404."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import compress, repeat
from operator import attrgetter, is_

from .. import paging
from ..catalog import SELECTIONS, Catalog, Offering, chosen, derived
from ..deps import note, unshared
from ..routes import (
    ALL_URL,
    COMPARE_URL,
    DATA_URL,
    SEARCH_URL,
    all_offerings_url,
)
from ..schema import Capability
from .common import CAPABILITY_LABELS, STATUS_LABELS, _breadcrumbs, offering_row
from .types import Choice, Filters, HomeView, Link, Page, ToolView

HOME_ROWS = 100  # rows the home page renders; the script pages through the rest from the data file


def _choices(values: dict[str, str]) -> list[Choice]:
    return [Choice(v, label) for v, label in sorted(values.items(), key=lambda kv: kv[1].lower())]


def filters(catalog: Catalog) -> Filters:
    """The choices of the catalog table's filters; the home page and /offerings/ share them.

    They are made from every offering, but a page notes only ``("listing",
    "filters")``, whose fingerprint is the choices themselves (:func:`fingerprint`):
    a page of its rows does not depend on the files of the other offerings
    unless the choices change. (Noting every file made each of the pages of
    /offerings/ depend on the whole catalog: at 100,000 offerings, then 200
    pages of 100,000 keys each, most of the build state.)
    """
    note(("listing", "filters"))
    return derived(catalog, "filters", _filters, _filters_after).filters


@dataclass(frozen=True)
class _Choosing:
    """The filters, and what their choices of capability and status are counted from."""

    filters: Filters
    lists: Counter[int]  # offerings by the identity of their list of capabilities (most share their model's)
    by_id: dict[int, Sequence[Capability]]
    statuses: Counter[str]  # offerings by status


def _filters(catalog: Catalog) -> _Choosing:
    # (chains of map that run in C: this looks at every offering)
    offerings = list(catalog.offerings.values())
    own = list(map(_CAPABILITIES, map(_RECORD, offerings)))  # None: its model's
    inherited = list(map(_MODEL_CAPABILITIES, compress(offerings, map(is_, own, repeat(None)))))
    lists = Counter(map(id, own)) + Counter(map(id, inherited))
    del lists[id(None)]
    by_id = dict(zip(map(id, own), own, strict=True)) | dict(zip(map(id, inherited), inherited, strict=True))
    statuses = Counter(map(_STATUS, map(_RECORD, offerings)))
    modalities = {
        m.value
        for model in catalog.models.values()
        for m in (*model.record.modalities.input, *model.record.modalities.output)
    }
    return _Choosing(
        Filters(
            providers=_choices({p.slug: p.record.name for p in catalog.providers.values() if p.offerings}),
            creators=_choices({c.slug: c.record.name for c in catalog.creators.values() if c.models}),
            capabilities=_capability_choices(lists, by_id),
            modalities=_choices({m: m for m in modalities}),
            statuses=_status_choices(statuses),
        ),
        lists,
        by_id,
        statuses,
    )


def _filters_after(before: _Choosing, edits: list[tuple[Offering, Offering]]) -> _Choosing:
    """The filters after offerings were replaced (no model, provider or creator changed)."""
    lists, by_id, statuses = before.lists.copy(), dict(before.by_id), before.statuses.copy()
    for old, new in edits:
        lists[id(old.unnoted_capabilities())] -= 1
        statuses[old._record.status.value] -= 1
        added = new.unnoted_capabilities()
        lists[id(added)] += 1
        by_id[id(added)] = added
        statuses[new._record.status.value] += 1
    lists, statuses = +lists, +statuses  # (without the counts that fell to 0)
    capabilities, status = _capability_choices(lists, by_id), _status_choices(statuses)
    same = capabilities == before.filters.capabilities and status == before.filters.statuses
    chosen = before.filters if same else replace(before.filters, capabilities=capabilities, statuses=status)
    return _Choosing(chosen, lists, {i: by_id[i] for i in lists}, statuses)


def _capability_choices(lists: Counter[int], by_id: dict[int, Sequence[Capability]]) -> list[Choice]:
    # enum members are gathered, then named: a ``.value`` per offering was most of the time
    capabilities = {c.value for c in set().union(*(by_id[i] for i in lists))}
    return _choices({c: CAPABILITY_LABELS[c] for c in capabilities})


def _status_choices(statuses: Counter[str]) -> list[Choice]:
    return [Choice(s, label) for s, label in STATUS_LABELS.items() if s in statuses]


_RECORD = attrgetter("_record")
_STATUS = attrgetter("status._value_")  # (an enum member's hash is a Python call; its text's is not)
_CAPABILITIES = attrgetter("capabilities")
_MODEL_CAPABILITIES = attrgetter("model._record.capabilities")
_PROVIDER_SLUG = attrgetter("provider.slug")
_KEY = attrgetter("key")


def ordered(catalog: Catalog) -> list[Offering]:
    """Every offering in the catalog table's order (by model name), noting nothing (see :func:`rows`)."""
    return unshared(catalog.memo, "ordered offerings", lambda: _ordered(catalog))


def _ordered(catalog: Catalog) -> list[Offering]:
    """By model name, model slug and provider slug: the models in that order, each one's offerings
    by provider (a key per model and a key read in C per offering, not a tuple per offering)."""
    models = sorted(catalog.models.values(), key=lambda m: (m.record.name.lower(), m.slug))
    return [o for m in models for o in sorted(m._offerings, key=_PROVIDER_SLUG)]


def rows(catalog: Catalog, first: int, count: int) -> list[Offering]:
    """The offerings of the catalog table from place ``first`` (from 0), at most ``count``.

    The page notes ``("listing", "rows <first> <count>")``, whose fingerprint
    names those offerings in order; each row notes its own files as it renders.
    """
    note(("listing", f"rows {first} {count}"))
    return ordered(catalog)[first : first + count]


def fingerprint(catalog: Catalog, part: str) -> str:
    """The fingerprint of ``("listing", part)``: the filters' choices, which offerings are on a part
    of the table, or what a selection chose."""
    if part == "filters":
        text = repr(filters(catalog))
    elif part in SELECTIONS:
        found = chosen(catalog, part)
        text = repr(sorted(found.items()) if isinstance(found, dict) else [o.key for o in found])
    else:
        first, count = map(int, part.removeprefix("rows ").split())
        text = "\n".join(map("\0".join, map(_KEY, ordered(catalog)[first : first + count])))
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def home_view(catalog: Catalog, everything: bool = False, number: int = 1) -> HomeView:
    """The catalog table: the home page shows the first rows, page ``number`` of /offerings/ its
    share of every row (see :mod:`generator.paging`)."""
    site = catalog.site
    total = len(catalog.offerings)  # notes ("all", "offerings")
    description = (
        f"{total} LLM API offerings from {len(catalog.providers)} providers: "
        "prices per 1M tokens with sources, model IDs, setup code and gotchas."
    )
    pages = paging.count(total, paging.OFFERINGS_PER_PAGE) if everything else 1
    first = (number - 1) * paging.OFFERINGS_PER_PAGE
    shown = rows(catalog, first, paging.OFFERINGS_PER_PAGE) if everything else rows(catalog, 0, HOME_ROWS)
    page = (
        _all_page(catalog, total, number, pages, first, len(shown))
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
        first=first + 1,
        pager=paging.pager(number, pages, all_offerings_url),
    )


def _all_page(catalog: Catalog, total: int, number: int, pages: int, first: int, shown: int) -> Page:
    """Page ``number`` of /offerings/: one table of every offering while they fit on one page."""
    what = "input, output and cached-input prices per 1M tokens, model IDs and context windows."
    if pages == 1:
        title = f"Every LLM API offering ({total})"
        description = f"All {total} LLM API offerings in one table, to filter and sort: {what}"
    else:
        title = f"Every LLM API offering (page {number} of {pages})"
        description = (
            f"LLM API offerings {first + 1}–{first + shown} of {total}, by model name, in a table to "
            f"filter and sort (the filters search all of them): {what}"
        )
    url = all_offerings_url(number)
    crumbs = _breadcrumbs(Link("Every offering", ALL_URL))
    if number > 1:
        crumbs.append(Link(f"Page {number}", url))
    return Page(
        title=f"{title} — {catalog.site.title}",
        description=description,
        url=url,
        edit_url=None,
        breadcrumbs=crumbs,
        scripts=("catalog.js",),
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
