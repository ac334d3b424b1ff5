"""The development server: loopback only, nothing outside the output folder, errors in the browser."""

from __future__ import annotations

import gc
import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator import serve
from generator.build import build_site
from generator.devserver import OVERLAY_ID, BuildStatus, make_app, resolve_request_path
from generator.project import Project
from generator.serve import Site
from generator.write import SiteWriter
from tests.conftest import REPO, calls_of, search_entries, tree
from tests.corpus import materialize

# --- request paths -----------------------------------------------------------------


@pytest.fixture
def site_root(tmp_path: Path) -> Path:
    root = tmp_path / "public"
    (root / "models/x").mkdir(parents=True)
    (root / "index.html").write_text("<html><body>home</body></html>")
    (root / "404.html").write_text("<html><body>missing</body></html>")
    (root / "models/x/index.html").write_text("<html><body>x</body></html>")
    (tmp_path / "secret.txt").write_text("secret")
    (root / "escape").symlink_to(tmp_path, target_is_directory=True)
    return root


@pytest.mark.parametrize(
    "path",
    [
        "/../secret.txt",
        "/models/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/%252e%252e/secret.txt",
        "/..%2fsecret.txt",
        "/..%5csecret.txt",
        "/models\\..\\..\\secret.txt",
        "/index.html%00.png",
        "/escape/secret.txt",
    ],
)
def test_paths_outside_the_output_folder_are_refused(site_root: Path, path: str) -> None:
    assert resolve_request_path(site_root, path) is None


@pytest.mark.parametrize(
    ("path", "expected"),
    [("/", "index.html"), ("/models/x/", "models/x/index.html"), ("/models/x", "models/x/index.html")],
)
def test_paths_inside_resolve_to_their_file(site_root: Path, path: str, expected: str) -> None:
    assert resolve_request_path(site_root, path) == (site_root / expected).resolve()


def call(app: Any, path: str, method: str = "GET") -> tuple[str, dict[str, str], bytes]:
    seen: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        seen["status"], seen["headers"] = status, dict(headers)

    body = b"".join(app({"REQUEST_METHOD": method, "PATH_INFO": path}, start_response))
    return seen["status"], seen["headers"], body


def test_app_serves_pages_refuses_escapes_and_shows_build_errors(site_root: Path) -> None:
    status = BuildStatus()
    app = make_app(site_root, status)
    assert call(app, "/")[0] == "200 OK"
    assert call(app, "/../secret.txt")[0] == "403 Forbidden"
    code, _, body = call(app, "/nope/")
    assert code == "404 Not Found" and b"missing" in body
    assert call(app, "/", "POST")[0] == "405 Method Not Allowed"

    status.failed(['content/models/x.yaml:1:7: error: name: "<script>alert(1)</script>" is bad'])
    code, headers, body = call(app, "/models/x/")
    assert code == "200 OK" and b"<body>" + b'<div id="' + OVERLAY_ID.encode() in body
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in body and b"<script>" not in body
    assert int(headers["Content-Length"]) == len(body)
    status.succeeded()
    assert OVERLAY_ID.encode() not in call(app, "/models/x/")[2]


def test_app_shows_errors_before_any_site_exists(tmp_path: Path) -> None:
    status = BuildStatus()
    status.failed(["site.yaml:1:1: error: broken"])
    code, _, body = call(make_app(tmp_path / "never-built", status), "/")
    assert code == "503 Service Unavailable" and b"site.yaml:1:1: error: broken" in body


# --- the real server, in a subprocess ---------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def get(port: int, path: str) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)  # sent as is: http.client does not normalise ".."
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


# what the browser says when a navigation or a look at a page is cut short by the page's reload
RELOADED = ("net::ERR_ABORTED", "Execution context was destroyed", "interrupted by another navigation")


def wait_for(predicate: Any, what: str, limit: float = 60) -> None:
    """Poll until ``predicate()`` holds; the limit only guards against a hang."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except OSError:
            pass
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}")


def listening_addresses(port: int) -> set[str]:
    """Local addresses with a listening TCP socket on ``port`` (from /proc/net/tcp{,6})."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not os.path.exists(table):
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, _, hex_port = local.rpartition(":")
            if state == "0A" and int(hex_port, 16) == port:
                found.add(address)
    return found


@pytest.fixture
def running_server(tmp_path: Path) -> Iterator[tuple[Path, int]]:
    root = materialize([], tmp_path / "site")
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--port", str(port), "--out", str(tmp_path / "public")],
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(lambda: get(port, "/")[0] == 200, "the server to start")
        yield root, port
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_server_listens_on_loopback_and_refuses_escapes(running_server: tuple[Path, int]) -> None:
    _, port = running_server
    if os.path.exists("/proc/net/tcp"):
        assert listening_addresses(port) == {"0100007F"}, "serve must listen on 127.0.0.1 only"
    for path in ("/../../../../etc/passwd", "/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2f..%2fetc/passwd"):
        code, body = get(port, path)
        assert code in (400, 403, 404) and "root:" not in body, path


@pytest.mark.browser
def test_a_broken_edit_keeps_the_last_good_site_and_shows_the_error(
    running_server: tuple[Path, int], browser: Any
) -> None:
    """Seen in a browser, so it holds however the page learns of the failure (served or pushed)."""
    root, port = running_server
    context = browser.new_context()
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    panel = page.locator(f"#{OVERLAY_ID}")
    url = f"http://127.0.0.1:{port}/models/o1-mini-2024-09-12/replicate/"
    model = root / "content/models/o1-mini-2024-09-12.yaml"
    fixed = model.read_text()

    from playwright.sync_api import Error as BrowserError

    def panel_text() -> str | None:
        """The error panel's text, or None when the page's own live reload (after a build)
        interrupted this look at it: the next look sees the reloaded page."""
        try:
            page.goto(url, wait_until="load")
            page.wait_for_timeout(300)  # a page told of the failure over a live connection
            return panel.inner_text() if panel.count() else ""
        except BrowserError as error:
            if any(sign in error.message for sign in RELOADED):
                return None
            raise

    try:
        assert panel_text() == ""
        model.write_text(fixed + 'knowledge_cutoff: "<img src=x onerror=alert(1)>"\n')
        wait_for(lambda: "is not a month or a date" in (panel_text() or ""), "the build error in the page")
        assert "<img src=x onerror=alert(1)>" in panel.inner_text()  # the contributor's text, as text
        assert "o1-mini (2024-09-12)" in page.inner_text("main")  # the last good page, still served
        model.write_text(fixed)
        wait_for(lambda: panel_text() == "", "the error to go after a good build")
        assert not dialogs
    finally:
        context.close()


# --- open pages first ----------------------------------------------------------------


def test_open_pages_reload_once_from_memory_then_from_the_published_build(tmp_path: Path) -> None:
    root = materialize([], tmp_path / "site")
    out = tmp_path / "public"
    site = Site(Project.find(root), out)
    assert site.rebuild()
    model = root / "content/offerings/replicate/o1-mini-2024-09-12.yaml"
    url = "/models/o1-mini-2024-09-12/replicate/"
    site.viewing[url] += 1
    seen: list[tuple[int, bytes | None, bytes]] = []
    show_first = site._show_first

    def watched(pages: dict[str, bytes]) -> None:
        show_first(pages)
        seen.append(
            (site.generation, site.fresh_page(url), (out / url.strip("/") / "index.html").read_bytes())
        )

    site._show_first = watched  # type: ignore[method-assign]
    generation = site.generation
    model.write_text(re.sub(r"(?m)^  input: .*$", "  input: 77.70", model.read_text(), count=1))
    assert site.rebuild()
    [(during, fresh, published_then)] = seen
    assert during == generation + 1 and fresh is not None and b"$77.70" in fresh
    assert b"$77.70" not in published_then  # served from memory while the rest was built
    assert site.generation == generation + 1, "the open page reloads once, not again when published"
    assert site.fresh_page(url) is None and not site.state()["building"]
    assert (out / url.strip("/") / "index.html").read_bytes() == fresh


def test_a_failure_after_the_open_pages_sends_them_back_to_the_last_good_build(tmp_path: Path) -> None:
    root = materialize([], tmp_path / "site")
    site = Site(Project.find(root), tmp_path / "public")
    assert site.rebuild()
    url = "/models/o1-mini-2024-09-12/replicate/"
    site.viewing[url] += 1
    model = root / "content/offerings/replicate/o1-mini-2024-09-12.yaml"
    model.write_text(re.sub(r"(?m)^  input: .*$", "  input: 77.70", model.read_text(), count=1))
    (root / "templates").unlink()  # a copy of the templates to break, not the repository's
    shutil.copytree(REPO / "templates", root / "templates")
    home = root / "templates/home.html"  # the open page renders; a page that lists it fails
    home.write_text(home.read_text().replace("{% block main %}", "{% block main %}{{ v.no_such_field }}", 1))
    generation = site.generation
    assert not site.rebuild()
    assert site.generation == generation + 2  # shown first, then back to the last good build
    assert site.fresh_page(url) is None and site.state()["error"]


def test_the_collector_waits_until_the_live_connections_sent_the_news(tmp_path: Path) -> None:
    site = Site(Project.find(materialize([], tmp_path / "site")), tmp_path / "public")
    site.listening = 1  # a live connection, played by this test
    collecting: list[bool] = []
    builder = threading.Thread(target=lambda: collecting.append(site.rebuild() and gc.isenabled()))
    assert gc.isenabled()
    builder.start()
    with site.changed:
        assert site.changed.wait_for(lambda: site.untold == 1 and not site.building, timeout=60)
        assert not gc.isenabled(), "the build's objects are not walked before the news is out"
        site.untold -= 1  # what the connection does once it sent the state
        site.changed.notify_all()
    builder.join(timeout=10)
    assert collecting == [True]


# --- the search index follows the pages when the files are quiet --------------------------

GOTCHA = "gotchas:\n  - Zanzibarquux answers come back in chunks.\n"
OFFERING = "content/offerings/replicate/o1-mini-2024-09-12.yaml"
OFFERING_URL = "/models/o1-mini-2024-09-12/replicate/"


def child_processes() -> list[int]:
    """This process's children (from /proc), ended ones not yet waited for among them."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # (it ended meanwhile)
            continue
        if int(fields[1]) == os.getpid():
            found.append(int(stat.parent.name))
    return found


def indexed(out: Path, word: str) -> list[str]:
    """The URLs of the pages whose search entry holds ``word``, in every part of the index."""
    bundles = [out / "pagefind", *sorted((out / "pagefind").glob("part-*"))]
    return sorted(
        url for b in bundles for url, entry in search_entries(b).items() if word in entry["content"]
    )


def test_the_search_index_follows_when_asked_and_a_change_stops_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = materialize([], tmp_path / "site")
    out = tmp_path / "public"
    site = Site(Project.find(root), out)
    assert site.rebuild() and not site.search_stale
    offering = root / OFFERING
    offering.write_text(offering.read_text() + GOTCHA)
    assert site.rebuild()
    assert b"Zanzibarquux" in (out / OFFERING_URL.strip("/") / "index.html").read_bytes()
    assert site.search_stale and indexed(out, "Zanzibarquux") == []  # the rebuild kept the index as it was

    published = tree(out)
    assert not site.refresh_search(lambda: True)  # a save came: stopped before the indexer ran
    others = set(child_processes())  # (a browser the other tests started)
    assert not site.refresh_search(lambda: bool(set(child_processes()) - others))  # while the indexer ran
    assert set(child_processes()) <= others, "the indexer is killed"
    assert tree(out) == published and site.search_stale
    beside = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".public"))
    # (the copies of the pages and the indexer's output wait for the next refresh to remove them)
    assert beside == [
        ".public.scratch-" + str(os.getpid()),
        ".public.sorted-" + str(os.getpid()),
        ".public.spare",
    ]

    # the files the stopped builds did not reach are not made again for their sake
    rules = (out / "_headers").stat().st_ino
    offering.write_text(offering.read_text().replace("Zanzibarquux", "Zanzibarquuy"))
    assert site.rebuild()
    assert (out / "_headers").stat().st_ino == rules

    generation = site.generation
    read = calls_of(monkeypatch, SiteWriter, "read", lambda writer, relative: relative)
    assert site.refresh_search(lambda: False)
    assert indexed(out, "Zanzibarquuy") == [OFFERING_URL] and not site.search_stale
    # the server knows what the indexer was handed of every page but the one written since
    assert read == [OFFERING_URL.strip("/") + "/index.html"]
    assert site.generation == generation, "the open pages do not reload for the index"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".public")] == [".public.spare"]
    build_site(Project.find(root), tmp_path / "clean", incremental=False)
    assert tree(out) == tree(tmp_path / "clean")  # (the stopped builds' spare served the last)


def test_the_server_brings_the_search_index_up_to_date_once_the_files_are_quiet(
    running_server: tuple[Path, int], tmp_path: Path
) -> None:
    root, port = running_server
    offering = root / OFFERING
    offering.write_text(offering.read_text() + GOTCHA)
    wait_for(lambda: "Zanzibarquux" in get(port, OFFERING_URL)[1], "the page to show the edit")
    wait_for(lambda: indexed(tmp_path / "public", "Zanzibarquux") == [OFFERING_URL], "the search index")


def test_a_build_that_cannot_write_is_a_failed_build_and_the_server_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = Site(Project.find(materialize([], tmp_path / "site")), tmp_path / "public")
    assert site.rebuild()

    def full_disk(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(serve, "build_site", full_disk)
    assert not site.rebuild() and "No space left on device" in str(site.error)
    assert not site.refresh_search(lambda: False)
    monkeypatch.undo()
    assert site.rebuild() and site.error is None
