"""Files that tell the CDN how to serve the site: ``_headers``, ``_redirects``, precompressed copies.

``_headers`` and ``_redirects`` use the format Netlify and Cloudflare Pages share.

* Caching: fingerprinted assets (``/static/``, see :mod:`generator.assets`) are
  immutable for a year; pages revalidate after five minutes; data (API, feeds,
  sitemap) after an hour. Each path gets exactly one ``Cache-Control``: both
  hosts join the values of every rule that matches a path, so the rules that
  set it never overlap.
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

import gzip

from . import api
from .catalog import Catalog
from .project import Project
from .routes import plan_routes
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
DATA_PATHS = (api.BASE + "*", "/feeds/*", "/pagefind/*", "/sitemap*", "/robots.txt", "/favicon.ico")
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".csv", ".map")
MIN_COMPRESS = 1024


def page_patterns(catalog: Catalog) -> list[str]:
    """Path patterns that cover every page and nothing else the site serves."""
    patterns: set[str] = set()
    for route in plan_routes(catalog):
        first = route.url.strip("/").split("/")[0]
        if not first or "." in first or first == api.BASE.strip("/").split("/")[0]:
            patterns.add(route.url)
        else:
            patterns.add(f"/{first}/*")
    return sorted(patterns)


def headers_file(catalog: Catalog) -> str:
    blocks = [("/*", SECURITY_HEADERS), ("/static/*", {"Cache-Control": IMMUTABLE})]
    blocks += [(pattern, {"Cache-Control": PAGE_CACHE}) for pattern in page_patterns(catalog)]
    cors = {"Cache-Control": DATA_CACHE, "Access-Control-Allow-Origin": "*"}
    blocks += [
        (pattern, cors if pattern.startswith(api.BASE) else {"Cache-Control": DATA_CACHE})
        for pattern in DATA_PATHS
    ]
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


def write_cdn_files(catalog: Catalog, project: Project, writer: SiteWriter) -> None:
    writer.write("_headers", headers_file(catalog).encode("utf-8"))
    writer.write("_redirects", redirects_file(catalog).encode("utf-8"))


def precompress(catalog: Catalog, project: Project, writer: SiteWriter) -> None:
    """Write ``.gz`` siblings of text files when the site asks for them (runs last)."""
    if not catalog.site.precompress:
        return
    for relative, data in writer.written_files():
        if relative.endswith(COMPRESSIBLE) and len(data) >= MIN_COMPRESS:
            packed = gzip.compress(data, compresslevel=9, mtime=0)
            if len(packed) < len(data):
                writer.write(relative + ".gz", packed)
