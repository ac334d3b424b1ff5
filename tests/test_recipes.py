"""Recipes: every API shape produces code that parses, with the model ID as data."""

from __future__ import annotations

import ast
import itertools
import json
import os
import shlex
import subprocess
from pathlib import Path
from urllib.parse import unquote

import pytest

from generator import schema
from generator.errors import BuildError
from generator.recipes import Recipe, check_recipe, recipes_for

HOSTILE_IDS = [
    'a"b',
    "a'b",
    "a\\b",
    "a\nb",
    "$(rm -rf ~)",
    "`id`",
    "</script><script>alert(1)</script>",
    "ü/ß:ok",
]


def strings_in(data: object) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for v in data.values() for s in strings_in(v)]
    if isinstance(data, list):
        return [s for v in data for s in strings_in(v)]
    return []


def provider(api: str, **extra: object) -> schema.Provider:
    return schema.Provider.model_validate(
        {
            "name": "P",
            "url": "https://p.example",
            "api": api,
            "auth_env": ["P_KEY"],
            "model_id": {"pattern": ".+", "hint": "anything", "example": "x"},
            **extra,
        }
    )


@pytest.mark.parametrize("api", [shape.value for shape in schema.ApiShape])
@pytest.mark.parametrize("model_id", ["gpt-4o", *HOSTILE_IDS])
def test_every_shape_parses_and_carries_the_id_as_data(api: str, model_id: str) -> None:
    recipes = recipes_for(provider(api, base_url="https://api.p.example/v1"), model_id)
    assert [r.language for r in recipes][:2] == ["python", "curl"]
    python = next(r for r in recipes if r.language == "python")
    strings = [node.value for node in ast.walk(ast.parse(python.code)) if isinstance(node, ast.Constant)]
    assert model_id in strings
    curl = next(r for r in recipes if r.language == "curl")
    words = shlex.split(curl.code.replace("\\\n", " "))
    bodies = [json.loads(value) for flag, value in itertools.pairwise(words) if flag == "-d"]
    assert len(bodies) == 1
    reaches_api = strings_in(bodies[0]) + [unquote(word) for word in words]
    if api == "replicate" and ":" in model_id:  # owner/name:version sends the version in the body
        model_id = model_id.partition(":")[2]
    assert any(model_id in text for text in reaches_api)


@pytest.mark.parametrize("api", [shape.value for shape in schema.ApiShape])
def test_curl_run_by_bash_never_expands_the_id(api: str, tmp_path: Path) -> None:
    marker = tmp_path / "expanded"
    model_id = f"x$(touch {marker})`touch {marker}`'\"y"
    curl = next(r for r in recipes_for(provider(api), model_id) if r.language == "curl")
    fake_curl = "curl() { printf '%s\\0' \"$@\"; }\ngcloud() { echo token; }\n"
    env = {"PATH": os.environ["PATH"], "AWS_REGION": "us-east-1", "GOOGLE_CLOUD_LOCATION": "us-central1"}
    result = subprocess.run(["bash", "-c", fake_curl + curl.code], capture_output=True, env=env, check=True)
    assert not marker.exists()
    args = result.stdout.decode().split("\0")
    reaches_api = [unquote(a) for a in args] + [
        t for a in args if a.startswith("{") for t in strings_in(json.loads(a))
    ]
    assert any(model_id in text for text in reaches_api)


def test_check_recipe_rejects_broken_snippets() -> None:
    with pytest.raises(BuildError, match="Python does not parse"):
        check_recipe(Recipe("python", "Python", None, 'print("x'))
    with pytest.raises(BuildError, match="curl body is not JSON"):
        check_recipe(Recipe("curl", "curl", None, "curl 'https://x' -d '{nope'"))


def test_openai_compatible_provider_uses_its_base_url_and_key() -> None:
    python = recipes_for(
        provider("openai", base_url="https://api.groq.com/openai/v1"), "llama-3.3-70b-versatile"
    )[0].code
    assert 'OpenAI(base_url="https://api.groq.com/openai/v1", api_key=os.environ["P_KEY"])' in python
