"""Highlighting through a snippet's skeleton gives exactly the bytes of highlighting it in full."""

from __future__ import annotations

import pytest
from conftest import REPO
from pygments import highlight

from generator import highlight as hl
from generator import schema
from generator.recipes import SHAPES, check_recipe, recipes_for
from generator.yamlsource import load_document

IDS = [
    "gpt-4o-mini",
    "openai/o1-mini",
    "anthropic.claude-3-5-sonnet-20240620-v1:0",
    "meta/llama-3.1-8b:0123abcd",
    "@cf/meta/llama-3.1-8b-instruct",
    "claude-sonnet-4@20250514",
    "models/gemini-2.0-flash",
    "a%2Fb",  # not safe: highlighted in full
    'say "hi"',
    "it's",
    "back\\slash",
    "{braces}",
    "$(rm -rf)",
]


def providers() -> list[schema.Provider]:
    found = []
    for path in sorted((REPO / "content" / "providers").glob("*.yaml")):
        doc = load_document(path, path.name)
        assert not isinstance(doc, Exception)
        found.append(schema.Provider.model_validate(doc.data))  # type: ignore[union-attr]
    return found


@pytest.mark.parametrize("model_id", IDS)
def test_skeleton_highlighting_is_exact(model_id: str) -> None:
    shapes_seen = set()
    for provider in providers():
        shapes_seen.add(provider.api)
        for recipe in SHAPES[provider.api](provider, model_id):
            full = highlight(recipe.code, hl.lexer(recipe.language), hl._FORMATTER)
            assert str(hl.highlight_code(recipe.code, recipe.language, model_id)) == full, (
                provider.api,
                recipe.language,
            )
    assert len(shapes_seen) >= 4


def test_skeletons_are_shared_and_checks_still_run() -> None:
    provider = providers()[0]
    first = recipes_for(provider, "vendor/model-a")
    second = recipes_for(provider, "vendor/model-b")
    assert [hl.skeleton(r.code, r.language, "vendor/model-a") for r in first] == [
        hl.skeleton(r.code, r.language, "vendor/model-b") for r in second
    ]
    for recipe in recipes_for(provider, 'a"b'):  # not safe: checked in full every time
        check_recipe(recipe)
