"""Stage 2, validate: turn parsed documents into typed records, collecting every error.

pydantic does the type checking; this module turns its errors into messages a
contributor can act on, pinned to the line and column of the offending key or
value: unknown keys get "did you mean", enum values list the allowed ones, a
price that is neither a number, ``not_offered`` nor a ``{usd: …}`` mapping
says exactly that instead of pydantic's three-way union report.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from . import schema
from .errors import Location, Problem, did_you_mean, error
from .load import SourceFile
from .yamlsource import Document

R = TypeVar("R", bound=schema.Record)


@dataclass(frozen=True)
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


def validate(documents: list[tuple[SourceFile, Document]]) -> tuple[Records, list[Problem]]:
    records = Records()
    problems: list[Problem] = []
    for source, doc in documents:
        slug_problem = _check_slug(source, doc)
        if slug_problem:
            problems.append(slug_problem)
            continue
        model_class = schema.RECORD_TYPES[source.kind]
        record, found = validate_record(model_class, doc)
        problems += found
        if record is None:
            continue
        if source.kind == "offerings":
            assert source.parent is not None
            records.offerings[(source.parent, source.slug)] = Entry(source.slug, record, source, doc)  # type: ignore[arg-type]
        else:
            getattr(records, source.kind)[source.slug] = Entry(source.slug, record, source, doc)
    return records, problems


def _check_slug(source: SourceFile, doc: Document) -> Problem | None:
    for name, what in ((source.slug, "file name"), (source.parent, "folder name")):
        if name is not None and not schema.SLUG_RE.match(name):
            lowered = name.lower()
            hint = f'; rename it to "{lowered}"' if schema.SLUG_RE.match(lowered) else ""
            return error(
                Location(doc.display, 1, 1),
                f'{what} "{name}" is not a valid slug (lowercase a-z, 0-9, "." and "-", '
                f"starting with a letter or digit){hint}",
            )
    return None


def validate_record(model_class: type[R], doc: Document) -> tuple[R | None, list[Problem]]:
    """Validate one document against ``model_class``; return the record or the problems."""
    try:
        return model_class.model_validate(doc.data), []
    except ValidationError as exc:
        return None, _explain(exc, model_class, doc)


def _explain(exc: ValidationError, model_class: type[BaseModel], doc: Document) -> list[Problem]:
    grouped: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    for err in exc.errors(include_url=False):
        at, missing_key = _data_path(doc.data, err["loc"], err["type"])
        grouped[(at, missing_key)].append(dict(err))
    problems = []
    for (at, missing_key), errs in grouped.items():
        problems.append(_problem(at, missing_key, errs, model_class, doc))
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
    current: Any = model_class
    for part in at:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return []
        info = current.model_fields.get(part)
        if info is None:
            return []
        current = _inner_model(info.annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


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
        return error(doc.location(at), f'missing required key "{missing_key}"{where}')
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
        return error(
            location,
            f"{_dotted(at)}: {_show(value)} is not a price; write a plain decimal in USD "
            "(like 1.10), not_offered, or {usd: 1.10, source: https://…, as_of: YYYY-MM-DD}",
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


def _message(err: dict[str, Any]) -> str:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind == "string_pattern_mismatch" and ctx.get("pattern") == schema.SLUG_PATTERN:
        return f'{_show(err.get("input"))} is not a valid slug (lowercase a-z, 0-9, "." and "-")'
    if kind == "value_error":
        reason = str(ctx.get("error", err["msg"]))
        return f"{_show(err['input'])}: {reason}" if _showable(err.get("input")) else reason
    if kind in ("string_too_long", "too_long") and isinstance(err.get("input"), str):
        return f"text is {len(err['input']):,} characters long; at most {ctx.get('max_length')} allowed"
    if kind == "decimal_max_places":
        return f"{_show(err.get('input'))} has more than {ctx.get('decimal_places')} decimal places"
    text = str(err["msg"])
    text = text.replace("Input should be", "should be").replace("Value error, ", "")
    return f"{_show(err.get('input'))}: {text}" if "input" in err and _showable(err["input"]) else text


def _showable(value: Any) -> bool:
    return isinstance(value, str | int | Decimal | Enum)


def _show(value: Any) -> str:
    text = (
        f'"{value}"'
        if isinstance(value, str)
        else str(value)
        if isinstance(value, Decimal | int)
        else repr(value)
    )
    if isinstance(value, dict | list):
        text = "a mapping" if isinstance(value, dict) else "a list"
    return text if len(text) <= 60 else text[:57] + '…"'


def _dotted(at: tuple[Any, ...]) -> str:
    out = ""
    for part in at:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "file"
