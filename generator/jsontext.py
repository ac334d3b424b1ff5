"""JSON in the format of every JSON file of the site, made fast, and in pieces.

The files are ``json.dumps(value, indent=1, ensure_ascii=False)`` (pydantic's
format too). ``pydantic_core.to_json`` gives exactly those bytes for plain
dicts, lists, strings, numbers, booleans, dates and None, about six times
faster. A document can be assembled from pieces serialised apart
(:func:`nested`, :func:`spliced_json`): the extras keep a piece per record
(:mod:`generator.fragments`).
"""

from __future__ import annotations

from typing import Any

import pydantic_core


def indented_json(value: Any) -> bytes:
    """``json.dumps(value, indent=1, ensure_ascii=False)`` as UTF-8, made in Rust."""
    return pydantic_core.to_json(value, indent=1)


def compact_json(value: Any) -> bytes:
    """``json.dumps(value, ensure_ascii=False, separators=(",", ":"))`` as UTF-8."""
    return pydantic_core.to_json(value)


def nested(value: Any, depth: int) -> bytes:
    """:func:`indented_json` of ``value`` for a place ``depth`` levels deep in a document (first line indented)."""
    pad = b"\n" + b" " * depth
    return pad[1:] + indented_json(value).replace(b"\n", pad)


def spliced_json(
    head: dict[str, Any],
    name: str,
    items: list[bytes],
    tail: dict[str, Any] | None = None,
    brackets: bytes = b"[]",
) -> bytes:
    """A document (and its final newline) of ``head``'s fields (one at least), then ``name``: the list of
    ``items`` (pieces made by :func:`nested` at depth 2), then ``tail``'s fields.

    With ``brackets=b"{}"`` the items are the members of an object instead (``"key": value``).
    """
    parts = [indented_json(head)[:-2], b",\n ", indented_json(name), b": "]
    parts += [brackets[:1], b"\n", b",\n".join(items), b"\n ", brackets[1:]] if items else [brackets]
    parts += [
        b",\n %s: %s" % (indented_json(key), nested(value, 1)[1:]) for key, value in (tail or {}).items()
    ]
    parts.append(b"\n}\n")
    return b"".join(parts)
