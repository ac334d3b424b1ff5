"""Stage 2, validate: turn parsed documents into typed records, collecting every error.

pydantic does the type checking; this module turns its errors into messages a
contributor can act on, pinned to the line and column of the offending key or
value: unknown keys get "did you mean", enum values list the allowed ones, a
price that is neither a number, ``not_offered`` nor a ``{usd: …}`` mapping
says exactly that instead of pydantic's three-way union report.
"""

from __future__ import annotations

import itertools
import os
import time
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from . import schema
from .errors import Location, Problem, describe_char, did_you_mean, error
from .load import SourceFile
from .money import format_usd
from .yamlsource import Document

R = TypeVar("R", bound=schema.Record)


@dataclass(frozen=True, slots=True)
class Entry(Generic[R]):
    """A validated record with the file it came from (for messages and edit links)."""

    slug: str
    record: R
    source: SourceFile
    doc: Document


@dataclass
class Records:
    creators: dict[str, Entry[schema.Creator]] = field(default_factory=dict)
    models: dict[str, Entry[schema.Model]] = field(default_factory=dict)
    providers: dict[str, Entry[schema.Provider]] = field(default_factory=dict)
    # offerings are keyed by (provider, model)
    offerings: dict[tuple[str, str], Entry[schema.Offering]] = field(default_factory=dict)
    # (kind, slug) of files that exist but did not load or validate: references to
    # them are not reported again as "does not exist"
    invalid: set[tuple[str, str]] = field(default_factory=set)

    def missing(self, kind: str, slug: str) -> bool:
        """True when no file at all holds this record (not merely an invalid one)."""
        return slug not in getattr(self, kind) and (kind, slug) not in self.invalid


# Results of earlier validations in a long-running process: id(document) -> (document,
# record, problems, entry). The loader's cache hands back the same Document objects for
# unchanged files, so their records (and their entries, while the file is found by the
# same SourceFile) are reused as they are.
ValidateCache = dict[int, tuple[Document, "schema.Record | None", list[Problem], "Entry[Any] | None"]]


class Validator:
    """Validates documents one at a time, as the loader reads them (see :func:`generator.load.load`).

    A valid document's raw values are dropped as soon as its record exists (the
    record holds every value; only error messages read the raw data), so the
    raw values of all files are never in memory together. ``seconds`` is the
    time spent validating (a document found in the cache costs a lookup).
    """

    def __init__(self, cache: ValidateCache | None = None) -> None:
        self.records = Records()
        self.problems: list[Problem] = []
        self.seconds = 0.0
        self._cache = cache
        self._fresh: ValidateCache = {}
        records = self.records
        self._places: dict[str, dict[Any, Entry[Any]]] = {
            "creators": records.creators,
            "models": records.models,
            "providers": records.providers,
            "offerings": records.offerings,
        }

    def add(self, source: SourceFile, doc: Document) -> None:
        hit = self._cache.get(id(doc)) if self._cache is not None else None
        if hit is not None and hit[0] is doc and hit[3] is not None and hit[3].source is source:
            # unchanged and valid, found by the same file: the development server's usual case
            self._fresh[id(doc)] = hit
            self._places[source.kind][_place(source)] = hit[3]
            return
        start = time.perf_counter()
        if hit is not None and hit[0] is doc:
            _, record, found, _ = hit
        else:
            slug_problem = _check_slug(source, doc)
            if slug_problem:
                record, found = None, [slug_problem]
            else:
                record, found = validate_record(schema.RECORD_TYPES[source.kind], doc)
        entry = Entry(source.slug, record, source, doc) if record is not None else None
        if self._cache is not None:
            self._fresh[id(doc)] = (doc, record, found, entry if not found else None)
        if record is not None and not found:
            doc.data = None
        self.problems += found
        records = self.records
        if entry is None:
            if not _check_slug(source, doc):  # a misnamed file is not an invalid record of that name
                records.invalid.add((source.kind, source.slug))
        else:
            self._places[source.kind][_place(source)] = entry
        self.seconds += time.perf_counter() - start

    def finish(self, unreadable: list[SourceFile] | None = None) -> tuple[Records, list[Problem]]:
        """The records and problems; ``unreadable`` are the files that did not even parse."""
        self.records.invalid |= {(s.kind, s.slug) for s in unreadable or [] if s.kind != "offerings"}
        if self._cache is not None:
            self._cache.clear()
            self._cache.update(self._fresh)
        return self.records, self.problems


def _place(source: SourceFile) -> str | tuple[str | None, str]:
    """A record's key among its kind's: offerings by (provider, model), the others by slug."""
    return (source.parent, source.slug) if source.kind == "offerings" else source.slug


SLUG_RULE = 'lowercase a-z and 0-9 in groups joined by single "." or "-"'


def slug_trouble(name: str) -> str:
    """Why ``name`` is not a slug, and how to fix it."""
    if any(0xDC80 <= ord(ch) <= 0xDCFF for ch in name):  # bytes of a file name that is not UTF-8
        shown = os.fsencode(name).decode("utf-8", "backslashreplace")
        return f'"{shown}" is not a valid slug: it has bytes that are not UTF-8; slugs use {SLUG_RULE}'
    odd = next((ch for ch in name if not ch.isascii()), None)
    if odd is not None:
        looks = ", which only looks like an ASCII character" if odd.isalnum() else ""
        return f'"{name}" is not a valid slug: it contains {describe_char(odd)}{looks}; slugs use {SLUG_RULE}'
    odd = next((ch for ch in name if not ch.isprintable()), None)
    if odd is not None:
        return f'"{name}" is not a valid slug: it contains {describe_char(odd)}; slugs use {SLUG_RULE}'
    lowered = name.lower().replace(" ", "-").replace("_", "-")
    hint = f'; rename it to "{lowered}"' if schema.SLUG_RE.match(lowered) else ""
    return f'"{name}" is not a valid slug ({SLUG_RULE}){hint}'


def _check_slug(source: SourceFile, doc: Document) -> Problem | None:
    for name, what in ((source.slug, "file name"), (source.parent, "folder name")):
        if name is not None and not schema.SLUG_RE.match(name):
            return error(Location(doc.display, 1, 1), f"{what} {slug_trouble(name)}")
    return None


def validate_record(model_class: type[R], doc: Document) -> tuple[R | None, list[Problem]]:
    """Validate one document against ``model_class``; return the record or the problems."""
    try:
        return model_class.model_validate(doc.data), []
    except ValidationError as exc:
        return None, _explain(exc, model_class, doc)


MAX_EXPLAINED = 20  # problems explained per file; the rest are counted


def _explain(exc: ValidationError, model_class: type[BaseModel], doc: Document) -> list[Problem]:
    grouped: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    for err in exc.errors(include_url=False):
        at, missing_key = _data_path(doc.data, err["loc"], err["type"])
        grouped[(at, missing_key)].append(dict(err))
    problems = []
    for (at, missing_key), errs in itertools.islice(grouped.items(), MAX_EXPLAINED):
        problems.append(_problem(at, missing_key, errs, model_class, doc))
    if len(grouped) > MAX_EXPLAINED:
        (at, _), _ = next(itertools.islice(grouped.items(), MAX_EXPLAINED, None))
        more = len(grouped) - MAX_EXPLAINED
        problems.append(
            error(doc.location(at), f"… and {more:,} more problems in this file; fix the ones above first")
        )
    return problems


def _data_path(data: Any, loc: tuple[Any, ...], kind: str) -> tuple[tuple[Any, ...], str | None]:
    """Reduce pydantic's loc (which names union members) to a path that exists in the data."""
    at: list[Any] = []
    node = data
    for part in loc:
        if isinstance(node, dict) and isinstance(part, str) and part in node:
            at.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            at.append(part)
            node = node[part]
        elif kind == "missing" and isinstance(node, dict) and isinstance(part, str):
            return tuple(at), part
    return tuple(at), None


def _fields_at(model_class: type[BaseModel], at: tuple[Any, ...]) -> list[str]:
    """Field names of the pydantic model that validates the mapping at ``at``."""
    model = _model_at(model_class, at)
    return list(model.model_fields) if model else []


def _model_at(model_class: type[BaseModel], at: tuple[Any, ...]) -> type[BaseModel] | None:
    current: Any = model_class
    for part in at:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        info = current.model_fields.get(part)
        if info is None:
            return None
        current = _inner_model(info.annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return current
    return None


def _inner_model(annotation: Any) -> Any:
    args = getattr(annotation, "__args__", None)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in args or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _problem(
    at: tuple[Any, ...],
    missing_key: str | None,
    errs: list[dict[str, Any]],
    model_class: type[BaseModel],
    doc: Document,
) -> Problem:
    first = errs[0]
    kind = first["type"]
    if missing_key is not None:
        where = " at the top of the file" if not at else f" in {_dotted(at)}"
        model = _model_at(model_class, at)
        info = model.model_fields.get(missing_key) if model else None
        what = f"; add it: {info.description.rstrip('.')}" if info and info.description else ""
        return error(doc.location(at), f'missing required key "{missing_key}"{where}{what}')
    if kind == "extra_forbidden":
        key = at[-1]
        allowed = _fields_at(model_class, at[:-1])
        hint = did_you_mean(str(key), allowed)
        if not hint and allowed:
            hint = f"; allowed keys: {', '.join(allowed)}"
        return error(doc.location(at, key=True), f'unknown key "{key}"{hint}')
    value = first.get("input")
    location = doc.location(at)
    if len(errs) > 1 and _is_price(at):
        numeric = [e for e in errs if e["type"] in _PRICE_LIMITS]
        if numeric and isinstance(value, int | Decimal) and not isinstance(value, bool):
            return error(location, f"{_dotted(at)}: {_message(numeric[0])}")
        bool_hint = " (YAML reads an unquoted yes/no/on/off as true/false)" if isinstance(value, bool) else ""
        return error(
            location,
            f"{_dotted(at)}: {_show(value)} is not a price{bool_hint}; write a plain decimal in USD "
            "(like 1.10, no $ sign), not_offered, or {usd: 1.10, source: https://…, as_of: YYYY-MM-DD}",
        )
    if value is None and "input" in first:
        choices = (
            f" (one of: {', '.join(_expected_values(first))})" if kind in ("enum", "literal_error") else ""
        )
        return error(location, f"{_dotted(at)} is empty; write a value after the colon{choices}")
    if kind == "enum" or kind == "literal_error":
        expected = _expected_values(first)
        hint = did_you_mean(str(value), expected) if isinstance(value, str) else ""
        return error(
            location, f"{_dotted(at)}: {_show(value)} is not allowed{hint}; use one of: {', '.join(expected)}"
        )
    messages = sorted({_message(e) for e in errs})
    return error(location, f"{_dotted(at)}: {'; or '.join(messages)}")


def _is_price(at: tuple[Any, ...]) -> bool:
    return bool(at) and isinstance(at[-1], str) and at[-1] in schema.PRICE_DIMENSIONS


def _expected_values(err: dict[str, Any]) -> list[str]:
    ctx = err.get("ctx") or {}
    expected = str(ctx.get("expected", ""))
    return [part.strip(" '\"") for part in expected.replace(" or ", ", ").split(",") if part.strip(" '\"")]


_PRICE_LIMITS = ("less_than_equal", "greater_than_equal", "decimal_max_places", "decimal_max_digits")
_PATTERNS = {
    r"^[A-Z][A-Z0-9_]*$": "is not an environment variable name (capital letters, digits and _, like OPENAI_API_KEY)",
    schema.KNOWLEDGE_RE: "is not a month or a date; write YYYY-MM or YYYY-MM-DD",
    r"^[a-z]{2}(-[A-Z]{2})?$": 'is not a language tag; write it like "en" or "en-GB"',
}


def _message(err: dict[str, Any]) -> str:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    value = err.get("input")
    if kind == "string_pattern_mismatch" and ctx.get("pattern") == schema.SLUG_PATTERN:
        return slug_trouble(str(value))
    if kind == "string_pattern_mismatch" and ctx.get("pattern") in _PATTERNS:
        return f"{_show(value)} {_PATTERNS[ctx['pattern']]}"
    if kind == "value_error":
        reason = str(ctx.get("error", err["msg"]))
        return f"{_show(value)}: {reason}" if _showable(value) else reason
    if kind in ("string_too_long", "too_long") and isinstance(value, str):
        return f"text is {len(value):,} characters long; at most {ctx.get('max_length')} allowed"
    if kind == "string_too_short" and isinstance(value, str):
        return "is empty; write a value, or remove the key"
    if kind == "string_type":
        if isinstance(value, bool):
            return (
                f"{_show(value)} should be text: YAML reads an unquoted yes/no/on/off/true/false as "
                "true or false; put the text in quotes"
            )
        return f"{_show(value)} should be text; put it in quotes if it is"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"{_show(value)} should be a whole number (like 128000)"
    is_number = isinstance(value, int | Decimal) and not isinstance(value, bool)
    if kind == "less_than_equal" and is_number and ctx.get("le") == schema.MAX_USD:
        return (
            f"{_show(value)} is above the {format_usd(schema.MAX_USD)} ceiling for a price: no API charges "
            "that much per unit; check the unit (USD per 1M tokens, or per image / second / request "
            "for per_* keys)"
        )
    if kind == "greater_than_equal" and is_number:
        return f"{_show(value)} is negative; a price is 0 or more (write not_offered if it is not sold)"
    if kind == "decimal_max_places":
        return (
            f"{_show(value)} has more than {ctx.get('decimal_places')} decimal places; prices are per 1M "
            "tokens, so no real price needs that many: check the unit"
        )
    text = str(err["msg"])
    text = text.replace("Input should be", "should be").replace("Value error, ", "")
    return f"{_show(err.get('input'))}: {text}" if "input" in err and _showable(err["input"]) else text


def _showable(value: Any) -> bool:
    return isinstance(value, str | int | Decimal | Enum)


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, str):
        visible = "".join(ch if ch.isprintable() else f"\\u{ord(ch):04x}" for ch in value)
        text = f'"{visible}"'
    else:
        text = repr(value)
    if isinstance(value, dict | list):
        text = "a mapping" if isinstance(value, dict) else "a list"
    return text if len(text) <= 60 else text[:57] + '…"'


def _dotted(at: tuple[Any, ...]) -> str:
    out = ""
    for part in at:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "file"
