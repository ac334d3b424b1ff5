"""The calculator's arithmetic: Python's integers and calc.js's BigInt agree.

The JavaScript runs in chromium (the browser the other browser tests use); both
sides price the same few thousand random cases and must print the same strings.
"""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

import pytest
from conftest import REPO

from generator.money import to_micro_dollars
from generator.pricing_math import Rates, Usage, format_cost, period_cost_pico, request_cost_pico

CALC_JS = REPO / "static" / "calc.js"

CLAUDE = Rates(
    {
        "input": 3_000_000,
        "output": 15_000_000,
        "cache_read": 300_000,
        "batch_input": 1_500_000,
        "batch_output": 7_500_000,
    },
    [(200_000, {"input": 6_000_000, "output": 22_500_000, "cache_read": 600_000})],
)


def test_simple_request_is_exact() -> None:
    usage = Usage(input_tokens=2_000, cached_tokens=0, output_tokens=500, requests=30_000)
    # 2,000 x $3/1M + 500 x $15/1M = $0.006 + $0.0075
    assert format_cost(request_cost_pico(CLAUDE, usage) or 0) == "$0.0135"
    assert format_cost(period_cost_pico(CLAUDE, usage) or 0) == "$405.00"


def test_cached_tokens_use_cache_price_or_input_price() -> None:
    usage = Usage(input_tokens=0, cached_tokens=100_000, output_tokens=0, requests=1)
    assert request_cost_pico(CLAUDE, usage) == to_micro_dollars(Decimal("0.30")) * 100_000
    no_cache = Rates({"input": 1_000_000, "output": 2_000_000})
    assert request_cost_pico(no_cache, usage) == 1_000_000 * 100_000


def test_long_context_tier_applies_above_its_threshold() -> None:
    below = Usage(input_tokens=200_000, cached_tokens=0, output_tokens=0, requests=1)
    above = Usage(input_tokens=150_000, cached_tokens=50_001, output_tokens=1_000, requests=1)
    assert format_cost(request_cost_pico(CLAUDE, below) or 0) == "$0.60"
    # 150,000 x $6 + 50,001 x $0.60 + 1,000 x $22.50, per 1M
    assert request_cost_pico(CLAUDE, above) == 150_000 * 6_000_000 + 50_001 * 600_000 + 1_000 * 22_500_000


def test_batch_needs_batch_prices() -> None:
    usage = Usage(input_tokens=1_000, cached_tokens=0, output_tokens=1_000, requests=1, batch=True)
    assert request_cost_pico(CLAUDE, usage) == 1_000 * 1_500_000 + 1_000 * 7_500_000
    assert request_cost_pico(Rates({"input": 1, "output": 1}), usage) is None


def test_missing_output_price_cannot_be_priced() -> None:
    usage = Usage(input_tokens=10, cached_tokens=0, output_tokens=10, requests=1)
    assert request_cost_pico(Rates({"input": 5}), usage) is None
    assert request_cost_pico(Rates({"input": 5}), Usage(10, 0, 0, 1)) == 50


@pytest.mark.parametrize(
    ("pico", "text"),
    [
        (0, "$0"),
        (1, "<$0.000001"),
        (500_000, "$0.000001"),  # half a micro-dollar rounds up
        (499_999, "<$0.000001"),
        (10_000 * 1_000_000, "$0.01"),
        (123_400 * 1_000_000, "$0.1234"),
        (999_999 * 1_000_000, "$0.999999"),
        (1_000_000 * 1_000_000, "$1.00"),
        (1_234_565_000 * 1_000_000, "$1,234.57"),
        (12_345_678_901_234_000_000, "$12,345,678.90"),
    ],
)
def test_format_cost(pico: int, text: str) -> None:
    assert format_cost(pico) == text


def _random_cases(count: int) -> list[dict[str, object]]:
    rng = random.Random(20261125)
    dims = ("input", "output", "cache_read", "batch_input", "batch_output", "per_request")
    cases = []
    for _ in range(count):
        base = {
            d: rng.choice([0, 1, 75_000, 1_100_000, rng.randrange(0, 100_000_000_000)])
            for d in dims
            if rng.random() < 0.8
        }
        tiers = [
            [above, {d: rng.randrange(0, 50_000_000) for d in dims[:3] if rng.random() < 0.7}]
            for above in sorted(rng.sample([1_000, 128_000, 200_000, 1_000_000], rng.randrange(0, 3)))
        ]
        usage = {
            "input": rng.choice([0, 1, 999, 2_000, 200_001, rng.randrange(0, 100_000_000)]),
            "cached": rng.choice([0, 0, 500, rng.randrange(0, 10_000_000)]),
            "output": rng.choice([0, 1, 500, rng.randrange(0, 1_000_000)]),
            "requests": rng.choice([1, 30, 30_000, rng.randrange(0, 10**9)]),
            "batch": rng.random() < 0.3,
        }
        cases.append({"rates": {"r": base, "t": tiers}, "usage": usage})
    return cases


def _python_answers(cases: list[dict[str, object]]) -> list[list[str | None]]:
    out: list[list[str | None]] = []
    for case in cases:
        raw = case["rates"]
        u = case["usage"]
        assert isinstance(raw, dict) and isinstance(u, dict)
        rates = Rates(raw["r"], [(above, prices) for above, prices in raw["t"]])
        usage = Usage(u["input"], u["cached"], u["output"], u["requests"], u["batch"])
        one, period = request_cost_pico(rates, usage), period_cost_pico(rates, usage)
        out.append(
            [None if one is None else format_cost(one), None if period is None else format_cost(period)]
        )
    return out


RUNNER = """cases => cases.map(({rates, usage}) => {
  const calc = globalThis.modeldirCalc;
  const one = calc.requestCostPico(rates, usage), period = calc.periodCostPico(rates, usage);
  return [one === null ? null : calc.formatCost(one), period === null ? null : calc.formatCost(period)];
})"""


@pytest.mark.browser
def test_javascript_and_python_agree_on_thousands_of_cases(browser: Any) -> None:
    page = browser.new_page()
    page.evaluate(CALC_JS.read_text())  # no document-dependent code runs: there are no calculator forms
    cases = _random_cases(3_000)
    js = page.evaluate(RUNNER, cases)
    page.close()
    python = _python_answers(cases)
    mismatches = [(c, p, j) for c, p, j in zip(cases, python, js, strict=True) if p != j]
    assert not mismatches, mismatches[:3]
    assert sum(1 for p in python if p[0] is None) > 50  # the "cannot price" path is exercised too
