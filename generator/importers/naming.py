"""Names across datasets: provider slugs, model slugs, creators, regional variants.

The catalog's provider slugs are models.dev provider ids; LiteLLM's
``litellm_provider`` values are mapped onto them here (one table, so a new
spelling is one line). A model slug names one real model, whoever sells it:

* models.dev ``base_model`` (``anthropic/claude-opus-4-1-20250805``) wins;
* otherwise the provider's ID is reduced to the model's own name: the
  namespace path (``accounts/fireworks/models/``, ``meta-llama/``), Bedrock's
  inference-profile scope and vendor prefix (``us.anthropic.``) and version
  suffix (``-v1:0``), Vertex AI's ``@version`` are dropped; the rest is
  lowercased and every character a slug cannot hold becomes ``-``.

A provider's regional or data-residency IDs (Bedrock ``eu.…``, Azure
``eu/…``) reduce to the same base ID plus a variant name, so they become
variants of one offering instead of separate pages.
"""

from __future__ import annotations

import re

# LiteLLM litellm_provider -> models.dev provider id (None: not mapped, not imported).
LITELLM_PROVIDERS: dict[str, str] = {
    "openai": "openai",
    "text-completion-openai": "openai",
    "anthropic": "anthropic",
    "bedrock": "amazon-bedrock",
    "bedrock_converse": "amazon-bedrock",
    "vertex_ai-language-models": "google-vertex",
    "vertex_ai-text-models": "google-vertex",
    "vertex_ai-embedding-models": "google-vertex",
    "vertex_ai-mistral_models": "google-vertex",
    "vertex_ai-llama_models": "google-vertex",
    "vertex_ai-ai21_models": "google-vertex",
    "vertex_ai-deepseek_models": "google-vertex",
    "vertex_ai-qwen_models": "google-vertex",
    "vertex_ai-zai_models": "google-vertex",
    "vertex_ai-openai_models": "google-vertex",
    "vertex_ai-minimax_models": "google-vertex",
    "vertex_ai-moonshot_models": "google-vertex",
    "vertex_ai": "google-vertex",
    "vertex_ai-anthropic_models": "google-vertex-anthropic",
    "gemini": "google",
    "azure": "azure",
    "azure_ai": "azure",
    "azure_text": "azure",
    "together_ai": "togetherai",
    "replicate": "replicate",
    "groq": "groq",
    "mistral": "mistral",
    "codestral": "mistral",
    "text-completion-codestral": "mistral",
    "deepseek": "deepseek",
    "xai": "xai",
    "cohere": "cohere",
    "cohere_chat": "cohere",
    "perplexity": "perplexity",
    "fireworks_ai": "fireworks-ai",
    "fireworks_ai-embedding-models": "fireworks-ai",
    "deepinfra": "deepinfra",
    "cerebras": "cerebras",
    "openrouter": "openrouter",
    "vercel_ai_gateway": "vercel",
    "nebius": "nebius",
    "novita": "novita-ai",
    "github_copilot": "github-copilot",
    "databricks": "databricks",
    "cloudflare": "cloudflare-workers-ai",
    "snowflake": "snowflake-cortex",
    "baseten": "baseten",
    "wandb": "wandb",
    "ovhcloud": "ovhcloud",
    "scaleway": "scaleway",
    "moonshot": "moonshotai",
    "minimax": "minimax",
    "zai": "zai",
    "morph": "morph",
    "inception": "inception",
    "text-completion-inception": "inception",
    "friendliai": "friendli",
    "aihubmix": "aihubmix",
    "dashscope": "alibaba",
    "v0": "v0",
    "sarvam": "sarvam",
    "xiaomi_mimo": "xiaomi",
    "opencode_go": "opencode-go",
    "meta_llama": "llama",
    "nvidia_nim": "nvidia",
}

# Providers whose LiteLLM-only entries become offerings (the large clouds and Replicate);
# for every other provider LiteLLM is only compared with what models.dev says.
LITELLM_CREATES = frozenset(
    {"amazon-bedrock", "azure", "google-vertex", "google-vertex-anthropic", "replicate"}
)

# Model-name prefixes -> creator slug, for models without a models.dev base_model.
CREATOR_PREFIXES: tuple[tuple[str, str], ...] = (
    ("gpt-oss", "openai"),
    ("gpt", "openai"),
    ("chatgpt", "openai"),
    ("o1", "openai"),
    ("o3", "openai"),
    ("o4", "openai"),
    ("codex", "openai"),
    ("text-embedding", "openai"),
    ("davinci", "openai"),
    ("babbage", "openai"),
    ("whisper", "openai"),
    ("tts-", "openai"),
    ("dall-e", "openai"),
    ("claude", "anthropic"),
    ("gemini", "google"),
    ("gemma", "google"),
    ("palm", "google"),
    ("text-bison", "google"),
    ("chat-bison", "google"),
    ("llama", "meta"),
    ("meta-llama", "meta"),
    ("codellama", "meta"),
    ("mistral", "mistral"),
    ("mixtral", "mistral"),
    ("codestral", "mistral"),
    ("magistral", "mistral"),
    ("devstral", "mistral"),
    ("ministral", "mistral"),
    ("pixtral", "mistral"),
    ("voxtral", "mistral"),
    ("open-mistral", "mistral"),
    ("open-mixtral", "mistral"),
    ("deepseek", "deepseek"),
    ("qwen", "alibaba"),
    ("qwq", "alibaba"),
    ("qvq", "alibaba"),
    ("grok", "xai"),
    ("command", "cohere"),
    ("c4ai", "cohere"),
    ("embed-", "cohere"),
    ("rerank", "cohere"),
    ("aya", "cohere"),
    ("glm", "zhipuai"),
    ("chatglm", "zhipuai"),
    ("kimi", "moonshotai"),
    ("moonshot", "moonshotai"),
    ("minimax", "minimax"),
    ("abab", "minimax"),
    ("nova", "amazon"),
    ("titan", "amazon"),
    ("phi", "microsoft"),
    ("jamba", "ai21"),
    ("j2-", "ai21"),
    ("sonar", "perplexity"),
    ("r1-1776", "perplexity"),
    ("nemotron", "nvidia"),
    ("mimo", "xiaomi"),
    ("step", "stepfun"),
    ("ernie", "baidu"),
    ("hunyuan", "tencent"),
    ("doubao", "bytedance"),
    ("seed", "bytedance"),
    ("granite", "ibm"),
    ("olmo", "allenai"),
    ("hermes", "nousresearch"),
    ("lfm", "liquid"),
    ("yi-", "01-ai"),
    ("dbrx", "databricks"),
    ("arctic", "snowflake"),
    ("solar", "upstage"),
    ("sarvam", "sarvam"),
    ("ling", "inclusionai"),
    ("ring", "inclusionai"),
)

# Well-known creator display names; unknown creators are named from their slug.
CREATOR_NAMES: dict[str, str] = {
    "openai": "OpenAI",
    "anthropic": "Anthropic",
    "google": "Google",
    "meta": "Meta",
    "mistral": "Mistral AI",
    "deepseek": "DeepSeek",
    "alibaba": "Alibaba (Qwen)",
    "xai": "xAI",
    "cohere": "Cohere",
    "zhipuai": "Zhipu AI",
    "moonshotai": "Moonshot AI",
    "minimax": "MiniMax",
    "amazon": "Amazon",
    "microsoft": "Microsoft",
    "ai21": "AI21 Labs",
    "perplexity": "Perplexity",
    "nvidia": "NVIDIA",
    "xiaomi": "Xiaomi",
    "stepfun": "StepFun",
    "baidu": "Baidu",
    "tencent": "Tencent",
    "bytedance": "ByteDance",
    "ibm": "IBM",
    "allenai": "Allen Institute for AI",
    "nousresearch": "Nous Research",
    "liquid": "Liquid AI",
    "01-ai": "01.AI",
    "databricks": "Databricks",
    "snowflake": "Snowflake",
    "upstage": "Upstage",
    "sarvam": "Sarvam AI",
    "inclusionai": "inclusionAI",
    "sakana": "Sakana AI",
}

# Namespace spellings used in model IDs -> creator slug.
NAMESPACE_CREATORS: dict[str, str] = {
    "meta-llama": "meta",
    "mistralai": "mistral",
    "qwen": "alibaba",
    "alibaba-nlp": "alibaba",
    "alibaba-cn": "alibaba",
    "deepseek-ai": "deepseek",
    "deepseek": "deepseek",
    "facebook": "meta",
    "ai21-labs": "ai21",
    "mistral": "mistral",
    "moonshot": "moonshotai",
    "zhipu": "zhipuai",
    "zai": "zhipuai",
    "google": "google",
    "openai": "openai",
    "anthropic": "anthropic",
    "x-ai": "xai",
    "moonshotai": "moonshotai",
    "zai-org": "zhipuai",
    "z-ai": "zhipuai",
    "thudm": "zhipuai",
    "minimaxai": "minimax",
    "nvidia": "nvidia",
    "microsoft": "microsoft",
    "cohere": "cohere",
    "ibm-granite": "ibm",
    "allenai": "allenai",
    "nousresearch": "nousresearch",
    "liquidai": "liquid",
    "xiaomimimo": "xiaomi",
    "stepfun-ai": "stepfun",
    "baidu": "baidu",
    "tencent": "tencent",
    "bytedance-seed": "bytedance",
    "amazon": "amazon",
    "ai21": "ai21",
    "perplexity": "perplexity",
    "inclusionai": "inclusionai",
}

BEDROCK_SCOPES = ("us-gov", "us", "eu", "apac", "au", "jp", "ca", "in", "global")
BEDROCK_SCOPE_NAMES = {
    "us": "US cross-region inference profile",
    "us-gov": "US GovCloud cross-region inference profile",
    "eu": "EU cross-region inference profile",
    "apac": "Asia Pacific cross-region inference profile",
    "au": "Australia cross-region inference profile",
    "jp": "Japan cross-region inference profile",
    "ca": "Canada cross-region inference profile",
    "in": "India cross-region inference profile",
    "global": "Global cross-region inference profile",
}
AZURE_ZONES = {"eu": "EU data zone", "us": "US data zone", "global": "Global deployment"}

_BEDROCK_SCOPE_RE = re.compile(r"^(" + "|".join(re.escape(s) for s in BEDROCK_SCOPES) + r")\.(.+)$")
_AWS_REGION_RE = re.compile(r"^([a-z]{2}(?:-gov)?-[a-z]+-\d)/(.+)$")
_NOT_SLUG = re.compile(r"[^a-z0-9.-]+")


def slugify(text: str) -> str:
    """A slug from any name: lowercase, runs of other characters become one '-'."""
    slug = _NOT_SLUG.sub("-", text.lower()).strip("-.")
    slug = re.sub(r"-{2,}", "-", slug)
    return slug[:100].rstrip("-.") or "model"


def variant_rank(name: str | None) -> tuple[int, str]:
    """Which ID of a group becomes the offering's own: the plain ID, else a global, else a US one."""
    if name is None:
        return (0, "")
    preferred = ["Global", "US"]
    for rank, prefix in enumerate(preferred, start=1):
        if name.startswith(prefix):
            return (rank, name)
    return (len(preferred) + 1, name)


def split_variant(provider: str, model_id: str) -> tuple[str, str | None]:
    """The base ID of a regional or data-residency ID, and the variant's name (None: not a variant)."""
    if provider == "amazon-bedrock":
        region = _AWS_REGION_RE.match(model_id)
        if region:
            return region.group(2), f"{region.group(1)} region"
        match = _BEDROCK_SCOPE_RE.match(model_id)
        if match and "." in match.group(2):
            return match.group(2), BEDROCK_SCOPE_NAMES[match.group(1)]
    if provider == "azure":
        head, _, rest = model_id.partition("/")
        if rest and head in AZURE_ZONES:
            return rest, AZURE_ZONES[head]
    return model_id, None


def model_name_from_id(provider: str, model_id: str) -> str:
    """The model's own name inside a provider's ID (namespaces, scopes and versions removed)."""
    name, _ = split_variant(provider, model_id)
    if provider == "amazon-bedrock":
        name = name.split(".", 1)[1] if "." in name and not name.startswith("arn:") else name
        name = re.sub(r"-v\d+(:\d+)?$", "", name)
        name = re.sub(r":\d+$", "", name)
    if "@" in name:
        base, _, version = name.partition("@")
        name = base if version in ("default", "latest", "") else f"{base}-{version}"
    name = name.rstrip("/").rsplit("/", 1)[-1]
    if provider == "replicate":
        name = name.split(":", 1)[0]
    return name


def model_slug(provider: str, model_id: str, base_model: str | None = None) -> str:
    name = base_model.rsplit("/", 1)[-1] if base_model else model_name_from_id(provider, model_id)
    slug = slugify(name)
    if slug.startswith("claude-"):  # Anthropic writes versions with '-', routers often with '.'
        slug = _VERSION_DOT.sub("-", slug)
    return slug


_VERSION_DOT = re.compile(r"(?<=\d)\.(?=\d)")
_DATED = re.compile(r"^(.+)-(20\d{6})$")


def dated_aliases(slugs: set[str], keep: set[str]) -> dict[str, str]:
    """Undated slugs that name exactly one dated snapshot (``x`` -> ``x-20250929``).

    Only an eight-digit date counts, and only when one snapshot has it: an alias
    that moved between snapshots (two dated slugs) stays a model of its own, and
    so does a slug in ``keep`` (a model file written by a person).
    """
    dated: dict[str, list[str]] = {}
    for slug in slugs:
        match = _DATED.match(slug)
        if match:
            dated.setdefault(match.group(1), []).append(slug)
    return {
        alias: snapshots[0]
        for alias, snapshots in dated.items()
        if len(snapshots) == 1 and alias in slugs and alias not in keep
    }


def guess_creator(provider: str, model_id: str, base_model: str | None = None) -> str:
    """The creator's slug: the base model's lab, a namespace in the ID, a name prefix, or the provider."""
    if base_model and "/" in base_model:
        lab = base_model.split("/", 1)[0].lower()
        return NAMESPACE_CREATORS.get(lab, slugify(lab))
    base, _ = split_variant(provider, model_id)
    if provider == "amazon-bedrock" and "." in base:
        vendor = base.split(".", 1)[0].lower()
        return NAMESPACE_CREATORS.get(vendor, slugify(vendor))
    parts = [p.lower() for p in base.split("/") if p]
    for part in parts[:-1]:
        if part in NAMESPACE_CREATORS:
            return NAMESPACE_CREATORS[part]
    name = model_name_from_id(provider, model_id).lower()
    for prefix, creator in CREATOR_PREFIXES:
        if name.startswith(prefix):
            return creator
    if len(parts) > 1 and parts[-2] not in ("models", "accounts"):
        return NAMESPACE_CREATORS.get(parts[-2], slugify(parts[-2]))
    return NAMESPACE_CREATORS.get(provider, provider)


def creator_name(slug: str) -> str:
    return CREATOR_NAMES.get(slug) or slug.replace("-", " ").title()


def litellm_provider(value: str | None) -> str | None:
    if value is None:
        return None
    return LITELLM_PROVIDERS.get(value)


def litellm_model_id(key: str, litellm_provider_value: str) -> str:
    """The ID sent to the provider: the LiteLLM key without its routing prefix."""
    prefixes = {
        litellm_provider_value,
        litellm_provider_value.split("-", 1)[0],
        "vertex_ai",
        "bedrock",
        "bedrock/converse",
        "azure_ai",
        "azure",
        "text-completion-openai",
        "together_ai",
        "fireworks_ai",
        "gemini",
    }
    for prefix in sorted(prefixes, key=len, reverse=True):
        if key.startswith(prefix + "/"):
            return key[len(prefix) + 1 :]
    return key
