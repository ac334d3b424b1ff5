"""Read a models.dev snapshot (the shape of ``modelsdev-catalog.json``) into a :class:`Snapshot`.

The file maps provider ids to ``{id, name, env, npm, doc, api?, models: {…}}``;
prices are USD per 1M tokens, limits in tokens. An optional companion file
(``modelsdev-models.json``, provider-independent metadata keyed
``<lab>/<model>``) supplies the canonical facts of models that a provider
entry names as its ``base_model``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from . import gates
from .naming import creator_name, guess_creator, model_slug, slugify, split_variant, variant_rank
from .snapshot import ModelFacts, OfferingFacts, ProviderFacts, Refused, Snapshot, VariantFacts, usd

DATASET = "models-dev"
REPO = "https://github.com/anomalyco/models.dev"

# models.dev cost keys -> our price dimensions (the others are reported, not guessed).
COST_KEYS = {
    "input": "input",
    "output": "output",
    "cache_read": "cache_read",
    "cache_write": "cache_write_5m",
    "reasoning": "reasoning",
    "input_audio": "input_audio",
    "output_audio": "output_audio",
}
STRUCTURAL_COST_KEYS = {"tiers", "context_over_200k"}

NPM_SHAPES = {
    "@ai-sdk/anthropic": "anthropic",
    "@ai-sdk/google": "google",
    "@ai-sdk/google-vertex": "vertex",
    "@ai-sdk/google-vertex/anthropic": "vertex",
    "@ai-sdk/amazon-bedrock": "bedrock",
    "@ai-sdk/azure": "azure",
    "@ai-sdk/cohere": "cohere",
}
# Base URLs of OpenAI-compatible providers whose models.dev record has no `api` field.
KNOWN_BASE_URLS = {
    "openai": "https://api.openai.com/v1",
    "mistral": "https://api.mistral.ai/v1",
    "groq": "https://api.groq.com/openai/v1",
    "xai": "https://api.x.ai/v1",
    "perplexity": "https://api.perplexity.ai",
    "cerebras": "https://api.cerebras.ai/v1",
    "togetherai": "https://api.together.xyz/v1",
    "deepinfra": "https://api.deepinfra.com/v1/openai",
    "venice": "https://api.venice.ai/api/v1",
    "vercel": "https://ai-gateway.vercel.sh/v1",
    "v0": "https://api.v0.dev/v1",
    "aihubmix": "https://aihubmix.com/v1",
    "anthropic": "https://api.anthropic.com",
    "google": "https://generativelanguage.googleapis.com",
    "cohere": "https://api.cohere.com",
}
CAPABILITY_FLAGS = {
    "reasoning": "reasoning",
    "tool_call": "tool_calling",
    "structured_output": "structured_output",
    "temperature": "temperature",
}
STATUSES = {"deprecated": "deprecated", "beta": "preview", "alpha": "preview"}
MODALITIES = {"text", "image", "audio", "video", "pdf"}


def entry_path(provider: str, model_id: str) -> str:
    return f"providers/{provider}/models/{model_id}.toml"


def entry_url(version: str, provider: str, model_id: str) -> str:
    return f"{REPO}/blob/{version}/{entry_path(provider, model_id)}"


def read(path: Path, version: str, today: dt.date, models_path: Path | None = None) -> Snapshot:
    catalog: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    if models_path is None and (path.parent / "modelsdev-models.json").is_file():
        models_path = path.parent / "modelsdev-models.json"
    base_records: dict[str, Any] = json.loads(models_path.read_text(encoding="utf-8")) if models_path else {}
    snapshot = Snapshot(DATASET)
    model_votes: dict[str, list[tuple[int, ModelFacts]]] = defaultdict(list)
    for provider_id in sorted(catalog):
        record = catalog[provider_id]
        provider = slugify(provider_id)
        snapshot.providers[provider] = _provider(provider, record)
        entries = record.get("models") or {}
        paid = any(_has_price(m) for m in entries.values())
        free_provider = not paid and not gates.is_subscription(provider)
        seen_ids: dict[str, str] = {}
        groups: dict[str, list[tuple[str, str | None, dict[str, Any]]]] = defaultdict(list)
        for model_id in sorted(entries):
            entry = entries[model_id]
            where = entry_path(provider_id, model_id)
            outputs = (entry.get("modalities") or {}).get("output") or ["text"]
            if "text" not in outputs:
                snapshot.report.append(f"{where}: left out, not a text model (output: {', '.join(outputs)})")
                continue
            if model_id.lower() in seen_ids:
                snapshot.report.append(
                    f"{where}: left out, duplicate ID of {entry_path(provider_id, seen_ids[model_id.lower()])}"
                )
                continue
            seen_ids[model_id.lower()] = model_id
            base_id, variant = split_variant(provider, model_id)
            groups[base_id].append((model_id, variant, entry))
        used_slugs: dict[str, str] = {}
        for base_id in sorted(groups):
            members = sorted(groups[base_id], key=lambda m: variant_rank(m[1]))
            main_id, _, main = members[0]
            base_model = main.get("base_model")
            slug = model_slug(provider, base_id, base_model)
            if used_slugs.get(slug, base_id) != base_id:
                slug = slugify(base_id)  # two IDs of one provider name one model: keep both, apart
                if slug in used_slugs:
                    snapshot.report.append(
                        f"{entry_path(provider_id, main_id)}: left out, its slug {slug} is taken by "
                        f"{entry_path(provider_id, used_slugs[slug])}"
                    )
                    continue
            used_slugs[slug] = base_id
            creator = guess_creator(provider, base_id, base_model)
            snapshot.creators.setdefault(creator, creator_name(creator))
            offering = _offering(
                provider, provider_id, main_id, slug, main, version, today, paid, free_provider
            )
            for variant_id, name, entry in members[1:]:
                variant_prices = _prices(
                    entry, provider, entry_path(provider_id, variant_id), paid, free_provider
                )
                offering.variants.append(
                    VariantFacts(name or variant_id, variant_id, variant_prices[0].get("input"))
                )
            snapshot.offerings[(provider, slug)] = offering
            facts = _model(slug, creator, main, entry_path(provider_id, main_id), today)
            if base_model and base_model in base_records:
                facts = _model(slug, creator, base_records[base_model], f"models/{base_model}.toml", today)
                rank = 0
            else:
                rank = 1 if creator == provider else 2
            model_votes[slug].append((rank, facts))
    for slug, votes in model_votes.items():
        votes.sort(key=lambda v: (v[0], v[1].entry))
        snapshot.models[slug] = votes[0][1]
    return snapshot


def _has_price(entry: dict[str, Any]) -> bool:
    cost = entry.get("cost") or {}
    return any(isinstance(cost.get(k), int | float) and cost.get(k) for k in ("input", "output"))


def _provider(slug: str, record: dict[str, Any]) -> ProviderFacts:
    npm = record.get("npm") or ""
    shape = NPM_SHAPES.get(npm, "openai")
    doc = record.get("doc") if str(record.get("doc", "")).startswith("https://") else None
    base = record.get("api") or KNOWN_BASE_URLS.get(slug)
    if base and not str(base).startswith("https://"):
        base = None
    url = f"https://{urlsplit(doc).netloc}" if doc else (f"https://{urlsplit(base).netloc}" if base else "")
    env = [e for e in record.get("env") or [] if re.fullmatch(r"[A-Z][A-Z0-9_]*", e)]
    sdk_py, sdk_js = {
        "openai": ("pip install openai", "npm install openai"),
        "anthropic": ("pip install anthropic", "npm install @anthropic-ai/sdk"),
        "google": ("pip install google-genai", "npm install @google/genai"),
        "vertex": ("pip install google-genai", "npm install @google/genai"),
        "bedrock": ("pip install boto3", "npm install @aws-sdk/client-bedrock-runtime"),
        "azure": ("pip install openai", "npm install openai"),
        "cohere": ("pip install cohere", "npm install cohere-ai"),
    }[shape]
    return ProviderFacts(
        slug=slug,
        name=str(record.get("name") or slug),
        api=shape,
        base_url=str(base) if base else None,
        auth_env=env,
        docs_url=doc,
        url=url,
        sdk_python=sdk_py,
        sdk_javascript=sdk_js,
    )


def _prices(
    entry: dict[str, Any], provider: str, where: str, paid: bool, free_provider: bool
) -> tuple[dict[str, Decimal], dict[int, dict[str, Decimal]], list[Refused]]:
    cost: dict[str, Any] = entry.get("cost") or {}
    refused: list[Refused] = []
    free_entry = (
        free_provider
        or "free" in str(entry.get("id", "")).lower()
        or "free" in str(entry.get("name", "")).lower()
    )

    def take(values: dict[str, Any], prefix: str) -> dict[str, Decimal]:
        out: dict[str, Decimal] = {}
        for key, raw in values.items():
            if key in STRUCTURAL_COST_KEYS or key == "tier":
                continue
            dimension = COST_KEYS.get(key)
            if dimension is None:
                refused.append(
                    Refused(f"{prefix}{key}", str(raw), "cost key not in the models.dev schema", where)
                )
                continue
            amount = usd(raw)
            reason = gates.bad_price(amount) or gates.bad_zero_price(
                amount or Decimal(0), paid or gates.is_subscription(provider), free_entry
            )
            if reason or amount is None:
                refused.append(Refused(f"{prefix}{dimension}", str(raw), reason or "not a number", where))
                continue
            out[dimension] = amount
        return out

    prices = take(cost, "pricing.")
    tiers: dict[int, dict[str, Decimal]] = {}
    for tier in cost.get("tiers") or []:
        size = (tier.get("tier") or {}).get("size") if isinstance(tier, dict) else None
        if not isinstance(size, int) or size <= 0:
            refused.append(Refused("pricing.tiers", json.dumps(tier), "tier without a size", where))
            continue
        tiers[size] = take(tier, f"pricing.tiers.{size}.")
    if not tiers and isinstance(cost.get("context_over_200k"), dict):
        tiers[200_000] = take(cost["context_over_200k"], "pricing.tiers.200000.")
    return prices, {k: v for k, v in tiers.items() if v}, refused


def _offering(
    provider: str,
    provider_id: str,
    model_id: str,
    slug: str,
    entry: dict[str, Any],
    version: str,
    today: dt.date,
    paid: bool,
    free_provider: bool,
) -> OfferingFacts:
    where = entry_path(provider_id, model_id)
    prices, tiers, refused = _prices(entry, provider, where, paid, free_provider)
    limit = entry.get("limit") or {}
    context, max_output = _limits(limit, where, refused)
    status = STATUSES.get(str(entry.get("status")))
    return OfferingFacts(
        provider=provider,
        model=slug,
        model_id=model_id,
        entry=where,
        source=entry_url(version, provider_id, model_id),
        prices=prices,
        tiers=tiers,
        context_window=context,
        max_output=max_output,
        capabilities=_capabilities(entry),
        status=status,
        refused=refused,
    )


def _limits(limit: dict[str, Any], where: str, refused: list[Refused]) -> tuple[int | None, int | None]:
    out: list[int | None] = []
    for key, field in (("context", "context_window"), ("output", "max_output")):
        value = limit.get(key)
        reason = gates.bad_token_limit(value)
        if reason:
            refused.append(Refused(field, str(value), reason, where))
            out.append(None)
        else:
            out.append(value if isinstance(value, int) else None)
    context, max_output = out
    if context and max_output and max_output > context:
        refused.append(
            Refused("max_output", str(max_output), f"larger than the context window ({context})", where)
        )
        max_output = None
    return context, max_output


def _capabilities(entry: dict[str, Any]) -> list[str]:
    caps = [cap for flag, cap in CAPABILITY_FLAGS.items() if entry.get(flag) is True]
    inputs = (entry.get("modalities") or {}).get("input") or []
    outputs = (entry.get("modalities") or {}).get("output") or []
    if entry.get("attachment") is True and "image" in inputs:
        caps.append("vision")
    if "audio" in inputs:
        caps.append("audio_input")
    if "audio" in outputs:
        caps.append("audio_output")
    cost = entry.get("cost") or {}
    if isinstance(cost.get("cache_read"), int | float) and cost["cache_read"]:
        caps.append("prompt_caching")
    order = [
        "reasoning",
        "tool_calling",
        "structured_output",
        "vision",
        "prompt_caching",
        "audio_input",
        "audio_output",
        "temperature",
    ]
    return sorted(set(caps), key=order.index)


def _model(slug: str, creator: str, entry: dict[str, Any], where: str, today: dt.date) -> ModelFacts:
    refused: list[Refused] = []
    released = gates.parse_date(entry.get("release_date"))
    updated = gates.parse_date(entry.get("last_updated"))
    reason = gates.bad_release(released, updated, today)
    if reason:
        refused.append(Refused("released", str(entry.get("release_date")), reason, where))
        released = None
    knowledge = entry.get("knowledge")
    if not (isinstance(knowledge, str) and re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])(-\d{2})?", knowledge)):
        knowledge = None
    elif knowledge[:7] > today.isoformat()[:7]:
        knowledge = None
    context, max_output = _limits(entry.get("limit") or {}, where, refused)
    modalities = entry.get("modalities") or {}
    inputs = [m for m in modalities.get("input") or ["text"] if m in MODALITIES] or ["text"]
    outputs = [m for m in modalities.get("output") or ["text"] if m in MODALITIES] or ["text"]
    weights = entry.get("open_weights")
    family = entry.get("family")
    return ModelFacts(
        slug=slug,
        name=str(entry.get("name") or slug)[:120],
        creator=creator,
        entry=where,
        family=str(family)[:120] if family else None,
        released=released,
        knowledge_cutoff=knowledge,
        context_window=context,
        max_output=max_output,
        inputs=inputs,
        outputs=outputs,
        capabilities=_capabilities(entry),
        open_weights=weights if isinstance(weights, bool) else None,
        refused=refused,
    )
