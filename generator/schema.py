"""The content model: one pydantic class per kind of YAML file.

Every class forbids unknown keys (a typo is an error with "did you mean"), and
every field has a description: they become the JSON Schema that editors use to
complete and check content files. Rules that need more than one field or more
than one file (an offering's model ID against its provider's rule, dates in the
future, stale verification) live in :mod:`generator.lint`, not here.

Prices
    A billed dimension is one of three states:

    * a number: USD per 1M tokens unless the dimension's name says otherwise
      (``per_image``, ``per_second``, ``per_request``), written as a plain decimal,
      or as a mapping ``{usd: 1.10, source: https://…, as_of: 2026-04-15}`` when
      it was read somewhere other than the offering's own ``source``;
    * ``not_offered``: the provider does not sell this dimension;
    * absent: nobody has sourced it yet; the page says so and links to the file.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

SLUG_PATTERN = r"^[a-z0-9][a-z0-9.-]*$"
SLUG_RE = re.compile(SLUG_PATTERN)
MAX_NAME = 120
MAX_TEXT = 10_000


class Record(BaseModel):
    """Base of every content record: strict about keys, frozen once validated."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _https(value: str) -> str:
    if not value.startswith("https://") or len(value) <= len("https://"):
        raise ValueError("must be an https:// URL")
    if any(ch.isspace() for ch in value) or any(ch in value for ch in "<>\"'`"):
        raise ValueError("must be a URL without spaces, quotes or angle brackets")
    return value


Slug = Annotated[
    str,
    StringConstraints(pattern=SLUG_PATTERN, max_length=100),
    Field(description="A slug: lowercase letters, digits, '.' and '-' (it becomes part of a URL)."),
]
HttpsUrl = Annotated[
    str,
    StringConstraints(max_length=2000),
    AfterValidator(_https),
    Field(description="An https:// URL.", examples=["https://example.com/pricing"]),
]
Name = Annotated[str, StringConstraints(min_length=1, max_length=MAX_NAME)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=MAX_TEXT)]
Markdown = Annotated[
    str,
    StringConstraints(min_length=1, max_length=MAX_TEXT),
    Field(description="Markdown text. Raw HTML is shown as text; links must be http(s) or mailto."),
]
EnvVar = Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9_]*$", max_length=80)]
Usd = Annotated[
    Decimal,
    Field(
        ge=0,
        le=Decimal(100_000),
        max_digits=16,
        decimal_places=9,
        allow_inf_nan=False,
        description="An amount in US dollars, written as a plain decimal (1.10, 0.075, 15).",
    ),
]
TokenCount = Annotated[int, Field(gt=0, le=100_000_000, description="A number of tokens.")]


class Link(Record):
    title: Name = Field(description="What the link points at, as the reader sees it.")
    url: HttpsUrl


class Modality(StrEnum):
    text = "text"
    image = "image"
    audio = "audio"
    video = "video"
    pdf = "pdf"
    embedding = "embedding"


class Capability(StrEnum):
    reasoning = "reasoning"
    tool_calling = "tool_calling"
    structured_output = "structured_output"
    vision = "vision"
    streaming = "streaming"
    prompt_caching = "prompt_caching"
    batch = "batch"
    code_execution = "code_execution"
    web_search = "web_search"
    fine_tuning = "fine_tuning"
    audio_input = "audio_input"
    audio_output = "audio_output"
    system_prompt = "system_prompt"
    temperature = "temperature"
    embeddings = "embeddings"


class ApiShape(StrEnum):
    """How a provider's API is called; each shape has its own recipe templates."""

    openai = "openai"  # OpenAI's own API and every OpenAI-compatible endpoint
    anthropic = "anthropic"
    google = "google"  # Gemini API (generativelanguage)
    vertex = "vertex"  # Google Cloud Vertex AI
    bedrock = "bedrock"  # AWS Bedrock Converse
    azure = "azure"  # Azure OpenAI / AI Foundry deployments
    replicate = "replicate"
    cohere = "cohere"


class Status(StrEnum):
    preview = "preview"
    ga = "ga"
    deprecated = "deprecated"
    retired = "retired"


# --- creators ------------------------------------------------------------------


class Creator(Record):
    """A lab or company that makes models (content/creators/<slug>.yaml)."""

    name: Name = Field(description="The creator's name as readers know it.", examples=["OpenAI"])
    url: HttpsUrl | None = Field(None, description="The creator's home page.")
    description: Markdown | None = Field(None, description="A short, factual paragraph.")
    old_slugs: list[Slug] = Field(default_factory=list, description="Slugs this record had before.")


# --- models --------------------------------------------------------------------


class Modalities(Record):
    input: list[Modality] = Field(default_factory=lambda: [Modality.text], min_length=1)
    output: list[Modality] = Field(default_factory=lambda: [Modality.text], min_length=1)


KNOWLEDGE_RE = r"^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$"


class Model(Record):
    """A model, independent of who sells it (content/models/<slug>.yaml)."""

    name: Name = Field(description="Display name.", examples=["o1-mini (2024-09-12)"])
    creator: Slug = Field(description="Slug of the creator (content/creators/<slug>.yaml).")
    family: Name | None = Field(None, description="Model family, e.g. o1, claude-sonnet, llama-3.")
    released: dt.date | None = Field(None, description="Public release date (YYYY-MM-DD).")
    knowledge_cutoff: Annotated[str, StringConstraints(pattern=KNOWLEDGE_RE)] | None = Field(
        None, description="Training-data cutoff, YYYY-MM or YYYY-MM-DD."
    )
    context_window: TokenCount | None = Field(
        None, description="Maximum tokens in one request (input + output)."
    )
    max_output: TokenCount | None = Field(
        None, description="Maximum tokens the model writes in one response."
    )
    modalities: Modalities = Field(default_factory=Modalities)
    capabilities: list[Capability] = Field(default_factory=list)
    open_weights: bool | Literal["unknown"] = Field(
        "unknown", description="true if the weights are downloadable, false if not, unknown if not sourced."
    )
    license: Name | None = Field(None, description="License of the weights, or 'proprietary'.")
    architecture: Name | None = Field(None, description="e.g. decoder-only transformer, mixture-of-experts.")
    parameters: Annotated[str, StringConstraints(max_length=60)] | None = Field(
        None, description="Parameter count when the creator published it, e.g. '8B' or '671B (37B active)'."
    )
    description: Markdown | None = Field(None, description="What the model is for, in Markdown.")
    links: list[Link] = Field(default_factory=list)
    old_slugs: list[Slug] = Field(default_factory=list, description="Slugs this record had before.")

    @model_validator(mode="after")
    def _output_fits(self) -> Model:
        if self.context_window and self.max_output and self.max_output > self.context_window:
            raise ValueError("max_output is larger than context_window")
        return self


# --- providers -----------------------------------------------------------------


class ModelIdRule(Record):
    pattern: Annotated[str, StringConstraints(min_length=1, max_length=300)] = Field(
        description="A regular expression every model ID of this provider matches in full."
    )
    hint: Text = Field(description="The rule in words, shown when an ID does not match.")
    example: Annotated[str, StringConstraints(min_length=1, max_length=200)] = Field(
        description="A real model ID that follows the rule."
    )

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"not a valid regular expression: {exc}") from None
        return value

    @model_validator(mode="after")
    def _example_matches(self) -> ModelIdRule:
        if not re.fullmatch(self.pattern, self.example):
            raise ValueError(f"the example {self.example!r} does not match the pattern")
        return self


class Sdk(Record):
    python: Annotated[str, StringConstraints(max_length=200)] | None = Field(
        None, description="Install line for Python.", examples=["pip install openai"]
    )
    javascript: Annotated[str, StringConstraints(max_length=200)] | None = Field(
        None, description="Install line for JavaScript.", examples=["npm install openai"]
    )


class Provider(Record):
    """An API provider (content/providers/<slug>.yaml): how to call it and what bites."""

    name: Name = Field(examples=["Replicate"])
    description: Markdown | None = Field(None, description="One factual paragraph about the provider.")
    url: HttpsUrl = Field(description="Home page.")
    pricing_url: HttpsUrl | None = Field(None, description="The provider's own pricing page.")
    docs_url: HttpsUrl | None = Field(None, description="API documentation.")
    api: ApiShape = Field(description="The API shape, which picks the recipe templates.")
    base_url: HttpsUrl | None = Field(None, description="API base URL used in recipes.")
    auth_env: list[EnvVar] = Field(min_length=1, description="Environment variable(s) holding credentials.")
    sdk: Sdk = Field(default_factory=Sdk)
    model_id: ModelIdRule = Field(description="The rule every model ID of this provider follows.")
    pricing_mode: Name = Field("pay-as-you-go", description="How usage is billed, as a short phrase.")
    gotchas: list[Markdown] = Field(
        default_factory=list, description="Traps every user of this provider meets."
    )
    old_slugs: list[Slug] = Field(default_factory=list, description="Slugs this record had before.")


# --- offerings -----------------------------------------------------------------


class PricePoint(Record):
    """A price read somewhere other than the offering's own source."""

    usd: Usd
    source: HttpsUrl | None = Field(None, description="Where this number was read.")
    as_of: dt.date | None = Field(None, description="When it was read (YYYY-MM-DD).")
    dataset: Slug | None = Field(
        None, description="Key of the public dataset it came from (site.yaml datasets)."
    )


NotOffered = Literal["not_offered"]
Price = Usd | NotOffered | PricePoint

PRICE_DIMENSIONS: dict[str, str] = {
    "input": "Input tokens",
    "output": "Output tokens",
    "cache_read": "Cached input (read)",
    "cache_write_5m": "Cache write (5 min)",
    "cache_write_1h": "Cache write (1 hour)",
    "reasoning": "Reasoning tokens",
    "batch_input": "Batch input",
    "batch_output": "Batch output",
    "input_audio": "Audio input tokens",
    "output_audio": "Audio output tokens",
    "input_image": "Image input tokens",
    "per_image": "Per image",
    "per_second": "Per second",
    "per_request": "Per request",
}
PER_UNIT = {"per_image": "image", "per_second": "second", "per_request": "request"}


def _price_field(label: str) -> Any:
    unit = "per 1M tokens" if label not in PER_UNIT.values() else ""
    return Field(None, description=f"{label} price in USD {unit}; or not_offered; absent = not yet sourced.")


class Prices(Record):
    """Billed dimensions. Numbers are USD per 1M tokens unless the key says per_*."""

    input: Price | None = _price_field("Input tokens")
    output: Price | None = _price_field("Output tokens")
    cache_read: Price | None = _price_field("Cached input (read)")
    cache_write_5m: Price | None = _price_field("Cache write, 5 minute TTL")
    cache_write_1h: Price | None = _price_field("Cache write, 1 hour TTL")
    reasoning: Price | None = _price_field("Reasoning tokens, when billed apart from output")
    batch_input: Price | None = _price_field("Batch API input")
    batch_output: Price | None = _price_field("Batch API output")
    input_audio: Price | None = _price_field("Audio input tokens")
    output_audio: Price | None = _price_field("Audio output tokens")
    input_image: Price | None = _price_field("Image input tokens")
    per_image: Price | None = Field(None, description="USD per generated image.")
    per_second: Price | None = Field(None, description="USD per second of compute or media.")
    per_request: Price | None = Field(None, description="USD per request.")

    def items(self) -> list[tuple[str, Price]]:
        """The dimensions that are set, in display order."""
        return [(k, v) for k in PRICE_DIMENSIONS if (v := getattr(self, k)) is not None]


class PriceTier(Prices):
    """Prices that apply when a request's input is longer than ``above`` tokens."""

    above: TokenCount = Field(description="The tier applies to requests with more input tokens than this.")


class Pricing(Prices):
    tiers: list[PriceTier] = Field(default_factory=list, description="Long-context tiers.")


class HistoryEntry(Prices):
    """Prices that were in effect from ``date`` until the next entry (or the current pricing)."""

    date: dt.date = Field(description="From when these prices applied.")
    source: HttpsUrl | None = Field(None, description="Where these prices were read.")
    dataset: Slug | None = Field(None, description="Key of the public dataset they came from, if any.")
    note: Annotated[str, StringConstraints(max_length=500)] | None = None


class FaqEntry(Record):
    q: Annotated[str, StringConstraints(min_length=1, max_length=300)] = Field(description="The question.")
    a: Markdown = Field(description="The answer, in Markdown.")


class Variant(Record):
    """A regional or data-residency variant of one offering, with its own ID and uplift."""

    name: Name = Field(description="e.g. 'EU data zone', 'us-east-1 cross-region'.")
    model_id: Annotated[str, StringConstraints(min_length=1, max_length=200)] | None = None
    uplift_percent: Annotated[Decimal, Field(ge=0, le=1000, allow_inf_nan=False)] | None = Field(
        None, description="Price uplift over the base offering, in percent."
    )


class Offering(Record):
    """One model sold by one provider (content/offerings/<provider>/<model>.yaml)."""

    model: Slug | None = Field(None, description="The model's slug; taken from the file name when absent.")
    provider: Slug | None = Field(None, description="The provider's slug; taken from the folder when absent.")
    model_id: Annotated[str, StringConstraints(min_length=1, max_length=200)] = Field(
        description="The exact ID to send to the provider's API.", examples=["openai/o1-mini"]
    )
    status: Status = Field(Status.ga, description="preview, ga, deprecated or retired.")
    released: dt.date | None = Field(None, description="When this provider started selling it.")
    deprecated_on: dt.date | None = Field(None, description="When the provider announced deprecation.")
    retires_on: dt.date | None = Field(None, description="When the provider stops (or stopped) serving it.")
    replacement: Slug | None = Field(None, description="Slug of the model that replaces it on this provider.")
    context_window: TokenCount | None = Field(None, description="Overrides the model's context window here.")
    max_output: TokenCount | None = Field(None, description="Overrides the model's output limit here.")
    capabilities: list[Capability] | None = Field(
        None, description="Overrides the model's capabilities when this provider supports fewer."
    )
    verified: dt.date | None = Field(None, description="When a person last checked this offering.")
    source: HttpsUrl | None = Field(None, description="Where the prices were read (default for every price).")
    as_of: dt.date | None = Field(None, description="When the prices were read (default for every price).")
    dataset: Slug | None = Field(
        None, description="Key of the public dataset the prices came from (site.yaml datasets), if any."
    )
    pricing: Pricing = Field(default_factory=Pricing)
    history: list[HistoryEntry] = Field(default_factory=list, description="Earlier prices, oldest first.")
    variants: list[Variant] = Field(default_factory=list)
    gotchas: list[Markdown] = Field(default_factory=list, description="Traps specific to this offering.")
    faq: list[FaqEntry] = Field(default_factory=list, description="Extra questions and answers.")
    notes: Markdown | None = Field(None, description="Anything else a reader should know, in Markdown.")


# --- site ----------------------------------------------------------------------


class Dataset(Record):
    name: Name
    url: HttpsUrl
    version: Annotated[str, StringConstraints(max_length=100)] = Field(description="Commit or release read.")
    license: Name
    read: dt.date = Field(description="When this version was read.")


class Site(Record):
    """Site configuration (site.yaml)."""

    title: Name = Field(examples=["modeldir"])
    tagline: Annotated[str, StringConstraints(max_length=200)] = (
        "What every LLM API costs, and how to call it."
    )
    base_url: HttpsUrl = Field(description="Public URL of the site, without a trailing slash.")
    repo_url: HttpsUrl = Field(description="Repository URL, for 'edit this file' links.")
    edit_branch: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9._/-]+$")] = "main"
    refresh_cadence: Name = Field("weekly", description="How often the catalog is refreshed, in words.")
    stale_after_days: int = Field(180, ge=1, description="Warn when an offering was verified longer ago.")
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2}(-[A-Z]{2})?$")] = "en"
    datasets: dict[Slug, Dataset] = Field(
        default_factory=dict, description="Public datasets prices were read from."
    )
    precompress: bool = Field(
        False, description="Also write .gz copies of text files, for servers that serve them as they are."
    )

    @field_validator("base_url", "repo_url")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")


RECORD_TYPES: dict[str, type[Record]] = {
    "creators": Creator,
    "models": Model,
    "providers": Provider,
    "offerings": Offering,
}
