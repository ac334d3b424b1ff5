"""Static assets with a content hash in their names, so a CDN may cache them forever.

``static/style.css`` is published as ``/static/style.<hash>.css``: a changed
file gets a new name, so a browser or CDN never serves a stale copy and every
asset can be sent with ``Cache-Control: immutable``. Templates never spell an
asset's path: they call the Jinja global ``asset("style.css")``, which returns
the fingerprinted URL and fails the build for a file that does not exist.

Stylesheets may refer to other assets (``url(icons/x.svg)``); those references
are rewritten to the fingerprinted names before the stylesheet itself is hashed,
so its hash changes when anything it loads changes.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .errors import BuildError

PREFIX = "static"
HASH_LENGTH = 10
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")\s]+)\1\s*\)""")
HASHED_NAME = re.compile(rf"\.[0-9a-f]{{{HASH_LENGTH}}}\.[A-Za-z0-9]+$")


@dataclass(frozen=True)
class Asset:
    name: str  # "js/filter.js": the path under static/, as templates ask for it
    output: str  # "static/js/filter.0123456789.js": the path under the site root
    data: bytes

    @property
    def url(self) -> str:
        return "/" + self.output


class Manifest:
    """Every static file of a build, by the name templates use."""

    def __init__(self, assets: list[Asset]) -> None:
        self.assets = {a.name: a for a in assets}

    def url(self, name: str) -> str:
        """The fingerprinted URL of ``name`` (a path under static/); an unknown name fails the build."""
        asset = self.assets.get(name.lstrip("/"))
        if asset is None:
            known = ", ".join(sorted(self.assets)) or "none"
            raise BuildError(f"asset({name!r}): no such file in static/ (known: {known})")
        return asset.url

    def __iter__(self) -> Iterator[Asset]:
        return iter(sorted(self.assets.values(), key=lambda a: a.output))


def hashed_name(name: str, data: bytes) -> str:
    digest = hashlib.sha256(data).hexdigest()[:HASH_LENGTH]
    path = PurePosixPath(name)
    return str(path.with_name(f"{path.stem}.{digest}{path.suffix}"))


def is_fingerprinted(path: str) -> bool:
    return bool(HASHED_NAME.search(path))


def fingerprint(static_dir: Path) -> Manifest:
    """Hash every file under ``static_dir`` (stylesheets last, with their references rewritten)."""
    if not static_dir.is_dir():
        return Manifest([])
    files = {
        p.relative_to(static_dir).as_posix(): p.read_bytes()
        for p in sorted(static_dir.rglob("*"))
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(static_dir).parts)
    }
    assets: dict[str, Asset] = {}
    for name in sorted(files, key=lambda n: (n.endswith(".css"), n)):
        data = files[name]
        if name.endswith(".css"):
            data = _rewrite_css(name, data, assets)
        assets[name] = Asset(name, f"{PREFIX}/{hashed_name(name, data)}", data)
    return Manifest(list(assets.values()))


def _rewrite_css(name: str, data: bytes, known: dict[str, Asset]) -> bytes:
    folder = PurePosixPath(name).parent

    def replace(match: re.Match[str]) -> str:
        target = match.group(2)
        if re.match(r"^([a-z]+:|/|#)", target):
            return match.group(0)
        path, _, rest = target.partition("?")
        resolved = _normalise(folder / path)
        asset = known.get(resolved)
        if asset is None:
            raise BuildError(f"static/{name}: url({target}) points at no file in static/")
        return f"url({asset.url}{'?' + rest if rest else ''})"

    return CSS_URL.sub(replace, data.decode("utf-8")).encode("utf-8")


def _normalise(path: PurePosixPath) -> str:
    parts: list[str] = []
    for part in path.parts:
        if part == "..":
            if parts:
                parts.pop()
        elif part not in (".", ""):
            parts.append(part)
    return "/".join(parts)
