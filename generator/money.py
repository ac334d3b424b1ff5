"""Money: one parser and one formatter for every price on the site.

Prices are :class:`decimal.Decimal` from the YAML text to the page. Binary
floats never touch them, so the page can never say "$1.1" in one place and
"$1.10" in another, or "$0.30000000000000004".

Formatting rules (``format_usd``):

* whole dollars have no decimals: ``$15``, ``$1,250``;
* otherwise at least two decimals, and as many more as the value needs:
  ``$1.10``, ``$0.075``, ``$0.0000011``;
* the value is never rounded: what the source said is what the reader sees.

Both functions refuse what cannot be a price instead of working hard on it:
``parse_usd`` takes ASCII digits only (no exponents, no "1_000", no Arabic-Indic
digits that :class:`~decimal.Decimal` would accept), and ``format_usd`` refuses
magnitudes beyond ``MAX_EXPONENT`` (a ``Decimal("1e999999999")`` would
otherwise be expanded digit by digit).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

MICRO = Decimal("0.000001")
MAX_EXPONENT = 15  # 10**15 dollars, and as small as 10**-15 dollars
_AMOUNT = re.compile(r"-?\$?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?|-?\$?\.[0-9]+")


def parse_usd(text: str) -> Decimal:
    """Parse "$1.10", "1.10" or "1,250" into a Decimal; raise ValueError otherwise."""
    stripped = text.strip()
    if len(stripped) > 100 or not _AMOUNT.fullmatch(stripped):
        raise ValueError(f"not an amount of money: {text[:100]!r}")
    try:
        value = Decimal(stripped.replace("$", "").replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
        raise ValueError(f"not an amount of money: {text!r}") from None
    _plausible(value)
    return value


_FORMATTED: dict[Decimal, str] = {}  # every page shows the same few thousand amounts many times
_FORMATTED_LIMIT = 1 << 16


def format_usd(value: Decimal) -> str:
    """Render a price as the reader sees it everywhere on the site.

    Equal amounts (``1.5`` and ``1.50``) give the same text, so results are
    kept by value: a catalog repeats a few thousand amounts on many pages.
    """
    if value.is_finite():
        found = _FORMATTED.get(value)
        if found is None:
            found = _format_usd(value)
            if len(_FORMATTED) < _FORMATTED_LIMIT:
                _FORMATTED[value] = found
        return found
    return _format_usd(value)


def _format_usd(value: Decimal) -> str:
    if not value.is_finite():
        raise ValueError(f"cannot format {value!r} as money")
    _plausible(value)
    sign = "-" if value < 0 else ""
    value = value.copy_abs()  # not abs(): it rounds to 28 digits
    if value == value.to_integral_value():
        return f"{sign}${int(value):,}"
    whole, _, fraction = _plain(value).partition(".")
    fraction = fraction.rstrip("0").ljust(2, "0")
    return f"{sign}${int(whole):,}.{fraction}"


def _plausible(value: Decimal) -> None:
    if value and not -MAX_EXPONENT <= value.adjusted() <= MAX_EXPONENT:
        raise ValueError(f"{value!r} is not a plausible amount of money")


def _plain(value: Decimal) -> str:
    """The exact digits of a non-negative ``value`` in positional notation.

    Not ``format(value, "f")`` or ``value.normalize()``: both round to the
    decimal context's 28 significant digits.
    """
    _, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    text = "".join(map(str, digits))
    if exponent >= 0:
        return text + "0" * exponent
    text = text.rjust(-exponent + 1, "0")
    return f"{text[:exponent]}.{text[exponent:]}"


def to_micro_dollars(value: Decimal) -> int:
    """The integer number of micro-dollars (1e-6 USD) in ``value``, for exact client arithmetic.

    Raises ValueError when the value is finer than a micro-dollar, so no price is
    silently rounded on its way to the browser.
    """
    micros = value / MICRO
    if micros != micros.to_integral_value():
        raise ValueError(f"{value} USD is not a whole number of micro-dollars")
    return int(micros)
