"""The offering page: one model sold by one provider, every section of the reference anatomy."""

from __future__ import annotations

from markupsafe import Markup, escape

from .. import history, lifecycle, schema
from ..catalog import Catalog, Offering, PriceFact
from ..history_chart import history_chart
from ..routes import (
    model_url,
    offering_url,
)
from ..text import markdown_block, markdown_inline
from .common import (
    ALWAYS_SHOWN,
    CAPABILITY_LABELS,
    CARD_DIMENSIONS,
    CARD_LABELS,
    STATUS_LABELS,
    _breadcrumbs,
    calc_view,
    cell,
    compare_url,
    dataset_name,
    edit_url,
    model_label,
    model_rows,
    model_specs,
    sources,
    tabs_for,
    unknown,
)
from .sources import _field_label
from .types import Faq, HistoryRow, Link, OfferingView, Page, PriceCell, PriceRow

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
    timeline = history.timeline(offering)[0]
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


def _written(question: str, answer: str) -> Faq:
    """A question and answer of the content (the answer in Markdown)."""
    shown = markdown_inline(answer)
    return Faq(question, shown, shown.striptags())


def _faq(catalog: Catalog, offering: Offering, cost_sentence: str) -> list[Faq]:
    model, provider = offering.model, offering.provider
    m_name, p_name = model.record.name, provider.record.name
    record = model.record

    def plain(q: str, a: str) -> Faq:
        # (what striptags() gives of the escaped text, without parsing it for tags)
        return Faq(q, Markup(escape(a)), " ".join(a.split()))

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
    items += [_written(f.q, f.a) for f in offering.record.faq]
    return items
