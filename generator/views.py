"""View models: exactly what each template shows, already formatted.

Templates never see schema records or catalog objects; they get these
dataclasses, whose strings are final (money formatted once by
:func:`generator.money.format_usd`, Markdown rendered safely by
:mod:`generator.text`, code highlighted by Pygments). That keeps logic out of
templates and makes every number on a page come from one place.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from markupsafe import Markup, escape

from . import history, lifecycle, schema
from .catalog import Catalog, Creator, Model, Offering, PriceFact, Provider
from .deps import Memo, shared
from .highlight import highlight_code
from .history_chart import history_chart
from .lifecycle import Badge
from .money import format_usd
from .pricing_math import Usage, format_cost, period_cost_pico, rates_for, request_cost_pico
from .recipes import recipes_for
from .routes import (
    ALL_URL,
    AUDIT_URL,
    COMPARE_URL,
    CREDITS_URL,
    DATA_URL,
    SEARCH_URL,
    creator_url,
    model_url,
    offering_url,
    provider_url,
)
from .text import markdown_block, markdown_inline

CAPABILITY_LABELS = {
    "reasoning": "Reasoning",
    "tool_calling": "Tool calling",
    "structured_output": "Structured output",
    "vision": "Vision input",
    "streaming": "Streaming",
    "prompt_caching": "Prompt caching",
    "batch": "Batch API",
    "code_execution": "Code execution",
    "web_search": "Web search",
    "fine_tuning": "Fine-tuning",
    "audio_input": "Audio input",
    "audio_output": "Audio output",
    "system_prompt": "System prompt",
    "temperature": "Temperature control",
    "embeddings": "Embeddings",
}
STATUS_LABELS = {
    "preview": "Preview",
    "ga": "Generally available",
    "deprecated": "Deprecated",
    "retired": "Retired",
}
CARD_DIMENSIONS = ("input", "output", "cache_read", "batch_input")
CARD_LABELS = {
    "input": "Input / 1M",
    "output": "Output / 1M",
    "cache_read": "Cached input / 1M",
    "batch_input": "Batch input / 1M",
}
ALWAYS_SHOWN = ("input", "output", "cache_read", "batch_input", "batch_output")


@dataclass(frozen=True)
class Link:
    text: str
    url: str


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class PriceCell:
    text: str
    state: str  # number, not_offered, unsourced
    source: str | None
    as_of: str | None
    dataset: str | None
    edit_url: str | None
    disputes: tuple[str, ...] = ()  # "LiteLLM model prices says $1.50": open disagreements


@dataclass(frozen=True)
class PriceRow:
    label: str
    unit: str
    cell: PriceCell


@dataclass(frozen=True)
class Tab:
    id: str
    label: str
    install: str | None
    code: Markup
    raw: str


@dataclass(frozen=True)
class Faq:
    question: str
    answer: Markup
    answer_text: str


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class HistoryRow:
    """One dated set of prices in an offering's history table, newest first."""

    anchor: str
    date: str
    items: list[tuple[str, str]]
    source: str | None
    note: str | None
    current: bool


@dataclass(frozen=True)
class CalcRow:
    """One offering in a cost calculator, with the example usage already priced."""

    label: str
    url: str
    rates: dict[str, object]  # Rates.as_json(): what calc.js reads
    per_request: str
    per_period: str


@dataclass(frozen=True)
class CalcView:
    input_tokens: int
    cached_tokens: int
    output_tokens: int
    requests_per_day: int
    days: int
    rows: list[CalcRow]
    has_batch: bool
    has_tiers: bool


@dataclass(frozen=True)
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


@dataclass(frozen=True)
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


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class CreatorView:
    page: Page
    name: str
    about: Markup
    url: str | None
    models: list[tuple[Link, int, str]]


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class Filters:
    """The options of the catalog table's filters, each a list of (value, label)."""

    providers: list[Choice]
    creators: list[Choice]
    capabilities: list[Choice]
    modalities: list[Choice]
    statuses: list[Choice]


@dataclass(frozen=True)
class HomeView:
    page: Page
    rows: list[OfferingRow]
    counts: tuple[int, int, int]
    filters: Filters
    data_url: str
    all_url: str | None  # the full server-rendered table, when the home page shows only the first rows


@dataclass(frozen=True)
class ToolView:
    """A page whose content the browser assembles (compare, search), with a no-script fallback."""

    page: Page
    data_url: str


@dataclass(frozen=True)
class AuditRow:
    offering: Link
    provider: str
    field: str
    shown: str
    others: str


@dataclass(frozen=True)
class AuditView:
    page: Page
    rows: list[AuditRow]
    offerings: int
    fields: list[tuple[str, int]]


@dataclass(frozen=True)
class DatasetCredit:
    key: str
    name: str
    url: str
    version: str
    license: str
    read: str
    offerings: int


@dataclass(frozen=True)
class CreditsView:
    page: Page
    datasets: list[DatasetCredit]


# --- helpers -------------------------------------------------------------------


def edit_url(site: schema.Site, file: str) -> str:
    return f"{site.repo_url}/edit/{site.edit_branch}/{file}"


def new_file_url(site: schema.Site, file: str) -> str:
    return f"{site.repo_url}/new/{site.edit_branch}?filename={file}"


def contributing_url(site: schema.Site, anchor: str = "") -> str:
    return f"{site.repo_url}/blob/{site.edit_branch}/CONTRIBUTING.md" + (f"#{anchor}" if anchor else "")


def sources(site: schema.Site, *files: str) -> list[Link]:
    """Edit links of the content files a page is made from, first the page's own."""
    return [Link(file, edit_url(site, file)) for file in dict.fromkeys(files)]


UNKNOWN = "Not yet documented"


def unknown(url: str | None, text: str = UNKNOWN) -> str:
    """An unknown value; with ``url``, it links to the file where the value would go."""
    if url is None:
        return text
    return Markup('{} <a class="add" href="{}">add it</a>').format(text, url)


def tokens(value: int | None, edit: str | None = None) -> str:
    return f"{value:,} tokens" if value else unknown(edit)


def short_tokens(value: int | None) -> str:
    if not value:
        return "—"
    if value >= 1_000_000 and value % 1_000_000 == 0:
        return f"{value // 1_000_000}M"
    if value >= 1000:
        return f"{value / 1000:g}K" if (value / 1000) == int(value / 1000) else f"{value:,}"
    return str(value)


def dataset_name(site: schema.Site, key: str | None) -> str | None:
    return site.datasets[key].name if key and key in site.datasets else key


def disputes(site: schema.Site, record: schema.Offering, field_name: str) -> tuple[str, ...]:
    """What other datasets say about one field of an offering, when it differs from what is shown."""
    out = []
    for item in record.disagreements:
        if item.field != field_name:
            continue
        if field_name in schema.PRICE_DIMENSIONS:
            try:
                value = format_usd(Decimal(item.value))
            except ArithmeticError:
                value = item.value
        elif item.value.isdigit():
            value = f"{int(item.value):,} tokens"
        else:
            value = item.value
        out.append(f"{dataset_name(site, item.dataset)} says {value}")
    return tuple(out)


def cell(fact: PriceFact, site: schema.Site, file: str, record: schema.Offering | None = None) -> PriceCell:
    return PriceCell(
        fact.text,
        fact.state,
        fact.source,
        fact.as_of.isoformat() if fact.as_of else None,
        dataset_name(site, fact.dataset),
        edit_url(site, file) if fact.state == "unsourced" else None,
        disputes(site, record, fact.dimension) if record is not None else (),
    )


# The development server keeps rows across builds (generator.build.Warm): a row is
# made from the records of its offering, model, provider and creator and the site
# configuration, and the loader reuses a record while its file is unchanged.
ROWS: Memo | None = None


def offering_row(offering: Offering, site: schema.Site, cheapest: bool = False) -> OfferingRow:
    if ROWS is None:
        return _offering_row(offering, site, cheapest)
    model = offering.model
    made_from = (offering._record, model._record, offering.provider._record, model.creator._record, site)
    return ROWS.get(
        (*map(id, made_from), cheapest), lambda: _offering_row(offering, site, cheapest), keep=made_from
    )


def _offering_row(offering: Offering, site: schema.Site, cheapest: bool) -> OfferingRow:
    model, provider = offering.model, offering.provider
    return OfferingRow(
        url=offering_url(provider.slug, model.slug),
        model=Link(model.record.name, model_url(model.slug)),
        provider=Link(provider.record.name, provider_url(provider.slug)),
        creator=Link(model.creator.record.name, creator_url(model.creator.slug)),
        model_id=offering.record.model_id,
        input=cell(offering.prices["input"], site, offering.file),
        output=cell(offering.prices["output"], site, offering.file),
        cache_read=cell(offering.prices["cache_read"], site, offering.file),
        context=short_tokens(offering.context_window),
        status=offering.record.status.value,
        cheapest=cheapest,
        badge=lifecycle.badge(offering),
    )


def tabs_for(provider: schema.Provider, model_id: str, prefix: str = "tab") -> list[Tab]:
    return [
        Tab(
            f"{prefix}-{r.language}", r.label, r.install, highlight_code(r.code, r.language, model_id), r.code
        )
        for r in recipes_for(provider, model_id)
    ]


def model_rows(catalog: Catalog, model: Model) -> list[OfferingRow]:
    """Every offering of ``model``, cheapest first: the same rows on the model page and its offerings."""
    return shared(
        catalog.memo,
        ("model_rows", model.slug),
        lambda: [
            offering_row(o, catalog.site, cheapest=(i == 0 and o.blended is not None))
            for i, o in enumerate(model.offerings)
        ],
    )


def model_specs(
    model: Model, offering: Offering | None = None, *, edit: str | None = None
) -> list[tuple[str, str]]:
    """Spec rows; with ``edit`` (the model file's edit URL) unknown values link to it."""
    record = model.record
    context = offering.context_window if offering else record.context_window
    max_output = offering.max_output if offering else record.max_output
    missing = unknown(edit)
    open_weights = {True: "Yes", False: "No", "unknown": missing}[record.open_weights]
    rows = [
        ("Creator", model.creator.record.name),
        ("Family", record.family or missing),
        ("Released", record.released.isoformat() if record.released else missing),
        ("Knowledge cutoff", record.knowledge_cutoff or missing),
        ("Context window", tokens(context, edit) + _disputed(offering, "context_window")),
        ("Max output", tokens(max_output, edit) + _disputed(offering, "max_output")),
        ("Input", ", ".join(m.value for m in record.modalities.input)),
        ("Output", ", ".join(m.value for m in record.modalities.output)),
        ("Open weights", open_weights),
        ("License", record.license or missing),
        ("Architecture", record.architecture or missing),
        ("Parameters", record.parameters or missing),
    ]
    return rows


def _disputed(offering: Offering | None, field_name: str) -> str:
    if offering is None:
        return ""
    said = [
        f"{item.dataset} says {int(item.value):,}"
        if item.value.isdigit()
        else f"{item.dataset} says {item.value}"
        for item in offering.record.disagreements
        if item.field == field_name
    ]
    return f" (disputed: {'; '.join(said)})" if said else ""


EXAMPLE = Usage(input_tokens=2_000, cached_tokens=0, output_tokens=500, requests=1_000 * 30)
EXAMPLE_PER_DAY, DAYS_PER_MONTH = 1_000, 30


def calc_view(offerings: list[Offering]) -> CalcView:
    """A calculator over ``offerings``, priced for the example usage, cheapest first."""
    priced = []
    for index, offering in enumerate(offerings):
        rates = rates_for(offering)
        one = request_cost_pico(rates, EXAMPLE)
        priced.append(((one is None, one or 0, index), offering, rates))
    priced.sort(key=lambda item: item[0])
    rows = []
    for _, offering, rates in priced:
        one, period = request_cost_pico(rates, EXAMPLE), period_cost_pico(rates, EXAMPLE)
        rows.append(
            CalcRow(
                label=offering.provider.record.name,
                url=offering_url(offering.provider.slug, offering.model.slug),
                rates=rates.as_json(),
                per_request=format_cost(one) if one is not None else "Not yet priced",
                per_period=format_cost(period) if period is not None else "Not yet priced",
            )
        )
    all_rates = [rates for _, _, rates in priced]
    return CalcView(
        input_tokens=EXAMPLE.input_tokens,
        cached_tokens=EXAMPLE.cached_tokens,
        output_tokens=EXAMPLE.output_tokens,
        requests_per_day=EXAMPLE_PER_DAY,
        days=DAYS_PER_MONTH,
        rows=rows,
        has_batch=any("batch_input" in r.base for r in all_rates),
        has_tiers=any(r.tiers for r in all_rates),
    )


def compare_url(*, offerings: Sequence[Offering] = (), models: Sequence[Model] = ()) -> str:
    parts = [f"o={o.provider.slug}/{o.model.slug}" for o in offerings]
    parts += [f"m={m.slug}" for m in models]
    return COMPARE_URL + ("?" + "&".join(parts) if parts else "")


_SHARED_NAMES: list[tuple[Catalog, frozenset[str]]] = []  # the last catalog asked about, and its answer


def model_label(catalog: Catalog, model: Model) -> str:
    """The model's name, with its slug when another model has the same name, so that
    page titles (and search results, and links in feeds) never show two models alike."""
    if not _SHARED_NAMES or _SHARED_NAMES[0][0] is not catalog:
        counts = Counter(m.record.name for m in catalog.models.values())
        shared = {name for name, count in counts.items() if count > 1}
        _SHARED_NAMES[:] = [(catalog, frozenset(shared))]
    name = model.record.name
    return f"{name} ({model.slug})" if name in _SHARED_NAMES[0][1] else name


def _breadcrumbs(*links: Link) -> list[Link]:
    return [Link("Home", "/"), *links]


# --- pages ---------------------------------------------------------------------


def offering_view(catalog: Catalog, offering: Offering) -> OfferingView:
    site = catalog.site
    model, provider, record = offering.model, offering.provider, offering.record
    m_name, p_name = model.record.name, provider.record.name
    prices = offering.prices
    url = offering_url(provider.slug, model.slug)

    def c(dim: str) -> PriceCell:
        return cell(prices[dim], site, offering.file, record)

    input_text, output_text = prices["input"], prices["output"]
    cost_sentence = _cost_sentence(m_name, p_name, input_text, output_text)
    checked = offering.checked_on
    if record.verified:
        freshness = f"Last verified {record.verified.isoformat()}. Next refresh: {site.refresh_cadence}."
    elif checked:
        freshness = f"Prices as of {checked.isoformat()}. Next refresh: {site.refresh_cadence}."
    else:
        freshness = f"Prices not yet dated. Next refresh: {site.refresh_cadence}."
    status_note = None
    if record.status is schema.Status.deprecated:
        when = f" It retires on {record.retires_on.isoformat()}." if record.retires_on else ""
        status_note = f"{p_name} has deprecated this offering.{when}"
    elif record.status is schema.Status.retired:
        status_note = f"{p_name} no longer serves this model."

    intro = f"{p_name} offers {m_name} with {provider.record.pricing_mode} pricing" + (
        f" at {input_text.text} per 1M input tokens." if input_text.usd is not None else "."
    )
    shown = [
        dim for dim in schema.PRICE_DIMENSIONS if dim in ALWAYS_SHOWN or prices[dim].state != "unsourced"
    ]
    price_rows = [
        PriceRow(
            prices[d].label,
            "per 1M tokens" if d not in schema.PER_UNIT else f"per {schema.PER_UNIT[d]}",
            c(d),
        )
        for d in shown
    ]
    tiers = [
        (
            f"Requests above {tier.above:,} input tokens",
            [PriceRow(f.label, "per 1M tokens", cell(f, site, offering.file)) for f in tier.prices],
        )
        for tier in offering.tiers
    ]
    timeline = history.periods(offering)
    history_rows = [
        HistoryRow(
            p.anchor,
            p.date.isoformat(),
            [(schema.PRICE_DIMENSIONS[d], history.amount_text(a)) for d, a in p.prices.items()],
            p.source,
            p.note,
            p.current,
        )
        for p in reversed(timeline)
    ]
    chart = (
        history_chart(timeline, "history-chart", history.last_modified(offering))
        if record.history
        else Markup("")
    )
    variants = [
        (
            v.name,
            v.model_id or record.model_id,
            f"+{v.uplift_percent.normalize():f}%"
            if v.uplift_percent is not None
            else unknown(edit_url(site, offering.file)),
        )
        for v in record.variants
    ]
    capabilities = [CAPABILITY_LABELS[c.value] for c in offering.capabilities]
    faq = _faq(catalog, offering, cost_sentence)
    get_started = [
        Link(f"{p_name} API documentation", provider.record.docs_url or provider.record.url),
        Link(f"{p_name} pricing", provider.record.pricing_url or provider.record.url),
    ]
    others = model_rows(catalog, model)
    return OfferingView(
        page=Page(
            title=f"{model_label(catalog, model)} on {p_name}: price, model ID and setup",
            description=f"{cost_sentence} Model ID {record.model_id}; setup in Python and curl; gotchas, FAQ and specs.",
            url=url,
            edit_url=edit_url(site, offering.file),
            breadcrumbs=_breadcrumbs(Link(m_name, model_url(model.slug)), Link(p_name, url)),
            scripts=("calc.js",),
            indexed=True,
            sources=sources(site, offering.file, model.file, provider.file),
        ),
        model_name=m_name,
        provider_name=p_name,
        freshness=freshness,
        status=STATUS_LABELS[record.status.value],
        status_note=status_note,
        intro=intro,
        provider_blurb=markdown_block(provider.record.description),
        cards=[(CARD_LABELS[d], c(d)) for d in CARD_DIMENSIONS],
        auth=[f"export {name}=…" for name in provider.record.auth_env],
        model_id=record.model_id,
        tabs=tabs_for(provider.record, record.model_id),
        gotchas=[markdown_inline(g) for g in (*provider.record.gotchas, *record.gotchas)],
        price_rows=price_rows,
        tiers=tiers,
        history=history_rows if record.history else [],
        history_chart=chart,
        badge=lifecycle.badge(offering, catalog),
        variants=variants,
        capabilities=capabilities,
        about=markdown_block(model.record.description),
        faq=faq,
        get_started=get_started,
        specs=model_specs(model, offering, edit=edit_url(site, model.file)),
        others=others,
        notes=markdown_block(record.notes),
        withheld=[
            f"{_field_label(w.field.removeprefix('pricing.'))}: {dataset_name(site, w.dataset)} gives {w.value}, "
            f"left out ({w.reason})"
            for w in record.withheld
        ],
        source_file=offering.file,
        calc=calc_view([offering]),
        compare_url=compare_url(offerings=[offering]),
        model_edit_url=edit_url(site, model.file),
    )


def _cost_sentence(m_name: str, p_name: str, i: PriceFact, o: PriceFact) -> str:
    if i.usd is not None and o.usd is not None:
        return f"On {p_name}, {m_name} costs {i.text} per 1M input tokens and {o.text} per 1M output tokens."
    if i.usd is not None:
        return (
            f"On {p_name}, {m_name} costs {i.text} per 1M input tokens; the output price is {o.text.lower()}."
        )
    return f"The token prices of {m_name} on {p_name} are not yet sourced."


def _faq(catalog: Catalog, offering: Offering, cost_sentence: str) -> list[Faq]:
    model, provider = offering.model, offering.provider
    m_name, p_name = model.record.name, provider.record.name
    record = model.record

    def plain(q: str, a: str) -> Faq:
        return Faq(q, Markup(escape(a)), a)

    context = offering.context_window
    context_answer = (
        f"{m_name} accepts up to {context:,} tokens per request on {p_name}."
        if context
        else f"The context window of {m_name} on {p_name} is not yet documented here."
    )
    family = f" as part of the {record.family} family" if record.family else ""
    if record.open_weights is True:
        weights = f"Yes. {m_name}'s weights are published" + (
            f" under the {record.license} license." if record.license else "."
        )
    elif record.open_weights is False:
        weights = (
            f"No. {m_name} is available only through APIs such as {p_name}'s; its weights are not published."
        )
    else:
        weights = f"Whether {m_name}'s weights are published is not yet documented here."
    items = [
        plain(f"What does {m_name} cost on {p_name}?", cost_sentence),
        plain(f"What is the context window of {m_name} on {p_name}?", context_answer),
        plain(f"Who created {m_name}?", f"{m_name} was created by {model.creator.record.name}{family}."),
        plain(f"Is {m_name} open source?", weights),
        plain(
            f"Which model ID do I use for {m_name} on {p_name}?",
            f"Send the model ID {offering.record.model_id} to {p_name}'s API.",
        ),
    ]
    items += [Faq(f.q, markdown_inline(f.a), f.a) for f in offering.record.faq]
    return items


def model_view(catalog: Catalog, model: Model) -> ModelView:
    rows = model_rows(catalog, model)
    site = catalog.site
    name = model.record.name
    cheapest = model.offerings[0] if model.offerings and model.offerings[0].blended is not None else None
    summary = f"{name} is offered by {len(model.offerings)} provider(s)" + (
        f"; the cheapest is {cheapest.provider.record.name} at {cheapest.prices['input'].text} per 1M input tokens."
        if cheapest
        else "."
    )
    return ModelView(
        page=Page(
            title=f"{model_label(catalog, model)}: prices on every provider, specs and model IDs",
            description=f"{summary} Specs, capabilities and model IDs by {model.creator.record.name}"
            + (f" (record {model.slug})." if model_label(catalog, model) != name else "."),
            url=model_url(model.slug),
            edit_url=edit_url(site, model.file),
            breadcrumbs=_breadcrumbs(Link(name, model_url(model.slug))),
            scripts=("calc.js",) if model.offerings else (),
            indexed=True,
            sources=sources(site, model.file, model.creator.file),
        ),
        name=name,
        creator=Link(model.creator.record.name, creator_url(model.creator.slug)),
        about=markdown_block(model.record.description),
        specs=model_specs(model, edit=edit_url(site, model.file)),
        capabilities=[CAPABILITY_LABELS[c.value] for c in model.record.capabilities],
        rows=rows,
        links=[Link(link.title, link.url) for link in model.record.links],
        calc=calc_view(model.offerings) if model.offerings else None,
        compare_url=compare_url(models=[model]),
    )


def provider_view(catalog: Catalog, provider: Provider) -> ProviderView:
    site = catalog.site
    record = provider.record
    rule = record.model_id
    facts: list[tuple[str, Markup]] = [
        ("API shape", escape(record.api.value)),
        ("Base URL", escape(record.base_url or "SDK default")),
        ("Credentials", escape(", ".join(record.auth_env))),
        ("Pricing", escape(record.pricing_mode)),
    ]
    for label, url in (
        ("Website", record.url),
        ("Pricing page", record.pricing_url),
        ("Documentation", record.docs_url),
    ):
        if url:
            facts.append((label, Markup('<a href="{0}" rel="noopener">{0}</a>').format(url)))
    if record.sdk.python:
        facts.append(("Python SDK", escape(record.sdk.python)))
    if record.sdk.javascript:
        facts.append(("JavaScript SDK", escape(record.sdk.javascript)))
    example = provider.offerings[0].record.model_id if provider.offerings else rule.example
    return ProviderView(
        page=Page(
            title=f"{record.name} API: models, prices, model IDs and gotchas",
            description=f"Every model {record.name} offers ({len(provider.offerings)}), with prices per 1M tokens, "
            f"the model-ID format, setup recipes and known gotchas.",
            url=provider_url(provider.slug),
            edit_url=edit_url(site, provider.file),
            breadcrumbs=_breadcrumbs(Link(record.name, provider_url(provider.slug))),
            indexed=True,
            sources=sources(site, provider.file),
        ),
        name=record.name,
        about=markdown_block(record.description),
        facts=facts,
        model_id_rule=(markdown_inline(rule.hint), example),
        gotchas=[markdown_inline(g) for g in record.gotchas],
        auth=[f"export {name}=…" for name in record.auth_env],
        tabs=tabs_for(record, example),
        rows=[offering_row(o, site) for o in provider.offerings],
    )


def creator_view(catalog: Catalog, creator: Creator) -> CreatorView:
    site = catalog.site
    slug = creator.slug
    models = [
        (
            Link(m.record.name, model_url(m.slug)),
            len(m.offerings),
            m.record.released.isoformat() if m.record.released else "",
        )
        for m in sorted(
            creator.models, key=lambda m: (m.record.released or dt.date.min, m.slug), reverse=True
        )
    ]
    return CreatorView(
        page=Page(
            title=f"{creator.record.name}: models and where to call them",
            description=f"{len(creator.models)} model(s) by {creator.record.name}, with every provider that offers them and their prices.",
            url=creator_url(slug),
            edit_url=edit_url(site, creator.file),
            breadcrumbs=_breadcrumbs(Link(creator.record.name, creator_url(slug))),
            indexed=True,
            sources=sources(site, creator.file),
        ),
        name=creator.record.name,
        about=markdown_block(creator.record.description),
        url=creator.record.url,
        models=models,
    )


HOME_ROWS = 100  # rows the home page renders; the script pages through the rest from the data file


def _choices(values: dict[str, str]) -> list[Choice]:
    return [Choice(v, label) for v, label in sorted(values.items(), key=lambda kv: kv[1].lower())]


def filters(catalog: Catalog) -> Filters:
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


def _field_label(name: str) -> str:
    if name in schema.PRICE_DIMENSIONS:
        return schema.PRICE_DIMENSIONS[name]
    return {"context_window": "Context window", "max_output": "Max output"}.get(name, name)


def _shown(offering: Offering, name: str) -> str:
    if name in offering.prices:
        return offering.prices[name].text
    value = offering.context_window if name == "context_window" else offering.max_output
    return f"{value:,} tokens" if value else "Not yet documented"


def audit_view(catalog: Catalog) -> AuditView:
    site = catalog.site
    rows: list[AuditRow] = []
    fields: dict[str, int] = {}
    offerings = 0
    for offering in catalog.offerings.values():
        record = offering.record
        if not record.disagreements:
            continue
        offerings += 1
        for name in dict.fromkeys(d.field for d in record.disagreements):
            label = _field_label(name)
            fields[label] = fields.get(label, 0) + 1
            said = (
                disputes(site, record, name)
                if name in schema.PRICE_DIMENSIONS
                else tuple(
                    f"{dataset_name(site, d.dataset)} says {int(d.value):,} tokens"
                    if d.value.isdigit()
                    else d.value
                    for d in record.disagreements
                    if d.field == name
                )
            )
            rows.append(
                AuditRow(
                    Link(
                        offering.model.record.name, offering_url(offering.provider.slug, offering.model.slug)
                    ),
                    offering.provider.record.name,
                    label,
                    _shown(offering, name),
                    "; ".join(said),
                )
            )
    return AuditView(
        page=Page(
            title=f"Where sources disagree — {site.title}",
            description=(
                f"{len(rows)} values on {offerings} offerings where public datasets give another price or limit "
                "than the one shown."
            ),
            url=AUDIT_URL,
            edit_url=None,
            breadcrumbs=_breadcrumbs(Link("Where sources disagree", AUDIT_URL)),
        ),
        rows=rows,
        offerings=offerings,
        fields=sorted(fields.items(), key=lambda item: (-item[1], item[0])),
    )


def credits_view(catalog: Catalog) -> CreditsView:
    site = catalog.site
    counts: dict[str, int] = {}
    for offering in catalog.offerings.values():
        if offering.record.dataset:
            counts[offering.record.dataset] = counts.get(offering.record.dataset, 0) + 1
    datasets = [
        DatasetCredit(key, d.name, d.url, d.version, d.license, d.read.isoformat(), counts.get(key, 0))
        for key, d in sorted(site.datasets.items())
    ]
    return CreditsView(
        page=Page(
            title=f"Credits and data sources — {site.title}",
            description="The public datasets this directory's prices were read from, their versions and licenses.",
            url=CREDITS_URL,
            edit_url=None,
            breadcrumbs=_breadcrumbs(Link("Credits", CREDITS_URL)),
        ),
        datasets=datasets,
    )
