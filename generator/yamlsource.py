"""Stage 1, load: read one YAML file into plain Python values that remember where they were.

Only the safe subset of YAML reaches the rest of the generator:

* UTF-8 text (a leading byte-order mark is allowed and dropped), at most
  ``MAX_FILE_BYTES`` bytes, one document whose top level is a mapping;
* mappings with string keys, each key at most once (duplicates are errors,
  not "last one wins" as in plain PyYAML);
* no anchors, aliases or merge keys: they make a reviewer read two places to
  know one value, and aliases are how "billion laughs" files blow up memory;
* numbers with a fractional part become :class:`decimal.Decimal` straight from
  their text, never through a binary float, so ``1.10`` stays ``1.10``;
  ``.inf``, ``.nan`` and exponent notation (``1.1e-6``) are refused.

libyaml's C parser (``CSafeLoader``) composes the node tree; the conversion
below walks it once, recording the line and column of every value and key in a
:class:`Document`, so that later stages can point at the exact place.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from .errors import Location, Problem, error

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's C parser when present

MAX_FILE_BYTES = 1_000_000
MAX_DEPTH = 20
MAX_STRING_CHARS = 20_000

Path_ = tuple[str | int, ...]

_TAG = "tag:yaml.org,2002:"
_constructor = yaml.constructor.SafeConstructor()


@dataclass
class Document:
    """One parsed content file: its data and the position of every value and key in it."""

    path: Path
    display: str
    data: Any
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def location(self, at: Path_ = (), *, key: bool = False) -> Location:
        """Where ``at`` is in the file: its key when ``key`` is set, else its value.

        A path that does not exist (a missing field) points at its closest parent.
        """
        table = self.key_positions if key else self.positions
        probe = tuple(at)
        while probe:
            if probe in table:
                line, col = table[probe]
                return Location(self.display, line, col)
            if not key and probe in self.key_positions:
                line, col = self.key_positions[probe]
                return Location(self.display, line, col)
            probe = probe[:-1]
        line, col = self.positions.get((), (1, 1))
        return Location(self.display, line, col)


class _Refused(Exception):
    def __init__(self, node: yaml.Node, message: str) -> None:
        super().__init__(message)
        self.node = node


def load_document(path: Path, display: str) -> Document | Problem:
    """Parse ``path``; return the document, or the first problem that makes it unreadable."""
    here = Location(display, 1, 1)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return error(
                here,
                f"file is {size:,} bytes; content files may be at most {MAX_FILE_BYTES:,} bytes "
                "(split it, or remove what does not belong in one record)",
            )
        raw = path.read_bytes()
    except OSError as exc:
        return error(here, f"cannot read file: {exc.strerror or exc}")
    return parse_document(raw, path, display)


def parse_document(raw: bytes, path: Path, display: str) -> Document | Problem:
    """Parse bytes already read from ``path`` (see :func:`load_document`)."""
    if len(raw) > MAX_FILE_BYTES:
        return error(Location(display, 1, 1), f"file is larger than {MAX_FILE_BYTES:,} bytes")
    text = _decode(raw, display)
    if isinstance(text, Problem):
        return text
    if "\t" in text:
        tab_problem = _leading_tab(text, display)
        if tab_problem:
            return tab_problem
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        return _syntax_problem(exc, display)
    except yaml.YAMLError as exc:  # pragma: no cover - libyaml always marks its errors
        return error(Location(display, 1, 1), f"invalid YAML: {exc}")
    finally:
        loader.dispose()
    if node is None:
        return error(
            Location(display, 1, 1),
            "file is empty; it must hold one mapping of fields (key: value)",
        )
    if not isinstance(node, yaml.MappingNode):
        kind = "a list" if isinstance(node, yaml.SequenceNode) else "a single value"
        line, col = _mark(node)
        return error(
            Location(display, line, col),
            f"the top level of the file is {kind}; it must be a mapping of fields (key: value)",
        )
    doc = Document(path=path, display=display, data=None)
    try:
        doc.data = _convert(node, (), doc, set(), 0)
    except _Refused as exc:
        line, col = _mark(exc.node)
        return error(Location(display, line, col), str(exc))
    return doc


def _decode(raw: bytes, display: str) -> str | Problem:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return error(Location(display, 1, 1), "file is UTF-16; save it as UTF-8")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        return error(
            Location(display, line, col),
            f"byte 0x{raw[exc.start]:02x} is not valid UTF-8; save the file as UTF-8",
        )


def _leading_tab(text: str, display: str) -> Problem | None:
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.lstrip(" ")
        if stripped.startswith("\t"):
            col = len(line) - len(stripped) + 1
            return error(
                Location(display, number, col),
                "tab character in indentation; YAML indents with spaces only",
            )
    return None


def _syntax_problem(exc: yaml.MarkedYAMLError, display: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    what = exc.problem or "invalid YAML"
    if exc.context and "expected a single document" in exc.context:
        what = "the file holds more than one YAML document (a second '---'); keep one record per file"
    elif exc.context:
        what = f"{exc.context}, {what}"
    return error(Location(display, line, col), f"invalid YAML: {what}")


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _convert(node: yaml.Node, at: Path_, doc: Document, seen: set[int], depth: int) -> Any:
    if id(node) in seen:
        raise _Refused(node, "anchors and aliases (&name / *name) are not allowed; write the value out")
    seen.add(id(node))
    if depth > MAX_DEPTH:
        raise _Refused(node, f"nested more than {MAX_DEPTH} levels deep")
    doc.positions[at] = _mark(node)
    if getattr(node, "anchor", None):
        raise _Refused(node, "anchors and aliases (&name / *name) are not allowed; write the value out")
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _TAG + "merge":
                raise _Refused(key_node, "merge keys (<<) are not allowed; write the fields out")
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != _TAG + "str":
                raise _Refused(key_node, "keys must be plain text")
            key = key_node.value
            if key in result:
                first = doc.key_positions[(*at, key)]
                raise _Refused(
                    key_node, f'duplicate key "{key}" (first defined on line {first[0]}); keep one'
                )
            doc.key_positions[(*at, key)] = _mark(key_node)
            result[key] = _convert(value_node, (*at, key), doc, seen, depth + 1)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, (*at, index), doc, seen, depth + 1) for index, item in enumerate(node.value)]
    return _scalar(node)


def _scalar(node: yaml.Node) -> Any:
    tag = node.tag
    text: str = node.value
    if tag == _TAG + "str":
        if len(text) > MAX_STRING_CHARS:
            raise _Refused(node, f"text longer than {MAX_STRING_CHARS:,} characters")
        return text
    if tag == _TAG + "float":
        return _decimal(node, text)
    if tag in (_TAG + "int", _TAG + "bool", _TAG + "null"):
        return _constructor.construct_object(node)
    if tag == _TAG + "timestamp":
        try:
            value = _constructor.construct_object(node)
        except ValueError as exc:
            raise _Refused(node, f"{text} is not a valid date ({exc})") from None
        if isinstance(value, dt.datetime):
            raise _Refused(node, "write a date as YYYY-MM-DD, without a time")
        return value
    raise _Refused(node, f"unsupported YAML type {tag!r}; use plain values")


def _decimal(node: yaml.Node, text: str) -> Decimal:
    cleaned = text.replace("_", "")
    if cleaned.lower().lstrip("+-") in (".inf", ".nan"):
        raise _Refused(node, f"{text} is not a number a price or limit can have")
    if "e" in cleaned.lower():
        raise _Refused(
            node, f"write {text} as a plain decimal (for example 0.0000011), not in exponent notation"
        )
    try:
        return Decimal(cleaned)
    except InvalidOperation:  # pragma: no cover - the YAML resolver already matched a float
        raise _Refused(node, f"{text} is not a number") from None


def iter_paths(data: Any, at: Path_ = ()) -> Iterator[tuple[Path_, Any]]:
    """Every (path, value) pair below ``data``, depth first."""
    yield at, data
    if isinstance(data, dict):
        for key, value in data.items():
            yield from iter_paths(value, (*at, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from iter_paths(value, (*at, index))
