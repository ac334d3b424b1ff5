"""`modeldir check --format github|json`: problems where CI and programs can read them."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from generator.cli import main
from generator.errors import Location, Problem, Severity
from generator.project import Project
from generator.report import annotation

BROKEN_OFFERING = """\
model_id: openai/o1-mini
source: https://replicate.com/openai/o1-mini
as_of: 2026-04-15
pricing:
  input: 1.10
  outptu: 4.40
status: beta
"""


def run(project: Project, monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    monkeypatch.chdir(project.root)
    return main(["check", *args])


@pytest.fixture
def broken(make_site: Callable[..., Project]) -> Project:
    return make_site({"content/offerings/replicate/o1-mini-2024-09-12.yaml": BROKEN_OFFERING})


def test_github_format_annotates_the_broken_line(
    broken: Project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(broken, monkeypatch, "--format", "github") == 1
    out = capsys.readouterr().out.splitlines()
    file = "content/offerings/replicate/o1-mini-2024-09-12.yaml"
    assert out == [
        f'::error file={file},line=6,col=3,title=modeldir check::unknown key "outptu" (did you mean "output"?)',
        f'::error file={file},line=7,col=9,title=modeldir check::status: "beta" is not allowed; '
        "use one of: preview, ga, deprecated, retired",
    ]


def test_github_format_marks_warnings_as_warnings(
    make_site: Callable[..., Project], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_site({"content/notes.txt": "stray"})
    assert run(project, monkeypatch, "--format", "github") == 0
    assert capsys.readouterr().out.startswith("::warning file=content/notes.txt,title=modeldir check::")


def test_annotation_escapes_what_would_break_the_command() -> None:
    problem = Problem(Location("a,b:c.yaml", 3, 2), Severity.ERROR, "100% wrong\nsecond line")
    assert (
        annotation(problem)
        == "::error file=a%2Cb%3Ac.yaml,line=3,col=2,title=modeldir check::100%25 wrong%0Asecond line"
    )


def test_json_format_lists_every_problem(
    broken: Project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(broken, monkeypatch, "--format", "json") == 1
    document = json.loads(capsys.readouterr().out)
    assert document["errors"] == 2 and document["warnings"] == 0
    first = document["problems"][0]
    assert first == {
        "file": "content/offerings/replicate/o1-mini-2024-09-12.yaml",
        "line": 6,
        "column": 3,
        "severity": "error",
        "message": 'unknown key "outptu" (did you mean "output"?)',
    }


def test_json_format_of_a_clean_site(
    make_site: Callable[..., Project], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(make_site(), monkeypatch, "--format", "json") == 0
    assert json.loads(capsys.readouterr().out) == {"problems": [], "errors": 0, "warnings": 0}


def test_an_invalid_site_yaml_is_reported_in_the_chosen_format(
    make_site: Callable[..., Project], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_site({"site.yaml": "title: x\nbase_url: https://example.org\n"})
    assert run(project, monkeypatch, "--format", "github") == 1
    out = capsys.readouterr().out
    assert out.startswith("::error file=site.yaml,line=1,col=1,") and "repo_url" in out


def test_text_format_is_unchanged(
    broken: Project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(broken, monkeypatch) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "content/offerings/replicate/o1-mini-2024-09-12.yaml:6:3: error: unknown key" in captured.err
