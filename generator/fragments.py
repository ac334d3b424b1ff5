"""The serialised pieces of the extras, made once per record and kept between builds.

Most extras (:mod:`generator.extras`) hold a piece per record: a JSON file per
offering, model and provider, a row per offering in ``catalog.json``, the
manifest, the API catalog and its CSV, a ``<url>`` per page in the sitemap, an
Atom entry per price change. Each record's pieces are serialised once and kept
in its :class:`Parts`; a file made from many records is a join of their pieces.

The development server keeps one :class:`Fragments` across builds
(``Warm.extras``), like the rows of :mod:`generator.views`: a record's
:class:`Parts` are found again by the identity of the content records they were
made from, which the loader reuses while their files are unchanged. After an
edit only the pieces of the edited records are serialised again:

* :meth:`Fragments.column` is a piece of every offering, in catalog order; the
  last build's list is kept and only the places of edited offerings are redone;
* :meth:`Fragments.each` is a value per model or provider, made from its parts
  and its offerings' (a model's API file, its feed);
* :meth:`Fragments.joined` is any value made from a whole catalog, kept while
  what it was made from is the same, and :meth:`Fragments.file` a file's bytes
  with the fingerprint the writer compares with the published site's, so an
  unchanged file is neither hashed nor written again.

A one-off build uses a fresh :class:`Fragments`, which only spares it
serialising a piece twice; the files it would make from one record alone (an
offering's API file, a model's feed) it keeps from the last build while their
dependency keys are unchanged (:attr:`Fragments.kept_files`,
:mod:`generator.keptfiles`), and the offerings' pieces of the files made from
every offering it takes from the last build likewise
(:attr:`Fragments.kept_pieces`, :mod:`generator.keptpieces`). Everything
depends on the site configuration too: another ``Site`` object (site.yaml
changed) empties the cache.
"""

from __future__ import annotations

import functools
import itertools
import uuid
from collections import deque
from collections.abc import Callable, Hashable, Iterable
from itertools import compress, count, repeat
from operator import attrgetter, is_, is_not
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar, cast

from . import history
from .catalog import Catalog, Creator, Model, Offering, Provider
from .keptfiles import File, KeptFiles
from .keptpieces import KEPT_PIECES, KeptPieces
from .routes import Route, plan_routes
from .write import file_digest

if TYPE_CHECKING:
    from .progress import Progress
    from .search_parts import CutPages

T = TypeVar("T")
R = TypeVar("R", Offering, Model, Provider, Creator)
Blob = tuple[bytes, str]  # a file's bytes and their digest (generator.write.file_digest)


def blob(data: bytes) -> Blob:
    return data, file_digest(data)


class Parts(Generic[R]):
    """The pieces of one record (an offering, model or provider), each made on first use.

    ``item`` is the record's object in the current build's catalog; the pieces
    depend only on the content records in ``made_from`` and the site.
    """

    __slots__ = ("item", "kept", "made_from", "memo")

    def __init__(self, item: R, made_from: tuple[object, ...]) -> None:
        self.item: R = item
        self.made_from = made_from
        self.memo: dict[str, Any] = {}
        self.kept: KeptPieces | None = None  # an offering's pieces the last one-off build saved

    def get(self, name: str, make: Callable[[Parts[R]], T]) -> T:
        """The piece ``name``, made by ``make(self)`` the first time it is asked for (or taken
        from the last one-off build's, see :mod:`generator.keptpieces`)."""
        memo = self.memo
        if name in memo:
            found: T = memo[name]
            return found
        kept = self.kept
        if kept is None or name not in KEPT_PIECES:
            value = memo[name] = make(self)
        else:
            value = memo[name] = kept.get(name, self.item, functools.partial(make, self))
        return value


History = tuple[list[history.Period], list[history.PriceChange]]
Members = tuple["Parts[Offering]", ...]  # a model's or provider's offerings


def _price_history(part: Parts[Offering]) -> History:
    return history.timeline(part.item)


def _piece(name: str, make: Callable[[Parts[R]], T], part: Parts[R]) -> T:
    return part.get(name, make)


class Fragments:
    """What the extras keep of one build for the next (see the module's documentation).

    The first call with a new catalog starts a new build: it finds every
    offering's, model's and provider's :class:`Parts`.
    """

    def __init__(self, kept: bool = False) -> None:
        """``kept``: this object serves many builds (see :meth:`file`).

        A one-off build's Fragments keeps only the pieces that more than one
        file is made from: a file's bytes (and a column of files) are handed to
        the writer and forgotten, so the extras of a large catalog never hold
        every file they write in memory at once.
        """
        self.kept = kept
        self._tokens = f"~{uuid.uuid4().hex[:16]}-"  # see file()
        self._serial = itertools.count()
        # a one-off build's files of the last build it may keep, and what its files read (set by
        # the build; None: every file is made)
        self.kept_files: KeptFiles | None = None
        # a one-off build's pieces of offerings of the last build it may take, and what it makes
        # (set by the build; None: every piece is made)
        self.kept_pieces: KeptPieces | None = None
        # what the search indexer was handed of each page, by the page's file digest (see
        # generator.search_parts.PageInputs): the server's next index reads only the pages it
        # has not seen
        self.search_inputs: dict[str, str | None] = {}
        # a one-off build's pages cut for the indexer while the others rendered (set by the build)
        self.search_cuts: CutPages | None = None
        # the build's progress line while its own process runs an extra (set by the build): the
        # search index counts its parts there
        self.progress: Progress | None = None
        self._catalog: Catalog | None = None
        self._small = False  # a catalog whose pieces a one-off build may keep (see piece())
        self._site: object = None
        self._parts: dict[int, Parts[Any]] = {}  # by the identity of the record they are made from
        self._joined: dict[Hashable, tuple[tuple[object, ...], Any]] = {}
        self._previous_joined: dict[Hashable, tuple[tuple[object, ...], Any]] = {}
        self.offerings: list[Parts[Offering]] = []  # in the order of catalog.offerings
        self.creators: dict[str, Parts[Creator]] = {}
        self.models: dict[str, Parts[Model]] = {}
        self.providers: dict[str, Parts[Provider]] = {}
        self.model_offerings: dict[str, Members] = {}  # in the order of Model.offerings
        self.provider_offerings: dict[str, Members] = {}
        # what a file made from the whole catalog is made from (for joined)
        self.everything: tuple[object, ...] = ()
        # the slugs of every record, which decide the routes (for joined)
        self.slugs: tuple[tuple[object, ...], ...] = ()
        self._previous_offerings: list[Parts[Offering]] = []
        self._changed: list[int] | None = None  # where offerings differs from _previous_offerings
        self._position: dict[tuple[str, str], int] = {}  # an offering's place in offerings, by key
        self._columns: dict[str, tuple[list[Parts[Offering]], object, list[Any]]] = {}
        # each(): (kind, name) -> (context, the build it was made in, values by slug, and what each
        # value was made from); _builds counts the builds started, _touched (after a start from
        # edits) names the models and providers whose offerings were replaced
        self._each: dict[tuple[str, str], tuple[tuple[object, ...], int, dict[str, Any], dict[str, Any]]] = {}
        self._builds = 0
        self._touched: dict[str, set[str]] | None = None

    def start(self, catalog: Catalog) -> None:
        """Begin a build with ``catalog``; every extra calls it first (it does nothing the second time)."""
        if catalog is self._catalog:
            return
        self._small = len(catalog.offerings) <= history.KEEP_TIMELINES
        self._builds += 1
        if self._start_from_edits(catalog):
            return
        self._touched = None
        if catalog.site is not self._site:
            self._parts, self._joined, self._columns, self._each = {}, {}, {}, {}
            self._site = catalog.site
        self._catalog = None  # until this is done
        previous_slugs, self.slugs = self.slugs, ()
        self._previous_joined, self._joined = self._joined, {}
        self.creators, new_creators = self._find(catalog.creators)
        self.models, new_models = self._find(catalog.models, new_creators, "creator")
        self.providers, new_providers = self._find(catalog.providers)
        self._previous_offerings = self.offerings
        offerings = list(catalog.offerings.values())
        self.offerings, _ = self._find_all(offerings, new_models | new_providers, "model", "provider")
        if self.kept_pieces is not None:
            deque(map(setattr, self.offerings, repeat("kept"), repeat(self.kept_pieces)), maxlen=0)
        self._prune()
        slugs = tuple(
            tuple(records)
            for records in (catalog.creators, catalog.models, catalog.providers, catalog.offerings)
        )
        self._changed = None
        if slugs == previous_slugs:  # the same records, some of them edited
            self._changed = list(compress(count(), map(is_not, self.offerings, self._previous_offerings)))
        else:
            self._position = {key: i for i, key in enumerate(catalog.offerings)}
        self._group_offerings(self._changed)
        self.slugs = slugs
        self._made_of_everything(catalog)
        self._catalog = catalog

    def _prune(self) -> None:
        """Forget the parts of records edited or removed since, once they are as many as the others."""
        live = len(self.offerings) + len(self.models) + len(self.providers) + len(self.creators)
        if len(self._parts) > 2 * live + 100:
            kept: list[Parts[Any]] = [
                *self.creators.values(),
                *self.models.values(),
                *self.providers.values(),
            ]
            self._parts = {id(part.made_from[0]): part for part in [*kept, *self.offerings]}

    def _start_from_edits(self, catalog: Catalog) -> bool:
        """:meth:`start` with a catalog made from the last one by replacing offerings
        (:attr:`Catalog.edits`): only those offerings' parts are looked up, instead of every
        record's. False when ``catalog`` was not made so from the last one seen here."""
        last = self._catalog
        if (
            last is None
            or catalog.edits is None
            or catalog.edits[0] is not last.memo
            or catalog.site is not last.site
        ):
            return False
        self._catalog = None  # until this is done
        self._previous_joined, self._joined = self._joined, {}
        self._previous_offerings, self.offerings = self.offerings, list(self.offerings)
        changed: set[int] = set()
        for _, new in catalog.edits[1]:
            place = self._position[new.key]
            part = self._parts.get(id(new._record))
            if part is None:
                made_from = (new._record, new.model._record, new.provider._record)
                part = self._parts[id(new._record)] = Parts(new, made_from)
            part.item = new
            self.offerings[place] = part
            changed.add(place)
        self._changed = sorted(changed)
        self._touched = {
            "model": {new.model.slug for _, new in catalog.edits[1]},
            "provider": {new.provider.slug for _, new in catalog.edits[1]},
        }
        self._group_offerings(self._changed)
        self._prune()
        self._made_of_everything(catalog)
        self._catalog = catalog
        return True

    def _made_of_everything(self, catalog: Catalog) -> None:
        """What a file made from the whole catalog is made from (see :meth:`joined`)."""
        self.everything = (
            catalog.build_date,
            *self.creators.values(),
            *self.models.values(),
            *self.providers.values(),
            *self.offerings,
        )

    def _group_offerings(self, changed: list[int] | None) -> None:
        """The parts of each model's and provider's offerings; when only the offerings at
        ``changed`` were edited, those of the others are the last build's."""
        position, offerings = self._position, self.offerings

        def parts(group: Model | Provider) -> Members:
            return tuple(offerings[position[o.key]] for o in group._offerings)

        if changed is None or len(changed) > len(offerings) // 10:
            self.model_offerings = {slug: parts(m.item) for slug, m in self.models.items()}
            self.provider_offerings = {slug: parts(p.item) for slug, p in self.providers.items()}
            return
        edited = [offerings[i].item for i in changed]
        for model in {o.model.slug: o.model for o in edited}.values():  # an edit can reorder them
            self.model_offerings[model.slug] = parts(model)
        for provider in {o.provider.slug: o.provider for o in edited}.values():
            self.provider_offerings[provider.slug] = parts(provider)

    def _find(
        self, items: dict[str, R], remade: set[str] | None = None, *owners: str
    ) -> tuple[dict[str, Parts[R]], set[str]]:
        """:meth:`_find_all` for a dict of records by slug; the slugs of the parts made anew."""
        slugs = list(items)
        found, fresh = self._find_all(list(items.values()), remade, *owners)
        return dict(zip(slugs, found, strict=True)), {slugs[i] for i in fresh}

    def _find_all(
        self, items: list[R], remade: set[str] | None, *owners: str
    ) -> tuple[list[Parts[R]], list[int]]:
        """The parts of ``items`` (and the places of those made anew): earlier builds' where
        they are made from the same records.

        A record's parts are kept by the identity of its content record (they
        hold it, so the identity is not reused while they are kept), and made
        again when one of its ``owners`` (model, provider, creator) has a slug
        in ``remade``: that record changed. Finding the kept parts runs in C: a
        rebuild looks up ten thousand offerings.
        """
        keys = list(map(id, map(attrgetter("_record"), items)))
        parts: dict[int, Parts[R]] = self._parts
        found: list[Parts[R] | None] = list(map(parts.get, keys))
        fresh = list(compress(count(), map(is_, found, repeat(None)))) if None in found else []
        if remade:
            fresh = [
                i
                for i, item in enumerate(items)
                if found[i] is None or any(getattr(item, owner).slug in remade for owner in owners)
            ]
        for i in fresh:
            item: R = items[i]
            made_from = (item._record, *(getattr(item, owner)._record for owner in owners))
            found[i] = parts[keys[i]] = Parts(item, made_from)
        kept = cast(list[Parts[R]], found)
        deque(map(setattr, kept, repeat("item"), items), maxlen=0)
        return kept, fresh

    def offering(self, key: tuple[str, str]) -> Parts[Offering]:
        """The parts of the offering ``key`` (of the catalog of the build started)."""
        return self.offerings[self._position[key]]

    def forget(self) -> None:
        """A one-off build, after an extra: drop every record's pieces.

        Only the extra that made a piece reads it again (a model's file and its
        offerings' files share their summaries), so a one-off build keeps the
        pieces of one extra at a time, never those of all of them; the server
        keeps everything.
        """
        if self.kept:
            return
        for part in self._parts.values():
            if part.memo:
                part.memo = {}

    def unfinished(self) -> None:
        """The build did not end (it failed, or was stopped): the values of the build before it
        that this one did not reach are kept for the next, as if it had used them.

        Without this, the next build would make again every file of the extras this one did
        not reach (the CDN rules, every compressed copy), and write them, as their fingerprints
        (:meth:`file`) would be new. A value is still used only when what it was made from is
        the same, and one this build made is new to the published site, which the writer sees.
        """
        self._joined = {**self._previous_joined, **self._joined}
        self._previous_joined = {}

    def price_history(self, part: Parts[Offering]) -> History:
        """An offering's periods and price changes, which the API and the feeds both publish
        (:func:`generator.history.timeline`; a one-off build makes them for each, keeping none)."""
        return part.get("history", _price_history) if self.kept else history.timeline(part.item, keep=False)

    def piece(self, part: Parts[R], name: str, make: Callable[[Parts[R]], T]) -> T:
        """``part.get(name, make)``: a piece that goes into more than one file (an offering's feed
        entries go into its model's and its provider's feed). A one-off build keeps it until the
        extra is done (:meth:`forget`); past :data:`~generator.history.KEEP_TIMELINES` offerings it
        makes it for each file instead, rather than hold a piece of every offering at once."""
        return part.get(name, make) if self.kept or self._small else make(part)

    def files(
        self, name: str, make: Callable[[Parts[Offering]], File], path_of: Callable[[Offering], str]
    ) -> Iterable[File]:
        """A file per offering (at ``path_of(offering)``): :meth:`column` for the development
        server, made one by one (and forgotten once written) by a one-off build, which keeps
        the published file where it can (:attr:`kept_files`)."""
        if self.kept:
            return self.column(name, make)
        if self.kept_files is None:
            return map(make, self.offerings)
        made = ((path_of(part.item), part.item, functools.partial(make, part)) for part in self.offerings)
        return self.kept_files.made_or_kept(made)

    def column(self, name: str, make: Callable[[Parts[Offering]], T], context: object = None) -> list[T]:
        """``[part.get(name, make) for part in self.offerings]``, made again only for the offerings that changed.

        The last build's list is kept; when the same offerings are at the same
        places (only some of them edited), only the edited ones are looked at.
        With a ``context``, whatever else the values depend on (compared with
        ==), values are ``make(part)``, not kept in the parts, and all made
        again when the context differs from the last build's.
        """
        if context is None:
            make = functools.partial(_piece, name, make)
        offerings = self.offerings
        hit = self._columns.get(name)
        if hit is not None and hit[0] is offerings and hit[1] == context:
            return hit[2]
        if (
            hit is not None
            and hit[0] is self._previous_offerings
            and self._changed is not None
            and hit[1] == context
        ):
            values = list(hit[2])
            for i in self._changed:
                values[i] = make(offerings[i])
        else:
            values = [make(part) for part in offerings]
        if self.kept:
            self._columns[name] = (offerings, context, values)
        return values

    def joined(self, name: Hashable, made_from: tuple[object, ...], make: Callable[..., T], *args: Any) -> T:
        """``make(*args)``, or its value of the last build if ``made_from`` equals that build's.

        ``made_from`` holds what the value is made of: :class:`Parts` (compared
        by identity) and plain values (strings, numbers, dates, lists of them).
        """
        if not self.kept:  # a one-off build asks once
            return make(*args)
        hit = self._joined.get(name)
        if hit is None:
            hit = self._previous_joined.pop(name, None)
        if hit is None or hit[0] != made_from:
            hit = (made_from, make(*args))
        self._joined[name] = hit
        value: T = hit[1]
        return value

    def file(
        self, name: Hashable, made_from: tuple[object, ...], make: Callable[..., bytes], *args: Any
    ) -> Blob:
        """:meth:`joined` for a file: the bytes of ``make(*args)`` and their fingerprint for the writer.

        When the bytes come out the same as the last build's, so does the
        fingerprint, and the writer leaves the file alone. A Fragments that
        serves many builds (the development server's) does not hash the bytes
        of a file made again: it fingerprints them with a token no other bytes
        ever get (unique to this object and this file's making). Hashing the
        whole-catalog files (ten megabytes at 10,000 offerings) would cost a
        third of a rebuild; the fingerprints live only in the server's memory.
        A one-off build keeps nothing.
        """
        if not self.kept:
            return blob(make(*args))
        hit = self._joined.get(name)
        if hit is None:
            hit = self._previous_joined.pop(name, None)
        if hit is None or hit[0] != made_from:
            data = make(*args)
            if hit is None or hit[1][0] != data:
                hit = (made_from, (data, f"{self._tokens}{next(self._serial)}"))
            else:
                hit = (made_from, hit[1])
        self._joined[name] = hit
        found: Blob = hit[1]
        return found

    def routes(self, catalog: Catalog) -> list[Route]:
        """Every page (:func:`generator.routes.plan_routes`, planned once per catalog; the
        development server keeps the last build's list while it would be the same). Routes
        depend on more than slugs (the changelog's months), so what is made from them is kept
        while this list is the same."""
        self.start(catalog)
        return plan_routes(catalog)

    def each_file(
        self,
        kind: Literal["model", "provider"],
        name: str,
        make: Callable[[Any, Members], T],
        *context: object,
    ) -> Iterable[T]:
        """The values of :meth:`each`; a one-off build makes them one by one, as they are written."""
        if self.kept:
            return self.each(kind, name, make, *context).values()
        groups, members = self._groups(kind)
        return (make(part, members[slug]) for slug, part in groups.items())

    def each_record_file(
        self,
        kind: Literal["model", "provider"],
        name: str,
        make: Callable[[Any, Members], File],
        path_of: Callable[[Model | Provider], str],
        *context: object,
    ) -> Iterable[File]:
        """:meth:`each_file` for a file made from a model (or provider) and its offerings alone, at
        ``path_of(record)``: a one-off build keeps the published file where it can (:attr:`kept_files`).
        ``context``: whatever else it is made from; a one-off build's files depend on the
        configuration and the build date in any case."""
        if self.kept or self.kept_files is None:
            return self.each_file(kind, name, make, *context)
        groups, members = self._groups(kind)
        made = (
            (path_of(part.item), part.item, functools.partial(make, part, members[slug]))
            for slug, part in groups.items()
        )
        return self.kept_files.made_or_kept(made)

    def _groups(self, kind: Literal["model", "provider"]) -> tuple[dict[str, Parts[Any]], dict[str, Members]]:
        if kind == "model":
            return self.models, self.model_offerings
        return self.providers, self.provider_offerings

    def each(
        self,
        kind: Literal["model", "provider"],
        name: str,
        make: Callable[[Any, Members], T],
        *context: object,
    ) -> dict[str, T]:
        """``make(parts, parts of its offerings)`` for each model (or provider), by slug; kept
        while its parts, its offerings' parts and ``context`` are the same."""
        groups, members = self._groups(kind)
        if not self.kept:  # a one-off build asks once
            return {slug: make(part, members[slug]) for slug, part in groups.items()}
        last = self._each.get((kind, name))
        if last is not None and last[0] != context:
            last = None
        if last is not None and last[1] == self._builds - 1 and self._touched is not None:
            # offerings were replaced since the last build: only their models' (providers') values
            values, made = dict(last[2]), dict(last[3])
            for slug in self._touched[kind]:
                made[slug] = (groups[slug], *members[slug])
                values[slug] = make(groups[slug], members[slug])
        else:
            before, before_made = (last[2], last[3]) if last is not None else ({}, {})
            values, made = {}, {}
            for slug, part in groups.items():
                made[slug] = (part, *members[slug])  # (parts compare by identity)
                same = before_made.get(slug) == made[slug]
                values[slug] = before[slug] if same else make(part, members[slug])
        self._each[(kind, name)] = (context, self._builds, values, made)
        return values
