"""What a dataset says, normalised: the common shape every dataset reader produces.

A reader (:mod:`.modelsdev`, :mod:`.litellm`) turns one upstream file into a
:class:`Snapshot`: providers, models and offerings keyed by catalog slugs, with
prices as :class:`~decimal.Decimal` USD per 1M tokens (per unit for ``per_*``),
and every value the quality gates refused as a :class:`Refused` with the
upstream entry it came from. The writer (:mod:`.apply`) and the audit
(:mod:`generator.audit`) only ever see snapshots.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

MILLION = Decimal(1_000_000)
PLACES = Decimal("0.000000001")


def usd(value: object, scale: Decimal = Decimal(1)) -> Decimal | None:
    """A dataset number as USD (times ``scale``), exactly as written; None if it is not a number."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        amount = Decimal(repr(value) if isinstance(value, float) else str(value)) * scale
    except ArithmeticError:
        return None
    if not amount.is_finite():
        return None
    return amount.quantize(PLACES).normalize() if amount else Decimal(0)


@dataclass(frozen=True)
class Refused:
    """A value a quality gate kept out, with the reason and the upstream entry."""

    field: str
    value: str
    reason: str
    entry: str


@dataclass
class ProviderFacts:
    slug: str
    name: str
    api: str
    base_url: str | None
    auth_env: list[str]
    docs_url: str | None
    url: str
    sdk_python: str | None = None
    sdk_javascript: str | None = None


@dataclass
class ModelFacts:
    slug: str
    name: str
    creator: str
    entry: str
    family: str | None = None
    released: dt.date | None = None
    knowledge_cutoff: str | None = None
    context_window: int | None = None
    max_output: int | None = None
    inputs: list[str] = field(default_factory=lambda: ["text"])
    outputs: list[str] = field(default_factory=lambda: ["text"])
    capabilities: list[str] = field(default_factory=list)
    open_weights: bool | None = None
    refused: list[Refused] = field(default_factory=list)


@dataclass
class VariantFacts:
    name: str
    model_id: str
    input: Decimal | None


@dataclass
class OfferingFacts:
    provider: str
    model: str
    model_id: str
    entry: str  # the upstream entry: "providers/openai/models/gpt-4o.toml" or a LiteLLM key
    source: str  # a URL for that entry
    prices: dict[str, Decimal] = field(default_factory=dict)
    tiers: dict[int, dict[str, Decimal]] = field(default_factory=dict)
    context_window: int | None = None
    max_output: int | None = None
    capabilities: list[str] | None = None
    status: str | None = None
    retires_on: dt.date | None = None
    variants: list[VariantFacts] = field(default_factory=list)
    refused: list[Refused] = field(default_factory=list)


@dataclass
class Snapshot:
    dataset: str  # the key in site.yaml datasets
    providers: dict[str, ProviderFacts] = field(default_factory=dict)
    models: dict[str, ModelFacts] = field(default_factory=dict)
    offerings: dict[tuple[str, str], OfferingFacts] = field(default_factory=dict)
    creators: dict[str, str] = field(default_factory=dict)  # slug -> display name
    report: list[str] = field(default_factory=list)  # entries left out entirely, with the reason
    creates: frozenset[str] | None = None  # providers whose new offerings may be created (None: all)


TOLERANCE = Decimal("0.005")


def differs(a: Decimal, b: Decimal) -> bool:
    """Whether two prices differ by more than rounding (half a percent of the larger)."""
    return abs(a - b) > TOLERANCE * max(abs(a), abs(b))
