"""Imports from models.dev and LiteLLM, on small dataset files written in the tests."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import SITE_YAML

from generator.build import build_site, check_content
from generator.cli import main
from generator.importers import litellm, modelsdev, naming, read_snapshot
from generator.importers.apply import id_rule, run_import
from generator.project import Project

TODAY = dt.date(2026, 11, 25)
V1 = "1111111111111111111111111111111111111111"
V2 = "2222222222222222222222222222222222222222"

SITE = (
    SITE_YAML
    + """\
  models-dev:
    name: models.dev
    url: https://github.com/anomalyco/models.dev
    version: 0000000000000000000000000000000000000000
    license: MIT
    read: 2026-01-01
"""
)

ACME = {
    "id": "acme",
    "name": "Acme AI",
    "env": ["ACME_API_KEY"],
    "npm": "@ai-sdk/openai-compatible",
    "api": "https://api.acme.test/v1",
    "doc": "https://docs.acme.test/models",
}


def md_model(model_id: str, **over: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": model_id,
        "name": model_id.title(),
        "family": "acme",
        "release_date": "2025-05-01",
        "last_updated": "2025-06-01",
        "reasoning": False,
        "tool_call": True,
        "temperature": True,
        "open_weights": True,
        "cost": {"input": 0.4, "output": 2},
        "limit": {"context": 131072, "output": 8192},
        "modalities": {"input": ["text"], "output": ["text"]},
    }
    entry.update(over)
    return entry


def catalog(**models: dict[str, Any]) -> dict[str, Any]:
    return {"acme": {**ACME, "models": models}}


def write_json(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.fixture
def site(make_site: Callable[..., Project]) -> Project:
    # no content of its own: the imports create everything
    return make_site(
        {
            "site.yaml": SITE,
            "content/creators/openai.yaml": None,
            "content/models/o1-mini-2024-09-12.yaml": None,
            "content/providers/replicate.yaml": None,
            "content/offerings/replicate/o1-mini-2024-09-12.yaml": None,
        }
    )


def md_import(project: Project, data: dict[str, Any], version: str, read: dt.date) -> Any:
    path = write_json(project.root / f"md-{version[:4]}.json", data)
    return run_import(project, modelsdev.read(path, version, TODAY), version, read, dry_run=False)


def ll_import(project: Project, data: dict[str, Any], read: dt.date) -> Any:
    path = write_json(project.root / "litellm.json", data)
    return run_import(project, litellm.read(path, "1.110.2", TODAY), "1.110.2", read, dry_run=False)


def offering(project: Project, provider: str, model: str) -> str:
    return (project.content / "offerings" / provider / f"{model}.yaml").read_text(encoding="utf-8")


def test_import_creates_every_kind_of_file(site: Project) -> None:
    result = md_import(site, catalog(**{"acme-large": md_model("acme-large")}), V1, dt.date(2026, 7, 1))
    created = sorted(c.path for c in result.changes if c.created)
    assert created == [
        "content/creators/acme.yaml",
        "content/models/acme-large.yaml",
        "content/offerings/acme/acme-large.yaml",
        "content/providers/acme.yaml",
    ]
    text = offering(site, "acme", "acme-large")
    assert text.startswith("# yaml-language-server: $schema=../../../schemas/offering.json\n")
    assert (
        f"source: https://github.com/anomalyco/models.dev/blob/{V1}/providers/acme/models/acme-large.toml"
        in text
    )
    assert "as_of: 2026-07-01" in text and "dataset: models-dev" in text and "input: 0.4" in text
    provider = (site.content / "providers" / "acme.yaml").read_text()
    assert provider.startswith("# yaml-language-server: $schema=../../schemas/provider.json\n")
    assert "api: openai" in provider and "base_url: https://api.acme.test/v1" in provider
    assert "auth_env: [ACME_API_KEY]" in provider
    site_yaml = (site.root / "site.yaml").read_text()
    assert f"version: '{V1}'" in site_yaml and "read: 2026-07-01" in site_yaml
    checked = check_content(site)
    assert checked.errors == [], [str(p) for p in checked.problems]


def test_update_in_place_keeps_hand_comment_and_adds_one_history_entry(site: Project, tmp_path: Path) -> None:
    md_import(site, catalog(**{"acme-large": md_model("acme-large")}), V1, dt.date(2026, 7, 1))
    path = site.content / "offerings" / "acme" / "acme-large.yaml"
    text = path.read_text()
    text = text.replace("pricing:\n", "# Checked against the console in July.\npricing:\n")
    text += "gotchas:\n  - Streams need `stream_options`.  # hand-written\n"
    path.write_text(text)
    changed = md_model("acme-large", cost={"input": 0.5, "output": 2})
    result = md_import(site, catalog(**{"acme-large": changed}), V2, dt.date(2026, 8, 1))
    assert result.history_entries == 1
    assert [str(c) for c in result.changes if "offerings" in c.path] == [
        "update content/offerings/acme/acme-large.yaml: input 0.4 -> 0.5"
    ]
    after = path.read_text()
    assert "# Checked against the console in July.\npricing:\n  input: 0.5\n" in after
    assert "Streams need `stream_options`.  # hand-written" in after
    assert after.count("- {date: 2026-07-01, input: 0.4,") == 1
    assert "as_of: 2026-08-01" in after and f"/blob/{V2}/" in after
    out = tmp_path / "public"
    build_site(site, out)
    page = (out / "models/acme-large/acme/index.html").read_text()
    assert "Price history" in page and "2026-07-01" in page and "$0.40" in page and "$0.50" in page


def test_second_run_changes_nothing(site: Project) -> None:
    data = catalog(**{"acme-large": md_model("acme-large"), "acme-small": md_model("acme-small")})
    assert md_import(site, data, V1, dt.date(2026, 7, 1)).changes
    before = {p: p.read_bytes() for p in site.root.rglob("*.yaml")}
    again = run_import(site, modelsdev.read(site.root / "md-1111.json", V1, TODAY), V1, None, dry_run=False)
    assert again.changes == []
    assert {p: p.read_bytes() for p in site.root.rglob("*.yaml")} == before


def test_dry_run_writes_nothing_and_says_what_it_would_do(
    site: Project, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_json(site.root / "md.json", catalog(**{"acme-large": md_model("acme-large")}))
    monkeypatch.chdir(site.root)
    before = {p: p.read_bytes() for p in site.root.rglob("*.yaml")}
    assert main(["import", "models.dev", str(path), "--version", V1, "--dry-run"]) == 0
    assert {p: p.read_bytes() for p in site.root.rglob("*.yaml")} == before
    out = capsys.readouterr().out
    assert "would create content/offerings/acme/acme-large.yaml" in out


def test_broken_values_are_withheld_with_the_reason(site: Project, tmp_path: Path) -> None:
    models = {
        "acme-large": md_model(
            "acme-large",
            release_date="1970-01-01",
            limit={"context": 0, "output": 4096},
            cost={"input": 0.4, "output": 2, "cached_input": 0.1},
        ),
        "acme-old": md_model("acme-old", release_date="2025-05-01", last_updated="2024-01-01"),
        "acme-zero": md_model("acme-zero", cost={"input": 0, "output": 0}),
        "acme-dup": md_model("acme-dup"),
        "ACME-DUP": md_model("ACME-DUP"),
    }
    result = md_import(site, catalog(**models), V1, dt.date(2026, 7, 1))
    reasons = "\n".join(result.report)
    assert "placeholder date" in reasons and "not a real limit" in reasons
    assert "cost key not in the models.dev schema" in reasons
    assert "before the release date" in reasons and "$0 on a provider that bills" in reasons
    assert "duplicate ID" in reasons
    large = offering(site, "acme", "acme-large")
    assert "context_window" not in large.split("withheld:")[0]
    assert "field: pricing.cached_input" in large and "field: context_window, value: '0'" in large
    model = (site.content / "models" / "acme-large.yaml").read_text()
    assert "released:" not in model and "field: released, value: '1970-01-01'" in model
    zero = offering(site, "acme", "acme-zero")
    assert "input: 0" not in zero and "field: pricing.input, value: '0'" in zero
    assert check_content(site).errors == []
    out = tmp_path / "public"
    build_site(site, out)
    page = (out / "models/acme-zero/acme/index.html").read_text()
    assert "$0<" not in page and "Not yet sourced" in page
    assert "Left out from the datasets" in page
    assert (
        "Input tokens: models.dev gives 0, left out ($0 on a provider that bills for its other models)"
        in page
    )


def test_verified_offering_is_reported_not_overwritten(site: Project) -> None:
    md_import(site, catalog(**{"acme-large": md_model("acme-large")}), V1, dt.date(2026, 7, 1))
    path = site.content / "offerings" / "acme" / "acme-large.yaml"
    path.write_text(
        path.read_text().replace("dataset: models-dev\n", "dataset: models-dev\nverified: 2026-07-02\n")
    )
    changed = md_model("acme-large", cost={"input": 0.9, "output": 2})
    result = md_import(site, catalog(**{"acme-large": changed}), V2, dt.date(2026, 8, 1))
    assert result.conflicts == [
        "content/offerings/acme/acme-large.yaml: verified by hand; models-dev says input = 0.9, "
        "the file says 0.4 (not changed)"
    ]
    text = path.read_text()
    assert "input: 0.4" in text and "history" not in text
    assert "{field: input, dataset: models-dev, value: '0.9'" in text


LITELLM = {
    "sample_spec": {"litellm_provider": "one of https://docs.litellm.ai/docs/providers"},
    "acme/acme-large": {
        "litellm_provider": "acme_ai",
        "mode": "chat",
        "input_cost_per_token": 1.5e-06,
        "output_cost_per_token": 7.5e-06,
    },
}


def test_litellm_disagreement_is_recorded_shown_and_audited(
    site: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(naming.LITELLM_PROVIDERS, "acme_ai", "acme")
    md_import(site, catalog(**{"acme-large": md_model("acme-large")}), V1, dt.date(2026, 7, 1))
    result = ll_import(site, LITELLM, dt.date(2026, 7, 1))
    assert result.disagreements == 2
    text = offering(site, "acme", "acme-large")
    assert "input: 0.4" in text
    assert "- {field: input, dataset: litellm, value: '1.5', entry: acme/acme-large}" in text
    again = ll_import(site, LITELLM, dt.date(2026, 7, 1))
    assert again.changes == []
    out = tmp_path / "public"
    build_site(site, out)
    page = (out / "models/acme-large/acme/index.html").read_text()
    assert "LiteLLM model prices says $1.50" in page
    audit_page = (out / "disagreements/index.html").read_text()
    assert "Where sources disagree" in audit_page and "$1.50" in audit_page and "$0.40" in audit_page
    credits = (out / "credits/index.html").read_text()
    assert V1 in credits and "1.110.2" in credits and "MIT" in credits

    csv_path = tmp_path / "audit.csv"
    monkeypatch.chdir(site.root)
    args = [
        "audit",
        "--models-dev",
        str(site.root / "md-1111.json"),
        "--litellm",
        str(site.root / "litellm.json"),
    ]
    assert main([*args, "--csv", str(csv_path)]) == 0
    rows = csv_path.read_text().splitlines()
    assert rows[0] == "provider,model,model_id,field,models.dev,LiteLLM,content,file"
    assert "acme,acme-large,acme-large,input,0.4,1.5,0.4,content/offerings/acme/acme-large.yaml" in rows


def test_provider_mapping_and_names() -> None:
    assert naming.litellm_provider("bedrock_converse") == "amazon-bedrock"
    assert naming.litellm_provider("vertex_ai-language-models") == "google-vertex"
    assert naming.litellm_provider("vertex_ai-anthropic_models") == "google-vertex-anthropic"
    assert naming.litellm_provider("together_ai") == "togetherai"
    assert naming.litellm_provider("azure_ai") == "azure"
    assert naming.litellm_provider("gemini") == "google"
    assert naming.litellm_provider("no_such_provider") is None
    assert naming.litellm_model_id("replicate/openai/o1-mini", "replicate") == "openai/o1-mini"
    assert naming.litellm_model_id("vertex_ai/claude-opus-4@20250514", "vertex_ai-anthropic_models") == (
        "claude-opus-4@20250514"
    )
    assert naming.split_variant("amazon-bedrock", "eu.anthropic.claude-sonnet-4-5-20250929-v1:0") == (
        "anthropic.claude-sonnet-4-5-20250929-v1:0",
        "EU cross-region inference profile",
    )
    assert naming.split_variant("azure", "eu/gpt-4o") == ("gpt-4o", "EU data zone")
    assert naming.model_slug("amazon-bedrock", "anthropic.claude-sonnet-4-5-20250929-v1:0") == (
        "claude-sonnet-4-5-20250929"
    )
    assert naming.model_slug("google-vertex", "claude-3-5-haiku@20241022") == "claude-3-5-haiku-20241022"
    assert naming.model_slug("togetherai", "Qwen/Qwen2.5-7B-Instruct-Turbo") == "qwen2.5-7b-instruct-turbo"
    assert naming.model_slug("azure", "x", base_model="anthropic/claude-opus-4-8") == "claude-opus-4-8"
    assert naming.guess_creator("togetherai", "meta-llama/Llama-3.3-70B-Instruct-Turbo") == "meta"
    assert naming.guess_creator("groq", "llama-3.1-8b-instant") == "meta"


def test_regional_ids_become_variants_with_uplift(site: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    bedrock = {
        "id": "amazon-bedrock",
        "name": "Amazon Bedrock",
        "env": ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION"],
        "npm": "@ai-sdk/amazon-bedrock",
        "doc": "https://docs.aws.amazon.com/bedrock/",
        "models": {
            "anthropic.claude-x-v1:0": md_model("anthropic.claude-x-v1:0", cost={"input": 3, "output": 15}),
            "eu.anthropic.claude-x-v1:0": md_model(
                "eu.anthropic.claude-x-v1:0", cost={"input": 3.3, "output": 16.5}
            ),
        },
    }
    path = write_json(site.root / "bedrock.json", {"amazon-bedrock": bedrock})
    run_import(site, read_snapshot("models.dev", path, V1, TODAY), V1, dt.date(2026, 7, 1), dry_run=False)
    files = sorted(p.name for p in (site.content / "offerings" / "amazon-bedrock").iterdir())
    assert files == ["claude-x.yaml"]
    text = offering(site, "amazon-bedrock", "claude-x")
    assert (
        "- {name: EU cross-region inference profile, model_id: eu.anthropic.claude-x-v1:0, uplift_percent: 10}"
        in text
    )
    assert check_content(site).errors == []


def test_id_rule_matches_every_observed_id() -> None:
    ids = ["Qwen/Qwen3-235B", "deepseek-ai/DeepSeek-V3.2:free", "glm_4.6"]
    pattern, hint = id_rule(ids)
    assert all(re.fullmatch(pattern, i) for i in ids)
    assert not re.fullmatch(pattern, "has space")
    assert "capital letters" in hint


def test_repository_records_the_known_disagreements() -> None:
    """The imported catalog keeps both datasets' values where they differ (see SOURCES.md)."""
    from conftest import REPO

    mistral = (REPO / "content/offerings/mistral/mistral-medium-latest.yaml").read_text()
    assert "  input: 0.4\n" in mistral
    assert "{field: input, dataset: litellm, value: '1.5'" in mistral
    deepseek = (REPO / "content/offerings/deepseek/deepseek-chat.yaml").read_text()
    assert "  input: 0.14\n" in deepseek
    assert "{field: input, dataset: litellm, value: '0.28'" in deepseek


@pytest.mark.skipif(
    not os.environ.get("MODELDIR_DATASETS"), reason="set MODELDIR_DATASETS to the datasets folder"
)
def test_audit_lists_the_known_disagreements_on_the_real_datasets() -> None:
    from generator.audit import compare

    data = Path(os.environ["MODELDIR_DATASETS"])
    snapshots = [
        read_snapshot("models.dev", data / "modelsdev-catalog.json", "audit", TODAY),
        read_snapshot("litellm", data / "litellm-model-prices.json", "audit", TODAY),
    ]
    found = {(f.provider, f.model_id, f.field): f.values for f in compare(snapshots, None)}
    assert found[("mistral", "mistral-medium-latest", "input")] == {"models.dev": "0.4", "LiteLLM": "1.5"}
    assert found[("deepseek", "deepseek-chat", "input")] == {"models.dev": "0.14", "LiteLLM": "0.28"}


def test_undated_alias_joins_its_one_dated_snapshot(site: Project) -> None:
    models = {
        "acme-pro": md_model("acme-pro"),
        "acme-pro-20250101": md_model("acme-pro-20250101"),
        "acme-lite": md_model("acme-lite"),  # an alias with no dated snapshot stays itself
    }
    md_import(site, catalog(**models), V1, dt.date(2026, 7, 1))
    assert sorted(p.stem for p in (site.content / "models").iterdir()) == ["acme-lite", "acme-pro-20250101"]
    text = offering(site, "acme", "acme-pro-20250101")
    assert "- {name: Undated alias of this snapshot, model_id: acme-pro, uplift_percent: 0}" in text
    assert naming.dated_aliases({"x", "x-20250101", "y", "y-20240101", "y-20250101"}, set()) == {
        "x": "x-20250101"
    }
    assert naming.dated_aliases({"x", "x-20250101"}, {"x"}) == {}
    assert naming.model_slug("openrouter", "anthropic/claude-3.5-haiku") == "claude-3-5-haiku"


def test_cli_rejects_unusable_input_without_a_traceback(
    site: Project, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(site.root)
    (site.root / "broken.json").write_text("{not json", encoding="utf-8")
    assert main(["import", "models.dev", "missing.json", "--version", V1]) == 2
    assert main(["import", "models.dev", "broken.json", "--version", V1]) == 2
    assert main(["audit"]) == 2
    err = capsys.readouterr().err
    assert "missing.json: no such file" in err
    assert "broken.json: not a models.dev JSON file" in err
    assert "give the datasets to compare" in err
    assert "Traceback" not in err
