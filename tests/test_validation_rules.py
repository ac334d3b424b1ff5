"""One invalid site per validation rule, each asserting its exact message and location.

Each case starts from the valid one-offering site of conftest.BASE_FILES and
breaks one thing. The expected text is what ``modeldir check`` prints.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from generator.build import check_content
from generator.project import Project

OFFERING = "content/offerings/replicate/o1-mini-2024-09-12.yaml"
MODEL = "content/models/o1-mini-2024-09-12.yaml"
PROVIDER = "content/providers/replicate.yaml"

VALID_OFFERING = """\
model_id: openai/o1-mini
source: https://replicate.com/openai/o1-mini
as_of: 2026-04-15
pricing:
  input: 1.10
  output: 4.40
"""

CASES: dict[str, tuple[dict[str, str | None], str]] = {
    "replicate model id breaks the provider rule": (
        {OFFERING: VALID_OFFERING.replace("openai/o1-mini", "o1-mini-2024-09-12", 1)},
        f'{OFFERING}:1:11: error: model_id "o1-mini-2024-09-12" does not follow Replicate\'s model-ID rule: '
        'owner/model-name, optionally :version-hash (for example "openai/o1-mini"; pattern '
        "^[a-z0-9][a-z0-9._-]*/[a-z0-9][a-z0-9._-]*(:[0-9a-f]{64})?$ in content/providers/replicate.yaml)",
    ),
    "unknown key with a suggestion": (
        {OFFERING: VALID_OFFERING.replace("pricing:", "pricng:")},
        f'{OFFERING}:4:1: error: unknown key "pricng" (did you mean "pricing"?)',
    ),
    "unknown nested key with a suggestion": (
        {OFFERING: VALID_OFFERING.replace("  output:", "  ouptut:")},
        f'{OFFERING}:6:3: error: unknown key "ouptut" (did you mean "output"?)',
    ),
    "unknown creator with a suggestion": (
        {MODEL: "name: o1-mini\ncreator: opnai\n"},
        f'{MODEL}:2:10: error: creator "opnai" does not exist (no content/creators/opnai.yaml) (did you mean "openai"?)',
    ),
    "offering for a model that does not exist": (
        {"content/offerings/replicate/o1-mni.yaml": VALID_OFFERING},
        'content/offerings/replicate/o1-mni.yaml:1:1: error: model "o1-mni" does not exist '
        '(no content/models/o1-mni.yaml) (did you mean "o1-mini-2024-09-12"?)',
    ),
    "offering for a provider that does not exist": (
        {"content/offerings/replicat/o1-mini-2024-09-12.yaml": VALID_OFFERING},
        'content/offerings/replicat/o1-mini-2024-09-12.yaml:1:1: error: provider "replicat" does not exist '
        '(no content/providers/replicat.yaml) (did you mean "replicate"?)',
    ),
    "duplicate key": (
        {OFFERING: VALID_OFFERING + "model_id: openai/o1\n"},
        f'{OFFERING}:7:1: error: duplicate key "model_id" (first defined on line 1); keep one',
    ),
    "negative price": (
        {OFFERING: VALID_OFFERING.replace("1.10", "-1.10")},
        f"{OFFERING}:5:10: error: pricing.input: -1.10 is negative; a price is 0 or more "
        "(write not_offered if it is not sold)",
    ),
    "price that is a word": (
        {OFFERING: VALID_OFFERING.replace("1.10", "free")},
        f'{OFFERING}:5:10: error: pricing.input: "free" is not a price; write a plain decimal in USD '
        "(like 1.10, no $ sign), not_offered, or {usd: 1.10, source: https://…, as_of: YYYY-MM-DD}",
    ),
    "price without a source": (
        {OFFERING: VALID_OFFERING.replace("source: https://replicate.com/openai/o1-mini\n", "")},
        f"{OFFERING}:4:10: error: input has no source: add 'source: https://…' to the offering, "
        "or write the price as {usd: …, source: https://…, as_of: YYYY-MM-DD}",
    ),
    "future date": (
        {OFFERING: VALID_OFFERING.replace("2026-04-15", "2999-01-01")},
        f"{OFFERING}:3:8: error: as_of 2999-01-01 is in the future",
    ),
    "invalid date": (
        {OFFERING: VALID_OFFERING.replace("2026-04-15", "2026-02-30")},
        f"{OFFERING}:3:8: error: 2026-02-30 is not a real date (day is out of range for month); write YYYY-MM-DD",
    ),
    "http url": (
        {OFFERING: VALID_OFFERING.replace("https://replicate", "http://replicate")},
        f'{OFFERING}:2:9: error: source: "http://replicate.com/openai/o1-mini": must be an https:// URL; '
        "write https, not http",
    ),
    "javascript url": (
        {
            PROVIDER.replace("replicate", "replicate"): None,
            OFFERING: VALID_OFFERING.replace("https://replicate.com/openai/o1-mini", "javascript:alert(1)"),
        },
        f'{OFFERING}:2:9: error: source: "javascript:alert(1)": must be an https:// URL; '
        'a "javascript:" link is not allowed',
    ),
    "missing required key": (
        {OFFERING: VALID_OFFERING.replace("model_id: openai/o1-mini\n", "")},
        f'{OFFERING}:1:1: error: missing required key "model_id" at the top of the file; '
        "add it: The exact ID to send to the provider's API",
    ),
    "enum value with a suggestion": (
        {OFFERING: VALID_OFFERING + "status: deprecatd\n"},
        f'{OFFERING}:7:9: error: status: "deprecatd" is not allowed (did you mean "deprecated"?); '
        "use one of: preview, ga, deprecated, retired",
    ),
    "unknown capability": (
        {MODEL: "name: o1-mini\ncreator: openai\ncapabilities: [reasoning, visoin]\n"},
        f'{MODEL}:3:27: error: capabilities[1]: "visoin" is not allowed (did you mean "vision"?); use one of: '
        "reasoning, tool_calling, structured_output, vision, streaming, prompt_caching, batch, code_execution, "
        "web_search, fine_tuning, audio_input, audio_output, system_prompt, temperature, embeddings",
    ),
    "invalid file name slug": (
        {"content/creators/Open AI.yaml": "name: OpenAI\n"},
        'content/creators/Open AI.yaml:1:1: error: file name "Open AI" is not a valid slug '
        '(lowercase a-z and 0-9 in groups joined by single "." or "-"); rename it to "open-ai"',
    ),
    "yml extension": (
        {"content/creators/meta.yml": "name: Meta\n"},
        "content/creators/meta.yml:1:1: error: content files end in .yaml; rename it to .yaml",
    ),
    "top level list": (
        {MODEL: "- name: o1-mini\n"},
        f"{MODEL}:1:1: error: the top level of the file is a list; it must be a mapping of fields (key: value)",
    ),
    "tab indentation": (
        {MODEL: "name: o1-mini\ncreator: openai\nmodalities:\n\tinput: [text]\n"},
        f"{MODEL}:4:1: error: tab character in indentation; YAML indents with spaces only",
    ),
    "dataset not declared": (
        {OFFERING: VALID_OFFERING + "dataset: models-dev\n"},
        f'{OFFERING}:7:10: error: dataset "models-dev" is not declared in site.yaml datasets',
    ),
    "output larger than context": (
        {MODEL: "name: o1-mini\ncreator: openai\ncontext_window: 1000\nmax_output: 2000\n"},
        f"{MODEL}:4:13: error: max_output 2,000 is larger than context_window 1,000; "
        "a response cannot be longer than the whole request",
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_invalid_site_reports_exact_problem(name: str, make_site: Callable[..., Project]) -> None:
    files, expected = CASES[name]
    checked = check_content(make_site(files))
    messages = [str(p) for p in checked.errors]
    assert expected in messages, "\n".join(messages)
    assert checked.catalog is None


def test_every_error_of_every_file_is_reported_at_once(make_site: Callable[..., Project]) -> None:
    checked = check_content(
        make_site(
            {
                OFFERING: VALID_OFFERING.replace("pricing:", "pricng:"),
                MODEL: "name: o1-mini\ncreator: opnai\n",
                "content/creators/meta.yaml": "name: Meta\nurl: http://meta.com\n",
            }
        )
    )
    paths = sorted({p.location.path for p in checked.errors})
    assert paths == ["content/creators/meta.yaml", MODEL, OFFERING]


def test_valid_site_has_no_problems(make_site: Callable[..., Project]) -> None:
    checked = check_content(make_site())
    assert checked.problems == []
    assert checked.catalog is not None
