"""Money: one parser and one formatter for every price on the site.

Prices are :class:`decimal.Decimal` from the YAML text to the page. Binary
floats never touch them, so the page can never say "$1.1" in one place and
"$1.10" in another, or "$0.30000000000000004".

Formatting rules (``format_usd``):

* whole dollars have no decimals: ``$15``, ``$1,250``;
* otherwise at least two decimals, and as many more as the value needs:
  ``$1.10``, ``$0.075``, ``$0.0000011``;
* the value is never rounded: what the source said is what the reader sees.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

MICRO = Decimal("0.000001")


def parse_usd(text: str) -> Decimal:
    """Parse "$1.10", "1.10" or "1,250" into a Decimal; raise ValueError otherwise."""
    cleaned = text.strip().removeprefix("$").replace(",", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"not an amount of money: {text!r}") from None
    if not value.is_finite():
        raise ValueError(f"not an amount of money: {text!r}")
    return value


def format_usd(value: Decimal) -> str:
    """Render a price as the reader sees it everywhere on the site."""
    if not value.is_finite():
        raise ValueError(f"cannot format {value!r} as money")
    sign = "-" if value < 0 else ""
    value = abs(value)
    if value == value.to_integral_value():
        return f"{sign}${int(value):,}"
    plain = format(value.normalize(), "f")
    whole, _, fraction = plain.partition(".")
    fraction = fraction.ljust(2, "0")
    return f"{sign}${int(whole):,}.{fraction}"


def to_micro_dollars(value: Decimal) -> int:
    """The integer number of micro-dollars (1e-6 USD) in ``value``, for exact client arithmetic.

    Raises ValueError when the value is finer than a micro-dollar, so no price is
    silently rounded on its way to the browser.
    """
    micros = value / MICRO
    if micros != micros.to_integral_value():
        raise ValueError(f"{value} USD is not a whole number of micro-dollars")
    return int(micros)
