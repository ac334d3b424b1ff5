"""Property-based tests: no input crashes the loader, the validator or the money functions.

"Crash" means any exception other than the documented outcome: the loader
returns a Document or a Problem, the validator returns a record or problems,
``parse_usd`` / ``format_usd`` return a value or raise ValueError. Every price
the content model accepts survives YAML -> Decimal -> text -> Decimal unchanged.
"""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import schema
from generator.errors import Problem
from generator.money import format_usd, parse_usd
from generator.validate import validate_record
from generator.yamlquick import read_document
from generator.yamlsource import Document, parse_document

# Locally every run explores new inputs; in CI (CI set) the examples are fixed, so a
# pull request never fails on an input no one chose. No deadline: timing is not a property.
PROPERTY = settings(
    max_examples=300,
    deadline=None,
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[HealthCheck.too_slow],
)
HERE = Path("x.yaml")

# --- strategies --------------------------------------------------------------------

YAML_ALPHABET = st.sampled_from(
    [*list("abcxyz019 .-_:,[]{}&*!|>'\"#%@`?~\n\t\\/=+$<"), "\ufeff", "\u202e", "é", "\x00", "---", "..."]
)
yaml_ish_text = st.lists(YAML_ALPHABET, max_size=80).map("".join)

keys = st.text(alphabet="abcdefghij_", min_size=1, max_size=8)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.decimals(allow_nan=False, allow_infinity=False, places=4, min_value=-1000, max_value=1000),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2999, 12, 31)),
    st.text(max_size=30),
)
data_trees = st.recursive(
    scalars,
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(keys, children, max_size=4)),
    max_leaves=20,
)

# Prices the content model accepts: 0 to MAX_USD, at most 9 decimal places.
prices = st.decimals(min_value=0, max_value=schema.MAX_USD, places=9, allow_nan=False, allow_infinity=False)


def _plain(value: Decimal) -> str:
    """How a contributor writes the price in YAML."""
    return format(value, "f")


# --- the loader ----------------------------------------------------------------------


@PROPERTY
@given(st.binary(max_size=300))
def test_loader_survives_any_bytes(raw: bytes) -> None:
    assert isinstance(parse_document(raw, HERE, "x.yaml"), Document | Problem)


@PROPERTY
@given(yaml_ish_text)
def test_loader_survives_yaml_shaped_text(text: str) -> None:
    result = parse_document(text.encode("utf-8"), HERE, "x.yaml")
    assert isinstance(result, Document | Problem)
    if isinstance(result, Problem):
        assert result.location.line >= 1 and result.location.column >= 1
        assert "\n" not in result.message


def _same_reading(text: str) -> None:
    """The loader's quick reader gives what the exact reader gives: the same values, or the same problem."""
    exact = parse_document(text.encode("utf-8"), HERE, "x.yaml")
    quick = read_document(text.encode("utf-8"), HERE, "x.yaml")
    if isinstance(exact, Problem):
        assert quick == exact
    else:
        assert isinstance(quick, Document)
        assert repr(quick.data) == repr(exact.data)  # repr tells 1 from True and 1.0 from 1.00


@PROPERTY
@given(yaml_ish_text)
def test_quick_reader_reads_yaml_shaped_text_as_the_exact_reader(text: str) -> None:
    _same_reading(text)


@PROPERTY
@given(st.dictionaries(keys, data_trees, min_size=1, max_size=5), st.sampled_from(["\n", "\r\n", "\r"]))
def test_quick_reader_reads_what_yaml_writes_as_the_exact_reader(data: dict[str, Any], newline: str) -> None:
    text = yaml.safe_dump(_for_yaml(data), allow_unicode=True, sort_keys=False)
    _same_reading(text.replace("\n", newline))
    _same_reading(yaml.safe_dump(_for_yaml(data), allow_unicode=False, sort_keys=False, default_style='"'))


@PROPERTY
@given(st.dictionaries(keys, data_trees, min_size=1, max_size=5))
def test_loader_reads_back_what_yaml_writes(data: dict[str, Any]) -> None:
    """Anything a YAML emitter writes without tags loads to the same values, with a position for each."""
    text = yaml.safe_dump(_for_yaml(data), allow_unicode=True, sort_keys=False)
    result = parse_document(text.encode("utf-8"), HERE, "x.yaml")
    if isinstance(result, Problem):  # refused on purpose: control characters, look-alike text, …
        return
    assert result.data == data
    for path in _paths(data):
        assert path in result.positions


def _for_yaml(value: Any) -> Any:
    """Decimals are written as YAML floats in plain notation, as contributors write prices."""
    if isinstance(value, dict):
        return {k: _for_yaml(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_for_yaml(v) for v in value]
    if isinstance(value, Decimal):
        return _PlainDecimal(value)
    return value


class _PlainDecimal(Decimal):
    pass


yaml.SafeDumper.add_representer(
    _PlainDecimal,
    lambda dumper, value: dumper.represent_scalar(
        "tag:yaml.org,2002:float",
        format(value, "f") if "." in format(value, "f") else format(value, "f") + ".0",
    ),
)


def _paths(value: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [at]
    if isinstance(value, dict):
        for k, v in value.items():
            found += _paths(v, (*at, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            found += _paths(v, (*at, i))
    return found


# --- the validator -------------------------------------------------------------------


@PROPERTY
@given(st.sampled_from(sorted(schema.RECORD_TYPES)), st.dictionaries(keys, data_trees, max_size=6))
def test_validator_survives_any_tree(kind: str, data: dict[str, Any]) -> None:
    doc = Document(HERE, "x.yaml", data)
    record, problems = validate_record(schema.RECORD_TYPES[kind], doc)
    assert (record is None) == bool(problems)
    for problem in problems:
        assert problem.location.line >= 1
        assert "\n" not in problem.message


offering_fields = st.fixed_dictionaries(
    {},
    optional={
        "model_id": st.one_of(st.text(max_size=20), data_trees),
        "status": st.one_of(st.sampled_from(["ga", "preview", "gaa"]), data_trees),
        "source": st.one_of(st.sampled_from(["https://x.example", "http://x", "javascript:x"]), data_trees),
        "pricing": st.dictionaries(
            st.sampled_from([*schema.PRICE_DIMENSIONS, "tiers", "inptu"]),
            st.one_of(prices, st.just("not_offered"), data_trees),
            max_size=4,
        ),
        "history": st.lists(
            st.dictionaries(st.sampled_from(["date", "input", "note"]), data_trees), max_size=3
        ),
    },
)


@PROPERTY
@given(offering_fields)
def test_validator_survives_offering_shaped_trees(data: dict[str, Any]) -> None:
    record, problems = validate_record(schema.Offering, Document(HERE, "x.yaml", data))
    assert (record is None) == bool(problems)


# --- money ---------------------------------------------------------------------------


@PROPERTY
@given(prices)
def test_every_valid_price_round_trips(value: Decimal) -> None:
    """YAML text -> loader -> content model -> page text -> parse: the same value and the same text."""
    doc = parse_document(f"input: {_plain(value)}\n".encode(), HERE, "x.yaml")
    assert isinstance(doc, Document)
    record, problems = validate_record(schema.Prices, doc)
    assert record is not None, problems
    loaded = record.input
    assert isinstance(loaded, Decimal) and loaded == value
    text = format_usd(loaded)
    assert parse_usd(text) == value
    assert format_usd(parse_usd(text)) == text


@PROPERTY
@given(st.text(max_size=40))
def test_parse_usd_returns_or_refuses(text: str) -> None:
    try:
        value = parse_usd(text)
    except ValueError:
        return
    assert value.is_finite()
    format_usd(value)


@PROPERTY
@given(st.decimals(allow_nan=True, allow_infinity=True))
def test_format_usd_formats_or_refuses(value: Decimal) -> None:
    try:
        text = format_usd(value)
    except ValueError:
        return
    assert text.lstrip("-").startswith("$")
    assert parse_usd(text) == value
