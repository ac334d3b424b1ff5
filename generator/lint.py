"""Stage 2b, lint: the rules that need more than one field or more than one file.

Types and shapes are pydantic's job (:mod:`generator.validate`); everything that
relates records to each other or to the calendar is here, in one place:

* references resolve: a model's creator, an offering's model and provider, a
  replacement, a dataset key (with "did you mean");
* an offering's ``model_id`` matches its provider's declared rule, and the error
  shows the rule and an example;
* every price shown on the site has a source and an as-of date, its own or the
  offering's;
* dates are not in the future (a retirement date may be), history runs oldest
  first, tiers rise, retirement does not come before deprecation;
* no two records claim one URL: an ``old_slugs`` entry (kept so old links can
  redirect) is neither a current slug of the same kind nor another record's
  old slug;
* verification dates older than ``stale_after_days`` warn.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from . import schema
from .errors import Problem, did_you_mean, error, warning
from .validate import Entry, Records


class LintCache:
    """Problems of each offering, kept by the development server between builds.

    An offering's problems depend on its record and document, its provider's
    record, which models, providers and invalid files exist, the site
    configuration and today. The last three are the *world*: while it is the
    same object for object, an offering whose record, document and provider
    record are the same objects as last time (the loader hands back the same
    objects for unchanged files) keeps its problems, found by one dictionary
    lookup and three identity tests; when the world changed, every offering is
    linted again.
    """

    def __init__(self) -> None:
        self.world: tuple[object, ...] | None = None
        self.offerings: dict[tuple[str, str], tuple[object, object, object, list[Problem]]] = {}


def lint(
    records: Records, site: schema.Site, today: dt.date, cache: LintCache | None = None
) -> list[Problem]:
    problems: list[Problem] = []
    for kind in ("creators", "models", "providers"):
        problems += _lint_old_slugs(kind, getattr(records, kind))
    for model in records.models.values():
        problems += _lint_model(model, records, today)
    if cache is None:
        for key, offering in records.offerings.items():
            problems += _lint_offering(key, offering, records, site, today)
        return problems
    world = (
        site,
        today,
        records.models.keys() | (),
        records.providers.keys() | (),
        frozenset(records.invalid),
    )
    same = cache.world is not None and cache.world[0] is site and cache.world[1:] == world[1:]
    before = cache.offerings if same else {}
    fresh: dict[tuple[str, str], tuple[object, object, object, list[Problem]]] = {}
    providers = records.providers
    for key, offering in records.offerings.items():
        provider = providers.get(key[0])
        provider_record = provider.record if provider else None
        hit = before.get(key)
        if (
            hit is not None
            and hit[0] is offering.record
            and hit[1] is offering.doc
            and hit[2] is provider_record
        ):
            found = hit[3]
        else:
            found = list(_lint_offering(key, offering, records, site, today))
        fresh[key] = (offering.record, offering.doc, provider_record, found)
        problems += found
    cache.world, cache.offerings = world, fresh
    return problems


def _lint_old_slugs(kind: str, entries: dict[str, Entry[Any]]) -> Iterator[Problem]:
    claimed: dict[str, Entry[Any]] = {}
    for slug, entry in sorted(entries.items()):
        for index, old in enumerate(entry.record.old_slugs):
            at = entry.doc.location(("old_slugs", index))
            url = f"/{kind}/{old}/"
            if old == slug:
                yield error(at, f'old slug "{old}" is this record\'s own slug; remove it from old_slugs')
            elif old in entries:
                yield error(
                    at,
                    f'old slug "{old}" would send {url} to this page, but {entries[old].source.display} '
                    "lives there; two records cannot claim one URL (remove it from old_slugs)",
                )
            elif old in claimed and claimed[old] is not entry:
                yield error(
                    at,
                    f'old slug "{old}" is also claimed by {claimed[old].source.display}; '
                    f"two records cannot claim one URL ({url}): keep it on one of them",
                )
            claimed.setdefault(old, entry)


def _lint_model(entry: Entry[schema.Model], records: Records, today: dt.date) -> Iterator[Problem]:
    model = entry.record
    if records.missing("creators", model.creator):
        yield error(
            entry.doc.location(("creator",)),
            f'creator "{model.creator}" does not exist (no content/creators/{model.creator}.yaml)'
            + did_you_mean(model.creator, records.creators),
        )
    yield from _not_future(entry, ("released",), model.released, today)
    if model.context_window and model.max_output and model.max_output > model.context_window:
        yield error(
            entry.doc.location(("max_output",)),
            f"max_output {model.max_output:,} is larger than context_window {model.context_window:,}; "
            "a response cannot be longer than the whole request",
        )
    if model.knowledge_cutoff and model.knowledge_cutoff[:7] > today.isoformat()[:7]:
        yield error(entry.doc.location(("knowledge_cutoff",)), "knowledge_cutoff is in the future")


def _lint_offering(
    key: tuple[str, str],
    entry: Entry[schema.Offering],
    records: Records,
    site: schema.Site,
    today: dt.date,
) -> Iterator[Problem]:
    provider_slug, model_slug = key
    offering = entry.record
    doc = entry.doc
    for field, expected, what in (("provider", provider_slug, "folder"), ("model", model_slug, "file name")):
        given = getattr(offering, field)
        if given is not None and given != expected:
            yield error(
                doc.location((field,)),
                f'{field} "{given}" disagrees with the {what} "{expected}"; '
                f"remove the key or move the file to offerings/{provider_slug if field == 'model' else given}/"
                f"{given if field == 'model' else model_slug}.yaml",
            )
    if records.missing("models", model_slug):
        yield error(
            doc.location(("model",)) if offering.model else doc.location(),
            f'model "{model_slug}" does not exist (no content/models/{model_slug}.yaml)'
            + did_you_mean(model_slug, records.models),
        )
    provider = records.providers.get(provider_slug)
    if provider is None and records.missing("providers", provider_slug):
        yield error(
            doc.location(("provider",)) if offering.provider else doc.location(),
            f'provider "{provider_slug}" does not exist (no content/providers/{provider_slug}.yaml)'
            + did_you_mean(provider_slug, records.providers),
        )
    elif provider is not None:
        rule = provider.record.model_id
        if not rule.matches(offering.model_id):
            yield error(
                doc.location(("model_id",)),
                f'model_id "{offering.model_id}" does not follow {provider.record.name}\'s model-ID rule: '
                f'{rule.hint} (for example "{rule.example}"; pattern {rule.pattern} in '
                f"{provider.source.display})",
            )
    if offering.replacement and records.missing("models", offering.replacement):
        yield error(
            doc.location(("replacement",)),
            f'replacement "{offering.replacement}" is not a model'
            + did_you_mean(offering.replacement, records.models),
        )
    for path, dataset in _datasets(offering):
        if dataset not in site.datasets:
            yield error(
                doc.location(path),
                f'dataset "{dataset}" is not declared in site.yaml datasets'
                + did_you_mean(dataset, site.datasets),
            )
    yield from _provenance(entry, today)
    for field in ("released", "deprecated_on", "verified", "as_of"):
        yield from _not_future(entry, (field,), getattr(offering, field), today)
    yield from _history(entry, today)
    if offering.deprecated_on and offering.retires_on and offering.retires_on < offering.deprecated_on:
        yield error(
            doc.location(("retires_on",)),
            f"retires_on {offering.retires_on} is before deprecated_on {offering.deprecated_on}; "
            "a provider announces deprecation first",
        )
    previous = 0
    for index, tier in enumerate(offering.pricing.tiers):
        if tier.above <= previous:
            yield error(
                doc.location(("pricing", "tiers", index, "above")),
                "tiers must rise: list them by 'above', smallest first",
            )
        previous = tier.above
    if offering.status is schema.Status.retired and offering.retires_on is None:
        yield warning(doc.location(("status",)), "a retired offering should say when: add retires_on")
    if offering.verified and (today - offering.verified).days > site.stale_after_days:
        yield warning(
            doc.location(("verified",)),
            f"verified {offering.verified} is more than {site.stale_after_days} days ago; check the prices again",
        )


def _not_future(
    entry: Entry[Any], path: tuple[str | int, ...], value: dt.date | None, today: dt.date
) -> Iterator[Problem]:
    if value is not None and value > today:
        yield error(entry.doc.location(path), f"{path[-1]} {value} is in the future")


def _datasets(offering: schema.Offering) -> Iterator[tuple[tuple[str | int, ...], str]]:
    if offering.dataset:
        yield ("dataset",), offering.dataset
    for name, price in offering.pricing.items():
        if isinstance(price, schema.PricePoint) and price.dataset:
            yield ("pricing", name, "dataset"), price.dataset
    for index, entry in enumerate(offering.history):
        if entry.dataset:
            yield ("history", index, "dataset"), entry.dataset


def _priced(
    prices: schema.Prices, at: tuple[str | int, ...]
) -> Iterator[tuple[tuple[str | int, ...], schema.Price]]:
    for name, price in prices.items():
        yield (*at, name), price


def _provenance(entry: Entry[schema.Offering], today: dt.date) -> Iterator[Problem]:
    offering = entry.record
    candidates = list(_priced(offering.pricing, ("pricing",)))
    for index, tier in enumerate(offering.pricing.tiers):
        candidates += _priced(tier, ("pricing", "tiers", index))
    for path, price in candidates:
        if price == "not_offered":
            continue
        own_source = price.source if isinstance(price, schema.PricePoint) else None
        own_date = price.as_of if isinstance(price, schema.PricePoint) else None
        yield from _not_future(entry, (*path, "as_of"), own_date, today)
        if not (own_source or offering.source):
            yield error(
                entry.doc.location(path),
                f"{path[-1]} has no source: add 'source: https://…' to the offering, "
                "or write the price as {usd: …, source: https://…, as_of: YYYY-MM-DD}",
            )
        elif not (own_date or offering.as_of):
            yield error(
                entry.doc.location(path),
                f"{path[-1]} has no date: add 'as_of: YYYY-MM-DD' (when it was read) to the offering or the price",
            )


def _history(entry: Entry[schema.Offering], today: dt.date) -> Iterator[Problem]:
    offering = entry.record
    previous: dt.date | None = None
    for index, item in enumerate(offering.history):
        at = ("history", index, "date")
        if item.date > today:
            yield error(entry.doc.location(at), f"history date {item.date} is in the future")
        if previous and item.date <= previous:
            yield error(entry.doc.location(at), "history must run oldest first, one entry per date")
        previous = item.date
        if not (item.source or offering.source):
            yield error(
                entry.doc.location(("history", index)), "history entry has no source: add 'source: https://…'"
            )
    if previous and offering.as_of and previous > offering.as_of:
        yield error(
            entry.doc.location(("as_of",)),
            f"as_of {offering.as_of} is older than the last history entry ({previous}); "
            "the current prices must be the newest",
        )
