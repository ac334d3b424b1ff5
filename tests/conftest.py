"""Shared fixtures: small sites written inline, built with the repository's templates.

``make_site(files)`` writes a site into a temporary folder from a mapping of
relative path -> text (``site.yaml`` defaults to a minimal valid one) and
returns a :class:`generator.project.Project` that uses the repository's own
``templates/`` and ``static/``. ``BASE_FILES`` is a complete one-offering site
that tests extend or break one file at a time.

Tools that some tests need (chromium, java) are looked up by
``require_tool``: missing locally, the test is skipped; missing in CI
(``CI`` set), the test fails, so CI can never pass by skipping.

Temporary folders go to a RAM file system when the machine has one with room
(see :func:`pytest_configure`): the tests build hundreds of small sites, and
on an ordinary disk making a folder and a file costs milliseconds where a RAM
file system takes tens of microseconds. Set ``TMPDIR`` to choose the place.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import tempfile
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.project import Project

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
RAM_FOLDER = Path("/dev/shm")
RAM_NEEDED = 4 << 30  # bytes free; a whole run keeps under a gigabyte there at a time


def pytest_configure(config: pytest.Config) -> None:
    """Put every temporary folder (``tmp_path``, and those of the builds and tools the tests run)
    in ``/dev/shm`` when it is a writable folder with room, unless ``TMPDIR`` says where."""
    if os.environ.get("TMPDIR") or not RAM_FOLDER.is_dir() or not os.access(RAM_FOLDER, os.W_OK):
        return
    free = os.statvfs(RAM_FOLDER)
    if free.f_bavail * free.f_frsize >= RAM_NEEDED:
        os.environ["TMPDIR"] = str(RAM_FOLDER)  # (for the processes the tests start too)
        tempfile.tempdir = None  # gettempdir() looks again


SITE_YAML = """\
title: modeldir test
base_url: https://example.org
repo_url: https://github.com/example/modeldir
datasets:
  litellm:
    name: LiteLLM model prices
    url: https://github.com/BerriAI/litellm
    version: "1.110.2"
    license: MIT
    read: 2026-11-25
"""

BASE_FILES: dict[str, str] = {
    "site.yaml": SITE_YAML,
    "content/creators/openai.yaml": "name: OpenAI\nurl: https://openai.com\n",
    "content/models/o1-mini-2024-09-12.yaml": """\
        name: o1-mini (2024-09-12)
        creator: openai
        family: o1
        released: 2024-09-12
        context_window: 128000
        capabilities: [reasoning]
        """,
    "content/providers/replicate.yaml": """\
        name: Replicate
        url: https://replicate.com
        api: replicate
        auth_env: [REPLICATE_API_TOKEN]
        model_id:
          pattern: '^[a-z0-9][a-z0-9._-]*/[a-z0-9][a-z0-9._-]*(:[0-9a-f]{64})?$'
          hint: owner/model-name, optionally :version-hash
          example: openai/o1-mini
        """,
    "content/offerings/replicate/o1-mini-2024-09-12.yaml": """\
        model_id: openai/o1-mini
        source: https://replicate.com/openai/o1-mini
        as_of: 2026-04-15
        pricing:
          input: 1.10
          output: 4.40
        """,
}


def write_site(root: Path, files: dict[str, str | None]) -> Project:
    """Write ``files`` under ``root`` (a None value deletes that base file) and return the project."""
    merged: dict[str, str | None] = {**BASE_FILES, **files}
    for relative, text in merged.items():
        if text is None:
            continue
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return fixture_project(root)


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder``: its path there -> its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def search_entries(bundle: Path) -> dict[str, dict[str, Any]]:
    """Each page's entry in one part of a search index (Pagefind's gzipped fragments in
    ``bundle``), by URL."""
    entries = {}
    for path in (bundle / "fragment").iterdir():
        data = json.loads(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd"))
        entries[data["url"]] = data
    return entries


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[[dict[str, str | None]], Project]:
    def make(files: dict[str, str | None] | None = None) -> Project:
        return write_site(tmp_path / "site", files or {})

    return make


GIT_ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.org",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def calls_of(
    monkeypatch: pytest.MonkeyPatch, owner: object, name: str, label: Callable[..., str]
) -> list[str]:
    """The calls of ``owner.name`` from here on (in this process), each as ``label(*args)``."""
    calls: list[str] = []
    original = getattr(owner, name)

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(label(*args))
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, counting)
    return calls


def git(root: Path, *args: str) -> None:
    """Run git in ``root`` with a fixed identity and no user or system configuration."""
    subprocess.run(
        ["git", "-C", str(root), *args], check=True, capture_output=True, env={**os.environ, **GIT_ENV}
    )


def require_tool(name: str, path: str | None = None) -> str:
    """The path of an executable, or skip (locally) / fail (in CI) when it is missing."""
    found = path if path and os.access(path, os.X_OK) else shutil.which(name)
    if found:
        return found
    message = f"{name} is not installed (see the README's test command)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


# --- a built site, served on loopback, and a browser (shared by the whole session) ---


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's own content built once per test session; returns the output folder."""
    from generator.build import build_site

    out = tmp_path_factory.mktemp("built") / "public"
    build_site(Project.find(REPO), out)
    return out


SAMPLE_SITE = FIXTURES / "sites" / "publishing"


def fixture_project(root: Path) -> Project:
    """A site folder of tests/fixtures/sites built with the repository's templates and static files."""
    return Project(
        root=root,
        content=root / "content",
        templates=REPO / "templates",
        static=REPO / "static",
        site_file=root / "site.yaml",
    )


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/fixtures/sites/publishing built once per session: every page kind and publishing feature."""
    from generator.build import build_site

    out = tmp_path_factory.mktemp("sample") / "public"
    build_site(fixture_project(SAMPLE_SITE), out)
    return out


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """``built_site`` served over HTTP on 127.0.0.1 (a random free port)."""
    import functools
    import http.server
    import threading

    handler = functools.partial(QuietHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class QuietHandler(__import__("http.server").server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's chromium driven by Playwright (never a downloaded browser)."""
    executable = require_tool("chromium", "/usr/bin/chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("playwright is not installed")
        pytest.skip("playwright is not installed")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_FLAGS)
        yield instance
        instance.close()
