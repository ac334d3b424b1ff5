"""_headers, _redirects and precompressed copies."""

from __future__ import annotations

import gzip
from pathlib import Path

from generator.build import build_site


def _rules(text: str) -> dict[str, dict[str, str]]:
    rules: dict[str, dict[str, str]] = {}
    current: dict[str, str] = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        if not line.startswith(" "):
            current = rules.setdefault(line, {})
        else:
            name, _, value = line.strip().partition(": ")
            current[name] = value
    return rules


def test_headers_cache_assets_forever_pages_briefly_and_secure_everything(sample_site: Path) -> None:
    rules = _rules((sample_site / "_headers").read_text())
    security = rules["/*"]
    csp = security["Content-Security-Policy"]
    script_src = next(d for d in csp.split("; ") if d.startswith("script-src"))
    assert script_src == "script-src 'self' 'wasm-unsafe-eval'"
    assert "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert security["X-Content-Type-Options"] == "nosniff" and "Referrer-Policy" in security
    assert "Cache-Control" not in security
    assert rules["/static/*"]["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "max-age=300" in rules["/models/*"]["Cache-Control"]
    assert rules["/api/v1/*"]["Access-Control-Allow-Origin"] == "*"


def test_every_file_gets_exactly_one_cache_control(sample_site: Path) -> None:
    """Both hosts join the values of every matching rule: overlapping Cache-Control would corrupt it."""
    rules = {p: h for p, h in _rules((sample_site / "_headers").read_text()).items() if "Cache-Control" in h}

    def matches(pattern: str, url: str) -> bool:
        return url.startswith(pattern[:-1]) if pattern.endswith("*") else url == pattern

    for path in sample_site.rglob("*"):
        if path.is_file() and not path.name.startswith("_"):
            url = "/" + path.relative_to(sample_site).as_posix().removesuffix("index.html")
            found = [p for p in rules if matches(p, url)]
            assert len(found) == 1, (url, found)


def test_redirects_keep_old_slugs_working(sample_site: Path) -> None:
    lines = (sample_site / "_redirects").read_text().splitlines()
    assert "/models/o1-mini/ /models/o1-mini-2024-09-12/ 301" in lines
    assert "/models/o1-mini/* /models/o1-mini-2024-09-12/:splat 301" in lines
    assert "/models/:model/openai-api/ /models/:model/openai/ 301" in lines
    assert "/creators/anthropic-ai/ /creators/anthropic/ 301" in lines
    for line in lines:
        if not line.startswith("#") and ":" not in line.split()[1]:
            target = line.split()[1]
            assert (
                sample_site / (target.lstrip("/") + ("index.html" if target.endswith("/") else ""))
            ).is_file()


def test_precompressed_copies_are_reproducible(make_site, tmp_path: Path) -> None:
    from conftest import SITE_YAML

    project = make_site({"site.yaml": SITE_YAML + "precompress: true\n"})
    build_site(project, tmp_path / "one")
    build_site(project, tmp_path / "two")
    packed = sorted((tmp_path / "one").rglob("*.gz"))
    assert any(p.name == "index.html.gz" for p in packed)
    for path in packed:
        original = path.with_suffix("")
        assert gzip.decompress(path.read_bytes()) == original.read_bytes()
        assert path.read_bytes() == (tmp_path / "two" / path.relative_to(tmp_path / "one")).read_bytes()


def test_cache_rules_split_only_mixed_folders() -> None:
    from generator.cdn import cache_rules

    paths = [
        "index.html",
        "api/index.html",
        "api/v1/a.json",
        "api/v1/m/b.json",
        "static/s.0123456789.css",
        "x.json",
    ]
    pages = {"index.html", "api/index.html"}
    assert cache_rules(paths, pages) == [
        ("/", "page"),
        ("/x.json", "data"),
        ("/api/", "page"),
        ("/api/v1/*", "data"),
        ("/static/*", "asset"),
        ("/pagefind/*", "data"),  # the search index is written after the headers
    ]


def _rules_one_path_at_a_time(paths: list[str], pages: set[str]) -> list[tuple[str, str]]:
    """The rules as their definition says, classifying every path at every level (slow, plain)."""

    def kind(path: str) -> str:
        return "asset" if path.startswith("static/") else "page" if path in pages else "data"

    rules: list[tuple[str, str]] = []

    def visit(prefix: str, members: list[str]) -> None:
        kinds = {kind(prefix + m) for m in members}
        if prefix and len(kinds) == 1:
            rules.append((f"/{prefix}*", kinds.pop()))
            return
        folders: dict[str, list[str]] = {}
        for member in members:
            head, sep, rest = member.partition("/")
            if sep:
                folders.setdefault(head, []).append(rest)
            else:
                rules.append(
                    ("/" + prefix + ("" if member == "index.html" else member), kind(prefix + member))
                )
        for folder, inside in sorted(folders.items()):
            visit(f"{prefix}{folder}/", inside)

    visit("", sorted(p for p in paths if not p.startswith("_")))
    return [*rules, ("/pagefind/*", "data")]


def test_cache_rules_match_their_definition_on_awkward_names() -> None:
    """Folders whose names are prefixes of others ("a", "a-b", "a.b"), mixed folders inside
    mixed folders, files beside folders, a file named like the asset folder."""
    from generator.cdn import cache_rules

    paths = [
        "_headers",
        "index.html",
        "static",
        "a/index.html",
        "a/x.json",
        "a/b/index.html",
        "a/b/c/index.html",
        "a/b/c.json",
        "a-b/index.html",
        "a-b/d.json",
        "a.b/index.html",
        "a0/y.json",
        "static/s.css",
        "static/img/i.png",
        "models/m/index.html",
        "models/m/p/index.html",
        "models/n/index.html",
        "z/index.html",
    ]
    pages = {p for p in paths if p.endswith("index.html")}
    expected = _rules_one_path_at_a_time(paths, pages)
    assert cache_rules(paths, pages) == expected
    assert ("/a/b/", "page") in expected and ("/a-b/d.json", "data") in expected
    shuffled = list(reversed(paths))
    assert cache_rules(shuffled, pages) == expected
