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

import functools
from decimal import Decimal
from typing import Any

from .catalog import Catalog, Model, Offering, PriceFact
from .fragments import Fragments, Parts
from .jsontext import compact_json
from .money import to_micro_dollars
from .views import CAPABILITY_LABELS

CLIENT_DIMENSIONS = ("input", "output", "cache_read", "batch_input", "batch_output")
CAPABILITY_INDEX = {c: i for i, c in enumerate(CAPABILITY_LABELS)}


def _price(fact: PriceFact) -> list[Any] | None:
    if fact.state == "unsourced":
        return None
    if fact.usd is None:
        return [None, fact.text]
    return [_micro_dollars(fact.usd), fact.text]


@functools.lru_cache(maxsize=1 << 16)
def _micro_dollars(usd: Decimal) -> int | None:
    """For sorting and filtering only: None when finer than a micro-dollar (equal decimals share an entry)."""
    try:
        return to_micro_dollars(usd)
    except ValueError:
        return None


def _drop_empty(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if v not in (None, [], {}, "")}


def _compact(value: Any) -> str:
    return compact_json(value).decode()


def _rest(fields: dict[str, Any]) -> str:
    """The ``fields`` that are not empty, to close an object that has others: ``,"a":1}`` or ``}``."""
    text = _compact(_drop_empty(fields))
    return "," + text[1:] if text != "{}" else "}"


def model_row(part: Parts[Model]) -> tuple[str, str]:
    """A model's object, in two halves: its creator's index goes between them."""
    model = part.item
    r = model.record
    head = _compact(_drop_empty({"s": model.slug, "n": r.name}))[:-1] + ',"c":'
    tail = _rest(
        {
            "w": r.open_weights if r.open_weights != "unknown" else None,
            "i": [m.value for m in r.modalities.input],
            "o": [m.value for m in r.modalities.output],
            "cx": r.context_window,
            "mx": r.max_output,
            "k": [CAPABILITY_INDEX[c.value] for c in r.capabilities],
            "r": r.released.isoformat() if r.released else None,
            "f": r.family,
            "pa": r.parameters,
            "l": r.license,
        },
    )
    return head, tail


def offering_row(part: Parts[Offering]) -> str:
    """An offering's object after its model and provider indexes (``{"m":…,"p":…`` goes first)."""
    offering = part.item
    prices = {dim: p for dim in CLIENT_DIMENSIONS if (p := _price(offering.prices[dim])) is not None}
    return _rest(
        {
            "id": offering.record.model_id,
            "s": offering.record.status.value,
            "cx": offering.context_window,
            "mx": offering.max_output,
            "k": [CAPABILITY_INDEX[c.value] for c in offering.capabilities],
            "pr": prices,
        },
    )


def _order_key(part: Parts[Offering]) -> tuple[str, str, str]:
    offering = part.item
    return offering.model.record.name.lower(), offering.model.slug, offering.provider.slug


def catalog_json(catalog: Catalog, fragments: Fragments) -> bytes:
    """The file, from each model's and offering's pieces (kept in their :class:`~generator.fragments.Parts`)."""
    fragments.start(catalog)
    model_index = {slug: i for i, slug in enumerate(catalog.models)}
    provider_index = {slug: i for i, slug in enumerate(catalog.providers)}
    creator_index = {slug: i for i, slug in enumerate(catalog.creators)}

    def row(part: Parts[Offering]) -> str:
        model, provider = model_index[part.item.model.slug], provider_index[part.item.provider.slug]
        return f'{{"m":{model},"p":{provider}{fragments.piece(part, "client.row", offering_row)}'

    rows = fragments.column("client.row+indexes", row, context=(model_index, provider_index))
    keys = fragments.column("client.key", _order_key)
    order = fragments.joined("client.order", (keys,), lambda: sorted(range(len(keys)), key=keys.__getitem__))
    models = []
    for model in fragments.models.values():
        head, tail = fragments.piece(model, "client.row", model_row)
        models.append(f"{head}{creator_index[model.item.creator.slug]}{tail}")
    lists = [
        ("providers", _compact([[slug, p.record.name] for slug, p in catalog.providers.items()])),
        ("creators", _compact([[slug, c.record.name] for slug, c in catalog.creators.items()])),
        ("capabilities", _compact([[c, label] for c, label in CAPABILITY_LABELS.items()])),
        ("models", "[" + ",".join(models) + "]"),
    ]
    text = "".join(  # one join: the offerings are most of a file of tens of megabytes
        [
            "{",
            *(f'"{name}":{text},' for name, text in lists),
            '"offerings":[',
            ",".join(map(rows.__getitem__, order)),
            "]}",
        ]
    )
    return text.encode("utf-8")
