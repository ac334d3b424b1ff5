"""`modeldir diff BASE`: pages added, removed and changed, and prices from -> to."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import REPO, git

from generator.build import build_site
from generator.cli import main
from generator.diff import MARKER, PriceChange, as_markdown, as_text, diff
from generator.errors import UsageError
from generator.manifest import MANIFEST
from generator.project import Project

OFFERING = "content/offerings/replicate/o1-mini-2024-09-12.yaml"
PAGE = "/models/o1-mini-2024-09-12/replicate/"


@pytest.fixture
def repo(make_site: Callable[..., Project]) -> Project:
    """The base site committed on a branch ``main``, then one price changed in the working tree."""
    project = make_site()
    git(project.root, "init", "-q", "-b", "main")
    git(project.root, "add", "-A")
    git(project.root, "commit", "-q", "-m", "base")
    path = project.root / OFFERING
    path.write_text(path.read_text().replace("input: 1.10", "input: 0.90"))
    return project


def test_one_price_change_shows_its_pages_and_the_price(repo: Project) -> None:
    result = diff(repo, "main")
    assert result.added == [] and result.removed == []
    # the offering page, and the tables that show its price
    assert result.changed == [
        "/",
        "/models/o1-mini-2024-09-12/",
        PAGE,
        "/offerings/",
        "/providers/replicate/",
    ]
    assert result.prices == [
        PriceChange(PAGE, "o1-mini (2024-09-12) on Replicate", "Input tokens", "$1.10", "$0.90")
    ]
    text = as_text(result)
    assert "0 pages added, 0 removed, 5 changed; 1 price change." in text
    assert f"  ~ {PAGE}\n" in text
    assert (
        "o1-mini (2024-09-12) on Replicate (/models/o1-mini-2024-09-12/replicate/) Input tokens: $1.10 -> $0.90"
        in text
    )


def test_markdown_is_a_pull_request_comment(repo: Project) -> None:
    markdown = as_markdown(diff(repo, "main"))
    assert markdown.startswith(MARKER + "\n")
    assert (
        f"| [o1-mini (2024-09-12) on Replicate](https://example.org{PAGE}) | Input tokens | \\$1.10 | \\$0.90 |"
        in markdown
    )
    assert f"- [`{PAGE}`](https://example.org{PAGE})" in markdown


def test_a_new_offering_adds_pages_and_lists_its_prices(repo: Project) -> None:
    (repo.root / "content/models/o3-mini.yaml").write_text("name: o3-mini\ncreator: openai\n")
    (repo.root / "content/offerings/replicate/o3-mini.yaml").write_text(
        "model_id: openai/o3-mini\nsource: https://replicate.com/openai/o3-mini\nas_of: 2026-04-15\n"
        "pricing:\n  input: 1.10\n  output: not_offered\n"
    )
    result = diff(repo, "main")
    assert result.added == ["/models/o3-mini/", "/models/o3-mini/replicate/"]
    new = [(c.dimension, c.before, c.after) for c in result.prices if c.url == "/models/o3-mini/replicate/"]
    assert new == [("Input tokens", "(new)", "$1.10"), ("Output tokens", "(new)", "Not offered")]


def test_a_removed_offering(repo: Project) -> None:
    (repo.root / OFFERING).unlink()
    result = diff(repo, "main")
    assert result.removed == [PAGE]
    assert [(c.before, c.after) for c in result.prices] == [("$1.10", "(removed)"), ("$4.40", "(removed)")]


def test_no_change(repo: Project) -> None:
    git(repo.root, "commit", "-q", "-am", "cut the price")
    result = diff(repo, "HEAD")
    assert result.empty and as_text(result) == "No page and no price changes compared with HEAD.\n"


def test_files_outside_the_content_are_noted(repo: Project) -> None:
    (repo.root / "README.md").write_text("changed\n")
    git(repo.root, "add", "README.md")
    notes = diff(repo, "main").notes
    assert len(notes) == 1 and "README.md" in notes[0] and "their effect is not shown" in notes[0]


def test_against_a_built_folder(repo: Project, tmp_path: Path) -> None:
    path = repo.root / OFFERING
    changed = path.read_text()
    path.write_text(changed.replace("input: 0.90", "input: 1.10"))
    build_site(repo, tmp_path / "published")
    assert json.loads((tmp_path / "published" / MANIFEST).read_text())["offerings"][PAGE]["prices"] == {
        "Input tokens": "$1.10",
        "Output tokens": "$4.40",
    }
    path.write_text(changed)
    result = diff(repo, str(tmp_path / "published"))
    assert result.changed == [
        "/",
        "/models/o1-mini-2024-09-12/",
        PAGE,
        "/offerings/",
        "/providers/replicate/",
    ]
    assert [(c.before, c.after) for c in result.prices] == [("$1.10", "$0.90")]


def test_a_base_that_is_neither_revision_nor_site(repo: Project) -> None:
    with pytest.raises(UsageError, match="neither a git revision nor a folder"):
        diff(repo, "no-such-branch")


def test_the_command_writes_markdown_to_a_file(
    repo: Project, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for folder in ("templates", "static"):
        (repo.root / folder).symlink_to(REPO / folder)
    monkeypatch.chdir(repo.root)
    assert main(["diff", "main", "--format", "markdown", "--output", str(tmp_path / "comment.md")]) == 0
    assert "\\$1.10 | \\$0.90" in (tmp_path / "comment.md").read_text()


def test_a_huge_change_still_fits_in_one_comment() -> None:
    from generator.diff import COMMENT_LIMIT, SiteDiff

    urls = [f"/models/model-{i:05d}/provider-{i:05d}/" for i in range(5000)]
    huge = SiteDiff("main", "https://example.org", added=urls, changed=urls, removed=urls)
    huge.prices = [
        PriceChange(u, f"Model {i} on Provider {i}", "Input tokens", "$1.10", "$0.90")
        for i, u in enumerate(urls)
    ]
    markdown = as_markdown(huge)
    assert len(markdown) <= COMMENT_LIMIT
    assert "| … and 4900 more | | | |" in markdown and "- … and 4950 more" in markdown
