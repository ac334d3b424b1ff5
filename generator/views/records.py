"""Model, provider and creator pages."""

from __future__ import annotations

import datetime as dt

from markupsafe import Markup, escape

from ..catalog import Catalog, Creator, Model, Provider
from ..routes import (
    creator_url,
    model_url,
    provider_url,
)
from ..text import markdown_block, markdown_inline
from .common import (
    CAPABILITY_LABELS,
    _breadcrumbs,
    calc_view,
    compare_url,
    edit_url,
    model_label,
    model_rows,
    model_specs,
    offering_row,
    sources,
    tabs_for,
)
from .types import CreatorView, Link, ModelView, Page, ProviderView


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
