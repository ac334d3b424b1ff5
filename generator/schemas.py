"""JSON Schemas of the content files, generated from the pydantic models.

``modeldir schema`` writes one schema per record type into ``schemas/`` at the
project root. Content files name theirs on their first line, so editors with a
YAML language server (VS Code's YAML extension, JetBrains, Neovim) complete
keys, show each field's description and flag mistakes while typing::

    # yaml-language-server: $schema=../../schemas/model.json

The schemas describe the YAML as the loader reads it: prices are numbers (or
decimal strings), dates are ``YYYY-MM-DD``. :func:`json_form` turns loaded
values (``Decimal``, ``date``) into that JSON form, for validating content
files against the schemas in the test suite.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from . import schema

SCHEMA_DIR = "schemas"
DIALECT = "https://json-schema.org/draft/2020-12/schema"

# schema file name (without .json) -> (pydantic model, where files of that kind live)
SCHEMA_KINDS: dict[str, tuple[type[schema.Record], str]] = {
    "creator": (schema.Creator, "content/creators/<slug>.yaml"),
    "model": (schema.Model, "content/models/<slug>.yaml"),
    "provider": (schema.Provider, "content/providers/<slug>.yaml"),
    "offering": (schema.Offering, "content/offerings/<provider>/<model>.yaml"),
    "site": (schema.Site, "site.yaml"),
}

# content folder (load.KINDS) -> schema name
KIND_SCHEMA = {"creators": "creator", "models": "model", "providers": "provider", "offerings": "offering"}


def json_schema(name: str) -> dict[str, Any]:
    """The JSON Schema of one record type, as written to ``schemas/<name>.json``."""
    model, where = SCHEMA_KINDS[name]
    generated = model.model_json_schema(mode="validation")
    return {
        "$schema": DIALECT,
        "$comment": f"Generated from generator/schema.py by `modeldir schema`; do not edit. Validates {where}.",
        **generated,
    }


def render_schema(name: str) -> str:
    return json.dumps(json_schema(name), indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def write_schemas(root: Path) -> list[Path]:
    """Write every schema under ``root/schemas``; return the files whose text changed."""
    folder = root / SCHEMA_DIR
    folder.mkdir(parents=True, exist_ok=True)
    changed = []
    for name in SCHEMA_KINDS:
        path = folder / f"{name}.json"
        text = render_schema(name)
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    return changed


def schema_line(kind: str) -> str:
    """The first line of a content file of ``kind`` (a content folder name, or "site")."""
    if kind == "site":
        return f"# yaml-language-server: $schema={SCHEMA_DIR}/site.json"
    up = "../../../" if kind == "offerings" else "../../"
    return f"# yaml-language-server: $schema={up}{SCHEMA_DIR}/{KIND_SCHEMA[kind]}.json"


def json_form(value: Any) -> Any:
    """Loaded YAML values as JSON would hold them: dates as text, decimals as numbers."""
    if isinstance(value, dict):
        return {key: json_form(item) for key, item in value.items()}
    if isinstance(value, list):
        return [json_form(item) for item in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value
