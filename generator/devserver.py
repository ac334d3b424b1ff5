"""What ``modeldir serve`` answers: files of the output folder, and nothing else.

A small WSGI application that :mod:`generator.serve` calls for every request
(and then adds its live-reload script to every HTML page). It exists for two
guarantees the plain static handler does not make explicit:

* **Only the output folder.** :func:`resolve_request_path` decodes the request
  path, refuses ``..`` segments (also when percent-encoded as ``%2e%2e`` or
  double-encoded), backslashes and NUL bytes, and refuses any path that ends up
  outside the folder once symbolic links are resolved: 403, nothing read.
* **Errors in the browser.** When the last rebuild failed, the folder still
  holds the last good site and every HTML page is served with an overlay that
  lists the problems (escaped: they quote contributor text) and says the page
  is stale; the next good build removes it.
"""

from __future__ import annotations

import html
import mimetypes
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

StartResponse = Callable[[str, list[tuple[str, str]]], Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

OVERLAY_ID = "modeldir-build-error"


@dataclass
class BuildStatus:
    """The outcome of the last rebuild, shared by the rebuild thread and the request handlers."""

    problems: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def failed(self, problems: list[str]) -> None:
        with self.lock:
            self.problems = list(problems) or ["the build failed"]

    def succeeded(self) -> None:
        with self.lock:
            self.problems = []

    def current(self) -> list[str]:
        with self.lock:
            return list(self.problems)


def resolve_request_path(root: Path, url_path: str) -> Path | None:
    """The file under ``root`` that ``url_path`` names, or None when it would leave ``root``."""
    decoded = url_path
    for _ in range(3):  # "%252e%252e" -> "%2e%2e" -> ".."
        decoded = unquote(decoded)
    decoded = decoded.split("?", 1)[0]
    if "\\" in decoded or "\x00" in decoded:
        return None
    parts = [part for part in decoded.split("/") if part not in ("", ".")]
    if any(part == ".." for part in parts):
        return None
    base = root.resolve()
    candidate = base.joinpath(*parts)
    if candidate.is_dir():
        candidate = candidate / "index.html"
    try:
        resolved = candidate.resolve()
    except (OSError, RuntimeError):
        return None
    return resolved if resolved.is_relative_to(base) else None


def error_overlay(problems: list[str]) -> bytes:
    """A fixed banner listing the build problems; every problem is escaped."""
    items = "".join(f"<li>{html.escape(problem)}</li>" for problem in problems)
    return (
        f'<div id="{OVERLAY_ID}" role="alert" style="position:fixed;inset:auto 0 0 0;z-index:2147483647;'
        "max-height:50vh;overflow:auto;margin:0;padding:1em 1.5em;background:#fff4f4;color:#5c0000;"
        'border-top:4px solid #c00;font:14px/1.45 ui-monospace,monospace;white-space:pre-wrap">'
        "<strong>modeldir: the last rebuild failed; this page is from the last good build.</strong>"
        f'<ul style="margin:.5em 0 0;padding-left:1.2em">{items}</ul></div>'
    ).encode()


def with_overlay(page: bytes, problems: list[str]) -> bytes:
    """``page`` with the error overlay right after its <body> tag (or at the end)."""
    overlay = error_overlay(problems)
    lower = page.lower()
    start = lower.find(b"<body")
    end = lower.find(b">", start) if start != -1 else -1
    if end == -1:
        return page + overlay
    return page[: end + 1] + overlay + page[end + 1 :]


def make_app(root: Path, status: BuildStatus) -> WsgiApp:
    """The WSGI application that serves ``root`` (see the module docstring)."""

    def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD", "GET") not in ("GET", "HEAD"):
            return _respond(start_response, "405 Method Not Allowed", b"GET only\n", "text/plain")
        target = resolve_request_path(root, environ.get("PATH_INFO") or "/")
        if target is None:
            return _respond(start_response, "403 Forbidden", b"outside the site\n", "text/plain")
        code = "200 OK"
        if not target.is_file():
            code, target = "404 Not Found", root.resolve() / "404.html"
            if not target.is_file():  # no site yet: the first build failed, or nothing was built
                problems = status.current()
                if problems:
                    page = with_overlay(b"<!DOCTYPE html><title>Build failed</title><body></body>", problems)
                    return _respond(start_response, "503 Service Unavailable", page, "text/html")
                return _respond(start_response, code, b"not found\n", "text/plain")
        body = target.read_bytes()
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        problems = status.current()
        if kind == "text/html" and problems:
            body = with_overlay(body, problems)
        if environ.get("REQUEST_METHOD") == "HEAD":
            return _respond(start_response, code, b"", kind, length=len(body))
        return _respond(start_response, code, body, kind)

    return app


def _respond(
    start_response: StartResponse, status: str, body: bytes, kind: str, length: int | None = None
) -> list[bytes]:
    charset = (
        "; charset=utf-8" if kind.startswith("text/") or kind.endswith(("json", "xml", "javascript")) else ""
    )
    start_response(
        status,
        [
            ("Content-Type", kind + charset),
            ("Content-Length", str(len(body) if length is None else length)),
            ("Cache-Control", "no-store"),
            ("X-Content-Type-Options", "nosniff"),
        ],
    )
    return [body]
