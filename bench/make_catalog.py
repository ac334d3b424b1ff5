#!/usr/bin/env python3
"""A deterministic synthetic catalog in modeldir's own content format, for benchmarks.

Usage::

    python bench/make_catalog.py N DIR [--seed 42]

writes ``DIR/creators/``, ``DIR/models/``, ``DIR/providers/`` and
``DIR/offerings/<provider>/<model>.yaml``: N offerings of about N/10 models
by 20 creators, sold by 30 providers (fewer only when N < 30). ``DIR`` is
emptied first. The same N and seed give byte-identical files.

The records are shaped like real ones (every API shape, several billed
dimensions, price history, gotchas, FAQ entries, regional variants), so the
pages come out at about the size of the real pages. Every file passes
``modeldir check`` (build with ``modeldir build --content DIR``).

Only the standard library is used, and YAML is written by hand (strings as
JSON literals, which YAML reads as double-quoted scalars): generating 100,000
files takes seconds, not minutes.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
from pathlib import Path

CREATORS = [
    "Acme AI", "Northwind Labs", "Helios Research", "Blue Harbor AI", "Quanta Systems",
    "Meridian Intelligence", "Orchid AI", "Stratos Labs", "Cobalt Foundation", "Lumen Works",
    "Tessellate", "Aperture Models", "Kestrel AI", "Fjord Research", "Saffron Labs",
    "Polaris Compute", "Granite Mind", "Vireo AI", "Obsidian Labs", "Nimbus Research",
]  # fmt: skip
FAMILY_A = [
    "Nova", "Atlas", "Orion", "Zephyr", "Cirrus", "Falcon", "Sable", "Onyx", "Lyra", "Vega",
    "Quill", "Ember", "Juniper", "Aurora", "Cobalt", "Tundra", "Mistral", "Harbor", "Sierra",
    "Delta", "Echo", "Pike", "Raven", "Sparrow", "Titan", "Umber", "Willow", "Xenon", "Yarrow",
    "Zinnia",
]  # fmt: skip
FAMILY_B = [
    "",
    "Chat",
    "Instruct",
    "Coder",
    "Reason",
    "Vision",
    "Lite",
    "Pro",
    "Max",
    "Flash",
    "Turbo",
    "Mini",
]
SIZES = ["Nano", "Small", "Medium", "Large", "XL", "Ultra"]
ARCH = [
    "decoder-only transformer",
    "mixture-of-experts transformer (8 experts, top-2 routing)",
    "mixture-of-experts transformer (64 experts, top-6 routing)",
    "decoder-only transformer with grouped-query attention",
    "hybrid state-space and attention model",
]
LICENSES = ["proprietary", "Apache-2.0", "MIT", "open weights (custom license)", "CC-BY-NC-4.0"]
CAPABILITIES = [
    "reasoning", "tool_calling", "structured_output", "vision", "streaming", "prompt_caching",
    "batch", "code_execution", "web_search", "fine_tuning", "audio_input", "system_prompt",
    "temperature",
]  # fmt: skip
ADJ = ["general-purpose", "cost-efficient", "frontier-class", "compact", "instruction-tuned",
       "reasoning-focused", "multimodal", "low-latency", "code-specialised", "long-context"]  # fmt: skip
SENT = [
    "It was trained on a mixture of public web data, licensed corpora, code repositories and synthetic instruction data.",
    "Post-training combines supervised fine-tuning with preference optimisation to improve helpfulness and refusal calibration.",
    "Compared with the previous generation it roughly halves the cost per solved task on common agentic benchmarks.",
    "The model performs well on retrieval-augmented generation workloads where long documents are pasted into the prompt.",
    "Tool use is reliable when schemas are short and argument names are descriptive; deeply nested schemas degrade accuracy.",
    "Latency to first token is competitive, though throughput varies considerably between hosting providers.",
    "Outputs tend to be concise by default; ask explicitly for step-by-step explanations when you need them.",
    "Multilingual quality is strongest in European and East Asian languages and weaker in low-resource languages.",
    "The creator publishes a model card describing evaluation results, known limitations and intended uses.",
    "Quantised variants offered by some providers may behave slightly differently from the reference weights.",
    "Its tokenizer is efficient on source code, which lowers the effective price for programming tasks.",
    "Safety filters at the provider level can add refusals that the base model itself would not produce.",
]
PROVIDERS = [
    "Cloudnine", "Inferly", "Tokenforge", "Gridworks", "Parallax", "Skyline Compute", "Runpath",
    "Hyperlane", "Bitstream", "Fastlane AI", "Cumulus", "Latticeworks", "Deepwell", "Openrange",
    "Quarry", "Brightside", "Cascade", "Northstar Cloud", "Pinecrest", "Redwood Inference",
    "Silverline", "Tidal", "Vertex Point", "Wavefront", "Yonder", "Zenith Hosting", "Anvil",
    "Beacon", "Circuit", "Driftwood",
]  # fmt: skip
# API shapes in roughly the proportions of the real catalog: most providers are OpenAI-compatible.
SHAPES = ["openai", "openai", "openai", "anthropic", "google", "bedrock", "replicate", "cohere",
          "azure", "vertex", "openai", "openai"]  # fmt: skip
PROVIDER_GOTCHAS = [
    "Rate limits are applied per organisation, not per API key; creating more keys does not raise throughput.",
    "The OpenAI-compatible endpoint ignores the `logit_bias` parameter silently instead of returning an error.",
    "Streaming responses omit the usage block unless `stream_options.include_usage` is set to true.",
    "New accounts start on a low spend tier; tier upgrades are automatic but take up to 24 hours.",
    "Requests larger than 10 MB are rejected by the gateway before reaching the model, regardless of context window.",
    "Idle connections are closed after 60 seconds, so long generations should use streaming.",
    "Tool-call arguments are returned as a JSON string that must be parsed, not as an object.",
    "Model aliases such as `-latest` are re-pointed without notice; pin the dated model ID in production.",
]
PROVIDER_SENT = [
    "It runs open-weight and partner models on its own GPU fleet across several regions.",
    "Pricing is pay-as-you-go per token, with committed-use discounts for larger customers.",
    "An OpenAI-compatible endpoint is offered alongside the native SDK.",
    "Dedicated deployments with reserved throughput can be requested through sales.",
    "The platform offers zero-data-retention options on request.",
    "Usage dashboards break spend down per API key and per model.",
]
OFFERING_GOTCHAS = [
    "This provider serves an FP8-quantised build; expect small differences from the reference implementation.",
    "Maximum output is capped at 4,096 tokens here even though the model supports more.",
    "The full context window is only available on the dedicated-capacity plan; shared endpoints cap at 32K tokens.",
    "Prompt caching must be enabled per request with a cache-control header.",
    "Batch jobs can take up to 24 hours to complete and are not guaranteed to run in order.",
    "Image inputs are resized to at most 1,568 pixels on the long side before tokenisation.",
    "System prompts longer than 8K tokens are truncated without warning.",
]
FAQ = [
    ("Does this offering support streaming?", "Yes; set `stream: true` and read server-sent events."),
    ("Is there a free tier?", "New accounts get a small one-time credit; there is no permanent free tier."),
    ("Where is the data processed?", "In the provider's default region unless a regional variant is used."),
]
REGIONS = ["EU data zone", "US data zone", "Asia-Pacific", "Global cross-region"]


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def money(x: float) -> str:
    """A plain decimal, as contributors write prices."""
    if x >= 1:
        return f"{x:.2f}"
    if x >= 0.1:
        return f"{x:.3f}"
    return f"{x:.4f}"


def q(text: str) -> str:
    """A YAML scalar: JSON's double-quoted strings are valid YAML."""
    return json.dumps(text, ensure_ascii=False)


def day(rng: random.Random, year: int, months: tuple[int, int] = (1, 12)) -> str:
    return f"{year:04d}-{rng.randint(*months):02d}-{rng.randint(1, 28):02d}"


def provider_yaml(rng: random.Random, index: int, name: str) -> str:
    slug = slugify(name)
    shape = SHAPES[index % len(SHAPES)]
    env = slug.upper().replace("-", "_") + "_API_KEY"
    lines = [
        f"name: {q(name)}",
        f"description: {q(name + ' is an inference provider. ' + ' '.join(rng.sample(PROVIDER_SENT, 3)))}",
        f"url: https://{slug}.example",
        f"pricing_url: https://{slug}.example/pricing",
        f"docs_url: https://docs.{slug}.example",
        f"api: {shape}",
    ]
    if shape in ("openai", "anthropic", "cohere"):
        lines.append(f"base_url: https://api.{slug}.example/v1")
    lines += [
        f"auth_env: [{env}]",
        "sdk:",
        f"  python: pip install {slug}-sdk",
        f"  javascript: npm install @{slug}/sdk",
        "model_id:",
        "  pattern: '^[a-z0-9][a-z0-9._/:-]*$'",
        '  hint: "provider/model, in lowercase letters, digits and . _ / : -"',
        f"  example: {slug}/example-1",
        "gotchas:",
        *(f"  - {q(g)}" for g in rng.sample(PROVIDER_GOTCHAS, rng.randint(2, 4))),
    ]
    return "\n".join(lines) + "\n"


def model_names(count: int) -> list[str]:
    names: list[str] = []
    seen: set[str] = set()
    i = 0
    while len(names) < count:
        fam = FAMILY_A[i % len(FAMILY_A)]
        gen = 1 + (i // len(FAMILY_A)) % 5
        size = SIZES[(i // (len(FAMILY_A) * 5)) % len(SIZES)]
        rest = i // (len(FAMILY_A) * 5 * len(SIZES))
        var = FAMILY_B[rest % len(FAMILY_B)]
        era = rest // len(FAMILY_B)
        i += 1
        name = " ".join(p for p in (fam, str(gen), size, var, f"r{era}" if era else "") if p)
        if slugify(name) not in seen:
            seen.add(slugify(name))
            names.append(name)
    return names


def model_yaml(rng: random.Random, name: str, creator: str) -> str:
    year = rng.randint(2022, 2025)
    caps = sorted(rng.sample(CAPABILITIES, rng.randint(4, 8)), key=CAPABILITIES.index)
    ctx = rng.choice([32768, 65536, 128000, 131072, 200000, 262144, 1000000])
    description = (
        f"{name} is a {rng.choice(ADJ)} model from {creator}. {' '.join(rng.sample(SENT, 4))}\n\n"
        + " ".join(rng.sample(SENT, 3))
    )
    lines = [
        f"name: {q(name)}",
        f"creator: {slugify(creator)}",
        f"family: {q(name.split()[0])}",
        f"released: {day(rng, year)}",
        f"knowledge_cutoff: {year - 1}-{rng.randint(1, 12):02d}",
        f"context_window: {ctx}",
        f"max_output: {min(ctx, rng.choice([4096, 8192, 16384, 32768]))}",
        "modalities:",
        f"  input: [{', '.join(rng.choice([['text'], ['text', 'image'], ['text', 'image', 'audio']]))}]",
        "  output: [text]",
        f"capabilities: [{', '.join(caps)}]",
        f"open_weights: {rng.choice(['true', 'false', 'unknown'])}",
        f"license: {q(rng.choice(LICENSES))}",
        f"architecture: {q(rng.choice(ARCH))}",
        f"parameters: {q(rng.choice(['8B', '70B', '141B (39B active)', '405B', '671B (37B active)']))}",
        f"description: {q(description)}",
        "links:",
        f"  - title: {q(name + ' model card')}",
        f"    url: https://{slugify(creator)}.example/models/{slugify(name)}",
    ]
    return "\n".join(lines) + "\n"


def offering_yaml(rng: random.Random, model_slug: str, provider_slug: str, base: float, ratio: int) -> str:
    inp = base * rng.uniform(0.8, 1.5)
    out = inp * ratio
    as_of = day(rng, 2026, (8, 10))
    lines = [
        f"model_id: {provider_slug}/{model_slug}",
        f"status: {rng.choice(['ga', 'ga', 'ga', 'preview'])}",
        f"released: {day(rng, 2025)}",
        f"verified: {as_of}",
        f"source: https://{provider_slug}.example/pricing#{model_slug}",
        f"as_of: {as_of}",
        "pricing:",
        f"  input: {money(inp)}",
        f"  output: {money(out)}",
        f"  cache_read: {money(inp * rng.choice([0.1, 0.25, 0.5])) if rng.random() < 0.6 else 'not_offered'}",
    ]
    if rng.random() < 0.4:
        lines += [f"  batch_input: {money(inp / 2)}", f"  batch_output: {money(out / 2)}"]
    if rng.random() < 0.2:
        lines += [
            "  tiers:",
            "    - above: 200000",
            f"      input: {money(inp * 2)}",
            f"      output: {money(out * 1.5)}",
        ]
    lines.append("history:")
    for h, year in enumerate(range(2026 - rng.randint(2, 4), 2026)):
        f = 1 + 0.15 * (3 - h) * rng.random()
        lines += [
            f"  - date: {day(rng, year)}",
            f"    input: {money(inp * f)}",
            f"    output: {money(out * f)}",
        ]
    if rng.random() < 0.3:
        lines.append("variants:")
        for region in rng.sample(REGIONS, rng.randint(1, 2)):
            lines += [f"  - name: {q(region)}", f"    uplift_percent: {rng.choice([5, 10, 15])}"]
    gotchas = rng.sample(OFFERING_GOTCHAS, rng.randint(0, 3))
    if gotchas:
        lines += ["gotchas:", *(f"  - {q(g)}" for g in gotchas)]
    faq = rng.sample(FAQ, rng.randint(0, 2))
    if faq:
        lines.append("faq:")
        for question, answer in faq:
            lines += [f"  - q: {q(question)}", f"    a: {q(answer)}"]
    if rng.random() < 0.3:
        lines.append(f"notes: {q(' '.join(rng.sample(SENT, 2)))}")
    return "\n".join(lines) + "\n"


def write_catalog(n: int, out: Path, seed: int = 42) -> tuple[int, int, int]:
    """Write the catalog; return (models, providers, offerings)."""
    rng = random.Random(seed)
    n_providers = min(30, max(1, n))
    n_models = max(1, round(n / 10))
    if out.exists():
        shutil.rmtree(out)
    for kind in ("creators", "models", "providers", "offerings"):
        (out / kind).mkdir(parents=True)
    for creator in CREATORS:
        slug = slugify(creator)
        text = f"name: {q(creator)}\nurl: https://{slug}.example\ndescription: {q(creator + ' trains and publishes language models. ' + rng.choice(SENT))}\n"
        (out / "creators" / f"{slug}.yaml").write_text(text, encoding="utf-8")
    providers = [slugify(p) for p in PROVIDERS[:n_providers]]
    for index, name in enumerate(PROVIDERS[:n_providers]):
        (out / "providers" / f"{providers[index]}.yaml").write_text(
            provider_yaml(rng, index, name), encoding="utf-8"
        )
        (out / "offerings" / providers[index]).mkdir()
    per, extra = divmod(n, n_models)
    written = 0
    for index, name in enumerate(model_names(n_models)):
        slug = slugify(name)
        (out / "models" / f"{slug}.yaml").write_text(
            model_yaml(rng, name, rng.choice(CREATORS)), encoding="utf-8"
        )
        base = round(10 ** rng.uniform(-1.3, 1.2), 4)
        ratio = rng.choice([2, 3, 4, 4, 5, 8])
        k = min(n_providers, per + (1 if index < extra else 0))
        for provider in sorted(rng.sample(providers, k)):
            path = out / "offerings" / provider / f"{slug}.yaml"
            path.write_text(offering_yaml(rng, slug, provider, base, ratio), encoding="utf-8")
            written += 1
    return n_models, n_providers, written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of offerings")
    parser.add_argument("dir", type=Path, help="content folder to (re)create")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    models, providers, offerings = write_catalog(args.n, args.dir, args.seed)
    print(
        f"wrote {len(CREATORS)} creators, {models} models, {providers} providers, {offerings} offerings under {args.dir}"
    )


if __name__ == "__main__":
    main()
