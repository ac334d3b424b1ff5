"""Fingerprinted static assets: names follow content, references follow names."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.assets import fingerprint, is_fingerprinted
from generator.build import build_site
from generator.errors import BuildError


def _static(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return tmp_path


def test_names_carry_the_content_hash(tmp_path: Path) -> None:
    one = fingerprint(_static(tmp_path / "a", {"style.css": "a{}", "js/x.js": "1"}))
    two = fingerprint(_static(tmp_path / "b", {"style.css": "b{}", "js/x.js": "1"}))
    assert one.url("style.css") != two.url("style.css")
    assert one.url("js/x.js") == two.url("js/x.js")
    assert one.url("js/x.js").startswith("/static/js/x.") and is_fingerprinted(one.url("js/x.js"))


def test_stylesheet_references_are_rewritten_and_change_its_hash(tmp_path: Path) -> None:
    css = "a{background:url(img/dot.svg)} b{background:url('https://x.example/y.png')}"
    one = fingerprint(_static(tmp_path / "a", {"style.css": css, "img/dot.svg": "<svg/>"}))
    two = fingerprint(_static(tmp_path / "b", {"style.css": css, "img/dot.svg": "<svg></svg>"}))
    data = one.assets["style.css"].data.decode()
    assert f"url({one.url('img/dot.svg')})" in data and "url('https://x.example/y.png')" in data
    assert one.url("style.css") != two.url("style.css")


def test_unknown_assets_fail_the_build(tmp_path: Path) -> None:
    with pytest.raises(BuildError, match="points at no file"):
        fingerprint(_static(tmp_path / "c", {"style.css": "a{background:url(missing.png)}"}))
    with pytest.raises(BuildError, match="no such file in static/"):
        fingerprint(_static(tmp_path / "d", {"x.js": ""})).url("nope.js")


def test_pages_link_the_fingerprinted_files_that_were_written(make_site, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_site(make_site(), out)
    written = {p.relative_to(out).as_posix() for p in (out / "static").rglob("*")}
    assert written and all(is_fingerprinted(p) for p in written)
    pages = "".join(p.read_text() for p in out.rglob("*.html"))
    for path in written:
        if "/favicon." not in path or path.endswith(".svg"):  # favicon.ico is asked for at the root
            assert f'"/{path}"' in pages, path
    assert 'href="/static/style.' in (out / "index.html").read_text()
