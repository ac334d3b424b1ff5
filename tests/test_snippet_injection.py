"""Hostile model IDs in the JavaScript snippets: the ID is one string literal, nothing more.

tests/test_recipes.py parses the Python and runs the curl command in bash; this
covers the third language. Every occurrence of the ID in a JavaScript snippet
must be inside a double-quoted literal that reads back (as JSON, a subset of
JavaScript string syntax) to exactly the ID, and with those literals removed
no fragment of the ID may remain in the code.
"""

from __future__ import annotations

import json
import re

import pytest

from generator import schema
from generator.recipes import lit, recipes_for

HOSTILE = [
    'a"b',
    "a\\b",
    "a\\",
    "x`${process.exit(1)}`",
    "x'); alert(1); ('",
    'x"); require("child_process").execSync("id"); ("',
    "x</script><script>alert(1)</script>",
    "x\u2028y",
]
JS_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"')


def js_provider(api: str) -> schema.Provider:
    return schema.Provider.model_validate(
        {
            "name": "P",
            "url": "https://p.example",
            "api": api,
            "base_url": "https://api.p.example/v1",
            "auth_env": ["P_KEY", "P_ENDPOINT"],
            "model_id": {"pattern": ".+", "hint": "anything", "example": "x"},
        }
    )


def javascript(api: str, model_id: str) -> list[str]:
    return [r.code for r in recipes_for(js_provider(api), model_id) if r.language == "javascript"]


SHAPES_WITH_JS = [shape.value for shape in schema.ApiShape if javascript(shape.value, "x")]


def test_most_shapes_have_a_javascript_tab() -> None:
    assert len(SHAPES_WITH_JS) >= 6


@pytest.mark.parametrize("model_id", HOSTILE)
@pytest.mark.parametrize("api", SHAPES_WITH_JS)
def test_javascript_carries_the_id_only_inside_string_literals(api: str, model_id: str) -> None:
    code = javascript(api, model_id)[0]
    literal = lit(model_id)
    assert literal in code
    literals = JS_STRING.findall(code)
    assert literal in literals, "the ID's literal must be one whole string token"
    for token in literals:
        assert isinstance(json.loads(token), str)
    outside = JS_STRING.sub('""', code)
    for fragment in ("alert", "process.exit", "child_process", "</script>", "\u2028"):
        if fragment in model_id:
            assert fragment not in outside, f"{fragment!r} escaped its string literal"
    assert json.loads(literal) == model_id
