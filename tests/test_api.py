"""The static JSON API: decimal strings, provenance, history, CSV and schemas."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from generator import api


def _load(site: Path, path: str) -> dict:
    return json.loads((site / "api/v1" / path).read_text())


def test_offering_prices_are_decimal_strings_with_provenance(sample_site: Path) -> None:
    data = _load(sample_site, api.offering_path("openai", "gpt-4o-2024-08-06"))
    assert data["$schema"] == "https://example.org/api/v1/schemas/offering.json"
    assert data["prices"]["input"] == {
        "state": "number",
        "usd": "2.5",
        "unit": "1M tokens",
        "source": "https://openai.com/api/pricing/",
        "as_of": "2026-11-20",
        "dataset": "litellm",
    }
    assert data["prices"]["reasoning"]["state"] == "unsourced"
    assert data["tiers"][0]["above"] == 100000 and data["tiers"][0]["prices"]["input"]["usd"] == "5"


def test_no_float_anywhere(sample_site: Path) -> None:
    def floats(value: object) -> list[float]:
        if isinstance(value, float):
            return [value]
        if isinstance(value, dict):
            return [f for v in value.values() for f in floats(v)]
        if isinstance(value, list):
            return [f for v in value for f in floats(v)]
        return []

    for path in (sample_site / "api").rglob("*.json"):
        if "schemas" not in path.parts:
            assert floats(json.loads(path.read_text())) == [], path


def test_history_and_changes_are_published(sample_site: Path) -> None:
    data = _load(sample_site, api.offering_path("replicate", "o1-mini-2024-09-12"))
    assert [p["date"] for p in data["history"]] == ["2024-09-20", "2025-01-10", "2026-04-15"]
    assert data["history"][-1]["current"] is True
    change = next(c for c in data["changes"] if c["date"] == "2025-01-10" and c["dimension"] == "input")
    assert (change["old"], change["new"]) == ("3", "1.5")


def test_catalog_models_providers_and_csv(sample_site: Path) -> None:
    catalog = _load(sample_site, "catalog.json")
    assert catalog["models"] == sorted(catalog["models"]) and len(catalog["offerings"]) == 5
    assert catalog["datasets"]["litellm"]["version"] == "1.110.2"
    model = _load(sample_site, api.model_path("o1-mini-2024-09-12"))
    assert [o["provider"] for o in model["offerings"]] == [
        "openai",
        "replicate",
    ]  # cheapest first (tie: slug)
    assert model["old_slugs"] == ["o1-mini"]
    provider = _load(sample_site, api.provider_path("anthropic"))
    assert {o["status"] for o in provider["offerings"]} == {"retired", "preview"}
    rows = list(csv.DictReader((sample_site / "api/v1/offerings.csv").open()))
    assert tuple(rows[0]) == api.CSV_COLUMNS and len(rows) == 5
    replicate = next(r for r in rows if r["provider"] == "replicate")
    assert (replicate["input"], replicate["cache_read"], replicate["batch_input"]) == (
        "1.1",
        "not_offered",
        "",
    )


def test_published_schemas_describe_the_records(sample_site: Path) -> None:
    for name, path in api.schema_paths():
        schema = _load(sample_site, path)
        assert schema["$id"] == f"https://example.org/api/v1/{path}"
        assert "$schema" in schema["properties"], name


def test_the_documented_python_example_runs(sample_site: Path) -> None:
    import functools
    import html
    import http.server
    import re
    import subprocess
    import sys
    import threading

    from conftest import QuietHandler

    page = (sample_site / "api/index.html").read_text()
    code = html.unescape(
        re.search(r'<h3 id="python-h">Python</h3>\s*<pre class="code"><code>(.*?)</code>', page, re.S)[1]
    )
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(sample_site))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        local = f"http://127.0.0.1:{server.server_address[1]}/api/v1/"
        run = subprocess.run(
            [sys.executable, "-c", code.replace("https://example.org/api/v1/", local)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        server.shutdown()
        server.server_close()
    assert run.returncode == 0, run.stderr
    assert "USD per 1M input tokens" in run.stdout
    assert "2026-04-15 input 3 -> 1.1" in run.stdout  # openai/o1-mini: the first offering with history


def test_every_document_is_valid_against_its_model(sample_site: Path) -> None:
    """The documents are written from plain dicts; the pydantic models are their contract."""
    for path in (sample_site / "api/v1").rglob("*.json"):
        if "schemas" not in path.parts:
            data = json.loads(path.read_text())
            name = data["$schema"].rsplit("/", 1)[1].removesuffix(".json")
            api.RECORD_TYPES[name].model_validate(data)
