"""The catalog as one compact JSON file for the browser (``/catalog.json``).

``static/catalog.js`` reads it to filter, sort and page the catalog table and to
fill the compare page. The pages themselves never depend on it: every price is
in the HTML. Keys are short because the file holds every offering; the shape:

``providers``/``creators``/``capabilities``
    lists of ``[slug, name]``, referenced by index below;
``models``
    ``{s: slug, n: name, c: creator index, w: open weights (true/false/null),
    i: input modalities, o: output modalities, cx: context window,
    mx: max output, k: capability indexes, r: released, f: family,
    pa: parameters, l: license}``;
``offerings``
    ``{m: model index, p: provider index, id: model ID, s: status,
    cx: context window, mx: max output, k: capability indexes,
    pr: {dimension: [micro-dollars or null, text]}}``; a dimension that is not
    yet sourced is absent, a dimension not offered has ``null`` micro-dollars.

Prices are formatted here by :func:`generator.money.format_usd`, the one
formatter; micro-dollars are for sorting and the price-range filter only.
"""

from __future__ import annotations

import json
from typing import Any

from .catalog import Catalog, PriceFact
from .money import to_micro_dollars
from .views import CAPABILITY_LABELS

CLIENT_DIMENSIONS = ("input", "output", "cache_read", "batch_input", "batch_output")


def _price(fact: PriceFact) -> list[Any] | None:
    if fact.state == "unsourced":
        return None
    if fact.usd is None:
        return [None, fact.text]
    try:
        micro: int | None = to_micro_dollars(fact.usd)
    except ValueError:
        micro = None
    return [micro, fact.text]


def catalog_data(catalog: Catalog) -> dict[str, Any]:
    providers = list(catalog.providers)
    creators = list(catalog.creators)
    capabilities = list(CAPABILITY_LABELS)
    models = list(catalog.models)
    model_index = {slug: i for i, slug in enumerate(models)}
    provider_index = {slug: i for i, slug in enumerate(providers)}
    creator_index = {slug: i for i, slug in enumerate(creators)}
    cap_index = {c: i for i, c in enumerate(capabilities)}

    def drop_empty(record: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in record.items() if v not in (None, [], {}, "")}

    model_rows = []
    for slug in models:
        model = catalog.models[slug]
        r = model.record
        model_rows.append(
            drop_empty(
                {
                    "s": slug,
                    "n": r.name,
                    "c": creator_index[model.creator.slug],
                    "w": r.open_weights if r.open_weights != "unknown" else None,
                    "i": [m.value for m in r.modalities.input],
                    "o": [m.value for m in r.modalities.output],
                    "cx": r.context_window,
                    "mx": r.max_output,
                    "k": [cap_index[c.value] for c in r.capabilities],
                    "r": r.released.isoformat() if r.released else None,
                    "f": r.family,
                    "pa": r.parameters,
                    "l": r.license,
                }
            )
        )
    offering_rows = []
    for offering in sorted(
        catalog.offerings.values(),
        key=lambda o: (o.model.record.name.lower(), o.model.slug, o.provider.slug),
    ):
        prices = {dim: p for dim in CLIENT_DIMENSIONS if (p := _price(offering.prices[dim])) is not None}
        offering_rows.append(
            drop_empty(
                {
                    "m": model_index[offering.model.slug],
                    "p": provider_index[offering.provider.slug],
                    "id": offering.record.model_id,
                    "s": offering.record.status.value,
                    "cx": offering.context_window,
                    "mx": offering.max_output,
                    "k": [cap_index[c.value] for c in offering.capabilities],
                    "pr": prices,
                }
            )
        )
    return {
        "providers": [[slug, catalog.providers[slug].record.name] for slug in providers],
        "creators": [[slug, catalog.creators[slug].record.name] for slug in creators],
        "capabilities": [[c, CAPABILITY_LABELS[c]] for c in capabilities],
        "models": model_rows,
        "offerings": offering_rows,
    }


def catalog_json(catalog: Catalog) -> bytes:
    return json.dumps(catalog_data(catalog), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
