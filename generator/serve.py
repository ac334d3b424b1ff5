"""``modeldir serve``: build, serve on loopback, rebuild and reload on change.

* **Watching**: :class:`generator.watch.Watcher` (inotify on Linux) sees the
  content, templates, static files and site.yaml change; a burst of saves is one
  rebuild, and saves during a build give one more build after it. The watcher
  names the files a burst touched, and the rebuild stats only those content
  files (see :func:`_watch` for when that is safe and what checks the rest).
* **Rebuilding**: incremental, in this process, with what the previous build
  learned kept in memory (:class:`generator.build.Warm`): unchanged files are
  not read again and only the pages that read a changed input are rendered.
* **The search index** is left out of those rebuilds: indexing even one part of
  it again (:mod:`generator.search_parts`) takes seconds, far longer than the
  rest of a rebuild. Once the files have been quiet for :data:`SEARCH_AFTER`
  seconds after a rebuild that changed pages, the server brings it up to date
  (:meth:`Site.refresh_search`: a build in which nothing else changed, so only
  the parts with a changed page are indexed again), without reloading the open
  pages. A save while it runs stops it at once (the indexer is killed, nothing
  is published, and the staging folder stays the spare of the next build), so
  it never delays the rebuild the save asks for; it starts again at the next
  quiet moment.
* **Answering**: :mod:`generator.devserver` decides what a request gets (only
  files of the output folder; the build errors over every page while the last
  build failed); this module adds the live connection.
* **Reloading**: every HTML page served gets a small script that listens to
  ``/__modeldir/events?page=PATH`` (server-sent events). After a build that changed the
  site, open pages reload.
* **Open pages first**: the server knows which pages are open (the ``page`` of
  each live connection). A rebuild renders those first and, once the content
  has passed every check and they rendered, the open pages reload and are
  served from memory while the rest of the build (the pages that list the
  whole catalog, the JSON API, feeds) goes on; the build is then published as
  a whole. Editing one offering at N = 10,000 changes pages that list the
  whole catalog (the home page, a page of /offerings/, the changelog's front
  page and the archive pages that show its changes), which may take longer to
  render than the reload. Hugo's server does likewise by default ("fast render mode",
  which ``--disableFastRender`` turns off to time a whole rebuild). Should the
  rest of the build fail, the open pages reload to the last good build with
  the errors over them. After a failed build they do not reload; they show
  the errors in a panel over the page, and the server keeps serving the last
  good build (a failed build never replaces it). When the errors are fixed the
  panel goes and the page reloads.

livereload, which this command used before, polls every file every 0.8 s (so a
change takes up to 0.8 s to notice, and each poll stats every content file),
runs the build on the thread that serves pages, reloads the browser whether or
not the build succeeded, and cannot show errors in the page; a burst of saves
spread over two polls gives two builds. Watching, debouncing and reloading are
therefore done here, with the standard library.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import sys
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .build import BuildResult, Preview, Warm, build_site, prime
from .check import paused_gc
from .devserver import OVERLAY_ID, BuildStatus, make_app
from .errors import BuildError, BuildStopped, ContentError
from .project import Project
from .watch import Watcher

EVENTS = "/__modeldir/events"
TELL = 0.2  # seconds a finished build waits for the live connections to send its news
SCRIPT = "/__modeldir/live.js"
LIVE_JS = """(function () {
  var seen = null;
  var source = new EventSource("__EVENTS__?page=" + encodeURIComponent(location.pathname));
  source.addEventListener("build", function (event) {
    var state = JSON.parse(event.data);
    if (seen === null) { seen = state.generation; }
    else if (state.generation !== seen) { location.reload(); return; }
    var panel = document.getElementById("__OVERLAY__");
    if (!state.error) { if (panel) { panel.remove(); } return; }
    if (!panel) {
      panel = document.createElement("pre");
      panel.id = "__OVERLAY__";
      panel.setAttribute("role", "alert");
      panel.style.cssText = "position:fixed;left:0;right:0;bottom:0;max-height:60vh;overflow:auto;margin:0;" +
        "padding:1em;background:#fff4f4;color:#8a0000;border-top:4px solid #c00;z-index:2147483647;" +
        "font:13px/1.45 monospace;white-space:pre-wrap";
      document.body.appendChild(panel);
    }
    panel.textContent = "The last build failed; this is the last good build.\\n\\n" + state.error;
  });
})();
""".replace("__EVENTS__", EVENTS).replace("__OVERLAY__", OVERLAY_ID)
INJECT = f'<script src="{SCRIPT}"></script>'.encode()


class Site:
    """The last build's outcome, shared between the builder and the request threads."""

    def __init__(self, project: Project, out: Path) -> None:
        self.project = project
        self.out = out
        self.warm = Warm()
        self.generation = 0  # counts builds that changed the site
        self.error: str | None = None
        self.changed = threading.Condition()
        self.last: BuildResult | None = None
        self.status = BuildStatus()  # what generator.devserver shows over the pages
        self.viewing: Counter[str] = Counter()  # URL paths open in a browser (live connections)
        self.fresh: dict[str, bytes] = {}  # pages of the build in progress shown before it is published
        self.previewed = False  # the build in progress showed its first pages
        self.building = False
        self.search_stale = False  # a rebuild changed pages that the search index does not show yet
        self.listening = 0  # live connections
        self.untold = 0  # live connections that have not yet sent the newest state

    def rebuild(self) -> bool:
        """Build, and tell the open pages; the cyclic garbage collector waits until they are told.

        Collecting when the build ends (see :func:`generator.check.paused_gc`) walks every object
        the build made (about 30 ms at 10,000 offerings) while holding the interpreter, so the
        connections would tell the pages that much later.
        """
        with paused_gc():
            built = self._rebuild()
            with self.changed:
                self.changed.wait_for(lambda: self.untold <= 0, timeout=TELL)
        return built

    def _rebuild(self) -> bool:
        started = time.perf_counter()
        with self.changed:
            viewing = frozenset(self.viewing)
            self.previewed = False
            self.building = True
            self.changed.notify_all()
        # a rebuild keeps the search index as it is (it would take longer than everything else
        # together); it follows once the files are quiet (refresh_search)
        skip = frozenset({"search_index"}) if self.warm.state is not None else frozenset()
        preview = Preview(viewing, self._show_first) if viewing and self.warm.state else None
        result = self._build(skip_extras=skip, preview=preview)
        if result is None:
            return False
        seconds = time.perf_counter() - started
        print(
            f"modeldir serve: {result.rendered} of {result.pages} pages rendered, {result.files} files "
            f"written, {result.removed} removed in {seconds:.3f} s",
            file=sys.stderr,
        )
        if skip and (result.rendered or result.removed):
            self.search_stale = True
        with self.changed:
            # pages shown first were reloaded already; no other page is open
            if not self.previewed and (result.files or result.removed or self.error is not None):
                self.generation += 1
            self.fresh = {}
            self.error = None
            self.building = False
            self.last = result
            self.status.succeeded()
            self._tell()
        return True

    def refresh_search(self, stop: Callable[[], bool]) -> bool:
        """Bring the search index up to date with the published pages, unless ``stop`` asks to stop
        first (it is asked every few dozen pages copied, and every 20 ms while the indexer runs);
        True if it was brought up to date.

        It is a build in which nothing changed since the last (the one before the quiet moment
        that starts this), with the search index: the pages are kept, and only the parts of the
        index with a changed page are made again. The open pages are not reloaded: their bytes
        are the same.
        """
        started = time.perf_counter()
        print("modeldir serve: indexing the changed pages for search", file=sys.stderr)
        try:
            with paused_gc():
                result = self._build(stop=stop)  # (a content error: a change the watcher did not report)
        except BuildStopped:
            print(
                "modeldir serve: a file changed; the search index waits for the next quiet moment",
                file=sys.stderr,
            )
            return False
        if result is None:
            return False
        self.search_stale = False
        print(
            f"modeldir serve: search index up to date in {time.perf_counter() - started:.1f} s",
            file=sys.stderr,
        )
        if result.rendered:  # (pages changed that the watcher missed; the index's files change anyway)
            with self.changed:
                self.generation += 1
                self._tell()
        return True

    def _build(self, **options: Any) -> BuildResult | None:
        """``build_site`` with ``options`` and what this server keeps; None when it failed, after
        showing why (:meth:`_failed`). An OSError is a failed build too: the thread that rebuilds
        must go on. A build asked to stop raises :class:`BuildStopped`."""
        try:
            return build_site(self.project, self.out, warm=self.warm, **options)
        except BuildStopped:
            raise
        except ContentError as exc:
            self._failed("\n".join(str(p) for p in exc.problems))
        except (BuildError, OSError) as exc:
            self._failed(f"build failed: {exc}")
        return None

    def _failed(self, message: str) -> None:
        print(message, file=sys.stderr)
        print("modeldir serve: build failed; still serving the last good site", file=sys.stderr)
        with self.changed:
            self.error = message
            self.building = False
            self.status.failed(message.splitlines())
            if self.previewed:  # the open pages show what was not published: back to the last good build
                self.generation += 1
                self.fresh = {}
            self._tell()

    def _show_first(self, pages: dict[str, bytes]) -> None:
        """The open pages rendered; the rest of the build goes on (see build.Preview)."""
        with self.changed:
            self.fresh = pages
            self.previewed = True
            self.generation += 1
            self.error = None
            self.status.succeeded()
            self.changed.notify_all()

    def _tell(self) -> None:
        """Wake the live connections to send the new state (the caller holds ``changed``)."""
        self.untold = self.listening
        self.changed.notify_all()

    def fresh_page(self, path: str) -> bytes | None:
        with self.changed:
            return self.fresh.get(path.removesuffix("index.html")) if self.fresh else None

    def state(self) -> dict[str, Any]:
        return {"generation": self.generation, "error": self.error, "building": self.building}


class Handler(http.server.SimpleHTTPRequestHandler):
    site: Site

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def do_HEAD(self) -> None:
        self.do_GET(head=True)

    def do_GET(self, head: bool = False) -> None:
        path = self.path.split("?", 1)[0]
        if path == EVENTS:
            return self._events()
        if path == SCRIPT:
            return self._send(200, "text/javascript; charset=utf-8", LIVE_JS.encode())
        fresh = self.site.fresh_page(path)
        if fresh is not None:
            return self._send(200, "text/html; charset=utf-8", b"" if head else _inject(fresh))
        answered: dict[str, Any] = {}

        def start_response(status: str, headers: list[tuple[str, str]]) -> None:
            answered["status"], answered["headers"] = status, dict(headers)

        app = make_app(self.site.out, self.site.status)
        method = "HEAD" if head else "GET"
        body = b"".join(app({"REQUEST_METHOD": method, "PATH_INFO": path}, start_response))
        kind = answered["headers"].get("Content-Type", "application/octet-stream")
        if kind.startswith("text/html"):
            body = _inject(body)
        if head:
            self.send_response(int(answered["status"].split()[0]))
            self.send_header("Content-Type", kind)
            self.end_headers()
            return
        self._send(int(answered["status"].split()[0]), kind, body)

    def do_POST(self) -> None:
        self._send(405, "text/plain; charset=utf-8", b"GET only\n")

    def _send(self, status: int, kind: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _events(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        site = self.site
        sent: dict[str, Any] | None = None
        page = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query).get("page", [""])[0]
        page = page if page.startswith("/") else ""
        with site.changed:
            site.listening += 1
            if page:
                site.viewing[page] += 1
        try:
            while True:
                with site.changed:
                    if sent == site.state():
                        site.changed.wait(timeout=15)
                    state = site.state()
                message = f"event: build\ndata: {json.dumps(state)}\n\n" if state != sent else ": ping\n\n"
                self.wfile.write(message.encode())
                self.wfile.flush()
                if state != sent and not state["building"]:
                    with site.changed:
                        site.untold -= 1
                        site.changed.notify_all()
                sent = state
        except (BrokenPipeError, ConnectionResetError):
            return
        finally:
            with site.changed:
                site.listening -= 1
                if sent != site.state():  # it had news left to send: nobody waits for it any more
                    site.untold -= 1
                    site.changed.notify_all()
                if page:
                    site.viewing[page] -= 1
                    if site.viewing[page] <= 0:
                        del site.viewing[page]


def _inject(html: bytes) -> bytes:
    at = html.rfind(b"</body>")
    return html[:at] + INJECT + html[at:] if at >= 0 else html + INJECT


AUDIT = 5.0  # seconds of quiet after which every content file is checked against what was read
SEARCH_AFTER = 1.0  # seconds of quiet after a rebuild that changed pages, before the search index follows


def _watch(site: Site, watcher: Watcher) -> None:
    """Rebuild after each burst of changes, reading only the content files the watcher names.

    After a rebuild that changed pages, the first quiet moment brings the search index up to
    date (:meth:`Site.refresh_search`); a change stops it (``watcher.pending``).

    The watcher runs before the full load that :func:`prime` does (or the next
    build does, if priming fails), so from then on every change to a content
    file is either already read or named by a burst; the build then stats only
    those files instead of all of them. What the watcher cannot vouch for (a
    new folder, an overflowing event queue) makes the next build stat every
    file, and so does the check while idle for anything else it missed (an
    edit made through a path the watcher does not see).
    """
    load = site.warm.load
    load.watching = watcher.uses_inotify
    if site.warm.state is not None:  # saves made meanwhile are seen after it
        with contextlib.suppress(BuildError, ContentError, OSError):  # the next build reports it
            prime(site.project, site.out, site.warm)
    while True:
        search = site.search_stale and site.error is None  # (after a failed build: once it is fixed)
        if watcher.wait(timeout=SEARCH_AFTER if search else AUDIT if load.watching else None):
            load.changed(watcher.changed)
            site.rebuild()
        elif search:
            site.refresh_search(watcher.pending)
        elif load.stale(site.project.content):
            load.changed(None)
            site.rebuild()


def serve(project: Project, out: Path, host: str, port: int) -> int:
    site = Site(project, out)
    if not site.rebuild() and not out.is_dir():
        print(
            "modeldir serve: fix the errors above; serving starts after a successful build", file=sys.stderr
        )
    watcher = Watcher([project.content, project.templates, project.static], [project.site_file])
    threading.Thread(target=_watch, args=(site, watcher), daemon=True, name="rebuild").start()
    handler = functools.partial(type("SiteHandler", (Handler,), {"site": site}), directory=str(out))
    server = http.server.ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    print(f"modeldir serve: http://{host}:{server.server_address[1]}/ (Ctrl-C to stop)", file=sys.stderr)
    if host not in ("127.0.0.1", "localhost", "::1"):
        print(
            f"modeldir serve: warning: listening on {host}, so other machines can reach this "
            "development server; use the default 127.0.0.1 unless you mean it",
            file=sys.stderr,
        )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        watcher.close()
    return 0
