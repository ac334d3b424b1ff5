"""``modeldir new``: start a content file with the right name, shape and comments.

Values come from command-line flags, or from prompts when standard input is a
terminal. Whatever is still unknown is written as a blank (``key:`` followed
by a ``# FILL IN`` comment): a blank required key fails ``modeldir check``
with "… is empty", so a half-filled file can never be merged by accident,
and the file passes once its blanks are filled. Existing files are never
overwritten. For an offering, the provider's model-ID rule is copied into the
file's comments, and a model ID given up front is checked against it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import schema
from .errors import UsageError
from .money import parse_usd
from .project import Project, today
from .schemas import schema_line
from .validate import validate_record
from .yamlsource import Document, load_document

KINDS = ("creator", "model", "provider", "offering")
FILL_IN = "FILL IN"
YAML_WORDS = {"null", "true", "false", "yes", "no", "on", "off", "y", "n", "~"}

Ask = Callable[[str], str]


@dataclass(frozen=True)
class Created:
    path: Path
    display: str
    blanks: list[str]
    notes: list[str]


# --- values --------------------------------------------------------------------


def check_slug(value: str, what: str = "slug") -> str:
    if schema.SLUG_RE.match(value) and len(value) <= 100:
        return value
    lowered = re.sub(r"[^a-z0-9.-]+", "-", value.lower()).strip("-.")
    hint = f'; try "{lowered}"' if lowered and schema.SLUG_RE.match(lowered) else ""
    raise ValueError(
        f'{what} "{value}" is not a valid slug (lowercase a-z, 0-9, "." and "-", '
        f"starting with a letter or digit){hint}"
    )


def _text(value: str) -> str:
    if not value.strip():
        raise ValueError("empty")
    return value.strip()


def _url(value: str) -> str:
    value = value.strip()
    if not value.startswith("https://") or len(value) <= 8 or any(c.isspace() for c in value):
        raise ValueError(f'"{value}" is not an https:// URL')
    return value


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f'"{value}" is not a date; write YYYY-MM-DD') from None


def _price(value: str) -> Any:
    if value.strip() == "not_offered":
        return "not_offered"
    amount = parse_usd(value)
    if amount < 0:
        raise ValueError("a price cannot be negative")
    return amount


def _tokens(value: str) -> int:
    number = int(value.replace(",", "").replace("_", "").strip())
    if number <= 0:
        raise ValueError("a token count is a positive whole number")
    return number


def _api(value: str) -> str:
    choices = [shape.value for shape in schema.ApiShape]
    if value.strip() not in choices:
        raise ValueError(f'"{value}" is not an API shape; use one of: {", ".join(choices)}')
    return value.strip()


def _env_list(value: str) -> list[str]:
    names = [part for part in re.split(r"[,\s]+", value.strip().strip("[]")) if part]
    for name in names:
        if not re.fullmatch(r"[A-Z][A-Z0-9_]*", name):
            raise ValueError(f'"{name}" is not an environment variable name (like PROVIDER_API_KEY)')
    if not names:
        raise ValueError("empty")
    return names


def _regex(value: str) -> str:
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(f"not a valid regular expression: {exc}") from None
    return value


def scalar(value: Any) -> str:
    """A YAML scalar that reads back as ``value`` (plain when that is unambiguous)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(scalar(item) for item in value) + "]"
    if not isinstance(value, str):  # a Decimal
        return format(value, "f")
    plain = (
        re.fullmatch(r"[A-Za-z_/][\w .,/()@+'=?&%~:#-]*", value)
        and value.lower() not in YAML_WORDS
        and not value.endswith((" ", ":"))
        and ": " not in value
        and " #" not in value
    )
    if plain:
        return value
    if value.isprintable():  # single quotes keep regular expressions readable: only ' is doubled
        return "'" + value.replace("'", "''") + "'"
    return json.dumps(value, ensure_ascii=False)


# --- answers -------------------------------------------------------------------


class Answers:
    """Values from flags, else from prompts (when ``ask`` is given), else blank."""

    def __init__(self, given: dict[str, str | None], ask: Ask | None) -> None:
        self.given = {key: value for key, value in given.items() if value is not None}
        self.ask = ask

    def get(self, key: str, question: str, parse: Callable[[str], Any], empty: str = "leave blank") -> Any:
        if key in self.given:
            try:
                return parse(self.given[key])
            except ValueError as exc:
                raise UsageError(f"--{key.replace('_', '-')}: {exc}") from None
        if self.ask is None:
            return None
        for _ in range(3):
            answer = self.ask(f"{question} (Enter to {empty}): ").strip()
            if not answer:
                return None
            try:
                return parse(answer)
            except ValueError as exc:
                print(f"  {exc}; try again")
        return None


class Lines:
    """The file being written, line by line, remembering which keys were left blank."""

    def __init__(self, first: str) -> None:
        self.lines = [first]
        self.blanks: list[str] = []

    def comment(self, *texts: str) -> None:
        self.lines += [f"# {text}".rstrip() for text in texts]

    def key(self, key: str, value: Any, hint: str, *, under: str = "", required: bool = True) -> None:
        pad = "  " if under else ""
        if value is None:
            self.lines.append(f"{pad}{key}:  # {FILL_IN if required else 'optional'}: {hint}")
            if required:
                self.blanks.append(f"{under}.{key}" if under else key)
        else:
            self.lines.append(f"{pad}{key}: {scalar(value)}")

    def raw(self, line: str) -> None:
        self.lines.append(line)

    @property
    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


# --- the four kinds ------------------------------------------------------------


def _creator(a: Answers, slug: str) -> Lines:
    out = Lines(schema_line("creators"))
    out.comment(f"The creator {slug}: a lab or company that makes models.")
    out.key("name", a.get("name", "Name, as readers know it", _text), "the creator's name, e.g. OpenAI")
    out.key("url", a.get("url", "Home page (https://…)", _url), "home page, https://…", required=False)
    out.comment("description: >-", "  One short, factual paragraph.")
    return out


def _model(a: Answers, slug: str, project: Project) -> tuple[Lines, list[str]]:
    notes = []
    out = Lines(schema_line("models"))
    out.comment(f"The model {slug}, whoever sells it. Provider-specific facts go in offerings.")
    out.key("name", a.get("name", "Display name", _text), 'display name, e.g. "o1-mini (2024-09-12)"')
    creator = a.get("creator", "Creator slug (content/creators/<slug>.yaml)", check_slug)
    if creator and not (project.content / "creators" / f"{creator}.yaml").is_file():
        notes.append(
            f"content/creators/{creator}.yaml does not exist yet: create it with `modeldir new creator {creator}`"
        )
    out.key("creator", creator, "slug of content/creators/<slug>.yaml, e.g. openai")
    out.key("released", a.get("released", "Release date (YYYY-MM-DD)", _date), "YYYY-MM-DD", required=False)
    out.key(
        "context_window",
        a.get("context_window", "Context window in tokens", _tokens),
        "tokens per request, e.g. 128000",
        required=False,
    )
    out.key("max_output", None, "most tokens in one response", required=False)
    out.raw("capabilities: []  # e.g. [reasoning, tool_calling, structured_output, vision, streaming]")
    out.raw("open_weights: unknown  # true, false or unknown")
    out.comment("family: o1", "knowledge_cutoff: 2023-10", "license: proprietary")
    return out, notes


def _provider(a: Answers, slug: str) -> Lines:
    shapes = ", ".join(shape.value for shape in schema.ApiShape)
    out = Lines(schema_line("providers"))
    out.comment(f"The API provider {slug}: how to call it, how its model IDs look, what bites.")
    out.key("name", a.get("name", "Name, as readers know it", _text), "the provider's name")
    out.key("url", a.get("url", "Home page (https://…)", _url), "home page, https://…")
    out.key("pricing_url", None, "the provider's pricing page, https://…", required=False)
    out.key("docs_url", None, "API documentation, https://…", required=False)
    out.key("api", a.get("api", f"API shape ({shapes})", _api), f"one of {shapes}")
    out.key("base_url", None, "API base URL for the recipes, https://…", required=False)
    out.key(
        "auth_env",
        a.get("auth_env", "Credential environment variable(s)", _env_list),
        "[PROVIDER_API_KEY]",
    )
    out.raw("model_id:")
    pattern = a.get("id_pattern", "Model-ID rule: a regular expression every ID matches", _regex)
    out.key("pattern", pattern, "a regular expression, in single quotes", under="model_id")
    out.key("hint", a.get("id_hint", "Model-ID rule in words", _text), "the rule in words", under="model_id")
    example = a.get("id_example", "A real model ID that follows the rule", _text)
    if pattern and example and not re.fullmatch(pattern, example):
        raise UsageError(f'--id-example "{example}" does not match --id-pattern {pattern}')
    out.key("example", example, "a real model ID that follows the rule", under="model_id")
    out.comment("gotchas:", "  - A trap every user of this provider meets.")
    return out


def _load_provider(project: Project, slug: str) -> schema.Provider:
    path = project.content / "providers" / f"{slug}.yaml"
    if not path.is_file():
        known = sorted(p.stem for p in (project.content / "providers").glob("*.yaml"))
        listed = f" (known providers: {', '.join(known)})" if known else ""
        raise UsageError(
            f"no provider {slug}: {project.display(path)} does not exist{listed}; "
            f"add it first with `modeldir new provider {slug}`"
        )
    parsed = load_document(path, project.display(path))
    record = None
    if isinstance(parsed, Document):
        record, _ = validate_record(schema.Provider, parsed)
    if record is None:
        raise UsageError(f"{project.display(path)} is not valid yet; run `modeldir check` and fix it first")
    return record


def _offering(a: Answers, provider_slug: str, model_slug: str, project: Project) -> tuple[Lines, list[str]]:
    provider = _load_provider(project, provider_slug)
    rule = provider.model_id
    notes = []
    model_file = project.content / "models" / f"{model_slug}.yaml"
    if not model_file.is_file():
        notes.append(
            f"{project.display(model_file)} does not exist yet: create it with `modeldir new model {model_slug}`"
        )

    def model_id(value: str) -> str:
        value = value.strip()
        if not re.fullmatch(rule.pattern, value):
            raise ValueError(
                f'"{value}" does not follow {provider.name}\'s model-ID rule: {rule.hint} '
                f"(for example {rule.example})"
            )
        return value

    out = Lines(schema_line("offerings"))
    out.comment(
        f"{model_slug} sold by {provider.name}.",
        "Fill in every line marked FILL IN, then run: modeldir check",
        "",
        f"{provider.name}'s model IDs: {' '.join(rule.hint.split())}",
        f"  for example: {rule.example}",
    )
    if a.ask is not None and "model_id" not in a.given:
        print(f"{provider.name}'s model IDs: {' '.join(rule.hint.split())} (for example {rule.example})")
    out.key("model_id", a.get("model_id", f"Model ID on {provider.name}", model_id), "the exact ID to send")
    out.comment("Where you read the prices (the provider's own pricing or model page), and when.")
    source = a.get("source", "Where you read the prices (https://…)", _url)
    out.key("source", source, "https://… page the prices are on")
    read_on = a.get("as_of", "When you read them (YYYY-MM-DD)", _date, empty="say today")
    out.key("as_of", read_on or today(), "YYYY-MM-DD")
    out.comment(
        "US dollars per 1M tokens, as plain decimals (1.10, 0.075, 15). Write not_offered",
        "when the provider does not sell a dimension; delete a line you could not source.",
    )
    out.raw("pricing:")
    for dim, label in (("input", "Input price"), ("output", "Output price")):
        out.key(dim, a.get(dim, f"{label}, USD per 1M tokens", _price), "USD per 1M tokens", under="pricing")
    for dim in ("cache_read", "batch_input", "batch_output"):
        out.raw(f"  # {dim}:  # {schema.PRICE_DIMENSIONS[dim]}, USD per 1M tokens")
    out.comment(
        "status: ga               # preview, ga, deprecated or retired",
        "verified: YYYY-MM-DD     # the day a person checked everything in this file",
        "gotchas:",
        "  - A trap specific to this offering.",
    )
    return out, notes


# --- entry point ---------------------------------------------------------------


def target(project: Project, kind: str, name: str) -> tuple[Path, tuple[str, ...]]:
    """The file a new record of ``kind`` named ``name`` goes to, and its slug parts."""
    if kind == "offering":
        parts = name.split("/")
        if len(parts) != 2:
            raise UsageError(
                f'an offering is named PROVIDER/MODEL (like replicate/o1-mini-2024-09-12), not "{name}"'
            )
        provider, model = (
            _slug_or_usage(p, what) for p, what in zip(parts, ("provider", "model"), strict=True)
        )
        return project.content / "offerings" / provider / f"{model}.yaml", (provider, model)
    slug = _slug_or_usage(name, kind)
    return project.content / f"{kind}s" / f"{slug}.yaml", (slug,)


def _slug_or_usage(value: str, what: str) -> str:
    try:
        return check_slug(value, what)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def create(project: Project, kind: str, name: str, given: dict[str, str | None], ask: Ask | None) -> Created:
    """Write a new content file; raise UsageError if it exists or a given value is invalid."""
    if kind not in KINDS:
        raise UsageError(f"cannot create a {kind}; choose one of {', '.join(KINDS)}")
    path, parts = target(project, kind, name)
    display = project.display(path)
    if path.exists():
        raise UsageError(f"{display} already exists; edit it instead (modeldir new never overwrites)")
    answers = Answers(given, ask)
    notes: list[str] = []
    if kind == "creator":
        lines = _creator(answers, parts[0])
    elif kind == "model":
        lines, notes = _model(answers, parts[0], project)
    elif kind == "provider":
        lines = _provider(answers, parts[0])
    else:
        lines, notes = _offering(answers, parts[0], parts[1], project)
    if not lines.blanks:  # nothing left to fill in: drop the instruction that says otherwise
        lines.lines = [line for line in lines.lines if FILL_IN not in line]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as handle:  # "x": never overwrite, even in a race
        handle.write(lines.text)
    return Created(path, display, lines.blanks, notes)
