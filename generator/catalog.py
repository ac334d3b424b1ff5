"""Stage 3, catalog: the validated, cross-referenced world, with derived facts computed once.

Every offering resolves its model, provider and creator; every billed dimension
becomes a :class:`PriceFact` in one of three states (a sourced number, not
offered, not yet sourced); each model knows its offerings cheapest first by the
blended price (3 input tokens : 1 output token). Later stages read only this.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from operator import attrgetter
from typing import Any, Literal

from . import schema
from .deps import RecordedDict, note
from .money import format_usd
from .sharedkeys import key_sharing_dict
from .validate import Records

BLEND_INPUT, BLEND_OUTPUT = Decimal(3), Decimal(1)

PriceState = Literal["number", "not_offered", "unsourced"]


@dataclass(frozen=True, slots=True)
class PriceFact:
    """One billed dimension of an offering, as pages show it.

    Facts that hold no number (not offered, not yet sourced) are the same for
    every offering, so each dimension has one of each, shared (:func:`price_fact`).
    """

    dimension: str
    label: str
    state: PriceState
    usd: Decimal | None = None
    source: str | None = None
    as_of: dt.date | None = None
    dataset: str | None = None

    @property
    def text(self) -> str:
        if self.usd is not None:
            return format_usd(self.usd)
        return "Not offered" if self.state == "not_offered" else "Not yet sourced"


_UNSOURCED = {dim: PriceFact(dim, label, "unsourced") for dim, label in schema.PRICE_DIMENSIONS.items()}
_NOT_OFFERED = {dim: PriceFact(dim, label, "not_offered") for dim, label in schema.PRICE_DIMENSIONS.items()}


def price_fact(dimension: str, price: schema.Price | None, offering: schema.Offering) -> PriceFact:
    if price is None:
        return _UNSOURCED[dimension]
    if price == "not_offered":
        return _NOT_OFFERED[dimension]
    label = schema.PRICE_DIMENSIONS[dimension]
    if isinstance(price, schema.PricePoint):
        return PriceFact(
            dimension,
            label,
            "number",
            price.usd,
            price.source or offering.source,
            price.as_of or offering.as_of,
            price.dataset or (None if price.source else offering.dataset),
        )
    return PriceFact(dimension, label, "number", price, offering.source, offering.as_of, offering.dataset)


# Catalog objects note what a page reads (generator.deps): reading a ``record``
# (or a value derived from it) notes the content file, reading a list of members
# notes which records the list holds. The builder below fills the private fields.


@dataclass(eq=False, slots=True)
class Creator:
    slug: str
    _record: schema.Creator
    file: str
    _models: list[Model] = field(default_factory=list)

    @property
    def record(self) -> schema.Creator:
        note(("file", self.file))
        return self._record

    @property
    def models(self) -> list[Model]:
        note(("members", "creator", self.slug))
        return self._models


@dataclass(eq=False, slots=True)
class Provider:
    slug: str
    _record: schema.Provider
    file: str
    _offerings: list[Offering] = field(default_factory=list)

    @property
    def record(self) -> schema.Provider:
        note(("file", self.file))
        return self._record

    @property
    def offerings(self) -> list[Offering]:
        """Every offering of this provider, by model slug."""
        note(("members", "provider", self.slug))
        return self._offerings


@dataclass(eq=False, slots=True)
class Model:
    slug: str
    _record: schema.Model
    file: str
    creator: Creator
    _offerings: list[Offering] = field(default_factory=list)

    @property
    def record(self) -> schema.Model:
        note(("file", self.file))
        return self._record

    @property
    def offerings(self) -> list[Offering]:
        """Every offering of this model, cheapest first."""
        note(("members", "model", self.slug))
        return self._offerings


@dataclass(slots=True)
class Tier:
    above: int
    prices: list[PriceFact]


@dataclass(eq=False, slots=True)
class Offering:
    model: Model
    provider: Provider
    _record: schema.Offering
    file: str
    _prices: dict[str, PriceFact]
    _tiers: list[Tier]
    key: tuple[str, str]  # (provider slug, model slug): its place in Catalog.offerings
    # its price periods and changes (generator.history.timeline), made once per catalog
    _timeline: Any = None

    @property
    def record(self) -> schema.Offering:
        note(("file", self.file))
        return self._record

    @property
    def prices(self) -> dict[str, PriceFact]:
        note(("file", self.file))
        return self._prices

    @property
    def tiers(self) -> list[Tier]:
        note(("file", self.file))
        return self._tiers

    @property
    def context_window(self) -> int | None:
        return self.record.context_window or self.model.record.context_window

    @property
    def max_output(self) -> int | None:
        return self.record.max_output or self.model.record.max_output

    @property
    def capabilities(self) -> list[schema.Capability]:
        note(("file", self.file))
        if self._record.capabilities is None:
            note(("file", self.model.file))
        return list(self.unnoted_capabilities())

    def unnoted_capabilities(self) -> Sequence[schema.Capability]:
        """Its own capabilities, else its model's, read without noting either file (for a caller
        that notes what it reads of the whole catalog once)."""
        own = self._record.capabilities
        return own if own is not None else self.model._record.capabilities

    @property
    def blended(self) -> Decimal | None:
        """USD per 1M tokens at 3 input : 1 output, or None when either is not a number."""
        return _blend(self.prices)

    @property
    def checked_on(self) -> dt.date | None:
        return self.record.verified or self.record.as_of


@dataclass
class Catalog:
    site: schema.Site
    creators: RecordedDict[Creator]
    models: RecordedDict[Model]
    providers: RecordedDict[Provider]
    offerings: RecordedDict[Offering]
    build_date: dt.date
    # values derived from the catalog once and shared by many pages (see views.shared)
    memo: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)


def _blend(prices: dict[str, PriceFact]) -> Decimal | None:
    i, o = prices["input"].usd, prices["output"].usd
    if i is None or o is None:
        return None
    return (i * BLEND_INPUT + o * BLEND_OUTPUT) / (BLEND_INPUT + BLEND_OUTPUT)


Rank = tuple[bool, Decimal]  # where an offering goes among its model's: cheapest blended price first
# What the catalog derives from one offering record alone: its price facts, its rank and its newest
# date. The development server keeps them between builds: id(record) -> (record, derived).
Derived = tuple[dict[str, PriceFact], list[Tier], Rank, dt.date | None]
PriceCache = dict[int, tuple[schema.Offering, Derived]]


_MODEL_SLUG = attrgetter("model.slug")
_PRICE_ROW = key_sharing_dict(schema.PRICE_DIMENSIONS)  # an offering's facts share one table of keys


def _price_facts(record: schema.Offering) -> tuple[dict[str, PriceFact], list[Tier]]:
    prices = _PRICE_ROW.copy()
    pricing = record.pricing
    for dim in schema.PRICE_DIMENSIONS:
        prices[dim] = price_fact(dim, getattr(pricing, dim), record)
    tiers = [
        Tier(t.above, [price_fact(dim, p, record) for dim, p in t.items()]) for t in record.pricing.tiers
    ]
    return prices, tiers


def _derive(record: schema.Offering) -> Derived:
    prices, tiers = _price_facts(record)
    blended = _blend(prices)
    dates = [d for d in (record.verified, record.as_of) if d] + [h.date for h in record.history]
    return (
        prices,
        tiers,
        (blended is None, blended if blended is not None else Decimal(0)),
        max(dates, default=None),
    )


def build_catalog(
    records: Records,
    site: schema.Site,
    build_date: dt.date | None = None,
    price_cache: PriceCache | None = None,
) -> Catalog:
    """Resolve references (lint has already checked they exist) and derive shared facts."""
    fresh: PriceCache = {}
    creators = {
        slug: Creator(slug, e.record, e.source.display) for slug, e in sorted(records.creators.items())
    }
    providers = {
        slug: Provider(slug, e.record, e.source.display) for slug, e in sorted(records.providers.items())
    }
    models = {
        slug: Model(slug, e.record, e.source.display, creators[e.record.creator])
        for slug, e in sorted(records.models.items())
    }
    for model in models.values():
        model.creator._models.append(model)
    offerings: dict[tuple[str, str], Offering] = {}
    ranks: dict[Offering, tuple[bool, Decimal, str]] = {}  # rank, then provider slug
    newest = [dt.date(2000, 1, 1)]
    for key, entry in sorted(records.offerings.items()):
        provider_slug, model_slug = key
        record = entry.record
        hit = price_cache.get(id(record)) if price_cache is not None else None
        derived = hit[1] if hit is not None and hit[0] is record else _derive(record)
        if price_cache is not None:
            fresh[id(record)] = (record, derived)
        prices, tiers, rank, last = derived
        offering = Offering(
            models[model_slug], providers[provider_slug], record, entry.source.display, prices, tiers, key
        )
        offerings[key] = offering
        ranks[offering] = (*rank, provider_slug)
        if last is not None:
            newest.append(last)
        offering.model._offerings.append(offering)
        offering.provider._offerings.append(offering)
    if price_cache is not None:
        price_cache.clear()
        price_cache.update(fresh)
    for model in models.values():
        model._offerings.sort(key=ranks.__getitem__)  # (keys read in C: no Python call per offering)
    for provider in providers.values():
        provider._offerings.sort(key=_MODEL_SLUG)
    if build_date is None:
        newest += [e.record.released for e in records.models.values() if e.record.released]
    return Catalog(
        site,
        RecordedDict("creators", creators),
        RecordedDict("models", models),
        RecordedDict("providers", providers),
        RecordedDict("offerings", offerings),
        build_date or max(newest),
    )
