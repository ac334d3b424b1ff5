"""The cost calculator's arithmetic, exactly as the browser does it.

Prices travel to the browser as integer micro-dollars (1e-6 USD) per 1M tokens
(or per request); the browser multiplies them by token counts with ``BigInt``.
A token price ``p`` (micro-dollars per 1M tokens) times ``t`` tokens is
``p * t`` pico-dollars (1e-12 USD), an exact integer, so the only rounding is
the last one, in :func:`format_cost`. ``static/calc.js`` implements the same
functions; tests run both on many cases and require identical strings.

Rules (shown to the reader under the calculator):

* the long-context tier whose ``above`` is the largest one below the request's
  input (uncached + cached) applies to the whole request, dimension by
  dimension, falling back to the base price where the tier does not say;
* with batch on, input and output use ``batch_input`` and ``batch_output``; an
  offering without a batch price cannot be priced in batch mode;
* cached input uses ``cache_read``, or the input price when the offering has no
  cache price (not offered, or not yet sourced);
* ``per_request`` is added once per request when it is a number.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .catalog import Offering, PriceFact
from .money import to_micro_dollars

CALC_DIMENSIONS = ("input", "output", "cache_read", "batch_input", "batch_output", "per_request")
PICO_PER_MICRO = 1_000_000


@dataclass(frozen=True)
class Rates:
    """Micro-dollar prices of one offering: base, and long-context tiers by threshold."""

    base: dict[str, int]
    tiers: list[tuple[int, dict[str, int]]] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        """The shape ``calc.js`` reads: {"r": {dim: micro}, "t": [[above, {dim: micro}], …]}."""
        return {"r": self.base, "t": [[above, prices] for above, prices in self.tiers]}


@dataclass(frozen=True)
class Usage:
    input_tokens: int  # uncached input tokens per request
    cached_tokens: int
    output_tokens: int
    requests: int  # requests in the period the reader chose
    batch: bool = False


def _micros(facts: list[PriceFact]) -> dict[str, int]:
    out: dict[str, int] = {}
    for fact in facts:
        if fact.dimension in CALC_DIMENSIONS and fact.usd is not None:
            try:
                out[fact.dimension] = to_micro_dollars(fact.usd)
            except ValueError:  # finer than a micro-dollar: left out rather than rounded
                continue
    return out


def rates_for(offering: Offering) -> Rates:
    base = _micros(list(offering.prices.values()))
    tiers = sorted((tier.above, _micros(tier.prices)) for tier in offering.tiers)
    return Rates(base, [(above, prices) for above, prices in tiers if prices])


def request_cost_pico(rates: Rates, usage: Usage) -> int | None:
    """Pico-dollars (1e-12 USD) for one request, or None when a needed price is missing."""
    prices = dict(rates.base)
    total_input = usage.input_tokens + usage.cached_tokens
    for above, tier in rates.tiers:
        if total_input > above:
            prices = {**rates.base, **tier}
    in_dim, out_dim = ("batch_input", "batch_output") if usage.batch else ("input", "output")
    cost = 0
    for tokens, dims in (
        (usage.input_tokens, (in_dim,)),
        (usage.cached_tokens, ("cache_read", in_dim)),
        (usage.output_tokens, (out_dim,)),
    ):
        if tokens == 0:
            continue
        price = next((prices[d] for d in dims if d in prices), None)
        if price is None:
            return None
        cost += price * tokens
    if usage.batch and (in_dim not in prices or out_dim not in prices):
        return None
    if "per_request" in prices:
        cost += prices["per_request"] * PICO_PER_MICRO
    return cost


def period_cost_pico(rates: Rates, usage: Usage) -> int | None:
    one = request_cost_pico(rates, usage)
    return None if one is None else one * usage.requests


def format_cost(pico: int) -> str:
    """Dollars as the calculator shows them: cents from $1 up, micro-dollars below.

    Rounding is half up, once, from the exact pico-dollar total.
    """
    micro = (pico + PICO_PER_MICRO // 2) // PICO_PER_MICRO
    if micro >= 1_000_000:
        cents = (micro + 5_000) // 10_000
        return f"${cents // 100:,}.{cents % 100:02d}"
    if micro == 0:
        return "$0" if pico == 0 else "<$0.000001"
    fraction = f"{micro:06d}".rstrip("0").ljust(2, "0")
    return f"$0.{fraction}"
