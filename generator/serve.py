"""``modeldir serve``: build, serve on loopback, rebuild and reload on change.

The server is livereload's: it watches the content, templates, static files
and site.yaml, rebuilds the whole site on a change, and tells the browser to
reload. It listens on 127.0.0.1 unless ``--host`` says otherwise, and answers
through :mod:`generator.devserver`, which serves nothing outside the output
folder. A build that fails prints its problems and leaves the last good site
in place, so the browser keeps showing something that works, with the
problems in an overlay until the next good build.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .build import build_site
from .devserver import BuildStatus, make_app
from .errors import BuildError, ContentError
from .project import Project


def _rebuild(project: Project, out: Path, status: BuildStatus | None = None) -> bool:
    status = status or BuildStatus()
    try:
        result = build_site(project, out)
    except ContentError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print("modeldir serve: build failed; still serving the last good site", file=sys.stderr)
        status.failed([str(p) for p in exc.problems])
        return False
    except BuildError as exc:
        print(f"modeldir serve: build failed: {exc}; still serving the last good site", file=sys.stderr)
        status.failed([f"build failed: {exc}"])
        return False
    status.succeeded()
    print(f"modeldir serve: rebuilt {result.pages} pages in {result.timings.total:.2f} s", file=sys.stderr)
    return True


def serve(project: Project, out: Path, host: str, port: int) -> int:
    from livereload import Server

    status = BuildStatus()
    _rebuild(project, out, status)
    server = Server(app=make_app(out, status))
    for watched in (project.content, project.templates, project.static, project.site_file):
        server.watch(str(watched), lambda: _rebuild(project, out, status), delay=0.2)
    print(f"modeldir serve: http://{host}:{port}/ (Ctrl-C to stop)", file=sys.stderr)
    if host not in ("127.0.0.1", "localhost", "::1"):
        print(
            f"modeldir serve: warning: listening on {host}, so other machines can reach this "
            "development server; use the default 127.0.0.1 unless you mean it",
            file=sys.stderr,
        )
    server.serve(host=host, port=port, open_url_delay=None, debug=False)
    return 0
