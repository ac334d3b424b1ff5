"""The static JSON API under ``/api/v1/``: the same facts as the pages, as data.

Every record type is a pydantic model below; its JSON Schema is published
beside the data (``/api/v1/schemas/<type>.json``) and every document names its
schema in ``$schema``, so a client (or our own tests) can validate what it reads.

Money is a decimal *string* ("1.10" is written "1.1"; never a binary float),
each price carries its provenance (source URL, as-of date, dataset) and each
offering its history. Versioning: within ``v1`` fields are only ever added,
never renamed, retyped or removed; a breaking change is published as ``v2``
next to ``v1``, which keeps being built for at least six months.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import json
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from . import history, schema
from .catalog import Catalog, Model, Offering, PriceFact, Provider
from .fragments import (
    Fragments,
    History,
    Members,
    Parts,
    blob,
)
from .jsontext import indented_json, nested, spliced_json
from .project import Project
from .routes import model_url, offering_url, provider_url
from .write import SiteWriter

VERSION: Literal["v1"] = "v1"
BASE = f"/api/{VERSION}/"

DecimalString = Annotated[
    str,
    StringConstraints(pattern=r"^[0-9]+(\.[0-9]+)?$"),
    Field(description='US dollars as a decimal string, e.g. "1.1" or "0.075" (never a float).'),
]
AmountString = DecimalString | Literal["not_offered"]


def decimal_string(value: Decimal) -> str:
    return _decimal_string(value) if value else format(value.normalize(), "f")  # "-0" is not "0"


@functools.lru_cache(maxsize=1 << 16)
def _decimal_string(value: Decimal) -> str:
    """Equal decimals ("1.1", "1.10") share an entry: normalized, they are one."""
    return format(value.normalize(), "f")


class ApiRecord(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    schema_url: str = Field(alias="$schema", description="URL of the JSON Schema of this document.")


class Item(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ApiPrice(Item):
    state: Literal["number", "not_offered", "unsourced"] = Field(
        description="number: a sourced price; not_offered: the provider does not sell it; unsourced: not yet known."
    )
    usd: DecimalString | None = Field(description="The price in US dollars when state is number.")
    unit: str = Field(description="What the price is for: '1M tokens', 'image', 'second' or 'request'.")
    source: str | None = Field(description="Where the price was read.")
    as_of: dt.date | None = Field(description="When the price was read.")
    dataset: str | None = Field(description="Key of the public dataset it came from (see catalog.datasets).")


class ApiTier(Item):
    above: int = Field(description="Applies to requests with more input tokens than this.")
    prices: dict[str, ApiPrice]


class ApiPeriod(Item):
    date: dt.date = Field(description="From when these prices applied (for the current prices: when read).")
    current: bool
    prices: dict[str, AmountString] = Field(description="The dimensions this period states.")
    source: str | None
    note: str | None


class ApiChange(Item):
    date: dt.date
    dimension: str
    old: AmountString
    new: AmountString
    source: str | None


class ApiLifecycle(Item):
    status: Literal["preview", "ga", "deprecated", "retired"]
    deprecated_on: dt.date | None
    retires_on: dt.date | None
    replacement: str | None = Field(description="Slug of the replacing model.")


class OfferingSummary(Item):
    provider: str
    model: str
    model_id: str
    status: Literal["preview", "ga", "deprecated", "retired"]
    input: AmountString | None = Field(description="USD per 1M input tokens; null when not yet sourced.")
    output: AmountString | None = Field(description="USD per 1M output tokens; null when not yet sourced.")
    as_of: dt.date | None
    url: str = Field(description="The offering's page.")
    api_url: str = Field(description="The offering's full JSON record.")


class ApiOffering(ApiRecord):
    """One model as sold by one provider, with every price, its provenance and its history."""

    api_version: Literal["v1"] = VERSION
    provider: str
    provider_name: str
    model: str
    model_name: str
    model_id: str = Field(description="The exact ID to send to the provider's API.")
    lifecycle: ApiLifecycle
    context_window: int | None
    max_output: int | None
    capabilities: list[str]
    verified: dt.date | None
    source: str | None
    as_of: dt.date | None
    dataset: str | None
    prices: dict[str, ApiPrice] = Field(description="Every billed dimension, by name.")
    tiers: list[ApiTier]
    history: list[ApiPeriod] = Field(description="Dated sets of prices, oldest first; the current one last.")
    changes: list[ApiChange] = Field(description="Every recorded price change, oldest first.")
    url: str
    source_file: str = Field(description="The content file in the repository.")


class ApiModel(ApiRecord):
    """A model, independent of who sells it, with every offering of it (cheapest first)."""

    api_version: Literal["v1"] = VERSION
    slug: str
    name: str
    creator: str
    creator_name: str
    family: str | None
    released: dt.date | None
    knowledge_cutoff: str | None
    context_window: int | None
    max_output: int | None
    input_modalities: list[str]
    output_modalities: list[str]
    capabilities: list[str]
    open_weights: bool | Literal["unknown"]
    license: str | None
    old_slugs: list[str]
    url: str
    offerings: list[OfferingSummary]


class ApiProvider(ApiRecord):
    """An API provider: how it is called, and every offering it sells."""

    api_version: Literal["v1"] = VERSION
    slug: str
    name: str
    website: str = Field(description="The provider's own home page.")
    pricing_url: str | None
    docs_url: str | None
    api: str = Field(
        description="API shape: openai, anthropic, google, vertex, bedrock, azure, replicate, cohere."
    )
    base_url: str | None
    auth_env: list[str]
    model_id_pattern: str
    model_id_hint: str
    old_slugs: list[str]
    url: str = Field(description="The provider's page on this site.")
    offerings: list[OfferingSummary]


class ApiDataset(Item):
    name: str
    url: str
    version: str
    license: str
    read: dt.date


class ApiCatalog(ApiRecord):
    """Everything, in one document: every offering (summarised), model and provider."""

    api_version: Literal["v1"] = VERSION
    site: str
    data_date: dt.date = Field(description="The newest date in the content (the build date).")
    datasets: dict[str, ApiDataset]
    models: list[str] = Field(description="Model slugs; /api/v1/models/<slug>.json for each.")
    providers: list[str] = Field(description="Provider slugs; /api/v1/providers/<slug>.json for each.")
    offerings: list[OfferingSummary]
    csv: str = Field(description="URL of the CSV export of every offering.")


RECORD_TYPES: dict[str, type[ApiRecord]] = {
    "catalog": ApiCatalog,
    "model": ApiModel,
    "provider": ApiProvider,
    "offering": ApiOffering,
}
CSV_COLUMNS = (
    "provider",
    "model",
    "model_id",
    "status",
    *schema.PRICE_DIMENSIONS,
    "source",
    "as_of",
    "dataset",
    "verified",
    "retires_on",
    "url",
)


def offering_path(provider: str, model: str) -> str:
    return f"offerings/{provider}/{model}.json"


def model_path(model: str) -> str:
    return f"models/{model}.json"


def provider_path(provider: str) -> str:
    return f"providers/{provider}.json"


def schema_paths() -> list[tuple[str, str]]:
    return [(name, f"schemas/{name}.json") for name in RECORD_TYPES]


UNITS = {dim: schema.PER_UNIT.get(dim, "1M tokens") for dim in schema.PRICE_DIMENSIONS}
# A price without number or provenance, by state and dimension: most prices are not
# yet sourced, and one dict serves every offering (the serialiser does not mind sharing).
_BARE: dict[tuple[str, str], dict[str, Any]] = {}


def _price(fact: PriceFact) -> dict[str, Any]:
    if fact.usd is None and fact.source is None and fact.as_of is None and fact.dataset is None:
        bare = _BARE.get((fact.state, fact.dimension))
        if bare is None:
            bare = _BARE[(fact.state, fact.dimension)] = _price_of(fact)
        return bare
    return _price_of(fact)


def _price_of(fact: PriceFact) -> dict[str, Any]:
    return {
        "state": fact.state,
        "usd": decimal_string(fact.usd) if fact.usd is not None else None,
        "unit": UNITS[fact.dimension],
        "source": fact.source,
        "as_of": fact.as_of,
        "dataset": fact.dataset,
    }


def _amount(amount: history.Amount) -> str:
    return decimal_string(amount) if isinstance(amount, Decimal) else amount


def _fact_amount(fact: PriceFact) -> str | None:
    if fact.state == "unsourced":
        return None
    return decimal_string(fact.usd) if fact.usd is not None else "not_offered"


class _Urls:
    def __init__(self, site: schema.Site) -> None:
        self.base = site.base_url

    def schema(self, name: str) -> str:
        return f"{self.base}{BASE}schemas/{name}.json"

    def api(self, path: str) -> str:
        return f"{self.base}{BASE}{path}"

    def page(self, path: str) -> str:
        return self.base + path


# The documents are plain dicts with the fields of the models above, in their
# order, serialised as pydantic would (generator.jsontext.indented_json); the
# models describe them (json_schema) and tests/test_api.py validates every
# document against them. Dates stay dates: the serialiser writes them as ISO.


def summary(offering: Offering, urls: _Urls) -> dict[str, Any]:
    """An :class:`OfferingSummary`."""
    provider, model = offering.key
    record = offering.record
    return {
        "provider": provider,
        "model": model,
        "model_id": record.model_id,
        "status": record.status.value,
        "input": _fact_amount(offering.prices["input"]),
        "output": _fact_amount(offering.prices["output"]),
        "as_of": history.current_date(offering),
        "url": urls.page(offering_url(provider, model)),
        "api_url": urls.api(offering_path(provider, model)),
    }


def offering_record(offering: Offering, urls: _Urls, made: History | None = None) -> dict[str, Any]:
    """An :class:`ApiOffering`; ``made``: its periods and changes, when they are known."""
    record = offering.record
    provider, model = offering.key
    timeline, changes = history.timeline(offering) if made is None else made
    return {
        "$schema": urls.schema("offering"),
        "api_version": VERSION,
        "provider": provider,
        "provider_name": offering.provider.record.name,
        "model": model,
        "model_name": offering.model.record.name,
        "model_id": record.model_id,
        "lifecycle": {
            "status": record.status.value,
            "deprecated_on": record.deprecated_on,
            "retires_on": record.retires_on,
            "replacement": record.replacement,
        },
        "context_window": offering.context_window,
        "max_output": offering.max_output,
        "capabilities": [c.value for c in offering.capabilities],
        "verified": record.verified,
        "source": record.source,
        "as_of": record.as_of,
        "dataset": record.dataset,
        "prices": {dim: _price(fact) for dim, fact in offering.prices.items()},
        "tiers": [
            {"above": t.above, "prices": {f.dimension: _price(f) for f in t.prices}} for t in offering.tiers
        ],
        "history": [
            {
                "date": p.date,
                "current": p.current,
                "prices": {d: _amount(a) for d, a in p.prices.items()},
                "source": p.source,
                "note": p.note,
            }
            for p in timeline
        ],
        "changes": [
            {
                "date": c.date,
                "dimension": d.dimension,
                "old": _amount(d.old),
                "new": _amount(d.new),
                "source": c.source,
            }
            for c in changes
            for d in c.changes
        ],
        "url": urls.page(offering_url(provider, model)),
        "source_file": offering.file,
    }


def model_record(model: Model, urls: _Urls) -> dict[str, Any]:
    """An :class:`ApiModel` without its ``offerings`` (the last field)."""
    r = model.record
    return {
        "$schema": urls.schema("model"),
        "api_version": VERSION,
        "slug": model.slug,
        "name": r.name,
        "creator": model.creator.slug,
        "creator_name": model.creator.record.name,
        "family": r.family,
        "released": r.released,
        "knowledge_cutoff": r.knowledge_cutoff,
        "context_window": r.context_window,
        "max_output": r.max_output,
        "input_modalities": [m.value for m in r.modalities.input],
        "output_modalities": [m.value for m in r.modalities.output],
        "capabilities": [c.value for c in r.capabilities],
        "open_weights": r.open_weights,
        "license": r.license,
        "old_slugs": list(r.old_slugs),
        "url": urls.page(model_url(model.slug)),
    }


def provider_record(provider: Provider, urls: _Urls) -> dict[str, Any]:
    """An :class:`ApiProvider` without its ``offerings`` (the last field)."""
    r = provider.record
    return {
        "$schema": urls.schema("provider"),
        "api_version": VERSION,
        "slug": provider.slug,
        "name": r.name,
        "website": r.url,
        "pricing_url": r.pricing_url,
        "docs_url": r.docs_url,
        "api": r.api.value,
        "base_url": r.base_url,
        "auth_env": list(r.auth_env),
        "model_id_pattern": r.model_id.pattern,
        "model_id_hint": r.model_id.hint,
        "old_slugs": list(r.old_slugs),
        "url": urls.page(provider_url(provider.slug)),
    }


def catalog_record(catalog: Catalog, urls: _Urls) -> dict[str, Any]:
    """An :class:`ApiCatalog` up to its ``offerings`` (followed by ``csv``)."""
    return {
        "$schema": urls.schema("catalog"),
        "api_version": VERSION,
        "site": catalog.site.base_url,
        "data_date": catalog.build_date,
        "datasets": {
            key: {"name": d.name, "url": d.url, "version": d.version, "license": d.license, "read": d.read}
            for key, d in sorted(catalog.site.datasets.items())
        },
        "models": sorted(catalog.models),
        "providers": sorted(catalog.providers),
    }


def json_schema(name: str, urls: _Urls) -> dict[str, Any]:
    document = RECORD_TYPES[name].model_json_schema(by_alias=True)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": urls.schema(name), **document}


def csv_row(offering: Offering, base_url: str) -> list[str]:
    record, prices = offering.record, offering.prices
    return [
        *offering.key,
        record.model_id,
        record.status.value,
        *(_fact_amount(prices[dim]) or "" for dim in schema.PRICE_DIMENSIONS),
        record.source or "",
        record.as_of.isoformat() if record.as_of else "",
        record.dataset or "",
        record.verified.isoformat() if record.verified else "",
        record.retires_on.isoformat() if record.retires_on else "",
        base_url + offering_url(*offering.key),
    ]


class CsvLine:
    """One CSV line per call, in the format of :data:`csv.writer` (minimal quoting, ``\\n``)."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.writer = csv.writer(self, lineterminator="\n")

    def write(self, line: str) -> None:  # the csv writer writes a row at once
        self.lines.append(line)

    def __call__(self, row: list[str]) -> str:
        self.writer.writerow(row)
        return self.lines.pop()


def write_api(catalog: Catalog, project: Project, writer: SiteWriter, fragments: Fragments) -> None:
    """The whole API: catalog, one file per model, provider and offering, the CSV and the schemas.

    Each offering's file, its summary (in the catalog, its model's and its
    provider's files) and its CSV row are pieces of its
    :class:`~generator.fragments.Parts`; a model's or provider's file is remade
    only when it or one of its offerings changed.
    """
    fragments.start(catalog)
    urls = _Urls(catalog.site)
    root = BASE.lstrip("/")
    offerings = fragments.offerings

    def summary_of(part: Parts[Offering]) -> bytes:
        return nested(summary(part.item, urls), 2)

    def offering_file(offering: Offering) -> str:
        return root + offering_path(*offering.key)

    def record_path(item: Model | Provider) -> str:
        return root + (model_path(item.slug) if isinstance(item, Model) else provider_path(item.slug))

    def file_of(part: Parts[Offering]) -> tuple[str, bytes, str]:
        data, fingerprint = blob(
            indented_json(offering_record(part.item, urls, fragments.price_history(part))) + b"\n"
        )
        return offering_file(part.item), data, fingerprint

    line = CsvLine()

    def csv_line(part: Parts[Offering]) -> str:
        return line(csv_row(part.item, urls.base))

    def catalog_file() -> bytes:
        head = catalog_record(catalog, urls)
        items = fragments.column("api.summary", summary_of)
        return spliced_json(head, "offerings", items, {"csv": urls.api("offerings.csv")})

    def csv_file() -> bytes:
        rows = fragments.column("api.csv", csv_line)
        return "".join([line(list(CSV_COLUMNS)), *rows]).encode("utf-8")

    def schema_files() -> list[tuple[str, bytes]]:
        return [
            (path, (json.dumps(json_schema(name, urls), indent=1, sort_keys=True) + "\n").encode("utf-8"))
            for name, path in schema_paths()
        ]

    def members_file(part: Parts[Model] | Parts[Provider], members: Members) -> tuple[str, bytes, str]:
        item = part.item
        head = model_record(item, urls) if isinstance(item, Model) else provider_record(item, urls)
        items = [p.get("api.summary", summary_of) for p in members]
        return record_path(item), *blob(spliced_json(head, "offerings", items))

    writer.write(root + "catalog.json", *fragments.file("api.catalog", fragments.everything, catalog_file))
    writer.write(root + "offerings.csv", *fragments.file("api.csv", tuple(offerings), csv_file))
    for path, data in fragments.joined("api.schemas", (), schema_files):
        writer.write(root + path, data)
    writer.write_files(fragments.each_record_file("model", "api", members_file, record_path))
    writer.write_files(fragments.each_record_file("provider", "api", members_file, record_path))
    writer.write_files(fragments.files("api.file", file_of, offering_file))
