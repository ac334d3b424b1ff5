"""``modeldir serve``: build, serve on loopback, rebuild and reload on change.

The server is livereload's: it watches the content, templates, static files
and site.yaml, rebuilds the whole site on a change, and tells the browser to
reload. A build that fails prints its problems and leaves the last good site
in place, so the browser keeps showing something that works.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .build import build_site
from .errors import BuildError, ContentError
from .project import Project


def _rebuild(project: Project, out: Path) -> bool:
    try:
        result = build_site(project, out)
    except ContentError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print("modeldir serve: build failed; still serving the last good site", file=sys.stderr)
        return False
    except BuildError as exc:
        print(f"modeldir serve: build failed: {exc}; still serving the last good site", file=sys.stderr)
        return False
    print(f"modeldir serve: rebuilt {result.pages} pages in {result.timings.total:.2f} s", file=sys.stderr)
    return True


def serve(project: Project, out: Path, host: str, port: int) -> int:
    from livereload import Server

    _rebuild(project, out)
    server = Server()
    for watched in (project.content, project.templates, project.static, project.site_file):
        server.watch(str(watched), lambda: _rebuild(project, out), delay=0.2)
    print(f"modeldir serve: http://{host}:{port}/ (Ctrl-C to stop)", file=sys.stderr)
    server.serve(root=str(out), host=host, port=port, open_url_delay=None)
    return 0
