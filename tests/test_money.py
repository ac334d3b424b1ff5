from decimal import Decimal

import pytest

from generator.money import format_usd, parse_usd, to_micro_dollars


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("1.10", "$1.10"),
        ("1.1", "$1.10"),
        ("4.40", "$4.40"),
        ("0.075", "$0.075"),
        ("15", "$15"),
        ("15.0", "$15"),
        ("0", "$0"),
        ("1250", "$1,250"),
        ("0.0000011", "$0.0000011"),
        ("2.5", "$2.50"),
        ("1234.5", "$1,234.50"),
    ],
)
def test_one_spelling_per_price(value: str, text: str) -> None:
    assert format_usd(Decimal(value)) == text
    assert parse_usd(text) == Decimal(value)


def test_refuses_non_finite() -> None:
    with pytest.raises(ValueError):
        format_usd(Decimal("NaN"))
    with pytest.raises(ValueError):
        parse_usd("inf")


def test_micro_dollars_are_exact() -> None:
    assert to_micro_dollars(Decimal("1.10")) == 1_100_000
    with pytest.raises(ValueError):
        to_micro_dollars(Decimal("0.0000001"))
