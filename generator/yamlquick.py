"""The loader's reader: the rules of :mod:`generator.yamlsource`, at a fraction of the cost.

:func:`generator.yamlsource.parse_document` records the line and column of
every value and key and explains every refusal. Reading 10,000 files that way
takes longer than parsing them, and almost no file has anything to explain. The
quick reader here turns the same libyaml events into the same values and
checks the same rules, but records no position and explains nothing: at the
first event that is unusual (a tag, an anchor, a key that is not text, a
duplicate key, a value that would be refused, more than ``MAX_VALUES`` values)
it gives up, and the file is read again by the exact reader, which finds and
words the problem exactly as it always has. So a file's data, and every
message about it, is the same whichever reader read it; only the time differs.

Where the exact reader checks each string for characters it refuses, the quick
reader relies on the check of the whole file (:func:`generator.yamlsource.prepare`):
a plain, single-quoted or block scalar holds only characters of the file, line
breaks normalised to ``\\n``. Only a double-quoted scalar (whose escapes can
write any character) or a file with a carriage return (refused in strings, but
not in files) is checked string by string, and lengths only in files long
enough to hold a string over the limit.

Plain scalars that are not obviously text (numbers, dates, true/false, null:
those whose first character has an implicit resolver) are resolved once per
distinct spelling and remembered, so the thousands of equal prices and dates in
a catalog are one :class:`~decimal.Decimal` or :class:`~datetime.date` each
(:func:`canonical`; the loader's second process sends them by their text, so
that holds for the files it reads too).
Keys are interned: every record's ``input`` is the same string.
"""

from __future__ import annotations

import datetime as dt
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem
from .yamlsource import (
    MAX_DEPTH,
    MAX_KEY_CHARS,
    MAX_STRING_CHARS,
    MAX_VALUES,
    Document,
    Loader,
    Refused,
    check_string,
    convert,
    parse_document,
    prepare,
)

_STR = "tag:yaml.org,2002:str"
_NOWHERE = (0, 0)  # refusals are not reported from here: the exact reader reports them
_MISSING = object()
_MEMO_MAX = 50_000  # remembered plain scalars; the memo starts again when it is full
_MEMO_CHARS = 40  # longer plain scalars are not remembered
_memo: dict[str, Any] = {}
_CANONICAL_MAX = 200_000
_canonical: dict[tuple[type, str], Any] = {}


class _Unusual(Exception):
    """The quick reader leaves this file to the exact reader."""


def read_document(raw: bytes, path: Path, display: str) -> Document | Problem:
    """Like :func:`generator.yamlsource.parse_document`; the document's positions are read on demand."""
    text = prepare(raw, display)
    if isinstance(text, Problem):
        return text
    loader = Loader(text)
    try:
        data = _compose(loader, checking="\r" in text or len(text) > MAX_STRING_CHARS)
    except (_Unusual, Refused, yaml.YAMLError):
        data = None
    finally:
        loader.dispose()
    if data is None:
        exact = parse_document(raw, path, display)
        if isinstance(exact, Problem):
            return exact
        data = exact.data
    return Document.unplaced(path, display, data)


def _resolve(text: str) -> str:
    """The tag PyYAML's resolver gives an untagged plain scalar (``BaseResolver.resolve``)."""
    resolvers = Loader.yaml_implicit_resolvers
    for tag, regexp in resolvers.get(text[:1], []) + resolvers.get(None, []):
        if regexp.match(text):
            return str(tag)
    return _STR


def canonical(kind: type, text: str) -> Any:
    """The one :class:`~decimal.Decimal` or :class:`~datetime.date` written ``text`` (its ``str``) here.

    Equal numbers of different spellings (1.1 and 1.10) stay apart: ``str`` tells them apart.
    """
    value = _canonical.get((kind, text))
    if value is None:
        if len(_canonical) >= _CANONICAL_MAX:
            _canonical.clear()
        value = _canonical[kind, text] = Decimal(text) if kind is Decimal else dt.date.fromisoformat(text)
    return value


def _plain(text: str) -> Any:
    """The value of an untagged plain scalar that may not be text, as the exact reader gives it."""
    value = _memo.get(text, _MISSING)
    if value is _MISSING:
        value = convert(_resolve(text), text, _NOWHERE)
        if type(value) is Decimal or type(value) is dt.date:
            value = canonical(type(value), str(value))
        if len(text) <= _MEMO_CHARS:
            if len(_memo) >= _MEMO_MAX:
                _memo.clear()
            _memo[text] = value
    return value


def _compose(loader: Any, *, checking: bool) -> dict[str, Any]:
    """The values of one file's events; raise :class:`_Unusual` for whatever the exact reader should see.

    ``checking``: check every string (not only double-quoted ones) for length and characters.
    """
    scalar_event = yaml.ScalarEvent
    mapping_start, sequence_start = yaml.MappingStartEvent, yaml.SequenceStartEvent
    mapping_end, sequence_end = yaml.MappingEndEvent, yaml.SequenceEndEvent
    resolvers = Loader.yaml_implicit_resolvers
    every = None in resolvers  # a resolver for plain scalars of any first character
    plain, intern, get = _plain, sys.intern, loader.get_event
    get()  # StreamStart
    if type(get()) is not yaml.DocumentStartEvent:  # an empty file
        raise _Unusual
    no_key = _MISSING
    # the innermost open mapping or list, whether it is a mapping, and its key waiting for a value
    current: Any = None
    is_map = False
    key: Any = no_key
    stack: list[tuple[Any, bool, Any]] = []  # the same for each enclosing collection
    root: Any = None
    count = 0
    while True:
        event = get()
        kind = type(event)
        count += 1
        if kind is scalar_event:
            if event.anchor is not None or event.tag is not None:
                raise _Unusual
            value = event.value
            if event.implicit[0]:
                if every or value[:1] in resolvers:
                    value = plain(value)
                if checking and type(value) is str:
                    check_string(value, _NOWHERE)
            elif checking or event.style == '"':
                check_string(value, _NOWHERE)
            if is_map and key is no_key:
                if type(value) is not str or len(value) > MAX_KEY_CHARS or value in current:
                    raise _Unusual
                key = intern(value)
                continue
        elif kind is mapping_start or kind is sequence_start:
            if event.anchor is not None or event.tag is not None or (is_map and key is no_key):
                raise _Unusual
            if len(stack) >= MAX_DEPTH:
                raise _Unusual
            stack.append((current, is_map, key))
            is_map = kind is mapping_start
            current = {} if is_map else []
            key = no_key
            continue
        elif kind is mapping_end or kind is sequence_end:
            value = current
            current, is_map, key = stack.pop()
        elif kind is yaml.DocumentEndEvent:
            break
        else:  # an alias
            raise _Unusual
        if current is None:
            root = value
        elif is_map:
            current[key] = value
            key = no_key
        else:
            current.append(value)
    if count > MAX_VALUES or type(get()) is not yaml.StreamEndEvent or type(root) is not dict:
        raise _Unusual
    return root
