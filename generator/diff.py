"""``modeldir diff BASE``: what a change does to the site, page by page and price by price.

BASE is a git revision (``main``, ``origin/main``, a commit) or a folder a
site was built into (for example the published site). The working tree is
built; so is BASE:

* a git revision: its ``site.yaml`` and ``content/`` are extracted with
  ``git archive`` into a temporary folder and built by *this* checkout's
  generator and templates, so the comparison shows what the content change
  does (files outside the content that differ are listed, since their effect is
  not shown);
* a built folder: its pages are compared as they are, and its prices are read
  from the build manifest (:mod:`generator.manifest`) it contains.

Both builds use the same build date, so the "data as of" line alone never
makes a page differ. The result is a :class:`SiteDiff`, rendered as text for a
terminal or as Markdown for a pull-request comment.
"""

from __future__ import annotations

import calendar
import datetime as dt
import io
import json
import os
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .build import build_site
from .check import check_content
from .errors import ContentError, UsageError
from .manifest import MANIFEST, Prices, offering_prices
from .project import Project, load_site

MARKER = "<!-- modeldir-diff -->"
NEW, GONE = "(new)", "(removed)"


@dataclass(frozen=True)
class PriceChange:
    url: str
    title: str
    dimension: str
    before: str
    after: str


@dataclass
class SiteDiff:
    base: str
    base_url: str
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    prices: list[PriceChange] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.prices)


# --- the two sides ---------------------------------------------------------------


@dataclass
class Side:
    pages: dict[str, bytes]
    prices: Prices
    build_date: dt.date | None


def _git(root: Path, *args: str, binary: bool = False) -> Any:
    result = subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=False)
    if result.returncode != 0:
        raise UsageError(f"git {' '.join(args)} failed: {result.stderr.decode(errors='replace').strip()}")
    return result.stdout if binary else result.stdout.decode().strip()


def _is_revision(root: Path, base: str) -> bool:
    result = subprocess.run(
        ["git", "-C", str(root), "rev-parse", "--verify", "--quiet", f"{base}^{{commit}}"],
        capture_output=True,
        check=False,
    )
    return result.returncode == 0


def _pages(folder: Path) -> dict[str, bytes]:
    pages = {}
    for path in sorted(folder.rglob("*.html")):
        relative = path.relative_to(folder).as_posix()
        url = "/" + (relative.removesuffix("index.html") if relative.endswith("index.html") else relative)
        pages[url] = path.read_bytes()
    return pages


@contextmanager
def _build_date(date: dt.date | None) -> Iterator[None]:
    """Pin SOURCE_DATE_EPOCH (unless the caller set it) so both sides share one build date."""
    if date is None or os.environ.get("SOURCE_DATE_EPOCH"):
        yield
        return
    os.environ["SOURCE_DATE_EPOCH"] = str(calendar.timegm(date.timetuple()))
    try:
        yield
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]


def _built(project: Project, scratch: Path, name: str, date: dt.date | None) -> Side:
    checked = check_content(project)
    if checked.catalog is None:
        raise ContentError(checked.problems)
    out = scratch / name
    with _build_date(date or checked.catalog.build_date):
        build_site(project, out)
    return Side(_pages(out), offering_prices(checked.catalog), checked.catalog.build_date)


def _from_folder(folder: Path) -> Side:
    manifest = folder / MANIFEST
    if not manifest.is_file():
        return Side(_pages(folder), {}, None)
    try:
        document = json.loads(manifest.read_text(encoding="utf-8"))
        date = dt.date.fromisoformat(document["build_date"])
        prices: Prices = document["offerings"]
    except (ValueError, KeyError, TypeError) as exc:
        raise UsageError(f"{manifest} is not a modeldir build manifest: {exc}") from None
    return Side(_pages(folder), prices, date)


def _from_revision(project: Project, base: str, scratch: Path) -> tuple[Project | None, list[str]]:
    """Extract BASE's site.yaml and content into ``scratch``; None when BASE has no site there."""
    top = Path(_git(project.root, "rev-parse", "--show-toplevel")).resolve()
    if not project.content.resolve().is_relative_to(top):
        raise UsageError(f"the content folder {project.content} is outside the git repository {top}")
    prefix = project.root.resolve().relative_to(top).as_posix()
    prefix = "" if prefix == "." else prefix + "/"
    content = project.content.resolve().relative_to(top).as_posix()
    wanted = [f"{prefix}site.yaml", content]
    present = _git(top, "ls-tree", "--name-only", base, "--", *wanted).splitlines()
    root = scratch / "base-src"
    root.mkdir()
    if present:
        archive = _git(top, "archive", "--format=tar", base, "--", *present, binary=True)
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(root, filter="data")
    outside = [
        name
        for name in _git(top, "diff", "--name-only", base, "--", ".").splitlines()
        if not name.startswith((f"{content}/", f"{prefix}site.yaml"))
    ]
    base_root = root / prefix
    if not (base_root / "site.yaml").is_file():
        return None, outside
    base_project = Project(
        root=base_root,
        content=root / content,
        templates=project.templates,
        static=project.static,
        site_file=base_root / "site.yaml",
    )
    return base_project, outside


# --- comparing -------------------------------------------------------------------


def compare_prices(before: Prices, after: Prices) -> list[PriceChange]:
    changes = []
    for url in sorted(before.keys() | after.keys()):
        old = before.get(url, {}).get("prices")
        new = after.get(url, {}).get("prices")
        title = (after.get(url) or before[url])["title"]
        labels = list(dict.fromkeys([*(new or {}), *(old or {})]))
        for label in labels:
            from_ = NEW if old is None else old.get(label, "Not yet sourced")
            to = GONE if new is None else new.get(label, "Not yet sourced")
            if from_ != to:
                changes.append(PriceChange(url, title, label, from_, to))
    return changes


def compare(base: str, base_url: str, before: Side, after: Side) -> SiteDiff:
    result = SiteDiff(base, base_url)
    result.added = sorted(after.pages.keys() - before.pages.keys())
    result.removed = sorted(before.pages.keys() - after.pages.keys())
    result.changed = sorted(
        u for u in after.pages.keys() & before.pages.keys() if after.pages[u] != before.pages[u]
    )
    result.prices = compare_prices(before.prices, after.prices)
    return result


def diff(project: Project, base: str) -> SiteDiff:
    """Compare the site this checkout builds with the one BASE (revision or folder) builds."""
    folder = Path(base)
    with tempfile.TemporaryDirectory(prefix="modeldir-diff-") as tmp:
        scratch = Path(tmp)
        if folder.is_dir() and (folder / "index.html").is_file():
            before = _from_folder(folder)
            after = _built(project, scratch, "head", before.build_date)
            notes = (
                []
                if before.prices or not before.pages
                else [f"{base} has no {MANIFEST}: prices not compared"]
            )
        elif _is_revision(project.root, base):
            base_project, outside = _from_revision(project, base, scratch)
            after = _built(project, scratch, "head", None)
            if base_project is None:
                before = Side({}, {}, None)
            else:
                try:
                    before = _built(base_project, scratch, "base", after.build_date)
                except ContentError as exc:
                    raise UsageError(
                        f"the content of {base} does not pass this generator's checks "
                        f"({len(exc.problems)} problem(s), first: {exc.problems[0]})"
                    ) from None
            notes = []
            if outside:
                shown = ", ".join(outside[:8]) + (" …" if len(outside) > 8 else "")
                notes.append(
                    f"{len(outside)} file(s) outside the content also differ from {base} ({shown}); "
                    "both sides are built with this checkout's generator and templates, so their effect is not shown"
                )
        else:
            raise UsageError(
                f'"{base}" is neither a git revision nor a folder with a built site (index.html)'
            )
        result = compare(base, project_base_url(project), before, after)
        result.notes += notes
        return result


def project_base_url(project: Project) -> str:
    return load_site(project).base_url


# --- reports ---------------------------------------------------------------------


def _count(n: int, one: str) -> str:
    return f"{n} {one}{'' if n == 1 else 's'}"


def headline(d: SiteDiff) -> str:
    if d.empty:
        return f"No page and no price changes compared with {d.base}."
    return (
        f"Compared with {d.base}: {_count(len(d.added), 'page')} added, {len(d.removed)} removed, "
        f"{len(d.changed)} changed; {_count(len(d.prices), 'price change')}."
    )


def as_text(d: SiteDiff) -> str:
    lines = [headline(d)]
    for mark, urls in (("+", d.added), ("-", d.removed), ("~", d.changed)):
        lines += [f"  {mark} {url}" for url in urls]
    if d.prices:
        lines.append("Prices:")
        for change in d.prices:
            lines.append(
                f"  {change.title} ({change.url}) {change.dimension}: {change.before} -> {change.after}"
            )
    lines += [f"Note: {note}" for note in d.notes]
    return "\n".join(lines) + "\n"


_MD_SPECIAL = str.maketrans({c: f"\\{c}" for c in "\\`*_[]<>|#~!$"})


def _md(text: str) -> str:
    """Contributor text as literal Markdown (no links, HTML or table breaks)."""
    return " ".join(text.split()).translate(_MD_SPECIAL)


def _page_list(
    title: str, urls: list[str], base_url: str | None, limit: int, open_: bool = False
) -> list[str]:
    if not urls:
        return []
    items = [f"- [`{url}`]({base_url}{url})" if base_url else f"- `{url}`" for url in urls[:limit]]
    if len(urls) > limit:
        items.append(f"- … and {len(urls) - limit} more")
    return [
        f"<details{' open' if open_ else ''}><summary>{title} ({len(urls)})</summary>",
        "",
        *items,
        "",
        "</details>",
        "",
    ]


COMMENT_LIMIT = 60_000  # GitHub refuses comments over 65,536 characters


def as_markdown(d: SiteDiff) -> str:
    """A pull-request comment; its first line is a marker so CI can update it in place.

    Long lists are cut (saying how many more) so the comment stays under GitHub's size limit.
    """
    for prices, pages in ((300, 200), (100, 50), (20, 10)):
        text = _markdown(d, prices, pages)
        if len(text) <= COMMENT_LIMIT:
            break
    return text


def _markdown(d: SiteDiff, max_prices: int, max_pages: int) -> str:
    lines = [MARKER, "### What this change does to the site", "", _md(headline(d)), ""]
    if d.prices:
        lines += ["| Offering | Price | Before | After |", "|---|---|---|---|"]
        for c in d.prices[:max_prices]:
            lines.append(
                f"| [{_md(c.title)}]({d.base_url}{c.url}) | {_md(c.dimension)} | {_md(c.before)} | {_md(c.after)} |"
            )
        if len(d.prices) > max_prices:
            lines.append(f"| … and {len(d.prices) - max_prices} more | | | |")
        lines.append("")
    lines += _page_list("Pages added", d.added, None, max_pages, open_=len(d.added) <= 10)
    lines += _page_list("Pages removed", d.removed, d.base_url, max_pages, open_=True)
    lines += _page_list("Pages changed", d.changed, d.base_url, max_pages)
    lines += [f"> {_md(note)}" for note in d.notes]
    return "\n".join(lines).rstrip() + "\n"
