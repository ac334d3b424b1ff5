"""Read LiteLLM's price table (``model_prices_and_context_window.json``) into a :class:`Snapshot`.

Keys are LiteLLM routing names (``azure/eu/gpt-4o``, ``bedrock/us-east-1/…``,
``vertex_ai/claude-…``); ``litellm_provider`` says who sells the model, and
:mod:`.naming` maps it to a catalog provider. Prices are USD **per token**
(times 1M here), or per image / second / request where the key says so.
Chat, completion, responses and embedding entries are read; image, audio,
video, rerank, search and other modes are left out (and counted).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

from . import gates
from .naming import (
    LITELLM_CREATES,
    creator_name,
    guess_creator,
    litellm_model_id,
    litellm_provider,
    model_slug,
    slugify,
    split_variant,
    variant_rank,
)
from .snapshot import MILLION, ModelFacts, OfferingFacts, Refused, Snapshot, VariantFacts, usd

DATASET = "litellm"
MODES = {"chat", "completion", "responses", "embedding", None}

PER_TOKEN = {
    "input_cost_per_token": "input",
    "output_cost_per_token": "output",
    "cache_read_input_token_cost": "cache_read",
    "cache_creation_input_token_cost": "cache_write_5m",
    "cache_creation_input_token_cost_above_1hr": "cache_write_1h",
    "output_cost_per_reasoning_token": "reasoning",
    "input_cost_per_token_batches": "batch_input",
    "output_cost_per_token_batches": "batch_output",
    "input_cost_per_audio_token": "input_audio",
    "output_cost_per_audio_token": "output_audio",
    "input_cost_per_image_token": "input_image",
}
PER_UNIT = {"input_cost_per_request": "per_request"}
TIER_PREFIX = "_above_"
CAPABILITY_FLAGS = {
    "supports_reasoning": "reasoning",
    "supports_function_calling": "tool_calling",
    "supports_response_schema": "structured_output",
    "supports_vision": "vision",
    "supports_prompt_caching": "prompt_caching",
    "supports_audio_input": "audio_input",
    "supports_audio_output": "audio_output",
    "supports_web_search": "web_search",
}
SKIP_MARKERS = ("commitment", "-x-", "/speech/", "doc-intelligence", "/*/")


def source_url(version: str) -> str:
    return "https://github.com/BerriAI/litellm/blob/main/model_prices_and_context_window.json"


def read(path: Path, version: str, today: dt.date) -> Snapshot:
    table: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    snapshot = Snapshot(DATASET, creates=LITELLM_CREATES)
    groups: dict[tuple[str, str], list[tuple[str, str, str | None, dict[str, Any]]]] = defaultdict(list)
    left_out: dict[str, int] = defaultdict(int)
    for key in sorted(table):
        entry = table[key]
        if key == "sample_spec" or not isinstance(entry, dict):
            continue
        raw_provider = entry.get("litellm_provider")
        provider = litellm_provider(raw_provider if isinstance(raw_provider, str) else None)
        if provider is None:
            left_out[f"provider {raw_provider} is not mapped"] += 1
            continue
        if entry.get("mode") not in MODES:
            left_out[f"mode {entry.get('mode')}"] += 1
            continue
        model_id = litellm_model_id(key, str(raw_provider))
        if any(marker in f"/{model_id}/" for marker in SKIP_MARKERS):
            left_out["sized, committed or service-specific entry"] += 1
            continue
        base_id, variant = split_variant(provider, model_id)
        if provider in ("amazon-bedrock", "azure") and "/" in base_id:
            left_out["routing path LiteLLM adds to the ID"] += 1
            continue
        groups[(provider, base_id)].append((key, model_id, variant, entry))
    for reason, count in sorted(left_out.items()):
        snapshot.report.append(f"{count} entries left out: {reason}")
    used: dict[tuple[str, str], str] = {}
    for (provider, base_id), members in sorted(groups.items()):
        members.sort(key=lambda m: (variant_rank(m[2]), m[0]))
        key, model_id, variant, entry = members[0]
        if variant is not None:
            model_id = members[0][1]  # only scoped IDs are listed: the first scope is the offering's ID
        slug = model_slug(provider, base_id)
        if used.get((provider, slug), base_id) != base_id:
            slug = slugify(base_id)  # two IDs of one provider name one model: keep both, apart
            if (provider, slug) in used:
                snapshot.report.append(
                    f"{key}: left out, its slug {slug} is taken by {used[(provider, slug)]}"
                )
                continue
        used[(provider, slug)] = base_id
        offering = _offering(provider, slug, model_id, key, entry, version)
        same = [m for m in members[1:] if m[2] is None]
        for other in same:
            if _prices(other[3], other[0])[0] != offering.prices:
                offering.refused.append(
                    Refused("pricing", other[0], f"duplicate ID {model_id} with other prices than {key}", key)
                )
        for v_key, v_id, v_name, v_entry in members[1:]:
            if v_name is None:
                continue
            v_prices = _prices(v_entry, v_key)[0]
            offering.variants.append(VariantFacts(v_name, v_id, v_prices.get("input")))
        snapshot.offerings[(provider, slug)] = offering
        creator = guess_creator(provider, base_id)
        snapshot.creators.setdefault(creator, creator_name(creator))
        snapshot.models.setdefault(slug, _model(slug, creator, model_id, provider, key, entry, offering))
    return snapshot


def _prices(
    entry: dict[str, Any], key: str
) -> tuple[dict[str, Decimal], dict[int, dict[str, Decimal]], list[Refused]]:
    prices: dict[str, Decimal] = {}
    tiers: dict[int, dict[str, Decimal]] = defaultdict(dict)
    refused: list[Refused] = []
    for name, raw in entry.items():
        if not isinstance(name, str) or ("cost" not in name):
            continue
        base, above = name, None
        if TIER_PREFIX in name and name.endswith("_tokens"):
            base, _, rest = name.partition(TIER_PREFIX)
            size = rest.removesuffix("_tokens").lower()
            multiplier = 1000 if size.endswith("k") else 1_000_000 if size.endswith("m") else 1
            try:
                above = int(size.rstrip("km")) * multiplier
            except ValueError:
                continue
        dimension = PER_TOKEN.get(base)
        scale = MILLION
        if dimension is None and base in PER_UNIT:
            dimension, scale = PER_UNIT[base], Decimal(1)
        if dimension is None:
            continue
        amount = usd(raw, scale)
        reason = gates.bad_price(amount)
        if reason or amount is None:
            refused.append(Refused(f"pricing.{dimension}", str(raw), reason or "not a number", key))
            continue
        if amount == 0 and "free" not in key.lower():
            refused.append(Refused(f"pricing.{dimension}", str(raw), "$0 on a paid provider", key))
            continue
        if above is None:
            prices[dimension] = amount
        else:
            tiers[above][dimension] = amount
    return prices, dict(tiers), refused


def _offering(
    provider: str, slug: str, model_id: str, key: str, entry: dict[str, Any], version: str
) -> OfferingFacts:
    prices, tiers, refused = _prices(entry, key)
    context, max_output = None, None
    for field, value in (
        ("context_window", entry.get("max_input_tokens")),
        ("max_output", entry.get("max_output_tokens")),
    ):
        reason = gates.bad_token_limit(value)
        if reason:
            refused.append(Refused(field, str(value), reason, key))
        elif field == "context_window":
            context = value if isinstance(value, int) else None
        else:
            max_output = value if isinstance(value, int) else None
    if context and max_output and max_output > context:
        max_output = None  # LiteLLM often repeats the context window as the output limit
    retires = gates.parse_date(entry.get("deprecation_date"))
    return OfferingFacts(
        provider=provider,
        model=slug,
        model_id=model_id,
        entry=key,
        source=source_url(version),
        prices=prices,
        tiers=tiers,
        context_window=context,
        max_output=max_output,
        capabilities=[cap for flag, cap in CAPABILITY_FLAGS.items() if entry.get(flag) is True],
        retires_on=retires,
        refused=refused,
    )


def _model(
    slug: str,
    creator: str,
    model_id: str,
    provider: str,
    key: str,
    entry: dict[str, Any],
    offering: OfferingFacts,
) -> ModelFacts:
    inputs = ["text"] + (["image"] if entry.get("supports_vision") else [])
    outputs = ["embedding"] if entry.get("mode") == "embedding" else ["text"]
    caps = list(offering.capabilities or [])
    if entry.get("mode") == "embedding":
        caps = ["embeddings"]
    return ModelFacts(
        slug=slug,
        name=model_id.rsplit("/", 1)[-1],
        creator=creator,
        entry=key,
        context_window=offering.context_window,
        max_output=offering.max_output,
        inputs=inputs,
        outputs=outputs,
        capabilities=caps,
    )
