"""The fast JSON of generator.jsontext gives exactly json.dumps's bytes, and pieces join into documents."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from test_properties import PROPERTY

from generator.jsontext import compact_json, indented_json, nested, spliced_json

SCALARS = st.none() | st.booleans() | st.integers(-(2**63), 2**63) | st.text() | st.dates()
VALUES = st.recursive(
    SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4)
)


def _plain(value: Any) -> Any:
    """What json.dumps is given: dates as ISO strings, as the serialiser writes them."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


@PROPERTY
@given(VALUES)
def test_the_same_bytes_as_json_dumps(value: Any) -> None:
    plain = _plain(value)
    assert indented_json(value) == json.dumps(plain, indent=1, ensure_ascii=False).encode()
    assert compact_json(value) == json.dumps(plain, ensure_ascii=False, separators=(",", ":")).encode()


@PROPERTY
@given(st.dictionaries(st.text(), VALUES, min_size=1, max_size=3), st.lists(VALUES, max_size=3), VALUES)
def test_a_spliced_document_is_the_document(head: dict[str, Any], items: list[Any], last: Any) -> None:
    name, tail = "\u2028items", {"last \n": last}
    whole = {**{k: v for k, v in head.items() if k not in (name, *tail)}, name: items, **tail}
    pieces = [nested(item, 2) for item in items]
    head = {k: v for k, v in whole.items() if k in head}
    assert spliced_json(head, name, pieces, tail) == indented_json(whole) + b"\n"
    members = {f"k{i}": item for i, item in enumerate(items)}
    pieces = [b"  " + indented_json(k) + b": " + nested(v, 2)[2:] for k, v in members.items()]
    whole = {**head, name: members}
    assert spliced_json(head, name, pieces, brackets=b"{}") == indented_json(whole) + b"\n"
