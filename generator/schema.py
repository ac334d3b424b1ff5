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

    A price may be at most ``MAX_USD`` ($10,000) per unit. The most expensive real
    prices are a few hundred dollars per 1M tokens, so anything above is a unit
    mistake (per billion tokens, cents, a pasted telephone number), not a price.

Text
    One-line fields (names, model IDs, install lines…) hold no line breaks,
    tabs or invisible formatting characters (zero-width spaces, direction
    marks): they end up in titles, tables and code. Longer text is Markdown.
    The loader already refuses control and text-direction characters anywhere.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Callable
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import SchemaError, SchemaValidator, ValidationError, core_schema

from .errors import describe_char
from .sharedkeys import key_sharing_dict

# Lowercase ASCII letters and digits in groups joined by single "." or "-":
# no "..", no leading or trailing separator, nothing a path could be made of.
SLUG_PATTERN = r"^[a-z0-9]+(?:[.-][a-z0-9]+)*$"
SLUG_RE = re.compile(SLUG_PATTERN.removesuffix("$") + r"\Z")
MAX_NAME = 120
MAX_TEXT = 10_000
MAX_USD = Decimal(10_000)
SHELL_OPERATORS = set(";&|$`<>\\")


class Record(BaseModel):
    """Base of every content record: strict about keys, frozen once validated.

    A catalog holds hundreds of thousands of these, so each one is made small
    as soon as it is validated (:func:`_compact`).
    """

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    def model_post_init(self, context: Any, /) -> None:
        _compact(self)


# One instance dictionary per record class whose keys the class's instances share, and every
# distinct set of fields a record was written with; see _compact.
_SHARED_KEYS: dict[type[Record], dict[str, Any]] = {}
_FIELDS_SETS: dict[frozenset[str], frozenset[str]] = {}


def _compact(record: Record) -> None:
    """Give a record a key-sharing instance dictionary and a shared set of the fields it was given.

    pydantic fills each record with a dictionary of its own keys (about 36 bytes
    a field) and a set of the fields the file gave (a few hundred bytes): more
    than the values themselves. A key-sharing dictionary (:mod:`generator.sharedkeys`)
    stores only the values (8 bytes a field), and the sets repeat: they are
    interned, as frozensets so that no one can change a set that many records share. Values, equality, hashing and serialisation
    are unchanged; records are frozen, so nothing adds a key later.
    """
    cls = type(record)
    shared = _SHARED_KEYS.get(cls)
    if shared is None:
        shared = _SHARED_KEYS[cls] = key_sharing_dict(cls.model_fields)
    values = record.__dict__
    if len(values) == len(shared):
        compact = shared.copy()
        compact.update(values)
        object.__setattr__(record, "__dict__", compact)
    fields = frozenset(record.__pydantic_fields_set__)
    object.__setattr__(record, "__pydantic_fields_set__", _FIELDS_SETS.setdefault(fields, fields))


_URL_REFUSED = re.compile("[\\s<>\"'`\\\\]")  # \s: exactly the characters str.isspace() accepts


def _https(value: str) -> str:
    if not value.startswith("https://") or len(value) <= len("https://"):
        scheme = value.split(":", 1)[0] + ":" if ":" in value[:12] else ""
        used = f'; a "{scheme}" link is not allowed' if scheme not in ("", "http:", "https:") else ""
        used = "; write https, not http" if scheme == "http:" else used
        raise ValueError(f"must be an https:// URL{used}")
    if _URL_REFUSED.search(value):
        raise ValueError("must be a URL without spaces, quotes, backslashes or angle brackets")
    host = value[len("https://") :].split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    if not host or "@" in host:
        raise ValueError("must name a host right after https:// (and no user@ part)")
    return value


def _one_line(value: str) -> str:
    """Refuse line breaks, tabs and invisible formatting characters in a one-line field."""
    if value.isprintable():  # no character of the categories Cc, Cf, Zl or Zp, so no line break or tab
        return value
    for char in value:
        if char in "\n\t" or unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp"):
            raise ValueError(
                f"must be one line of visible text; it contains {describe_char(char)}: remove it"
            )
    return value


_LOOKALIKE_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK")


def _one_script(value: str) -> str:
    """Refuse a word that mixes Latin, Cyrillic and Greek letters: "Оpenai" passing for "Openai"."""
    if value.isascii():  # every ASCII letter is Latin
        return value
    for word in value.split():
        scripts: dict[str, str] = {}
        for char in word:
            script = unicodedata.name(char, "").split(" ", 1)[0]
            if char.isalpha() and script in _LOOKALIKE_SCRIPTS:
                scripts.setdefault(script, char)
        if len(scripts) > 1:
            odd = next(ch for script, ch in scripts.items() if script != "LATIN")
            raise ValueError(
                f'the word "{word}" mixes {" and ".join(sorted(scripts))} letters, such as '
                f"{describe_char(odd)}; write each word in one alphabet"
            )
    return value


def _model_id(value: str) -> str:
    _one_line(value)
    # a printable string holds no white space but " "
    if (" " in value or not value.isprintable()) and any(char.isspace() for char in value):
        raise ValueError("a model ID has no spaces; copy it exactly from the provider's documentation")
    return value


def _install_line(value: str) -> str:
    _one_line(value)
    found = sorted(SHELL_OPERATORS & set(value))
    if found:
        raise ValueError(
            f"an install line is one command (like pip install openai) without shell operators; "
            f"remove {' '.join(found)}"
        )
    return value


Slug = Annotated[
    str,
    StringConstraints(pattern=SLUG_PATTERN, max_length=100),
    Field(
        description="A slug: lowercase letters, digits, '.' and '-' (it becomes part of a URL).",
        examples=["o1-mini-2024-09-12"],
    ),
]
HttpsUrl = Annotated[
    str,
    StringConstraints(max_length=2000),
    AfterValidator(_https),
    Field(
        description="An https:// URL.",
        examples=["https://example.com/pricing"],
        json_schema_extra={"pattern": "^https://[^\\s<>\"'`]+$"},
    ),
]
Name = Annotated[
    str,
    StringConstraints(min_length=1, max_length=MAX_NAME),
    AfterValidator(_one_line),
    AfterValidator(_one_script),
]


Line = Annotated[str, AfterValidator(_one_line)]  # add StringConstraints where it is used


ModelId = Annotated[
    str,
    StringConstraints(min_length=1, max_length=200),
    AfterValidator(_model_id),
    Field(description="The exact ID to send to the provider's API.", examples=["openai/o1-mini"]),
]
InstallLine = Annotated[str, StringConstraints(max_length=200), AfterValidator(_install_line)]
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
        le=MAX_USD,
        max_digits=16,
        decimal_places=9,
        allow_inf_nan=False,
        description="An amount in US dollars, written as a plain decimal (1.10, 0.075, 15).",
    ),
    # In YAML a price is a number (1.10) or, quoted, a decimal string ("1.10").
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": 0, "maximum": int(MAX_USD)},
                {
                    "type": "string",
                    "pattern": r"^\s*_*\+?(?=[_.]*\d)[\d_]*(\.[\d_]*)?([eE]_*[+-]?[\d_]*\d[\d_]*)?\s*$",
                },
            ],
            "description": "An amount in US dollars, written as a plain decimal (1.10, 0.075, 15).",
            "examples": [1.10, 0.075, 15],
        }
    ),
]
TokenCount = Annotated[int, Field(gt=0, le=100_000_000, description="A number of tokens.")]


class Link(Record):
    """A titled link shown on a page."""

    title: Name = Field(
        description="What the link points at, as the reader sees it.", examples=["Model card"]
    )
    url: HttpsUrl = Field(description="Where the link goes.", examples=["https://openai.com/index/o1/"])


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
    url: HttpsUrl | None = Field(
        None, description="The creator's home page.", examples=["https://openai.com"]
    )
    description: Markdown | None = Field(
        None,
        description="A short, factual paragraph.",
        examples=["US AI company that develops the GPT and o-series models."],
    )
    old_slugs: list[Slug] = Field(
        default_factory=list, description="Slugs this record had before.", examples=[["open-ai"]]
    )
    dataset: Slug | None = Field(
        None,
        description="Key of the public dataset this record was created from, if any.",
        examples=["models-dev"],
    )


# --- models --------------------------------------------------------------------


class Modalities(Record):
    """What a model reads and writes; text in, text out when absent."""

    input: list[Modality] = Field(
        default_factory=lambda: [Modality.text],
        min_length=1,
        description="What the model reads.",
        examples=[["text", "image"]],
    )
    output: list[Modality] = Field(
        default_factory=lambda: [Modality.text],
        min_length=1,
        description="What the model writes.",
        examples=[["text"]],
    )


KNOWLEDGE_RE = r"^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$"


class Model(Record):
    """A model, independent of who sells it (content/models/<slug>.yaml)."""

    name: Name = Field(description="Display name.", examples=["o1-mini (2024-09-12)"])
    creator: Slug = Field(
        description="Slug of the creator (content/creators/<slug>.yaml).", examples=["openai"]
    )
    family: Name | None = Field(
        None, description="Model family, e.g. o1, claude-sonnet, llama-3.", examples=["o1"]
    )
    released: dt.date | None = Field(
        None, description="Public release date (YYYY-MM-DD).", examples=["2024-09-12"]
    )
    knowledge_cutoff: Annotated[str, StringConstraints(pattern=KNOWLEDGE_RE)] | None = Field(
        None, description="Training-data cutoff, YYYY-MM or YYYY-MM-DD.", examples=["2023-10"]
    )
    context_window: TokenCount | None = Field(
        None, description="Maximum tokens in one request (input + output).", examples=[128000]
    )
    max_output: TokenCount | None = Field(
        None, description="Maximum tokens the model writes in one response.", examples=[65536]
    )
    modalities: Modalities = Field(
        default_factory=Modalities,
        description="What the model reads and writes (text in, text out when absent).",
        examples=[{"input": ["text", "image"], "output": ["text"]}],
    )
    capabilities: list[Capability] = Field(
        default_factory=list,
        description="What the model can do, from the creator's documentation.",
        examples=[["reasoning", "tool_calling", "structured_output"]],
    )
    open_weights: bool | Literal["unknown"] = Field(
        "unknown",
        description="true if the weights are downloadable, false if not, unknown if not sourced.",
        examples=[False, True, "unknown"],
    )
    license: Name | None = Field(
        None, description="License of the weights, or 'proprietary'.", examples=["Apache-2.0", "proprietary"]
    )
    architecture: Name | None = Field(
        None,
        description="e.g. decoder-only transformer, mixture-of-experts.",
        examples=["mixture-of-experts"],
    )
    parameters: Annotated[Line, StringConstraints(max_length=60)] | None = Field(
        None,
        description="Parameter count when the creator published it, e.g. '8B' or '671B (37B active)'.",
        examples=["671B (37B active)"],
    )
    description: Markdown | None = Field(
        None,
        description="What the model is for, in Markdown.",
        examples=["A small reasoning model for coding, math and science."],
    )
    links: list[Link] = Field(
        default_factory=list,
        description="Announcements, model cards and papers.",
        examples=[[{"title": "Announcement", "url": "https://openai.com/index/openai-o1-mini/"}]],
    )
    old_slugs: list[Slug] = Field(
        default_factory=list, description="Slugs this record had before.", examples=[["o1-mini"]]
    )
    dataset: Slug | None = Field(
        None,
        description="Key of the public dataset the facts above were imported from, if any.",
        examples=["models-dev"],
    )
    as_of: dt.date | None = Field(
        None, description="When the imported facts were read (YYYY-MM-DD).", examples=["2026-11-25"]
    )
    withheld: list[Withheld] = Field(
        default_factory=list,
        description="Upstream values the import left out as broken, with the reason.",
        examples=[
            [
                {
                    "field": "context_window",
                    "value": "0",
                    "reason": "a limit of 0 tokens is not a real limit",
                    "dataset": "models-dev",
                    "entry": "providers/acme/models/acme-large.toml",
                }
            ]
        ],
    )


# --- providers -----------------------------------------------------------------


class ModelIdRule(Record):
    """The form of every model ID a provider accepts: checked on every offering."""

    pattern: Annotated[Line, StringConstraints(min_length=1, max_length=300)] = Field(
        description="A regular expression every model ID of this provider matches in full.",
        examples=["^[a-z0-9][a-z0-9._-]*/[a-z0-9][a-z0-9._-]*$"],
    )
    hint: Annotated[Line, StringConstraints(min_length=1, max_length=MAX_TEXT)] = Field(
        description="The rule in words, shown when an ID does not match.",
        examples=["owner/model-name, optionally :version-hash"],
    )
    example: Annotated[Line, StringConstraints(min_length=1, max_length=200)] = Field(
        description="A real model ID that follows the rule.", examples=["openai/o1-mini"]
    )

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"not a valid regular expression: {exc}") from None
        id_matcher(value)  # raises ValueError for look-around and back-references
        return value

    @model_validator(mode="after")
    def _example_matches(self) -> ModelIdRule:
        if not id_matcher(self.pattern)(self.example):
            raise ValueError(f"the example {self.example!r} does not match the pattern")
        return self

    def matches(self, model_id: str) -> bool:
        """True when ``model_id`` matches the whole pattern."""
        return id_matcher(self.pattern)(model_id)


@functools.lru_cache(maxsize=256)
def id_matcher(pattern: str) -> Callable[[str], bool]:
    """A full-match test for ``pattern`` that runs in linear time.

    Contributors write these patterns, and Python's backtracking ``re`` can take
    hours on a pattern like ``(a+)+$`` (ReDoS). pydantic-core's Rust regex
    engine has no backtracking; it refuses the two features that need it
    (look-around and back-references), which model-ID rules never need.
    """
    try:
        validator = SchemaValidator(
            core_schema.str_schema(pattern=f"^(?:{pattern})$", regex_engine="rust-regex")
        )
    except SchemaError as exc:
        reason = next(
            (line.strip() for line in str(exc).splitlines() if line.strip().startswith("error:")), ""
        )
        raise ValueError(
            f"not a pattern this site accepts ({reason.removeprefix('error: ') or 'unsupported syntax'}); "
            "write it without look-around (?=…) (?!…) or back-references \\1"
        ) from None

    def matches(value: str) -> bool:
        try:
            validator.validate_python(value)
        except ValidationError:
            return False
        return True

    return matches


class Sdk(Record):
    """How to install the provider's SDK, per language."""

    python: InstallLine | None = Field(
        None, description="Install line for Python.", examples=["pip install openai"]
    )
    javascript: InstallLine | None = Field(
        None, description="Install line for JavaScript.", examples=["npm install openai"]
    )


class Provider(Record):
    """An API provider (content/providers/<slug>.yaml): how to call it and what bites."""

    name: Name = Field(description="The provider's name as readers know it.", examples=["Replicate"])
    description: Markdown | None = Field(
        None,
        description="One factual paragraph about the provider.",
        examples=["Runs open and proprietary models behind one HTTP API, billed per token or per second."],
    )
    url: HttpsUrl = Field(description="Home page.", examples=["https://replicate.com"])
    pricing_url: HttpsUrl | None = Field(
        None, description="The provider's own pricing page.", examples=["https://replicate.com/pricing"]
    )
    docs_url: HttpsUrl | None = Field(
        None, description="API documentation.", examples=["https://replicate.com/docs"]
    )
    api: ApiShape = Field(
        description="The API shape, which picks the recipe templates (openai for any OpenAI-compatible API).",
        examples=["openai", "replicate"],
    )
    base_url: HttpsUrl | None = Field(
        None, description="API base URL used in recipes.", examples=["https://api.example.com/v1"]
    )
    auth_env: list[EnvVar] = Field(
        min_length=1,
        description="Environment variable(s) holding credentials.",
        examples=[["REPLICATE_API_TOKEN"]],
    )
    sdk: Sdk = Field(
        default_factory=Sdk,
        description="Install lines of the provider's SDKs.",
        examples=[{"python": "pip install replicate", "javascript": "npm install replicate"}],
    )
    model_id: ModelIdRule = Field(
        description="The rule every model ID of this provider follows.",
        examples=[
            {
                "pattern": "^[a-z0-9][a-z0-9._-]*/[a-z0-9][a-z0-9._-]*$",
                "hint": "owner/model-name",
                "example": "openai/o1-mini",
            }
        ],
    )
    pricing_mode: Name = Field(
        "pay-as-you-go", description="How usage is billed, as a short phrase.", examples=["pay-as-you-go"]
    )
    gotchas: list[Markdown] = Field(
        default_factory=list,
        description="Traps every user of this provider meets.",
        examples=[["Streaming responses arrive as a list of strings; join them before printing."]],
    )
    old_slugs: list[Slug] = Field(
        default_factory=list, description="Slugs this record had before.", examples=[["replicate-ai"]]
    )
    dataset: Slug | None = Field(
        None,
        description="Key of the public dataset this record was created from, if any.",
        examples=["models-dev"],
    )
    as_of: dt.date | None = Field(
        None, description="When the imported facts were read (YYYY-MM-DD).", examples=["2026-11-25"]
    )


# --- offerings -----------------------------------------------------------------


class PricePoint(Record):
    """A price read somewhere other than the offering's own source."""

    usd: Usd = Field(description="The price in US dollars.", examples=[1.10])
    source: HttpsUrl | None = Field(
        None, description="Where this number was read.", examples=["https://replicate.com/openai/o1-mini"]
    )
    as_of: dt.date | None = Field(None, description="When it was read (YYYY-MM-DD).", examples=["2026-04-15"])
    dataset: Slug | None = Field(
        None, description="Key of the public dataset it came from (site.yaml datasets).", examples=["litellm"]
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


PRICE_EXAMPLES: list[Any] = [
    1.10,
    "not_offered",
    {"usd": 1.10, "source": "https://example.com/pricing", "as_of": "2026-04-15"},
]


def _price_field(label: str) -> Any:
    unit = "per 1M tokens" if label not in PER_UNIT.values() else ""
    return Field(
        None,
        description=f"{label} price in USD {unit}; or not_offered; absent = not yet sourced.",
        examples=PRICE_EXAMPLES,
    )


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
    per_image: Price | None = Field(None, description="USD per generated image.", examples=[0.04])
    per_second: Price | None = Field(
        None, description="USD per second of compute or media.", examples=[0.000225]
    )
    per_request: Price | None = Field(None, description="USD per request.", examples=[0.005])

    def items(self) -> list[tuple[str, Price]]:
        """The dimensions that are set, in display order."""
        return [(k, v) for k in PRICE_DIMENSIONS if (v := getattr(self, k)) is not None]


class PriceTier(Prices):
    """Prices that apply when a request's input is longer than ``above`` tokens."""

    above: TokenCount = Field(
        description="The tier applies to requests with more input tokens than this.", examples=[200000]
    )


class Pricing(Prices):
    """The current prices of an offering."""

    tiers: list[PriceTier] = Field(
        default_factory=list,
        description="Long-context tiers, smallest 'above' first.",
        examples=[[{"above": 200000, "input": 2.50, "output": 15}]],
    )


class HistoryEntry(Prices):
    """Prices that were in effect from ``date`` until the next entry (or the current pricing)."""

    date: dt.date = Field(description="From when these prices applied.", examples=["2025-01-10"])
    source: HttpsUrl | None = Field(
        None, description="Where these prices were read.", examples=["https://example.com/pricing"]
    )
    dataset: Slug | None = Field(
        None, description="Key of the public dataset they came from, if any.", examples=["litellm"]
    )
    note: Annotated[Line, StringConstraints(max_length=500)] | None = Field(
        None, description="What changed, in a few words.", examples=["Price cut at launch of o3-mini."]
    )


class FaqEntry(Record):
    """A question readers ask, and its answer."""

    q: Annotated[Line, StringConstraints(min_length=1, max_length=300)] = Field(
        description="The question.", examples=["Does it support streaming?"]
    )
    a: Markdown = Field(
        description="The answer, in Markdown.", examples=["Yes: pass `stream: true` in the request."]
    )


class Variant(Record):
    """A regional or data-residency variant of one offering, with its own ID and uplift."""

    name: Name = Field(
        description="e.g. 'EU data zone', 'us-east-1 cross-region'.", examples=["EU data zone"]
    )
    model_id: ModelId | None = Field(
        None,
        description="The variant's own model ID, when it differs from the offering's.",
        examples=["eu.anthropic.claude-sonnet-4-5-20250929-v1:0"],
    )
    uplift_percent: Annotated[Decimal, Field(ge=0, le=1000, allow_inf_nan=False)] | None = Field(
        None, description="Price uplift over the base offering, in percent.", examples=[10]
    )


class Withheld(Record):
    """An upstream value the import's quality gates kept off the site, and why."""

    field: Annotated[str, StringConstraints(min_length=1, max_length=80)] = Field(
        description="The field or price dimension the value was for.",
        examples=["context_window", "pricing.input"],
    )
    value: Annotated[str, StringConstraints(max_length=200)] = Field(
        description="The value as the dataset had it.", examples=["0"]
    )
    reason: Text = Field(
        description="Why it is not published as a fact.", examples=["a limit of 0 tokens is not a real limit"]
    )
    dataset: Slug = Field(
        description="Key of the dataset it came from (site.yaml datasets).", examples=["models-dev"]
    )
    entry: Annotated[str, StringConstraints(min_length=1, max_length=300)] = Field(
        description="The dataset entry it was read from (a file path or a key).",
        examples=["providers/acme/models/acme-large.toml"],
    )


class Disagreement(Record):
    """A value another dataset gives for this offering that differs from the one shown."""

    field: Annotated[str, StringConstraints(min_length=1, max_length=80)] = Field(
        description="A price dimension (input, output, …) or context_window / max_output.",
        examples=["input"],
    )
    dataset: Slug = Field(
        description="Key of the dataset that says otherwise (site.yaml datasets).", examples=["litellm"]
    )
    value: Annotated[str, StringConstraints(min_length=1, max_length=60)] = Field(
        description="What that dataset says: USD for prices (per 1M tokens unless per_*), tokens for limits.",
        examples=["1.5"],
    )
    entry: Annotated[str, StringConstraints(min_length=1, max_length=300)] = Field(
        description="The dataset entry it was read from (a file path or a key).",
        examples=["mistral/mistral-medium-latest"],
    )


class Offering(Record):
    """One model sold by one provider (content/offerings/<provider>/<model>.yaml)."""

    model: Slug | None = Field(
        None,
        description="The model's slug; taken from the file name when absent.",
        examples=["o1-mini-2024-09-12"],
    )
    provider: Slug | None = Field(
        None, description="The provider's slug; taken from the folder when absent.", examples=["replicate"]
    )
    model_id: ModelId = Field(
        description="The exact ID to send to the provider's API.", examples=["openai/o1-mini"]
    )
    status: Status = Field(Status.ga, description="preview, ga, deprecated or retired.", examples=["ga"])
    released: dt.date | None = Field(
        None, description="When this provider started selling it.", examples=["2024-09-12"]
    )
    deprecated_on: dt.date | None = Field(
        None, description="When the provider announced deprecation.", examples=["2025-10-27"]
    )
    retires_on: dt.date | None = Field(
        None, description="When the provider stops (or stopped) serving it.", examples=["2026-10-27"]
    )
    replacement: Slug | None = Field(
        None, description="Slug of the model that replaces it on this provider.", examples=["o3-mini"]
    )
    context_window: TokenCount | None = Field(
        None, description="Overrides the model's context window here.", examples=[128000]
    )
    max_output: TokenCount | None = Field(
        None, description="Overrides the model's output limit here.", examples=[65536]
    )
    capabilities: list[Capability] | None = Field(
        None,
        description="Overrides the model's capabilities when this provider supports fewer.",
        examples=[["reasoning", "streaming"]],
    )
    verified: dt.date | None = Field(
        None, description="When a person last checked this offering.", examples=["2026-04-15"]
    )
    source: HttpsUrl | None = Field(
        None,
        description="Where the prices were read (default for every price).",
        examples=["https://replicate.com/openai/o1-mini"],
    )
    as_of: dt.date | None = Field(
        None, description="When the prices were read (default for every price).", examples=["2026-04-15"]
    )
    dataset: Slug | None = Field(
        None,
        description="Key of the public dataset the prices came from (site.yaml datasets), if any.",
        examples=["litellm"],
    )
    pricing: Pricing = Field(
        default_factory=Pricing,
        description="Current prices: USD per 1M tokens unless the key says per_*; not_offered; absent = not yet sourced.",
        examples=[{"input": 1.10, "output": 4.40, "cache_read": "not_offered"}],
    )
    history: list[HistoryEntry] = Field(
        default_factory=list,
        description="Earlier prices, oldest first.",
        examples=[
            [{"date": "2025-01-10", "input": 3.00, "output": 12.00, "source": "https://example.com/pricing"}]
        ],
    )
    variants: list[Variant] = Field(
        default_factory=list,
        description="Regional or data-residency variants with their own ID or price uplift.",
        examples=[[{"name": "EU data zone", "uplift_percent": 10}]],
    )
    gotchas: list[Markdown] = Field(
        default_factory=list,
        description="Traps specific to this offering.",
        examples=[["Output is a list of strings; join it before printing."]],
    )
    faq: list[FaqEntry] = Field(
        default_factory=list,
        description="Extra questions and answers.",
        examples=[[{"q": "Does it support streaming?", "a": "Yes."}]],
    )
    notes: Markdown | None = Field(
        None,
        description="Anything else a reader should know, in Markdown.",
        examples=["Served from US data centres only."],
    )
    withheld: list[Withheld] = Field(
        default_factory=list,
        description="Upstream values the import left out as broken, with the reason.",
        examples=[
            [
                {
                    "field": "context_window",
                    "value": "0",
                    "reason": "a limit of 0 tokens is not a real limit",
                    "dataset": "models-dev",
                    "entry": "providers/acme/models/acme-large.toml",
                }
            ]
        ],
    )
    disagreements: list[Disagreement] = Field(
        default_factory=list,
        description="Open disagreements: values other datasets give that differ from the ones shown.",
        examples=[
            [
                {
                    "field": "input",
                    "dataset": "litellm",
                    "value": "1.5",
                    "entry": "mistral/mistral-medium-latest",
                }
            ]
        ],
    )


# --- site ----------------------------------------------------------------------


class Dataset(Record):
    """A public dataset prices were read from."""

    name: Name = Field(description="The dataset's name.", examples=["LiteLLM model prices"])
    url: HttpsUrl = Field(
        description="Where the dataset lives.", examples=["https://github.com/BerriAI/litellm"]
    )
    version: Annotated[Line, StringConstraints(max_length=100)] = Field(
        description="Commit or release read.", examples=["1.110.2"]
    )
    license: Name = Field(description="The dataset's license.", examples=["MIT"])
    read: dt.date = Field(description="When this version was read.", examples=["2026-11-25"])


class Site(Record):
    """Site configuration (site.yaml)."""

    title: Name = Field(description="The site's name, in every page title.", examples=["modeldir"])
    tagline: Annotated[Line, StringConstraints(max_length=200)] = Field(
        "What every LLM API costs, and how to call it.",
        description="One line under the site's name.",
        examples=["What every LLM API costs, and how to call it."],
    )
    base_url: HttpsUrl = Field(
        description="Public URL of the site, without a trailing slash.", examples=["https://modeldir.dev"]
    )
    repo_url: HttpsUrl = Field(
        description="Repository URL, for 'edit this file' links.",
        examples=["https://github.com/modeldir/modeldir"],
    )
    edit_branch: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9._/-]+$")] = Field(
        "main", description="The branch 'edit this page' links open.", examples=["main"]
    )
    refresh_cadence: Name = Field(
        "weekly", description="How often the catalog is refreshed, in words.", examples=["weekly"]
    )
    stale_after_days: int = Field(
        180, ge=1, description="Warn when an offering was verified longer ago.", examples=[180]
    )
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2}(-[A-Z]{2})?$")] = Field(
        "en", description="Language of the pages (an HTML lang value).", examples=["en", "en-GB"]
    )
    datasets: dict[Slug, Dataset] = Field(
        default_factory=dict,
        description="Public datasets prices were read from, by key.",
        examples=[
            {
                "litellm": {
                    "name": "LiteLLM model prices",
                    "url": "https://github.com/BerriAI/litellm",
                    "version": "1.110.2",
                    "license": "MIT",
                    "read": "2026-11-25",
                }
            }
        ],
    )
    precompress: bool = Field(
        False,
        description="Also write .gz copies of text files, for servers that serve them as they are.",
        examples=[True],
    )
    search_part_pages: int = Field(
        2000,
        ge=1,
        description=(
            "Pages per part of the search index. Pagefind holds a part in memory while it indexes"
            " it (about 250 KB a page); the search page merges the parts."
        ),
        examples=[2000],
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
