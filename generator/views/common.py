"""Helpers shared by every page's view model: links, price cells, offering rows, specs, the calculator."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any, TypeVar

from markupsafe import Markup

from .. import lifecycle, schema
from ..catalog import Catalog, Model, Offering, PriceFact
from ..deps import Memo, shared
from ..highlight import highlight_code
from ..money import format_usd
from ..pricing_math import Usage, format_cost, period_cost_pico, rates_for, request_cost_pico
from ..recipes import recipes_for
from ..routes import (
    COMPARE_URL,
    creator_url,
    model_url,
    offering_url,
    provider_url,
)
from .types import CalcRow, CalcView, Link, OfferingRow, PriceCell, Tab

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
T = TypeVar("T")
ALWAYS_SHOWN = ("input", "output", "cache_read", "batch_input", "batch_output")


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


def keep_rows_in(memo: Memo | None) -> None:
    """Reuse offering rows across builds through ``memo`` (None: make every row anew)."""
    global ROWS
    ROWS = memo


def per_offering(name: str, offering: Offering, site: schema.Site, compute: Callable[[], T]) -> T:
    """``compute()``, a value made only from the records of ``offering``, its model, provider and
    creator and the site configuration; kept across builds while those are unchanged (see ROWS)."""
    if ROWS is None:
        return compute()
    model = offering.model
    made_from = (offering._record, model._record, offering.provider._record, model.creator._record, site)
    return ROWS.get((name, *map(id, made_from)), compute, keep=made_from)


def offering_row(offering: Offering, site: schema.Site, cheapest: bool = False) -> OfferingRow:
    return per_offering(
        "row-cheapest" if cheapest else "row", offering, site, lambda: _offering_row(offering, site, cheapest)
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


MODEL_ROWS_KEPT = 256  # models whose rows a build keeps; a model's pages are next to each other by URL


def model_rows(catalog: Catalog, model: Model) -> list[OfferingRow]:
    """Every offering of ``model``, cheapest first: the same rows on the model page and its offerings.

    Only the rows of the last :data:`MODEL_ROWS_KEPT` models are kept: the
    pages are rendered in URL order, so a model's pages ask one after the
    other, and a worker that kept every model's rows would hold a row per
    offering of the catalog by the end of a build.
    """
    kept: dict[Any, Any] = catalog.memo.setdefault("model_rows", {})
    if model.slug not in kept and len(kept) >= MODEL_ROWS_KEPT:
        del kept[next(iter(kept))]
    return shared(
        kept,
        model.slug,
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
