"""The JSON Schemas in schemas/: up to date, documented, and in agreement with the loader.

Regenerate them after changing generator/schema.py with ``modeldir schema``.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import BASE_FILES, REPO, write_site
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator, FormatChecker

from generator import schema
from generator.load import discover
from generator.schemas import KIND_SCHEMA, SCHEMA_DIR, SCHEMA_KINDS, json_form, render_schema, schema_line
from generator.validate import validate_record
from generator.yamlsource import Document, load_document, parse_document


@functools.cache
def validator(name: str) -> Draft202012Validator:
    document = json.loads((REPO / SCHEMA_DIR / f"{name}.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(document)
    return Draft202012Validator(document, format_checker=FormatChecker())


def schema_errors(name: str, data: Any) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator(name).iter_errors(json_form(data))
    ]


def content_files(root: Path) -> list[tuple[str, Path]]:
    """(schema name, path) of site.yaml and every content file under ``root``."""
    found = [("site", root / "site.yaml")] if (root / "site.yaml").is_file() else []
    files, _ = discover(root / "content", root)
    return found + [(KIND_SCHEMA[f.kind], f.path) for f in files]


def parsed(path: Path) -> Document:
    doc = load_document(path, path.name)
    assert isinstance(doc, Document), doc
    return doc


@pytest.mark.parametrize("name", list(SCHEMA_KINDS))
def test_committed_schemas_are_up_to_date(name: str) -> None:
    committed = (REPO / SCHEMA_DIR / f"{name}.json").read_text(encoding="utf-8")
    assert committed == render_schema(name), f"{SCHEMA_DIR}/{name}.json is stale: run `modeldir schema`"


def _properties(name: str) -> list[tuple[str, str, dict[str, Any]]]:
    document = json.loads(render_schema(name))
    objects = {name: document, **document.get("$defs", {})}
    return [
        (owner, key, prop)
        for owner, obj in objects.items()
        for key, prop in obj.get("properties", {}).items()
    ]


@pytest.mark.parametrize("name", list(SCHEMA_KINDS))
def test_every_field_has_a_description_and_examples(name: str) -> None:
    missing = [
        f"{owner}.{key}: {what}"
        for owner, key, prop in _properties(name)
        for what in ("description", "examples")
        if not prop.get(what)
    ]
    assert not missing, "add description= and examples= in generator/schema.py:\n" + "\n".join(missing)


def test_the_test_site_validates_against_the_schemas(tmp_path: Path) -> None:
    write_site(tmp_path, {})
    files = content_files(tmp_path)
    assert len(files) == len(BASE_FILES)
    for name, path in files:
        assert schema_errors(name, parsed(path).data) == [], path


def test_every_repository_content_file_validates_against_its_schema() -> None:
    files = content_files(REPO)
    if not files:
        pytest.skip("the repository has no content yet")
    failures = {
        str(path.relative_to(REPO)): errs
        for name, path in files
        if (errs := schema_errors(name, parsed(path).data))
    }
    assert not failures, json.dumps(failures, indent=1)


def test_every_repository_content_file_names_its_schema_on_its_first_line() -> None:
    wrong = []
    for name, path in content_files(REPO):
        kind = "site" if name == "site" else next(k for k, v in KIND_SCHEMA.items() if v == name)
        first = path.read_text(encoding="utf-8").split("\n", 1)[0]
        if first != schema_line(kind):
            wrong.append(f"{path.relative_to(REPO)}: first line should be: {schema_line(kind)}")
    assert not wrong, "\n".join(wrong)


def test_schema_lines_point_at_the_schema_files() -> None:
    content = REPO / "content"
    for kind, name in KIND_SCHEMA.items():
        folder = content / kind / "provider" if kind == "offerings" else content / kind
        relative = schema_line(kind).split("$schema=", 1)[1]
        assert (folder / relative).resolve() == (REPO / SCHEMA_DIR / f"{name}.json").resolve()
    assert (REPO / schema_line("site").split("$schema=", 1)[1]).resolve() == REPO / SCHEMA_DIR / "site.json"


OFFERING_CASES = {
    "plain decimals": ("model_id: a/b\npricing:\n  input: 1.10\n  output: 15\n", True),
    "quoted decimal": ('model_id: a/b\npricing:\n  input: "0.075"\n', True),
    "not offered and a blank": ("model_id: a/b\npricing:\n  input: not_offered\n  output:\n", True),
    "price point with a date": (
        "model_id: a/b\npricing:\n  input: {usd: 1.10, source: https://x.org/p, as_of: 2026-04-15}\n",
        True,
    ),
    "history with dates": ("model_id: a/b\nhistory:\n  - {date: 2025-01-10, input: 3.00}\n", True),
    "unknown key": ("model_id: a/b\nmodel_idd: a/b\n", False),
    "price in words": ("model_id: a/b\npricing:\n  input: free\n", False),
    "negative price": ("model_id: a/b\npricing:\n  input: -1\n", False),
    "http source": ("model_id: a/b\nsource: http://x.org\n", False),
    "bad status": ("model_id: a/b\nstatus: beta\n", False),
    "missing model_id": ("status: ga\n", False),
    "bad date": ("model_id: a/b\nas_of: 2026-13-01\n", False),
}


@pytest.mark.parametrize("case", list(OFFERING_CASES))
def test_schema_and_loader_agree_on_offerings(case: str) -> None:
    text, valid = OFFERING_CASES[case]
    doc = parse_document(text.encode(), Path("x.yaml"), "x.yaml")
    loaded = isinstance(doc, Document) and validate_record(schema.Offering, doc)[0] is not None
    data = doc.data if isinstance(doc, Document) else {"model_id": "a/b", "as_of": "2026-13-01"}
    assert loaded is valid
    assert (schema_errors("offering", data) == []) is valid


@settings(max_examples=300, deadline=None)
@given(st.from_regex(r"\A[ +-]?[0-9_.eE+-]{1,8} ?\Z"))
def test_the_schema_accepts_every_quoted_price_the_loader_accepts(text: str) -> None:
    try:
        schema.PricePoint(usd=text)
    except ValueError:
        return
    if "-" in text.lower().split("e")[0]:  # "-0": no price is negative, the schema says so outright
        return
    assert schema_errors("offering", {"model_id": "a/b", "pricing": {"input": text}}) == []
