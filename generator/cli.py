"""The ``modeldir`` command line.

Exit status: 0 success, 1 the content has errors (or warnings with --strict),
2 the command line or the site configuration is unusable. Problems go to
standard error as ``path:line:col: severity: message``, one per line, so
editors and CI can jump to them.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .build import build_site, check_content, paused_gc
from .errors import BuildError, ContentError, Problem, UsageError
from .project import Project

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="modeldir",
        description="Build and check the modeldir site: YAML content in, a static site out.",
    )
    parser.add_argument("--version", action="version", version=f"modeldir {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    build = commands.add_parser(
        "build",
        help="build the site into a folder",
        description="Build the whole site. The output folder is replaced only when the build succeeds.",
    )
    _content_option(build)
    build.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="DIR",
        help="output folder (default: public/ in the project)",
    )
    build.add_argument(
        "--full",
        action="store_true",
        help="render every page, ignoring the state of the previous build (the output is the same)",
    )
    build.add_argument(
        "--jobs", type=int, default=None, metavar="N", help="worker processes (default: one per core)"
    )
    build.add_argument("--timings", action="store_true", help="print the seconds spent in each stage")

    check = commands.add_parser(
        "check",
        help="validate the content without rendering",
        description="Load and validate every content file and print every problem.",
    )
    _content_option(check)
    check.add_argument("--strict", action="store_true", help="exit 1 on warnings too")

    serve = commands.add_parser(
        "serve",
        help="build, serve on 127.0.0.1 and rebuild on change",
        description="Build the site, serve it locally and reload the browser after each successful rebuild.",
    )
    _content_option(serve)
    serve.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="DIR",
        help="output folder (default: public/ in the project)",
    )
    serve.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)"
    )
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    return parser


def _content_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--content",
        type=Path,
        default=None,
        metavar="DIR",
        help="content folder (default: content/ in the project)",
    )


def print_problems(problems: Sequence[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)


def _summary(problems: Sequence[Problem]) -> str:
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    return f"{errors} error(s), {warnings} warning(s)"


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        project = Project.find(content=args.content)
        if args.command == "check":
            return _check(project, args.strict)
        out = args.out or project.root / "public"
        if args.command == "build":
            return _build(project, out, args)
        from .serve import serve

        return serve(project, out, args.host, args.port)
    except UsageError as exc:
        print(f"modeldir: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ContentError as exc:
        print_problems(exc.problems)
        print(f"modeldir: {_summary(exc.problems)}; nothing was written", file=sys.stderr)
        return EXIT_CONTENT
    except BuildError as exc:
        print(f"modeldir: build failed: {exc}; the previous site is untouched", file=sys.stderr)
        return EXIT_CONTENT


def _check(project: Project, strict: bool) -> int:
    with paused_gc():
        checked = check_content(project, with_catalog=False)
    print_problems(checked.problems)
    failed = bool(checked.errors) or (strict and bool(checked.problems))
    files = "content" if not checked.problems else _summary(checked.problems)
    print(f"modeldir check: {files}" if checked.problems else "modeldir check: no problems", file=sys.stderr)
    return EXIT_CONTENT if failed else EXIT_OK


def _build(project: Project, out: Path, args: argparse.Namespace) -> int:
    result = build_site(project, out, incremental=not args.full, jobs=args.jobs, progress=sys.stderr.isatty())
    print_problems(result.warnings)
    unchanged = result.pages - result.rendered
    print(
        f"modeldir build: {result.pages} pages ({result.rendered} rendered, {unchanged} unchanged), "
        f"{result.files} files written, {result.removed} removed, to {out} in {result.timings.total:.2f} s"
    )
    if args.timings:
        stages = ", ".join(f"{name} {seconds:.3f}" for name, seconds in result.timings.stages.items())
        work = ", ".join(f"{name} {seconds:.3f}" for name, seconds in result.work.items())
        print(f"modeldir build: seconds per stage: {stages}; summed over processes: {work}")
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
