"""Stage 1, load: read one YAML file into plain Python values that remember where they were.

Only the safe subset of YAML reaches the rest of the generator:

* UTF-8 text (a leading byte-order mark is allowed and dropped), at most
  ``MAX_FILE_BYTES`` bytes, one document whose top level is a mapping;
* no control characters, bidirectional-override characters or line separators
  anywhere in the file, comments included: they can make a file read
  differently in review than it does to the parser ("Trojan Source");
* mappings with string keys, each key at most once (duplicates are errors,
  not "last one wins" as in plain PyYAML);
* no anchors, aliases or merge keys: they make a reviewer read two places to
  know one value, and aliases are how "billion laughs" files blow up memory;
* at most ``MAX_DEPTH`` levels of nesting, ``MAX_VALUES`` values (keys, items
  and scalars) per file, ``MAX_STRING_CHARS`` characters per string and
  ``MAX_KEY_CHARS`` per key: a real record has a few hundred values, and a
  file of 250,000 one-character list items would otherwise cost minutes of
  validation;
* whole numbers in plain decimal digits (no octal, hex or base-60), at most
  ``MAX_INT_DIGITS`` digits; numbers with a fractional part become
  :class:`decimal.Decimal` straight from their text, never through a binary
  float, so ``1.10`` stays ``1.10``; ``.inf``, ``.nan`` and exponent notation
  (``1.1e-6``) are refused; dates are real calendar dates, without a time.

libyaml's C parser (``CSafeLoader``) produces a stream of parse events; the
loop below turns them into values without recursion (an explicit stack), so no
input can exhaust the Python or C stack, and it stops at the first event that
breaks a rule: a file of 100,000 ``[`` is refused at the 21st, and a "billion
laughs" file at its first anchor, before anything is expanded. Every value
and key's line and column is recorded in a :class:`Document`, so that later
stages can point at the exact place.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from .errors import Location, Problem, describe_char, error

Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's C parser when present

MAX_FILE_BYTES = 1_000_000
MAX_DEPTH = 20
MAX_STRING_CHARS = 20_000
MAX_KEY_CHARS = 100
MAX_VALUES = 10_000
MAX_INT_DIGITS = 15

Path_ = tuple[str | int, ...]

_TAG = "tag:yaml.org,2002:"

# Characters refused anywhere in a file: C0/C1 controls other than tab and line
# breaks, a byte-order mark after the start, bidirectional embedding/override/
# isolate controls, and the Unicode line/paragraph separators YAML 1.1 treats
# as line breaks.
_FORBIDDEN_IN_FILE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]"
)
# In a string value (after escapes like "\x00" or "\u202e" are decoded) the
# same, plus carriage return; tab and line feed are allowed.
_FORBIDDEN_IN_STRING = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")
_PLAIN_INT = re.compile(r"[-+]?(0|[1-9][0-9_]*)")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class Document:
    """One parsed content file: its data and the position of every value and key in it.

    :func:`parse_document` records every position as it reads. The loader reads
    with the quick reader (:mod:`generator.yamlquick`) instead, which records
    none: positions cost more memory than the data itself (hundreds of
    megabytes at 100,000 files), and almost every file never has a problem to
    point at. Such a document is made with :meth:`unplaced`; the first lookup of
    a position reads the file again with :func:`load_document`.
    """

    __slots__ = ("_key_positions", "_positions", "data", "display", "path")

    def __init__(
        self,
        path: Path,
        display: str,
        data: Any,
        positions: dict[Path_, tuple[int, int]] | None = None,
        key_positions: dict[Path_, tuple[int, int]] | None = None,
    ) -> None:
        self.path = path
        self.display = display
        self.data = data
        self._positions: dict[Path_, tuple[int, int]] | None = {} if positions is None else positions
        self._key_positions: dict[Path_, tuple[int, int]] | None = (
            {} if key_positions is None else key_positions
        )

    @classmethod
    def unplaced(cls, path: Path, display: str, data: Any) -> Document:
        """A document whose positions are read from its file when first asked for."""
        doc = cls(path, display, data)
        doc._positions = doc._key_positions = None
        return doc

    @property
    def positions(self) -> dict[Path_, tuple[int, int]]:
        """Where each value is: path in the data -> (line, column)."""
        return self._tables()[0]

    @property
    def key_positions(self) -> dict[Path_, tuple[int, int]]:
        """Where each mapping key is: path of its value -> (line, column)."""
        return self._tables()[1]

    def _tables(self) -> tuple[dict[Path_, tuple[int, int]], dict[Path_, tuple[int, int]]]:
        if self._positions is None or self._key_positions is None:
            fresh = load_document(self.path, self.display)
            if isinstance(fresh, Problem):  # the file changed since it was read
                self._positions, self._key_positions = {}, {}
            else:
                self._positions, self._key_positions = fresh.positions, fresh.key_positions
        return self._positions, self._key_positions

    def location(self, at: Path_ = (), *, key: bool = False) -> Location:
        """Where ``at`` is in the file: its key when ``key`` is set, else its value.

        A path that does not exist (a missing field) points at its closest parent.
        """
        positions, key_positions = self._tables()
        table = key_positions if key else positions
        probe = tuple(at)
        while probe:
            if probe in table:
                line, col = table[probe]
                return Location(self.display, line, col)
            if not key and probe in key_positions:
                line, col = key_positions[probe]
                return Location(self.display, line, col)
            probe = probe[:-1]
        line, col = positions.get((), (1, 1))
        return Location(self.display, line, col)


class Refused(Exception):
    def __init__(self, mark: tuple[int, int], message: str) -> None:
        super().__init__(message)
        self.mark = mark


def load_document(path: Path, display: str) -> Document | Problem:
    """Parse ``path``; return the document, or the first problem that makes it unreadable."""
    raw = read_source(path, display)
    if isinstance(raw, Problem):
        return raw
    return parse_document(raw, path, display)


def read_source(path: Path, display: str) -> bytes | Problem:
    """The bytes of ``path``, or why they cannot be read.

    Only regular files are read (a FIFO or a device would block or never end),
    and never more than ``MAX_FILE_BYTES`` + 1 bytes, even if the file grows
    between the size check and the read.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        return error(Location(display, 1, 1), f"cannot read file: {exc.strerror or exc}")
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return error(
                Location(display, 1, 1),
                "not a regular file (a device, pipe or socket); content files are plain files",
            )
        if info.st_size > MAX_FILE_BYTES:
            return error(
                Location(display, 1, 1),
                f"file is {info.st_size:,} bytes; content files may be at most {MAX_FILE_BYTES:,} bytes "
                "(split it, or remove what does not belong in one record)",
            )
        return _read_to_end(fd, info.st_size, MAX_FILE_BYTES + 1)
    except OSError as exc:
        return error(Location(display, 1, 1), f"cannot read file: {exc.strerror or exc}")
    finally:
        os.close(fd)


def _read_to_end(fd: int, size: int, limit: int) -> bytes:
    """The rest of the file ``fd``, at most ``limit`` bytes; ``size`` is what its size was.

    The first read asks for one byte more than the file held, so a file that did
    not grow is read in one call, into a buffer of its own size (not one of
    ``limit`` bytes, which costs more than reading a small file).
    """
    parts = [os.read(fd, min(size + 1, limit))]
    total = len(parts[0])
    while parts[-1] and total < limit:
        parts.append(os.read(fd, min(limit - total, 1 << 16)))
        total += len(parts[-1])
    return parts[0] if len(parts) == 2 and not parts[1] else b"".join(parts)


def parse_document(raw: bytes, path: Path, display: str) -> Document | Problem:
    """Parse bytes already read from ``path`` (see :func:`load_document`)."""
    text = prepare(raw, display)
    if isinstance(text, Problem):
        return text
    doc = Document(path=path, display=display, data=None)
    loader = Loader(text)
    try:
        doc.data = _compose(loader, doc)
    except yaml.MarkedYAMLError as exc:
        return _syntax_problem(exc, display)
    except yaml.YAMLError as exc:  # pragma: no cover - libyaml always marks its errors
        return error(Location(display, 1, 1), f"invalid YAML: {exc}")
    except Refused as exc:
        return error(Location(display, *exc.mark), str(exc))
    finally:
        loader.dispose()
    return doc


def prepare(raw: bytes, display: str) -> str | Problem:
    """The text of a file's bytes, or why it is refused before parsing (size, encoding, characters)."""
    if len(raw) > MAX_FILE_BYTES:
        return error(
            Location(display, 1, 1),
            f"file is larger than {MAX_FILE_BYTES:,} bytes; content files may be at most "
            f"{MAX_FILE_BYTES:,} bytes (split it, or remove what does not belong in one record)",
        )
    text = _decode(raw, display)
    if isinstance(text, Problem):
        return text
    return _forbidden_characters(text, display) or text


def _decode(raw: bytes, display: str) -> str | Problem:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return error(Location(display, 1, 1), "file is UTF-16; save it as UTF-8")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        return error(
            Location(display, line, col),
            f"byte 0x{raw[exc.start]:02x} is not valid UTF-8; save the file as UTF-8",
        )


def _forbidden_characters(text: str, display: str) -> Problem | None:
    found = _FORBIDDEN_IN_FILE.search(text)
    if found:
        line, col = _line_col(text, found.start())
        return error(
            Location(display, line, col),
            f"the file contains the invisible character {describe_char(found.group())}; delete it "
            "(control and text-direction characters can make a file read differently than it parses)",
        )
    if "\t" in text:
        for number, line_text in enumerate(text.split("\n"), start=1):
            stripped = line_text.lstrip(" ")
            if stripped.startswith("\t"):
                return error(
                    Location(display, number, len(line_text) - len(stripped) + 1),
                    "tab character in indentation; YAML indents with spaces only",
                )
    return None


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


_SYNTAX_HINTS = {
    "could not find expected ':'": "a line that is neither 'key: value' nor '- item', or a key over 1,024 characters",
    "mapping values are not allowed": "put a value that contains ': ' in quotes, or check the indentation",
    "found unexpected end of stream": "a quote or bracket is never closed",
    "did not find expected key": "check the indentation: keys of one mapping line up",
    "did not find expected ',' or ']'": "close the list with ], or quote an item that contains a comma",
    "did not find expected ',' or '}'": "close the mapping with }, or quote a value that contains a comma",
    "cannot start any token": "put a value that starts with @, ` or % in quotes",
    "did not find expected '-' indicator": "list items line up under each other",
}


def _syntax_problem(exc: yaml.MarkedYAMLError, display: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    if exc.context_mark and "simple key" in (exc.context or ""):
        mark = exc.context_mark  # where the would-be key starts, not the line after it
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    what = exc.problem or "invalid YAML"
    if "exceeded maximum nesting depth" in what:
        what = f"nested more than {MAX_DEPTH} levels deep"
    elif exc.context:
        what = f"{exc.context}, {what}"
    for problem, hint in _SYNTAX_HINTS.items():
        if problem in what:
            what += f" ({hint})"
            break
    return error(Location(display, line, col), f"invalid YAML: {what}")


def _mark(event: Any) -> tuple[int, int]:
    return event.start_mark.line + 1, event.start_mark.column + 1


_COLLECTION_TAGS = {yaml.MappingStartEvent: _TAG + "map", yaml.SequenceStartEvent: _TAG + "seq"}


@dataclass
class _Open:
    """A mapping or list being filled, on the explicit stack of :func:`_compose`."""

    at: Path_
    value: dict[str, Any] | list[Any]
    key: str | None = None  # a mapping's key waiting for its value


def _compose(loader: Any, doc: Document) -> dict[str, Any]:
    """Turn the parse events of one document into values; refuse what is not allowed."""
    loader.get_event()  # StreamStart
    if loader.check_event(yaml.StreamEndEvent):
        raise Refused((1, 1), "file is empty; it must hold one mapping of fields (key: value)")
    loader.get_event()  # DocumentStart
    stack: list[_Open] = []
    root: Any = None
    count = 0
    while True:
        event = loader.get_event()
        if isinstance(event, yaml.DocumentEndEvent):
            break
        count += 1
        if count > MAX_VALUES:
            raise Refused(
                _mark(event), f"the file holds more than {MAX_VALUES:,} values; one record needs far fewer"
            )
        parent = stack[-1] if stack else None
        mark = _mark(event)
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise Refused(mark, "anchors and aliases (&name / *name) are not allowed; write the value out")
        if isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            value: Any = stack.pop().value
        else:
            if parent is not None and isinstance(parent.value, dict) and parent.key is None:
                parent.key = _key(event, loader, doc, parent, mark)
                continue
            at = () if parent is None else _child_path(parent)
            if len(at) > MAX_DEPTH:
                raise Refused(mark, f"nested more than {MAX_DEPTH} levels deep")
            doc.positions[at] = mark
            if isinstance(event, yaml.ScalarEvent):
                value = _scalar(event, loader, mark)
            else:
                tag = getattr(event, "tag", None)
                if tag not in (None, "!", _COLLECTION_TAGS.get(type(event))):
                    raise Refused(mark, _unsupported(tag))
                stack.append(_Open(at, {} if isinstance(event, yaml.MappingStartEvent) else []))
                continue
        if not stack:
            root = value
            continue
        _attach(stack[-1], value)
    if not loader.check_event(yaml.StreamEndEvent):
        extra = loader.peek_event()
        raise Refused(
            _mark(extra),
            "the file holds more than one YAML document (a second '---'); keep one record per file",
        )
    return _root_mapping(root, doc)


def _child_path(parent: _Open) -> Path_:
    if isinstance(parent.value, dict):
        assert parent.key is not None
        return (*parent.at, parent.key)
    return (*parent.at, len(parent.value))


def _attach(parent: _Open, value: Any) -> None:
    if isinstance(parent.value, dict):
        assert parent.key is not None
        parent.value[parent.key] = value
        parent.key = None
    else:
        parent.value.append(value)


def _key(event: Any, loader: Any, doc: Document, parent: _Open, mark: tuple[int, int]) -> str:
    if not isinstance(event, yaml.ScalarEvent):
        raise Refused(mark, "keys must be plain text, not a list or a mapping")
    tag = _scalar_tag(event, loader)
    if tag == _TAG + "merge":
        raise Refused(mark, "merge keys (<<) are not allowed; write the fields out")
    if tag != _TAG + "str":
        raise Refused(
            mark,
            f'the key "{_shown(event.value)}" is read as a {_KIND.get(tag, "value")}, not text; '
            f'put it in quotes: "{_shown(event.value)}":',
        )
    key: str = event.value
    if len(key) > MAX_KEY_CHARS:
        raise Refused(
            mark, f"a key of {len(key):,} characters; keys are field names of at most {MAX_KEY_CHARS}"
        )
    check_string(key, mark)
    assert isinstance(parent.value, dict)
    if key in parent.value:
        first = doc.key_positions[(*parent.at, key)]
        raise Refused(mark, f'duplicate key "{key}" (first defined on line {first[0]}); keep one')
    doc.key_positions[(*parent.at, key)] = mark
    return key


_KIND = {
    _TAG + "int": "number",
    _TAG + "float": "number",
    _TAG + "bool": "true/false value",
    _TAG + "null": "null (empty) value",
    _TAG + "timestamp": "date",
}


def _root_mapping(root: Any, doc: Document) -> dict[str, Any]:
    mark = doc.positions.get((), (1, 1))
    if root is None:
        raise Refused((1, 1), "file is empty; it must hold one mapping of fields (key: value)")
    if not isinstance(root, dict):
        kind = "a list" if isinstance(root, list) else "a single value"
        raise Refused(
            mark, f"the top level of the file is {kind}; it must be a mapping of fields (key: value)"
        )
    return root


def _scalar_tag(event: Any, loader: Any) -> str:
    tag: str | None = event.tag
    if tag is None or tag == "!":
        tag = loader.resolve(yaml.ScalarNode, event.value, event.implicit)
    assert tag is not None
    return tag


def check_string(text: str, mark: tuple[int, int]) -> None:
    if len(text) > MAX_STRING_CHARS:
        raise Refused(mark, f"text is {len(text):,} characters long; at most {MAX_STRING_CHARS:,} allowed")
    found = _FORBIDDEN_IN_STRING.search(text)
    if found:
        raise Refused(
            mark, f"text contains the invisible character {describe_char(found.group())}; remove it"
        )


def _scalar(event: Any, loader: Any, mark: tuple[int, int]) -> Any:
    return convert(_scalar_tag(event, loader), event.value, mark)


def convert(tag: str, text: str, mark: tuple[int, int]) -> Any:
    """The value of a scalar whose tag is resolved; refuse what is not allowed."""
    if tag == _TAG + "str":
        check_string(text, mark)
        return text
    if tag == _TAG + "float":
        return _decimal(text, mark)
    if tag == _TAG + "int":
        return _int(text, mark)
    if tag == _TAG + "bool":
        return text.lower() in ("yes", "true", "on")
    if tag == _TAG + "null":
        return None
    if tag == _TAG + "timestamp":
        return _date(text, mark)
    raise Refused(mark, _unsupported(tag))


def _unsupported(tag: str) -> str:
    short = "!!" + tag.removeprefix(_TAG) if tag.startswith(_TAG) else tag
    return (
        f"the YAML tag {_shown(short)} is not allowed; write plain text, numbers, dates, lists and mappings"
    )


def _shown(text: str) -> str:
    """A value echoed in a message, cut short when it is long."""
    return text if len(text) <= 40 else text[:37] + "…"


def _int(text: str, mark: tuple[int, int]) -> int:
    if not _PLAIN_INT.fullmatch(text):
        raise Refused(
            mark,
            f"write {_shown(text)} as a plain whole number in decimal digits (YAML would read it as "
            "octal, hexadecimal or base 60), or quote it if it is text",
        )
    digits = text.replace("_", "").lstrip("+-")
    if len(digits) > MAX_INT_DIGITS:
        raise Refused(mark, f"a {len(digits):,}-digit number is too large for any field here")
    return int(text.replace("_", ""))


def _date(text: str, mark: tuple[int, int]) -> dt.date:
    if not _DATE.fullmatch(text):
        raise Refused(mark, f"write the date {_shown(text)} as YYYY-MM-DD, without a time")
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise Refused(mark, f"{text} is not a real date ({exc}); write YYYY-MM-DD") from None


def _decimal(text: str, mark: tuple[int, int]) -> Decimal:
    cleaned = text.replace("_", "")
    if cleaned.lower().lstrip("+-") in (".inf", ".nan"):
        raise Refused(mark, f"{_shown(text)} is not a number a price or limit can have")
    if "e" in cleaned.lower():
        raise Refused(
            mark, f"write {_shown(text)} as a plain decimal (for example 0.0000011), not in exponent notation"
        )
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        raise Refused(
            mark, f"write {_shown(text)} as a plain decimal (like 1.10), or quote it if it is text"
        ) from None


def iter_paths(data: Any, at: Path_ = ()) -> Iterator[tuple[Path_, Any]]:
    """Every (path, value) pair below ``data``, depth first."""
    yield at, data
    if isinstance(data, dict):
        for key, value in data.items():
            yield from iter_paths(value, (*at, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from iter_paths(value, (*at, index))
