"""A small but varied site for the browser tests, and a big generated one for size checks.

``UI_FILES`` extends conftest's one-offering site to three creators, four
providers and seven offerings with every feature the pages show: cache and
batch prices, a long-context tier, a deprecated offering, open weights,
several modalities. ``big_catalog(n)`` adds ``n`` generated offerings (for the
home page's size budget with thousands of rows).
"""

from __future__ import annotations

UI_FILES: dict[str, str | None] = {
    "content/creators/anthropic.yaml": "name: Anthropic\nurl: https://www.anthropic.com\n",
    "content/creators/meta.yaml": "name: Meta\nurl: https://ai.meta.com\n",
    "content/models/gpt-4o.yaml": """\
        name: GPT-4o
        creator: openai
        family: gpt-4o
        released: 2024-05-13
        context_window: 128000
        max_output: 16384
        modalities: {input: [text, image], output: [text]}
        capabilities: [tool_calling, structured_output, vision, streaming, batch]
        open_weights: false
        description: OpenAI's flagship multimodal model.
        """,
    "content/models/claude-sonnet-4-5.yaml": """\
        name: Claude Sonnet 4.5
        creator: anthropic
        family: claude-sonnet
        released: 2025-09-29
        context_window: 1000000
        max_output: 64000
        modalities: {input: [text, image, pdf], output: [text]}
        capabilities: [reasoning, tool_calling, vision, streaming, prompt_caching, batch]
        open_weights: false
        """,
    "content/models/llama-3-1-8b.yaml": """\
        name: Llama 3.1 8B Instruct
        creator: meta
        family: llama-3.1
        released: 2024-07-23
        context_window: 131072
        capabilities: [tool_calling, streaming]
        open_weights: true
        license: Llama 3.1 Community License
        parameters: 8B
        """,
    "content/providers/openai.yaml": """\
        name: OpenAI
        url: https://openai.com
        pricing_url: https://openai.com/api/pricing/
        api: openai
        auth_env: [OPENAI_API_KEY]
        model_id: {pattern: '^[a-z0-9][a-z0-9.-]*$', hint: the model name, example: gpt-4o}
        gotchas:
          - Rate limits depend on your usage tier.
        """,
    "content/providers/anthropic.yaml": """\
        name: Anthropic
        url: https://www.anthropic.com
        api: anthropic
        auth_env: [ANTHROPIC_API_KEY]
        sdk: {python: pip install anthropic, javascript: npm install @anthropic-ai/sdk}
        model_id: {pattern: '^claude-[a-z0-9.-]+$', hint: claude- followed by the model name, example: claude-sonnet-4-5}
        """,
    "content/providers/together.yaml": """\
        name: Together AI
        url: https://www.together.ai
        api: openai
        base_url: https://api.together.xyz/v1
        auth_env: [TOGETHER_API_KEY]
        model_id: {pattern: '^[A-Za-z0-9-]+/[A-Za-z0-9.-]+$', hint: org/model, example: meta-llama/Llama-3-8b}
        """,
    "content/offerings/openai/gpt-4o.yaml": """\
        model_id: gpt-4o
        source: https://openai.com/api/pricing/
        as_of: 2026-04-15
        verified: 2026-04-15
        pricing:
          input: 2.50
          output: 10
          cache_read: 1.25
          batch_input: 1.25
          batch_output: 5
        gotchas:
          - Image inputs are billed as tokens by size.
        """,
    "content/offerings/openai/o1-mini-2024-09-12.yaml": """\
        model_id: o1-mini
        status: deprecated
        retires_on: 2026-10-27
        source: https://openai.com/api/pricing/
        as_of: 2026-04-15
        pricing:
          input: 1.10
          output: 4.40
          cache_read: 0.55
          batch_input: 0.55
          batch_output: 2.20
        """,
    "content/offerings/anthropic/claude-sonnet-4-5.yaml": """\
        model_id: claude-sonnet-4-5
        source: https://www.anthropic.com/pricing
        as_of: 2026-04-15
        pricing:
          input: 3
          output: 15
          cache_read: 0.30
          cache_write_5m: 3.75
          batch_input: 1.50
          batch_output: 7.50
          tiers:
            - above: 200000
              input: 6
              output: 22.50
              cache_read: 0.60
        history:
          - {date: 2025-09-29, input: 3, output: 15, source: https://www.anthropic.com/news}
        """,
    "content/offerings/replicate/llama-3-1-8b.yaml": """\
        model_id: meta/meta-llama-3.1-8b-instruct
        source: https://replicate.com/meta/meta-llama-3.1-8b-instruct
        as_of: 2026-04-15
        pricing:
          input: 0.05
          output: 0.25
          cache_read: not_offered
        """,
    "content/offerings/together/llama-3-1-8b.yaml": """\
        model_id: meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo
        status: preview
        source: https://www.together.ai/pricing
        as_of: 2026-04-15
        pricing:
          input: 0.18
          output: 0.18
        """,
}


def big_catalog(n: int) -> dict[str, str | None]:
    """UI_FILES plus ``n`` generated models, each offered by Together AI."""
    files = dict(UI_FILES)
    for i in range(n):
        slug = f"generated-model-{i:05d}"
        files[f"content/models/{slug}.yaml"] = (
            f"name: Generated model {i:05d} with a fairly long display name\ncreator: meta\n"
            f"context_window: {8192 * (1 + i % 16)}\ncapabilities: [streaming]\n"
        )
        files[f"content/offerings/together/{slug}.yaml"] = (
            f"model_id: generated/model-{i:05d}\nsource: https://www.together.ai/pricing\nas_of: 2026-04-15\n"
            f"pricing:\n  input: {(i % 97) / 10 + 0.05:.2f}\n  output: {(i % 89) / 5 + 0.1:.2f}\n"
        )
    return files
