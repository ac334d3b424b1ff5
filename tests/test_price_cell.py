"""The price cell, the one fragment of HTML made in Python: every state, and escaping."""

from __future__ import annotations

from generator.price_cell import price
from generator.views.types import PriceCell


def cell(state: str, **fields: object) -> PriceCell:
    base: dict[str, object] = {
        "text": "$1.50",
        "source": None,
        "as_of": None,
        "dataset": None,
        "edit_url": None,
    }
    return PriceCell(state=state, **{**base, **fields})  # type: ignore[arg-type]


def test_a_number_with_and_without_its_source() -> None:
    sourced = cell(
        "number", source="https://p.example/pricing?a=1&b=2", dataset="models.dev", as_of="2026-01-02"
    )
    assert price(sourced) == '<span class="price">$1.50</span>'
    assert price(sourced, True) == (
        '<span class="price">$1.50</span> <a class="src" href="https://p.example/pricing?a=1&amp;b=2" '
        'rel="nofollow noopener">source: models.dev, 2026-01-02</a>'
    )
    assert price(cell("number", source="https://p.example/"), True).endswith(
        'rel="nofollow noopener">source</a>'
    )


def test_not_offered_not_sourced_and_disputes() -> None:
    assert price(cell("not_offered"), True) == '<span class="na">Not offered</span>'
    assert price(cell("unsourced")) == '<span class="unknown">Not yet sourced</span>'
    assert price(cell("unsourced", edit_url="https://github.com/e?x=<y>"), True) == (
        '<span class="unknown">Not yet sourced</span> <a class="src" href="https://github.com/e?x=&lt;y&gt;">add it</a>'
    )
    disputed = cell("number", disputes=('LiteLLM says <b>"$2"</b>',))
    assert price(disputed) == (
        '<span class="price">$1.50</span> <a class="dispute" href="/disagreements/">'
        "(LiteLLM says &lt;b&gt;&#34;$2&#34;&lt;/b&gt;)</a>"
    )
