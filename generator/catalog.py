"""Stage 3, catalog: the validated, cross-referenced world, with derived facts computed once.

Every offering resolves its model, provider and creator; every billed dimension
becomes a :class:`PriceFact` in one of three states (a sourced number, not
offered, not yet sourced); each model knows its offerings cheapest first by the
blended price (3 input tokens : 1 output token). Later stages read only this.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import compress
from operator import attrgetter
from typing import Any, Literal, TypeVar

from . import schema
from .deps import RecordedDict, note, unrecorded
from .money import format_usd
from .sharedkeys import key_sharing_dict
from .validate import Records

BLEND_INPUT, BLEND_OUTPUT = Decimal(3), Decimal(1)

PriceState = Literal["number", "not_offered", "unsourced"]


@dataclass(slots=True)
class PriceFact:
    """One billed dimension of an offering, as pages show it (never changed once made; not a
    frozen dataclass, which would take four times as long to make, fourteen per offering).

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


T = TypeVar("T")


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
    # made from the last build's catalog by replacing offerings (generator.patch): that catalog's
    # memo and each (old, new) offering; every other record and object is the same
    edits: tuple[dict[Any, Any], list[tuple[Offering, Offering]]] | None = field(
        default=None, repr=False, compare=False
    )


def derived(
    catalog: Catalog,
    name: Hashable,
    make: Callable[[Catalog], T],
    update: Callable[[T, list[tuple[Offering, Offering]]], T],
) -> T:
    """``make(catalog)``, once per catalog, noting nothing; for a catalog made by replacing
    offerings (see :attr:`Catalog.edits`), ``update(value of the last catalog, edits)`` when the
    last catalog had made it: a value read from every offering costs one pass over them (cold in
    the processor's caches: about 5 ms at 10,000 offerings) on each rebuild otherwise."""
    memo = catalog.memo
    if name in memo:
        found: T = memo[name]
        return found
    with unrecorded():
        if catalog.edits is not None and name in catalog.edits[0]:
            value = update(catalog.edits[0][name], catalog.edits[1])
        else:
            value = make(catalog)
    memo[name] = value
    return value


Edits = list[tuple[Offering, Offering]]


_RECORD = attrgetter("_record")


@dataclass(frozen=True)
class Chosen:
    """A selection of offerings: those whose record ``keep`` is true of, in ``order`` (see
    :func:`selection`); ``keep`` is best an ``attrgetter``, which runs in C."""

    keep: Callable[[schema.Offering], Any]
    order: Callable[[Offering], Any]

    def make(self, catalog: Catalog) -> list[Offering]:
        offerings = list(dict.values(catalog.offerings))
        return sorted(compress(offerings, map(self.keep, map(_RECORD, offerings))), key=self.order)

    def update(self, before: list[Offering], edits: Edits) -> list[Offering]:
        gone = {id(old) for old, _ in edits}
        kept = [o for o in before if id(o) not in gone]
        return sorted(kept + [new for _, new in edits if self.keep(new._record)], key=self.order)


@dataclass(frozen=True)
class Counted:
    """How many offerings are in each group (``group`` of a record gives None for none), see
    :func:`selection`."""

    group: Callable[[schema.Offering], str | None]

    def make(self, catalog: Catalog) -> dict[str, int]:
        return dict(Counter(filter(None, map(self.group, map(_RECORD, dict.values(catalog.offerings))))))

    def update(self, before: dict[str, int], edits: Edits) -> dict[str, int]:
        counts = Counter(before)
        counts.subtract(filter(None, (self.group(old._record) for old, _ in edits)))
        counts.update(filter(None, (self.group(new._record) for _, new in edits)))
        return {group: count for group, count in counts.items() if count > 0}


# What pages choose from every offering, by name (registered by the modules of those pages).
SELECTIONS: dict[str, Chosen | Counted] = {}


def selection(catalog: Catalog, name: str) -> Any:
    """What the selection ``name`` chooses from every offering (the deprecated ones, those where
    sources disagree, how many come from each dataset), made once per catalog.

    Like the rows of the catalog table, it notes only ``("listing", name)``, whose fingerprint is
    what was chosen (:func:`generator.views.listings.fingerprint`: the offerings in order, or the
    counts): a page that shows the chosen offerings notes their files as it reads them, and no
    longer depends on every file, so an edit elsewhere does not render it again.
    """
    note(("listing", name))
    return chosen(catalog, name)


def chosen(catalog: Catalog, name: str) -> Any:
    """The selection ``name`` of ``catalog``, noting nothing."""
    found = SELECTIONS[name]
    update: Callable[[Any, Edits], Any] = found.update
    return derived(catalog, ("selection", name), found.make, update)


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


def _cheapest_first(rank: Rank, provider: str) -> tuple[bool, Decimal, str]:
    """An offering's place among its model's: cheapest blended price first, then by provider."""
    return (*rank, provider)


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
        ranks[offering] = _cheapest_first(rank, provider_slug)
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


def with_offerings(
    catalog: Catalog, records: list[tuple[tuple[str, str], schema.Offering, str]], prices: PriceCache
) -> Catalog:
    """``catalog`` with the offerings at some keys made from new records, each ``(key, record,
    file)`` whose derived facts are in ``prices`` (as :func:`build_catalog` leaves them). Every
    other object is the same, in a new catalog that carries the edits (:attr:`Catalog.edits`);
    each new offering takes the old one's place among its provider's and its model's offerings,
    which are put in order again (cheapest first)."""
    replaced: Edits = []
    for key, record, file in records:
        old: Offering = dict.__getitem__(catalog.offerings, key)
        facts, tiers, _, _ = prices[id(record)][1]
        new = Offering(old.model, old.provider, record, file, facts, tiers, key)
        replaced.append((old, new))
        dict.__setitem__(catalog.offerings, key, new)
        for members in (old.model._offerings, old.provider._offerings):
            members[members.index(old)] = new
    for model in {id(new.model): new.model for _, new in replaced}.values():
        model._offerings.sort(key=lambda o: _cheapest_first(prices[id(o._record)][1][2], o.provider.slug))
    return Catalog(
        catalog.site,
        catalog.creators,
        catalog.models,
        catalog.providers,
        catalog.offerings,
        catalog.build_date,
        edits=(catalog.memo, replaced),
    )
