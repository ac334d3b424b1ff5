"""`modeldir new`: a correctly named, commented file that passes check once its blanks are filled."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.build import check_content
from generator.cli import main
from generator.errors import UsageError
from generator.project import Project
from generator.scaffold import create, scalar
from generator.schemas import schema_line
from generator.yamlsource import Document, load_document, parse_document

OFFERING = "content/offerings/replicate/gpt-4o.yaml"


@pytest.fixture
def site(make_site: Callable[..., Project], monkeypatch: pytest.MonkeyPatch) -> Project:
    project = make_site()
    monkeypatch.chdir(project.root)
    return project


def new(*args: str) -> int:
    return main(["new", *args, "--no-input"])


def fill(path: Path, **values: str) -> None:
    """Replace ``key:  # FILL IN…`` lines with ``key: value``, as a contributor would."""
    text = path.read_text(encoding="utf-8")
    for key, value in values.items():
        text, count = re.subn(rf"^(\s*){key}:  # FILL IN.*$", rf"\g<1>{key}: {value}", text, flags=re.M)
        assert count == 1, f"no blank {key} in {path}"
    path.write_text(text, encoding="utf-8")


def messages(project: Project) -> list[str]:
    return [f"{p.location.path}:{p.location.line}: {p.message}" for p in check_content(project).problems]


def test_offering_blanks_fail_check_until_filled(site: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert new("model", "gpt-4o", "--name", "GPT-4o", "--creator", "openai") == 0
    assert new("offering", "replicate/gpt-4o") == 0
    out = capsys.readouterr().out
    assert f"created {OFFERING}" in out and "fill in: model_id, source, pricing.input, pricing.output" in out
    path = site.root / OFFERING
    text = path.read_text(encoding="utf-8")
    assert text.startswith(schema_line("offerings") + "\n")
    # the provider's model-ID rule, in the file's comments
    assert "# Replicate's model IDs: owner/model-name, optionally :version-hash\n" in text
    assert "#   for example: openai/o1-mini\n" in text
    assert messages(site) == [f"{OFFERING}:7: model_id is empty; write a value after the colon"]
    fill(
        path,
        model_id="openai/gpt-4o",
        source="https://replicate.com/openai/gpt-4o",
        input="2.50",
        output="10",
    )
    checked = check_content(site)
    assert checked.problems == [] and checked.catalog is not None
    prices = checked.catalog.offerings[("replicate", "gpt-4o")].prices
    assert (prices["input"].text, prices["output"].text) == ("$2.50", "$10")


def test_offering_from_flags_needs_no_filling(site: Project, capsys: pytest.CaptureFixture[str]) -> None:
    new("model", "gpt-4o", "--name", "GPT-4o", "--creator", "openai")
    args = ["--model-id", "openai/gpt-4o", "--source", "https://replicate.com/openai/gpt-4o"]
    assert new("offering", "replicate/gpt-4o", *args, "--input", "2.50", "--output", "not_offered") == 0
    assert "then run: modeldir check" in capsys.readouterr().out
    assert "FILL IN" not in (site.root / OFFERING).read_text(encoding="utf-8")
    assert messages(site) == []


@pytest.mark.parametrize(
    ("kind", "name", "flags", "blanks"),
    [
        ("creator", "mistral", {"url": "https://mistral.ai"}, {"name": "Mistral AI"}),
        ("model", "o3-mini", {"name": "o3-mini"}, {"creator": "openai"}),
        (
            "provider",
            "groq",
            {"name": "Groq", "url": "https://groq.com", "api": "openai"},
            {
                "auth_env": "[GROQ_API_KEY]",
                "pattern": "'^[a-z0-9./-]+$'",
                "hint": "the model name",
                "example": "llama-3.3-70b",
            },
        ),
    ],
)
def test_every_kind_passes_check_once_filled(
    site: Project, kind: str, name: str, flags: dict[str, str], blanks: dict[str, str]
) -> None:
    args = [item for key, value in flags.items() for item in (f"--{key}", value)]
    assert new(kind, name, *args) == 0
    path = site.content / f"{kind}s" / f"{name}.yaml"
    assert path.read_text(encoding="utf-8").startswith(schema_line(f"{kind}s") + "\n")
    empty = [
        m.split(": ", 1)[1].removesuffix(" is empty; write a value after the colon") for m in messages(site)
    ]
    assert [key.rsplit(".", 1)[-1] for key in empty] == list(blanks)
    fill(path, **blanks)
    assert messages(site) == []


def test_refuses_to_overwrite(site: Project, capsys: pytest.CaptureFixture[str]) -> None:
    path = site.root / "content/offerings/replicate/o1-mini-2024-09-12.yaml"
    before = path.read_bytes()
    assert new("offering", "replicate/o1-mini-2024-09-12") == 2
    assert "already exists" in capsys.readouterr().err
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["creator", "Mistral AI"], 'creator "Mistral AI" is not a valid slug'),
        (["offering", "gpt-4o"], "an offering is named PROVIDER/MODEL"),
        (["offering", "Replicate/gpt-4o"], 'try "replicate"'),
        (["offering", "groq/gpt-4o"], "no provider groq"),
        (
            ["offering", "replicate/gpt-4o", "--model-id", "gpt-4o"],
            "does not follow Replicate's model-ID rule",
        ),
        (["offering", "replicate/gpt-4o", "--input", "cheap"], "--input: not an amount of money"),
        (["model", "x", "--released", "2024-13-01"], "--released:"),
        (["provider", "p", "--api", "graphql"], "is not an API shape"),
        (["provider", "p", "--id-pattern", "^[a-z]+$", "--id-example", "A1"], "does not match"),
    ],
)
def test_refuses_bad_names_and_values(
    site: Project, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert new(*args) == 2
    assert message in capsys.readouterr().err
    assert not (site.content / "offerings/replicate/gpt-4o.yaml").exists()


def test_prompts_for_what_flags_did_not_give(site: Project, capsys: pytest.CaptureFixture[str]) -> None:
    answers: Iterator[str] = iter(
        ["not an id", "openai/gpt-4o", "http://insecure", "https://replicate.com/x", "", "2.50", ""]
    )
    questions: list[str] = []

    def ask(question: str) -> str:
        questions.append(question)
        return next(answers)

    created = create(site, "offering", "replicate/gpt-4o", {}, ask)
    assert created.blanks == ["pricing.output"]
    assert questions[0].startswith("Model ID on Replicate")
    assert questions[4] == "When you read them (YYYY-MM-DD) (Enter to say today): "
    out = capsys.readouterr().out
    # the rule comes before the question, and a wrong answer is explained and asked again
    assert out.startswith(
        "Replicate's model IDs: owner/model-name, optionally :version-hash (for example openai/o1-mini)\n"
    )
    assert "does not follow Replicate's model-ID rule" in out and "is not an https:// URL" in out
    doc = load_document(created.path, created.display)
    assert isinstance(doc, Document)
    assert doc.data["model_id"] == "openai/gpt-4o"
    assert doc.data["source"] == "https://replicate.com/x"
    assert doc.data["pricing"] == {"input": pytest.approx(2.5), "output": None}


def test_a_missing_model_is_pointed_out(site: Project) -> None:
    created = create(site, "offering", "replicate/gpt-4o", {}, None)
    assert created.notes == [
        "content/models/gpt-4o.yaml does not exist yet: create it with `modeldir new model gpt-4o`"
    ]


def test_an_unknown_provider_lists_the_known_ones(site: Project) -> None:
    with pytest.raises(UsageError, match=r"known providers: replicate"):
        create(site, "offering", "groq/gpt-4o", {}, None)


@pytest.mark.parametrize(
    "value",
    [
        "GPT-4o",
        "o1-mini (2024-09-12)",
        "https://x.org/a?b=c&d#frag",
        "a:b",
        "yes",
        "null",
        "a: b",
        "x #y",
        "2024-05-13",
        "1.10",
        "'q'",
        "Ünïcode",
        r"^[a-z]\d+(:\w+)?$",
        "tab\there",
        " lead",
    ],
)
def test_scalars_read_back_as_the_same_text(tmp_path: Path, value: str) -> None:
    path = tmp_path / "x.yaml"
    path.write_text(f"name: {scalar(value)}\n", encoding="utf-8")
    doc = load_document(path, "x.yaml")
    assert isinstance(doc, Document) and doc.data == {"name": value}


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        st.characters(blacklist_categories=("Cc", "Cs", "Cf", "Zl", "Zp", "Co", "Cn")),
        min_size=1,
        max_size=40,
    )
)
def test_any_text_a_contributor_types_is_written_back_exactly(value: str) -> None:
    doc = parse_document(f"name: {scalar(value)}\n".encode(), Path("x.yaml"), "x.yaml")
    assert isinstance(doc, Document), doc
    assert doc.data == {"name": value}
