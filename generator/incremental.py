"""The build state that makes rebuilds incremental, and the decision of what to render again.

After every successful build the state is saved outside the output folder, in
``.modeldir-cache/`` of the project (git-ignored), one file per pair of
content and output folders. It holds

* for every page, the dependency keys it recorded while rendering (see
  :mod:`generator.deps`);
* the fingerprint of every such key at that build, and a digest of the
  templates and assets (while it is the same, the templates' fingerprints are
  taken as they were, not made again by parsing every template);
* the digest of every file of the published site (so the writer can tell
  "same bytes" without reading them back);
* the inode of the published output folder, and a fingerprint of the generator
  itself (its source code and the libraries that shape the output);
* the spare: the site before this one, kept in a hidden folder beside the
  output (its files that did not change are hard links to the same inodes), and
  the files that differ between the two. The next build renames it into its
  staging folder and re-links only those files, instead of linking every file of
  the published site (:class:`generator.write.Spare`).

The next build compares: a page is rendered again when it is new, or when any
of its keys now has a different fingerprint; every other page is kept as it is.
The state is thrown away, and everything rendered, when the generator changed,
the output folder is not the one the state describes (deleted, replaced, or a
build was killed between publishing and writing the state), or the state file
cannot be read. The spare is used only while it is the folder the state names
(its inode and change time).

The state is written (atomically, by rename) *after* the swap that publishes
the site, naming the inode of the folder published. So a build killed between
the swap and the write leaves the previous state, which names the folder the
swap retired, and is ignored; a build killed earlier leaves the published site
and the state as they were (its staging folder, the former spare, is removed
by the next build).
"""

from __future__ import annotations

import contextlib
import hashlib
import operator
import os
import pickle
import shutil
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

import jinja2
import jinja2.meta

from . import changelog
from .cache import CACHE_DIR, cache_folder
from .catalog import Catalog
from .deps import Key
from .load import digest
from .views import listings

STATE_VERSION = 7
OUTPUT_LIBRARIES = ("jinja2", "markupsafe", "pygments", "markdown-it-py", "pydantic", "pyyaml", "pagefind")


@dataclass
class BuildState:
    generator: str
    out_inode: int
    fingerprints: dict[Key, Any]
    # output path -> keys the page read: a tuple, a quarter of the memory of a set (a page reads about
    # 30 keys; at 100,000 pages the sets took 280 MB), and only ever searched for changed keys
    pages: dict[str, tuple[Key, ...]]
    files: dict[str, str]  # every file of the published site -> digest
    extras: dict[str, list[str]] = field(default_factory=dict)  # extra's name -> the files it wrote
    # a digest of the templates and assets, and each template's fingerprint (Fingerprints._template)
    templates: tuple[str, dict[str, str]] = ("", {})
    # an extra made from the pages alone (generator.extras.PAGES_ONLY) -> a digest of the pages
    # its files were made from: while the pages are the same, the next build keeps them
    made_from: dict[str, str] = field(default_factory=dict)
    # the site before this one, kept beside it as the next build's staging folder: the folder's
    # identity and the files that differ between it and this site (generator.write.Spare)
    spare: tuple[tuple[int, int], list[str]] | None = None
    # a file of the extras made from one record (an offering's API file) -> the keys it read: a
    # one-off build keeps it while none of them changed (generator.keptfiles)
    extra_keys: dict[str, tuple[Key, ...]] = field(default_factory=dict)
    # the name of the build that made this state: the pieces of the extras it saved carry it
    # (generator.keptpieces)
    pieces: str = ""
    # what the search indexer was handed of each page, by the page's file digest: the next
    # build reads only the pages it does not know (generator.search_parts.PageInputs)
    search_inputs: dict[str, str | None] = field(default_factory=dict)
    version: int = STATE_VERSION


@lru_cache(maxsize=1)
def generator_fingerprint() -> str:
    """Changes whenever the code or a library that shapes the output changes (read once per process)."""
    h = hashlib.blake2b(digest_size=16)
    h.update(sys.version.encode())
    for name in OUTPUT_LIBRARIES:
        try:
            h.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            h.update(name.encode())
    h.update(code_digest(Path(__file__).parent).encode())
    return h.hexdigest()


def code_digest(package: Path) -> str:
    """A digest of every Python file of ``package``, its subpackages' too (the views that make
    each page's values live in one), by their paths inside it and their bytes."""
    h = hashlib.blake2b(digest_size=16)
    for path in sorted(package.rglob("*.py"), key=lambda p: p.relative_to(package).parts):
        h.update(f"{path.relative_to(package).as_posix()}\0{path.stat().st_size}\0".encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def state_path(root: Path, content: Path, out_dir: Path) -> Path:
    key = hashlib.blake2b(f"{content.absolute()}\0{out_dir.absolute()}".encode(), digest_size=8).hexdigest()
    return root / CACHE_DIR / f"state-{key}.pickle"


class TemplateCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept between builds, as Python keeps compiled modules in ``__pycache__``.

    Jinja2 finds a template's code by its name and the checksum of its source,
    so an edited template is compiled again; the folder is named after
    :func:`generator_fingerprint`, so other code, or another Jinja2 or Python,
    never reads code compiled by this one. Compiling every template takes
    about 90 ms, and every process that renders compiles the templates it uses:
    the parent of a rebuild, each worker of a full build. A cache that cannot be
    written is no reason to fail a build: the templates are then compiled as usual.
    """

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def template_cache(root: Path) -> TemplateCache | None:
    """The compiled-template cache of the project at ``root`` (None when it cannot be made);
    the caches of other generator fingerprints are removed."""
    try:
        parent = cache_folder(root / CACHE_DIR)
        folder = parent / f"templates-{generator_fingerprint()[:16]}"
        folder.mkdir(exist_ok=True)
    except OSError:
        return None
    for other in parent.glob("templates-*"):
        if other != folder:
            shutil.rmtree(other, ignore_errors=True)
    return TemplateCache(str(folder))


def load_state(path: Path, out_dir: Path) -> BuildState | None:
    """The saved state, or None when it is missing, unreadable or does not describe ``out_dir``."""
    try:
        with open(path, "rb") as handle:
            state = pickle.load(handle)
        inode = os.stat(out_dir).st_ino
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
        return None
    if not isinstance(state, BuildState) or state.version != STATE_VERSION:
        return None
    if state.generator != generator_fingerprint() or state.out_inode != inode:
        return None
    return state


def save_state(path: Path, state: BuildState) -> None:
    cache_folder(path.parent)
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    with open(temporary, "wb") as handle:
        pickle.dump(state, handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(temporary, path)


def forget_state(path: Path) -> None:
    path.unlink(missing_ok=True)


_KEY = operator.attrgetter("key")


class Fingerprints:
    """The current fingerprint of any dependency key, computed on first use."""

    def __init__(
        self,
        catalog: Catalog,
        digests: dict[str, str],
        site_digest: str,
        env: jinja2.Environment,
        templates: dict[str, str] | None = None,
    ):
        self.templates = {} if templates is None else templates  # name -> digest, while no template changes
        self.catalog = catalog
        self.digests = digests
        self.site_digest = site_digest
        self.env = env
        self._memo: dict[Key, Any] = {}

    def __getitem__(self, key: Key) -> Any:
        value = self._memo.get(key, self)
        if value is self:
            value = self._memo[key] = self._compute(key)
        return value

    def _compute(self, key: Key) -> Any:
        kind = key[0]
        catalog = self.catalog
        if kind == "file":
            return self.digests.get(key[1])
        if kind == "members":
            if key[1] == "creator":
                creator = catalog.creators.get(key[2])
                return None if creator is None else tuple(m.slug for m in creator._models)
            owner: Any = catalog.models if key[1] == "model" else catalog.providers
            item = owner.get(key[2])
            return None if item is None else tuple(map(_KEY, item._offerings))
        if kind == "all":
            return tuple(dict.keys(getattr(catalog, key[1])))
        if kind == "changelog":
            return changelog.fingerprint(catalog, key[1])
        if kind == "listing":
            return listings.fingerprint(catalog, key[1])
        if kind == "site":
            return self.site_digest
        if kind == "build_date":
            return catalog.build_date.isoformat()
        if kind == "template":
            found = self.templates.get(key[1])
            if found is None:
                found = self.templates[key[1]] = self._template(key[1])
            return found
        return ("unknown", key)  # never equal to a stored value: the page is rendered again

    def _template(self, name: str) -> str:
        """Digest of a template and of every template it extends, imports or includes."""
        h = hashlib.blake2b(digest_size=16)
        h.update(str(self.env.globals.get("assets_digest", "")).encode())  # fingerprinted asset URLs
        seen: set[str] = set()
        pending = [name]
        assert self.env.loader is not None
        while pending:
            current = pending.pop()
            if current in seen:
                continue
            seen.add(current)
            source, _, _ = self.env.loader.get_source(self.env, current)
            h.update(f"{current}\0{source}\0".encode())
            pending += [t for t in jinja2.meta.find_referenced_templates(self.env.parse(source)) if t]
        return h.hexdigest()

    def snapshot(self, keys: Iterable[Key]) -> dict[Key, Any]:
        digests = self.digests
        return {key: digests.get(key[1]) if key[0] == "file" else self[key] for key in keys}


Readers = dict[Key, set[str]]  # the pages that read each key


def readers_of(state: BuildState) -> Readers:
    """Which pages read each key of ``state`` (the development server keeps it, see
    :func:`read_again`)."""
    readers: Readers = {}
    for path, keys in state.pages.items():
        for key in keys:
            found = readers.get(key)
            if found is None:
                readers[key] = {path}
            else:
                found.add(path)
    return readers


def read_again(readers: Readers, before: BuildState, after: BuildState, rendered: Iterable[str]) -> None:
    """Make ``readers`` of ``before`` those of ``after``, whose pages are ``before``'s with
    ``rendered`` rendered again and the pages ``after`` no longer has removed."""
    for path in [*rendered, *(before.pages.keys() - after.pages.keys())]:
        for key in before.pages.get(path, ()):
            readers.get(key, set()).discard(path)
        for key in after.pages.get(path, ()):
            readers.setdefault(key, set()).add(path)


def stale_pages(
    state: BuildState, now: Fingerprints, edited: set[str] | None = None, readers: Readers | None = None
) -> tuple[set[str], dict[Key, Any]]:
    """Pages of the previous build that read a key whose fingerprint changed since, and the new
    fingerprints of those keys.

    Most keys name a content file, whose fingerprint is its digest: those are
    compared here directly, not through :class:`Fingerprints` (a method call
    and a memo entry per key were most of the time of a rebuild's check).
    ``edited``, when known (the development server after a patch, see
    :mod:`generator.patch`): the only content files whose bytes may differ
    from the state's, so no other file's digest is compared. ``readers``, when
    known (:func:`readers_of`): the pages are found through it instead of
    looking at every page's keys.
    """
    digests = now.digests
    if edited is None:
        changed = {
            key: after
            for key, before in state.fingerprints.items()
            if (after := digests.get(key[1]) if key[0] == "file" else now[key]) != before
        }
    else:
        fingerprints = state.fingerprints
        files = [key for key in (("file", display) for display in edited) if key in fingerprints]
        changed = {key: after for key in files if (after := digests.get(key[1])) != fingerprints[key]}
        may_change = _after_patch(now.catalog)
        changed.update(
            (key, after)
            for key, before in fingerprints.items()
            if key[0] != "file" and may_change(key) and (after := now[key]) != before
        )
    if not changed:
        return set(), changed
    if readers is not None:
        return set().union(*(readers.get(key, ()) for key in changed)), changed
    disjoint = changed.keys().isdisjoint
    return {path for path, keys in state.pages.items() if not disjoint(keys)}, changed


def _after_patch(catalog: Catalog) -> Callable[[Key], bool]:
    """Whether a key other than a file's may have another fingerprint after offerings were
    patched into the last catalog (:mod:`generator.patch`): no record was added, removed or
    renamed and no model, provider or creator changed, so neither did the sets of records, the
    order and places of the catalog table (by model name and slugs) nor a creator's models; a
    model's or provider's offerings may have another order only if one of them was edited."""
    edits = catalog.edits[1] if catalog.edits is not None else []
    members = {("members", "model", new.model.slug) for _, new in edits}
    members |= {("members", "provider", new.provider.slug) for _, new in edits}

    def may_change(key: Key) -> bool:
        kind = key[0]
        if kind == "members":
            return key in members
        return kind != "all" and not (kind == "listing" and key[1].startswith("rows "))

    return may_change


def next_fingerprints(
    state: BuildState, now: Fingerprints, changed: dict[Key, Any], rendered: Iterable[tuple[Key, ...]]
) -> dict[Key, Any]:
    """The fingerprints of the next state after a build that kept every page of ``state``'s
    (removed none) and rendered pages that read ``rendered``: the last ones, with ``changed``
    and the keys read for the first time.

    The development server's way to the next state, without the union of every page's keys
    (about 200,000 of them at 10,000 offerings). A key that no page reads any more may stay;
    its fingerprint is still current, and a change of it makes no page stale.
    """
    fingerprints = state.fingerprints | changed
    fresh = set().union(*rendered).difference(fingerprints)
    fingerprints.update(now.snapshot(fresh))
    return fingerprints


def site_digest(site_file: Path) -> str:
    return digest(site_file.read_bytes())


def templates_digest(folder: Path) -> str:
    """One digest of every template file, names and bytes."""
    h = hashlib.blake2b(digest_size=16)
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            h.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()
