"""The ``modeldir`` command line.

Exit status: 0 success, 1 the content has errors (or warnings with --strict),
2 the command line or the site configuration is unusable. Problems go to
standard error as ``path:line:col: severity: message``, one per line, so
editors and CI can jump to them; ``check --format github`` prints them as
GitHub Actions annotations and ``--format json`` as one JSON document, both on
standard output.

Commands for contributors: ``new`` starts a content file, ``schema`` writes
the JSON Schemas editors use, ``diff BASE`` shows what a change does to the
site (as Markdown for a pull-request comment with ``--format markdown``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from . import __version__, report
from .check import check_content, paused_gc
from .errors import BuildError, ContentError, Problem, UsageError, one_line
from .launch import leave
from .progress import Progress
from .project import Project
from .schema import ApiShape

if TYPE_CHECKING:
    from .build import Warm

    WarmFor = Callable[[Project, Path, bool], Warm]

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2

# flags of `modeldir new`; each fills the key of the same name (--auth-env -> auth_env)
NEW_FLAGS: tuple[tuple[str, str], ...] = (
    ("--name", "display name (creator, model, provider)"),
    ("--url", "home page, https://… (creator, provider)"),
    ("--creator", "creator slug (model)"),
    ("--released", "release date YYYY-MM-DD (model)"),
    ("--context-window", "context window in tokens (model)"),
    ("--api", "API shape: " + ", ".join(shape.value for shape in ApiShape) + " (provider)"),
    ("--auth-env", "credential environment variable(s), comma-separated (provider)"),
    ("--id-pattern", "model-ID rule: a regular expression (provider)"),
    ("--id-hint", "model-ID rule in words (provider)"),
    ("--id-example", "a real model ID that follows the rule (provider)"),
    ("--model-id", "the exact ID to send to the provider's API (offering)"),
    ("--source", "https:// page the prices were read on (offering)"),
    ("--as-of", "date the prices were read, YYYY-MM-DD; default today (offering)"),
    ("--input", "input price, USD per 1M tokens, or not_offered (offering)"),
    ("--output", "output price, USD per 1M tokens, or not_offered (offering)"),
)


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
        help="parse every file and render every page, ignoring what the previous build kept (the output is the same)",
    )
    build.add_argument(
        "--jobs", type=int, default=None, metavar="N", help="worker processes (default: one per core)"
    )
    build.add_argument("--timings", action="store_true", help="print the seconds spent in each stage")
    build.add_argument(
        "--skip-extra",
        action="append",
        default=[],
        metavar="NAME",
        help="do not run this extra (e.g. search_index); for benchmarks that compare pages only",
    )
    build.add_argument(
        "--warm",
        action="store_true",
        help="build in a build server that stays in the background and keeps what it read, so the "
        "next `build --warm` after an edit takes a fraction of a second (`modeldir stop` ends it)",
    )

    check = commands.add_parser(
        "check",
        help="validate the content without rendering",
        description="Load and validate every content file and print every problem.",
    )
    _content_option(check)
    check.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    check.add_argument(
        "--format",
        choices=report.FORMATS,
        default="text",
        help="text (default, on standard error), github (Actions annotations) or json (both on standard output)",
    )

    new = commands.add_parser(
        "new",
        help="start a content file: creator, model, provider or offering",
        description="Create a correctly named, commented content file from flags, or from prompts when "
        "run in a terminal. Blanks are marked FILL IN; the file passes `modeldir check` once they are "
        "filled. An existing file is never overwritten.",
    )
    new.add_argument("kind", choices=("creator", "model", "provider", "offering"))
    new.add_argument(
        "slug",
        nargs="?",
        metavar="NAME",
        help="the slug (file name), or PROVIDER/MODEL for an offering, e.g. replicate/o1-mini-2024-09-12",
    )
    _content_option(new)
    for flag, help_ in NEW_FLAGS:
        new.add_argument(flag, help=help_)
    new.add_argument("--no-input", action="store_true", help="never prompt, even in a terminal")

    schema_cmd = commands.add_parser(
        "schema",
        help="write the JSON Schemas of the content files into schemas/",
        description="Write one JSON Schema per record type (from generator/schema.py) into schemas/, "
        "for editors and the test suite.",
    )
    schema_cmd.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if a schema file is out of date"
    )

    diff = commands.add_parser(
        "diff",
        help="show which pages and prices a change adds, removes or changes",
        description="Build this checkout and BASE, and list the pages added, removed or changed and "
        "every price that changes, from what to what.",
    )
    diff.add_argument(
        "base", metavar="BASE", help="a git revision (main, origin/main, a commit) or a built site folder"
    )
    _content_option(diff)
    diff.add_argument(
        "--format", choices=("text", "markdown"), default="text", help="markdown: a pull-request comment"
    )
    diff.add_argument("--output", type=Path, default=None, metavar="FILE", help="write the report to FILE")

    commands.add_parser(
        "stop",
        help="stop the build server that `build --warm` left running for this folder",
        description="Stop the build server of `modeldir build --warm` started from this folder, if any.",
    )

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

    imp = commands.add_parser(
        "import",
        help="create and update content from a public dataset",
        description=(
            "Read a models.dev or LiteLLM snapshot and create the missing creators, models, providers and "
            "offerings; update existing files in place (comments and hand-written fields stay). A changed "
            "price adds a history entry; values verified by hand are reported, never overwritten."
        ),
    )
    imp.add_argument("dataset", choices=["models.dev", "litellm"], help="which dataset the file is")
    imp.add_argument("path", type=Path, help="the dataset file (JSON)")
    _content_option(imp)
    imp.add_argument(
        "--version",
        dest="data_version",
        default=None,
        help="commit or release of the dataset (default: the one recorded in site.yaml)",
    )
    imp.add_argument(
        "--read",
        type=_date,
        default=None,
        metavar="YYYY-MM-DD",
        help="when the dataset was read (default: kept when the version is unchanged, else today)",
    )
    imp.add_argument("--dry-run", action="store_true", help="print what would change; write nothing")
    imp.add_argument("--verbose", action="store_true", help="also list every value left out and why")

    audit = commands.add_parser(
        "audit",
        help="list where the datasets disagree with each other and with the content",
        description=(
            "Compare models.dev, LiteLLM and the content for every offering (prices, context, output "
            "limit, capabilities); print a table and optionally write CSV."
        ),
    )
    _content_option(audit)
    audit.add_argument(
        "--models-dev", type=Path, default=None, metavar="PATH", help="models.dev catalog JSON"
    )
    audit.add_argument("--litellm", type=Path, default=None, metavar="PATH", help="LiteLLM price table JSON")
    audit.add_argument("--csv", type=Path, default=None, metavar="FILE", help="write every finding as CSV")
    audit.add_argument("--limit", type=int, default=50, help="rows of the printed table (default 50; 0: all)")
    return parser


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _content_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--content",
        type=Path,
        default=None,
        metavar="DIR",
        help="content folder (default: content/ in the project)",
    )


def print_problems(problems: Sequence[Problem], format: str = "text") -> None:
    stream = sys.stderr if format == "text" else sys.stdout
    stream.write(report.render(problems, format))


_summary = report.summary


def run() -> NoReturn:
    """The ``modeldir`` command: :func:`main`, then leave without tearing the heap down.

    A build ends holding a million objects (records, catalog, build state);
    freeing them one by one at interpreter exit took most of a second at
    10,000 offerings, after the work was done and published. Everything the
    command writes is closed by then; the standard streams are flushed here.
    """
    leave(main())


def main(argv: Sequence[str] | None = None, warm: WarmFor | None = None) -> int:
    """Run one command; ``warm`` is the build server's (see :mod:`generator.buildserver`): it gives
    what a build keeps in memory for the next, given the project, the output folder and ``--full``."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "stop":  # (no build server answered: see generator.launch)
            print("modeldir stop: no build server runs for this folder", file=sys.stderr)
            return EXIT_OK
        if args.command == "schema":
            return _schema(_root_or_cwd(), args.check)
        project = Project.find(content=args.content)
        if args.command == "check":
            return _check(project, args.strict, args.format)
        if args.command == "new":
            return _new(project, args)
        if args.command == "diff":
            return _diff(project, args.base, args.format, args.output)
        if args.command == "import":
            from .importers.command import import_command

            return import_command(
                project, args.dataset, args.path, args.data_version, args.read, args.dry_run, args.verbose
            )
        if args.command == "audit":
            from .audit import audit_command

            return audit_command(project, args.models_dev, args.litellm, args.csv, args.limit)
        out = args.out or project.root / "public"
        if args.command == "build":
            return _build(project, out, args, warm(project, out, args.full) if warm else None)
        from .serve import serve

        return serve(project, out, args.host, args.port)
    except UsageError as exc:
        print(one_line(f"modeldir: {exc}"), file=sys.stderr)
        return EXIT_USAGE
    except ContentError as exc:
        print_problems(exc.problems)
        print(f"modeldir: {_summary(exc.problems)}; nothing was written", file=sys.stderr)
        return EXIT_CONTENT
    except BuildError as exc:
        print(one_line(f"modeldir: build failed: {exc}; the previous site is untouched"), file=sys.stderr)
        return EXIT_CONTENT


def _check(project: Project, strict: bool, format: str = "text") -> int:
    try:
        with paused_gc(), Progress() as line:  # (on a terminal: the files read so far)
            checked = check_content(project, with_catalog=False, progress=line)
    except ContentError as exc:  # site.yaml itself is invalid
        print_problems(exc.problems, format)
        print(f"modeldir check: {_summary(exc.problems)}", file=sys.stderr)
        return EXIT_CONTENT
    print_problems(checked.problems, format)
    failed = bool(checked.errors) or (strict and bool(checked.problems))
    files = "content" if not checked.problems else _summary(checked.problems)
    print(f"modeldir check: {files}" if checked.problems else "modeldir check: no problems", file=sys.stderr)
    return EXIT_CONTENT if failed else EXIT_OK


def _root_or_cwd() -> Path:
    try:
        return Project.find().root
    except UsageError:
        return Path.cwd()


def _schema(root: Path, check_only: bool) -> int:
    from .schemas import SCHEMA_DIR, SCHEMA_KINDS, render_schema, write_schemas

    if check_only:
        stale = [
            f"{SCHEMA_DIR}/{name}.json"
            for name in SCHEMA_KINDS
            if not (path := root / SCHEMA_DIR / f"{name}.json").is_file()
            or path.read_text(encoding="utf-8") != render_schema(name)
        ]
        for name in stale:
            print(f"{name}: out of date; run `modeldir schema` and commit the result", file=sys.stderr)
        return EXIT_CONTENT if stale else EXIT_OK
    changed = write_schemas(root)
    print(f"modeldir schema: {len(SCHEMA_KINDS)} schemas in {SCHEMA_DIR}/, {len(changed)} updated")
    return EXIT_OK


def _new(project: Project, args: argparse.Namespace) -> int:
    from . import scaffold

    interactive = sys.stdin.isatty() and not args.no_input
    name = args.slug
    if not name and interactive:
        question = "Provider and model slugs, PROVIDER/MODEL: " if args.kind == "offering" else "Slug: "
        name = input(question).strip()
    if not name:
        what = "PROVIDER/MODEL" if args.kind == "offering" else "a slug"
        raise UsageError(f"name the new {args.kind}: modeldir new {args.kind} {what}")
    keys = [flag.removeprefix("--").replace("-", "_") for flag, _ in NEW_FLAGS]
    given = {key: getattr(args, key) for key in keys}
    created = scaffold.create(project, args.kind, name, given, input if interactive else None)
    print(f"created {created.display}")
    for note in created.notes:
        print(f"note: {note}")
    if created.blanks:
        print(f"fill in: {', '.join(created.blanks)} (the lines marked FILL IN), then run: modeldir check")
    else:
        print("then run: modeldir check")
    return EXIT_OK


def _diff(project: Project, base: str, format: str, output: Path | None) -> int:
    from .diff import as_markdown, as_text, diff

    result = diff(project, base)
    text = as_markdown(result) if format == "markdown" else as_text(result)
    if output:
        output.write_text(text, encoding="utf-8")
        print(f"modeldir diff: report written to {output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _build(project: Project, out: Path, args: argparse.Namespace, warm: Warm | None = None) -> int:
    from .build import build_site  # rendering's imports are not needed by the other commands

    start = time.perf_counter()
    result = build_site(
        project,
        out,
        incremental=not args.full,
        jobs=args.jobs,
        progress=sys.stderr.isatty(),
        skip_extras=frozenset(args.skip_extra),
        warm=warm,
    )
    print_problems(result.warnings)
    unchanged = result.pages - result.rendered
    print(
        f"modeldir build: {result.pages} pages ({result.rendered} rendered, {unchanged} unchanged), "
        f"{result.files} files written, {result.removed} removed, to {out} in {time.perf_counter() - start:.2f} s"
    )
    if args.timings:
        stages = ", ".join(f"{name} {seconds:.3f}" for name, seconds in result.timings.stages.items())
        work = ", ".join(f"{name} {seconds:.3f}" for name, seconds in result.work.items())
        print(f"modeldir build: seconds per stage: {stages}; summed over processes: {work}")
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    run()
