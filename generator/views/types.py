"""The view-model dataclasses: exactly what each template shows, already formatted.

They are plain dataclasses, not frozen ones, though nothing changes them once
made: a page makes dozens, a frozen dataclass takes four times as long to
make, and at 10,000 offering pages that was a tenth of the time spent in views.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup

from ..lifecycle import Badge
from ..paging import Pager


@dataclass
class Link:
    text: str
    url: str


@dataclass
class Page:
    """What base.html needs for every page.

    ``edit_url`` opens the page's main content file in the repository's editor;
    ``sources`` lists every content file the page is made from, each with its
    own edit link.
    """

    title: str
    description: str
    url: str
    edit_url: str | None
    breadcrumbs: list[Link] = field(default_factory=list)
    scripts: tuple[str, ...] = ()  # page scripts under static/, besides site.js on every page
    indexed: bool = False  # whether the search index reads this page's body
    sources: list[Link] = field(default_factory=list)


@dataclass
class PriceCell:
    text: str
    state: str  # number, not_offered, unsourced
    source: str | None
    as_of: str | None
    dataset: str | None
    edit_url: str | None
    disputes: tuple[str, ...] = ()  # "LiteLLM model prices says $1.50": open disagreements


@dataclass
class PriceRow:
    label: str
    unit: str
    cell: PriceCell


@dataclass
class Tab:
    id: str
    label: str
    install: str | None
    code: Markup
    raw: str


@dataclass
class Faq:
    question: str
    answer: Markup
    answer_text: str  # the answer as plain text, as structured data gives it (its tags stripped)


@dataclass
class OfferingRow:
    """One line of a table of offerings (home, model, provider pages)."""

    url: str
    model: Link
    provider: Link
    creator: Link
    model_id: str
    input: PriceCell
    output: PriceCell
    cache_read: PriceCell
    context: str
    status: str
    cheapest: bool = False
    badge: Badge | None = None


@dataclass
class HistoryRow:
    """One dated set of prices in an offering's history table, newest first."""

    anchor: str
    date: str
    items: list[tuple[str, str]]
    source: str | None
    note: str | None
    current: bool


@dataclass
class CalcRow:
    """One offering in a cost calculator, with the example usage already priced."""

    label: str
    url: str
    rates: dict[str, object]  # Rates.as_json(): what calc.js reads
    per_request: str
    per_period: str


@dataclass
class CalcView:
    input_tokens: int
    cached_tokens: int
    output_tokens: int
    requests_per_day: int
    days: int
    rows: list[CalcRow]
    has_batch: bool
    has_tiers: bool


@dataclass
class OfferingView:
    page: Page
    model_name: str
    provider_name: str
    freshness: str
    status: str
    status_note: str | None
    intro: str
    provider_blurb: Markup
    cards: list[tuple[str, PriceCell]]
    auth: list[str]
    model_id: str
    tabs: list[Tab]
    gotchas: list[Markup]
    price_rows: list[PriceRow]
    tiers: list[tuple[str, list[PriceRow]]]
    history: list[HistoryRow]
    variants: list[tuple[str, str, str]]
    capabilities: list[str]
    about: Markup
    faq: list[Faq]
    get_started: list[Link]
    specs: list[tuple[str, str]]
    others: list[OfferingRow]
    notes: Markup
    source_file: str
    calc: CalcView
    compare_url: str
    model_edit_url: str
    withheld: list[str] = field(default_factory=list)  # upstream values left out, with the reason
    history_chart: Markup = field(default_factory=Markup)
    badge: Badge | None = None


@dataclass
class ModelView:
    page: Page
    name: str
    creator: Link
    about: Markup
    specs: list[tuple[str, str]]
    capabilities: list[str]
    rows: list[OfferingRow]
    links: list[Link]
    calc: CalcView | None
    compare_url: str


@dataclass
class ProviderView:
    page: Page
    name: str
    about: Markup
    facts: list[tuple[str, Markup]]
    model_id_rule: tuple[Markup, str]
    gotchas: list[Markup]
    auth: list[str]
    tabs: list[Tab]
    rows: list[OfferingRow]


@dataclass
class CreatorView:
    page: Page
    name: str
    about: Markup
    url: str | None
    models: list[tuple[Link, int, str]]


@dataclass
class Choice:
    value: str
    label: str


@dataclass
class Filters:
    """The options of the catalog table's filters, each a list of (value, label)."""

    providers: list[Choice]
    creators: list[Choice]
    capabilities: list[Choice]
    modalities: list[Choice]
    statuses: list[Choice]


@dataclass
class HomeView:
    page: Page
    rows: list[OfferingRow]
    counts: tuple[int, int, int]
    filters: Filters
    data_url: str
    all_url: str | None  # the full server-rendered table, when the home page shows only the first rows
    first: int = 1  # the place of the first row shown, from 1
    pager: Pager | None = None  # the pages of /offerings/, when there are several


@dataclass
class ToolView:
    """A page whose content the browser assembles (compare, search), with a no-script fallback."""

    page: Page
    data_url: str


@dataclass
class AuditRow:
    offering: Link
    provider: str
    field: str
    shown: str
    others: str


@dataclass
class AuditView:
    page: Page
    rows: list[AuditRow]
    offerings: int
    fields: list[tuple[str, int]]


@dataclass
class DatasetCredit:
    key: str
    name: str
    url: str
    version: str
    license: str
    read: str
    offerings: int


@dataclass
class CreditsView:
    page: Page
    datasets: list[DatasetCredit]
