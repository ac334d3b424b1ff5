"""The build as a whole: every page type, determinism, atomic publishing, exit codes."""

from __future__ import annotations

import filecmp
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import REPO, tree

from generator.assets import fingerprint
from generator.build import build_site
from generator.errors import BuildError, ContentError
from generator.project import Project
from generator.routes import Route, check_collisions

MORE = {
    "content/creators/anthropic.yaml": "name: Anthropic\n",
    "content/models/claude-haiku-4-5.yaml": "name: Claude Haiku 4.5\ncreator: anthropic\ncontext_window: 200000\n",
    "content/providers/anthropic.yaml": """\
        name: Anthropic
        url: https://www.anthropic.com
        api: anthropic
        auth_env: [ANTHROPIC_API_KEY]
        model_id: {pattern: '^claude-[a-z0-9.-]+$', hint: claude-<family>-<version>, example: claude-haiku-4-5}
        """,
    "content/offerings/anthropic/claude-haiku-4-5.yaml": """\
        model_id: claude-haiku-4-5
        source: https://www.anthropic.com/pricing
        as_of: 2026-10-15
        pricing: {input: 1, output: 5, cache_read: 0.10, batch_input: not_offered}
        """,
}


def test_every_page_type_is_written(make_site: Callable[..., Project], tmp_path: Path) -> None:
    out = tmp_path / "public"
    result = build_site(make_site(MORE), out)
    pages = {p for p in tree(out) if p.endswith(".html")}
    assert pages >= {
        "index.html",
        "404.html",
        "creators/openai/index.html",
        "creators/anthropic/index.html",
        "models/o1-mini-2024-09-12/index.html",
        "models/claude-haiku-4-5/index.html",
        "models/o1-mini-2024-09-12/replicate/index.html",
        "models/claude-haiku-4-5/anthropic/index.html",
        "providers/replicate/index.html",
        "providers/anthropic/index.html",
    }
    assert not {p for p in pages if p.startswith(("models/", "providers/", "creators/"))} - {
        "models/o1-mini-2024-09-12/index.html",
        "models/claude-haiku-4-5/index.html",
        "models/o1-mini-2024-09-12/replicate/index.html",
        "models/claude-haiku-4-5/anthropic/index.html",
        "providers/replicate/index.html",
        "providers/anthropic/index.html",
        "creators/openai/index.html",
        "creators/anthropic/index.html",
    }, "a record page that no record asked for"
    assert result.pages == len(pages)
    home = (out / "index.html").read_text()
    for link in (
        "/models/claude-haiku-4-5/anthropic/",
        "/models/o1-mini-2024-09-12/replicate/",
        "/providers/anthropic/",
    ):
        assert f'href="{link}"' in home
    haiku = (out / "models/claude-haiku-4-5/anthropic/index.html").read_text()
    assert "Not offered" in haiku and "$0.10" in haiku and "$1" in haiku


def test_unknown_and_not_offered_read_differently(make_site: Callable[..., Project], tmp_path: Path) -> None:
    build_site(make_site(MORE), tmp_path / "public")
    page = (tmp_path / "public/models/claude-haiku-4-5/anthropic/index.html").read_text()
    batch_row = page.split('<th scope="row">Batch input</th>', 1)[1].split("</tr>", 1)[0]
    assert "Not offered" in batch_row and "does not sell this" in batch_row
    output_row = page.split('<th scope="row">Batch output</th>', 1)[1].split("</tr>", 1)[0]
    assert "Not yet sourced" in output_row
    assert (
        "https://github.com/example/modeldir/edit/main/content/offerings/anthropic/claude-haiku-4-5.yaml"
        in output_row
    )


def test_two_builds_are_byte_identical(make_site: Callable[..., Project], tmp_path: Path) -> None:
    project = make_site(MORE)
    build_site(project, tmp_path / "a")
    build_site(project, tmp_path / "b")
    assert tree(tmp_path / "a") == tree(tmp_path / "b")


def test_build_date_comes_from_source_date_epoch(
    make_site: Callable[..., Project], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    build_site(make_site(), tmp_path / "public")
    assert "Data as of 2026-01-01." in (tmp_path / "public/index.html").read_text()


def test_failed_build_leaves_the_previous_site_untouched(
    make_site: Callable[..., Project], tmp_path: Path
) -> None:
    out = tmp_path / "public"
    project = make_site()
    build_site(project, out)
    before = tree(out)
    broken = project.content / "offerings/replicate/o1-mini-2024-09-12.yaml"
    broken.write_text(broken.read_text().replace("openai/o1-mini", "o1-mini-2024-09-12"))
    with pytest.raises(ContentError):
        build_site(project, out)
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public", "site"]


def test_a_render_failure_leaves_the_previous_site_untouched(
    make_site: Callable[..., Project], tmp_path: Path
) -> None:
    out = tmp_path / "public"
    project = make_site()
    build_site(project, out)
    before = tree(out)
    templates = tmp_path / "templates"
    import shutil

    shutil.copytree(project.templates, templates)
    (templates / "model.html").write_text(
        "{% extends 'base.html' %}{% block main %}{{ v.no_such_field }}{% endblock %}"
    )
    broken = Project(project.root, project.content, templates, project.static, project.site_file)
    with pytest.raises(BuildError, match="/models/o1-mini-2024-09-12/"):
        build_site(broken, out)
    assert tree(out) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".public")]


def test_rebuild_replaces_removed_pages(make_site: Callable[..., Project], tmp_path: Path) -> None:
    out = tmp_path / "public"
    project = make_site(MORE)
    build_site(project, out)
    (project.content / "offerings/anthropic/claude-haiku-4-5.yaml").unlink()
    build_site(project, out)
    assert not (out / "models/claude-haiku-4-5/anthropic").exists()
    style = fingerprint(REPO / "static").assets["style.css"]
    assert filecmp.cmp(out / style.output, REPO / "static/style.css", shallow=False)


def test_route_collisions_name_both_sources() -> None:
    routes = [
        Route("/models/a/", "model", ("a",), ("content/models/a.yaml",)),
        Route("/models/a/", "model", ("a",), ("content/models/old.yaml",)),
    ]
    with pytest.raises(
        BuildError,
        match=r"/models/a/index.html is claimed twice: by content/models/a.yaml and by content/models/old.yaml",
    ):
        check_collisions(routes)


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True, env=env
    )


def test_cli_exit_codes_and_messages(make_site: Callable[..., Project], tmp_path: Path) -> None:
    project = make_site()
    for name in ("templates", "static"):
        (project.root / name).symlink_to(REPO / name)
    ok = run_cli("build", cwd=project.root)
    assert ok.returncode == 0, ok.stderr
    # 4 record pages; home, 404, all offerings, compare, search, audit, credits; changelog, deprecations, API
    assert ok.stdout.startswith("modeldir build: 14 pages")
    assert run_cli("check", cwd=project.root).returncode == 0
    assert run_cli("build", "--no-such-flag", cwd=project.root).returncode == 2
    broken = project.content / "offerings/replicate/o1-mini-2024-09-12.yaml"
    broken.write_text(broken.read_text().replace("openai/o1-mini", "o1-mini-2024-09-12"))
    failed = run_cli("check", cwd=project.root)
    assert failed.returncode == 1
    assert "content/offerings/replicate/o1-mini-2024-09-12.yaml:1:11: error: model_id" in failed.stderr
    assert "Traceback" not in failed.stderr
    assert run_cli("build", cwd=project.root).returncode == 1
    assert run_cli("--version", cwd=project.root).stdout.startswith("modeldir ")
    for command in ("build", "check", "serve"):
        assert run_cli(command, "--help", cwd=project.root).returncode == 0
