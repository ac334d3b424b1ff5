"""Files that tell the CDN how to serve the site: ``_headers``, ``_redirects``, precompressed copies.

``_headers`` and ``_redirects`` use the format Netlify and Cloudflare Pages share.

* Caching: fingerprinted assets (``/static/``, see :mod:`generator.assets`) are
  immutable for a year; pages revalidate after five minutes; data (API, feeds,
  sitemap, anything else) after an hour. The rules are made from the files the
  build wrote (so this extra runs after every other that writes files), and each
  path gets exactly one ``Cache-Control``: both hosts join the values of every
  rule that matches a path, so the rules that set it never overlap.
* Security, on every path: a Content-Security-Policy that allows only the
  site's own files (no inline script, no inline style; ``'wasm-unsafe-eval'``
  because the search index is WebAssembly), no framing, ``nosniff`` and a
  referrer policy.
* Redirects: a record that lists ``old_slugs`` keeps its old URLs working
  (pages, JSON and feeds) with permanent redirects.
* With ``precompress: true`` in site.yaml, text files get ``.gz`` siblings for
  servers that serve them as they are (gzip at level 9, mtime 0: reproducible).
"""

from __future__ import annotations

import bisect
import gzip
from collections.abc import Iterator

from . import api
from .catalog import Catalog
from .fragments import Blob, Fragments, blob
from .project import Project
from .routes import Route, plan_routes
from .write import SiteWriter

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'wasm-unsafe-eval'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "upgrade-insecure-requests",
    ]
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
IMMUTABLE = "public, max-age=31536000, immutable"
PAGE_CACHE = "public, max-age=300, must-revalidate"
DATA_CACHE = "public, max-age=3600"
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".csv", ".map")
MIN_COMPRESS = 1024
CACHE = {"asset": IMMUTABLE, "page": PAGE_CACHE, "data": DATA_CACHE}
LATE_FOLDERS = ("pagefind",)  # written after this extra runs (the search index), cached as data


def cache_rules(paths: list[str], pages: set[str]) -> list[tuple[str, str]]:
    """(pattern, kind) covering every path once: a folder whose files are all of one kind
    gets one ``/folder/*`` rule, a mixed folder a rule per file and per sub-folder.

    The paths are sorted, so the files under a folder are one run of the list,
    found by bisection, and its kinds are those of a slice of the list saying
    which paths are pages: only the files of mixed folders are looked at one by
    one (a site of 10,000 offerings has 23,000 files and about twenty rules).
    """
    listed = sorted(p for p in paths if not p.startswith("_"))
    is_page = list(map(pages.__contains__, listed))
    rules: list[tuple[str, str]] = []

    def kind(index: int, asset: bool) -> str:  # (under /static/: fingerprinted assets)
        return "asset" if asset else "page" if is_page[index] else "data"

    def visit(prefix: str, lo: int, hi: int, asset: bool) -> None:
        if prefix:
            kinds = {"asset"} if asset else {"page" if f else "data" for f in set(is_page[lo:hi])}
            if len(kinds) == 1:
                rules.append((f"/{prefix}*", kinds.pop()))
                return
        folders: list[tuple[str, int, int]] = []
        start = len(prefix)
        i = lo
        while i < hi:
            head, sep, _ = listed[i][start:].partition("/")
            if not sep:
                rules.append(("/" + prefix + ("" if head == "index.html" else head), kind(i, asset)))
                i += 1
                continue
            # ("/" sorts just before "0": every path under prefix + head + "/" lies before this)
            end = bisect.bisect_left(listed, f"{prefix}{head}0", i, hi)
            folders.append((head, i, end))
            i = end
        for head, first, end in sorted(folders):
            visit(f"{prefix}{head}/", first, end, asset or (not prefix and head == "static"))

    visit("", 0, len(listed), False)
    written = {pattern.strip("/*").split("/")[0] for pattern, _ in rules}
    rules += [(f"/{folder}/*", "data") for folder in LATE_FOLDERS if folder not in written]
    return rules


def headers_file(catalog: Catalog, paths: list[str], routes: list[Route] | None = None) -> str:
    pages = {route.output_path for route in (plan_routes(catalog) if routes is None else routes)}
    blocks: list[tuple[str, dict[str, str]]] = [("/*", SECURITY_HEADERS)]
    for pattern, kind in cache_rules(paths, pages):
        values = {"Cache-Control": CACHE[kind]}
        if kind == "data" and pattern.startswith(api.BASE):
            values["Access-Control-Allow-Origin"] = "*"
        blocks.append((pattern, values))
    lines: list[str] = ["# Netlify / Cloudflare Pages headers, written by the build (generator/cdn.py)."]
    for pattern, values in blocks:
        lines.append(pattern)
        lines += [f"  {name}: {value}" for name, value in values.items()]
    return "\n".join(lines) + "\n"


def _renames(catalog: Catalog) -> list[tuple[str, str, str]]:
    """(kind, old slug, new slug) for every old slug; lint has checked that none is ambiguous."""
    tables: dict[str, dict[str, list[str]]] = {
        "creators": {s: r.record.old_slugs for s, r in catalog.creators.items()},
        "models": {s: r.record.old_slugs for s, r in catalog.models.items()},
        "providers": {s: r.record.old_slugs for s, r in catalog.providers.items()},
    }
    return sorted(
        (kind, old, slug) for kind, table in tables.items() for slug, olds in table.items() for old in olds
    )


def redirects_file(catalog: Catalog) -> str:
    lines = ["# Old URLs of renamed records, written by the build (generator/cdn.py)."]
    for kind, old, new in _renames(catalog):
        lines.append(f"/{kind}/{old}/ /{kind}/{new}/ 301")
        if kind == "models":
            lines.append(f"/models/{old}/* /models/{new}/:splat 301")
            lines.append(f"{api.BASE}{api.model_path(old)} {api.BASE}{api.model_path(new)} 301")
            lines.append(f"/feeds/models/{old}.xml /feeds/models/{new}.xml 301")
        elif kind == "providers":
            lines.append(f"/models/:model/{old}/ /models/:model/{new}/ 301")
            lines.append(f"{api.BASE}{api.provider_path(old)} {api.BASE}{api.provider_path(new)} 301")
            lines.append(f"{api.BASE}offerings/{old}/* {api.BASE}offerings/{new}/:splat 301")
            lines.append(f"/feeds/providers/{old}.xml /feeds/providers/{new}.xml 301")
    return "\n".join(lines) + "\n"


def write_cdn_files(catalog: Catalog, project: Project, writer: SiteWriter, fragments: Fragments) -> None:
    """``_headers`` and ``_redirects``, made again only when the files written or the records changed.

    Only a Fragments kept between builds (the development server's) compares
    what they are made from; a one-off build makes both once, without first
    sorting the records into the fragments' parts.
    """
    paths = frozenset(writer.paths())  # in any order: the rules sort them
    records: tuple[object, ...] = ()
    if fragments.kept:
        fragments.start(catalog)
        routes = fragments.routes(catalog)
        records = (*fragments.creators.values(), *fragments.models.values(), *fragments.providers.values())
    else:
        routes = plan_routes(catalog)
    headers = fragments.file(
        "cdn.headers", (paths, routes), lambda: headers_file(catalog, list(paths), routes).encode("utf-8")
    )
    writer.write("_headers", *headers)
    redirects = fragments.file("cdn.redirects", records, lambda: redirects_file(catalog).encode("utf-8"))
    writer.write("_redirects", *redirects)


def precompress(catalog: Catalog, project: Project, writer: SiteWriter, fragments: Fragments) -> None:
    """Write ``.gz`` siblings of text files when the site asks for them (runs last).

    A file's compressed copy is kept while its digest is the same: the
    development server compresses only the files a rebuild changed.
    """
    if not catalog.site.precompress:
        return
    fragments.start(catalog)

    def packed_files() -> Iterator[tuple[str, bytes, str]]:  # made one by one, as they are written
        for relative, fingerprint in list(writer.produced.items()):
            if relative.endswith(COMPRESSIBLE):
                packed = fragments.joined(("gzip", relative), (fingerprint,), _gzip, writer, relative)
                if packed is not None:
                    yield relative + ".gz", *packed

    writer.write_files(packed_files())


def _gzip(writer: SiteWriter, relative: str) -> Blob | None:
    data = writer.read(relative)
    if len(data) < MIN_COMPRESS:
        return None
    packed = gzip.compress(data, compresslevel=9, mtime=0)
    return blob(packed) if len(packed) < len(data) else None
