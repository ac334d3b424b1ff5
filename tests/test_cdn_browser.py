"""The site works under its own _headers: chromium reports no Content-Security-Policy violation."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import ClassVar

import pytest

pytestmark = pytest.mark.browser

PAGES = [
    "/",
    "/models/o1-mini-2024-09-12/replicate/",  # history chart, JSON-LD, recipes
    "/models/o1-mini-2024-09-12/openai/",  # lifecycle badge
    "/changelog/",
    "/deprecations/",
    "/api/",
    "/offerings/",  # the catalog table and its script
    "/compare/",
    "/search/?q=replicate",  # the search index (WebAssembly) runs
    "/404.html",
]


def header_rules(site: Path) -> list[tuple[str, list[tuple[str, str]]]]:
    rules: ClassVar[list[tuple[str, list[tuple[str, str]]]]] = []
    for line in (site / "_headers").read_text().splitlines():
        if line and not line.startswith("#"):
            if line.startswith(" "):
                name, _, value = line.strip().partition(": ")
                rules[-1][1].append((name, value))
            else:
                rules.append((line, []))
    return rules


class HeadersHandler(http.server.SimpleHTTPRequestHandler):
    rules: ClassVar[list[tuple[str, list[tuple[str, str]]]]] = []

    def end_headers(self) -> None:
        path = self.path.split("?", 1)[0]
        for pattern, values in self.rules:
            if (pattern.endswith("*") and path.startswith(pattern[:-1])) or path == pattern:
                for name, value in values:
                    self.send_header(name, value)
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve_with_headers(site: Path) -> Iterator[str]:
    """Serve ``site`` on loopback, sending the headers its _headers file gives each path."""
    handler = type("Handler", (HeadersHandler,), {"rules": header_rules(site)})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(site))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def strict_url(sample_site: Path) -> Iterator[str]:
    with serve_with_headers(sample_site) as url:
        yield url


def test_pages_load_under_the_content_security_policy(browser, strict_url: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"{page.url}: {m.text}") if m.type == "error" else None)
    page.on(  # a request cut short by the next navigation is not a failure
        "requestfailed",
        lambda r: (
            problems.append(f"{page.url}: failed {r.url}") if "ABORTED" not in (r.failure or "") else None
        ),
    )
    try:
        for path in PAGES:
            response = page.goto(strict_url + path)
            assert response is not None
            assert "script-src 'self' 'wasm-unsafe-eval'" in response.headers["content-security-policy"]
            # the stylesheet applied: the header is styled, so style-src let it through
            assert (
                page.eval_on_selector(".site-header", "e => getComputedStyle(e).borderBottomStyle") == "solid"
            )
        chart = page.goto(strict_url + PAGES[1])
        assert chart is not None and page.locator("svg.history-chart").is_visible()
    finally:
        context.close()
    assert not problems, "\n".join(problems)
