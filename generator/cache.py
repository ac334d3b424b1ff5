"""What a project keeps between processes in ``.modeldir-cache/``, and the parsed content files.

The folder (git-ignored, never published) holds the build state of each pair of
content and output folders (:mod:`generator.incremental`), the compiled
templates (:class:`generator.incremental.TemplateCache`) and, per content
folder, the parsed content files (:class:`ParseCache`).

Parsing is most of what a rebuild by a new process spends loading: 10,000 files
take about 1.7 s of CPU to parse. The development server keeps every parsed
file in memory (:class:`generator.load.LoadCache`); a one-off build writes the
parsed values of every file it read here, with the file's identity on disk
(modification and change times, size, inode) and the digest of its bytes.
The next incremental build takes a file's values from here while its identity
is unchanged, and reads and parses the others (a file is stat'ed before it is
read, so one changed while it was read is read again next time). A build that
ignores the build state (``--full``) parses every file, and writes them here.

The file holds pickled chunks of ``(display path, parsed values)`` in the order
the files were read, then a header: the version, the generator's fingerprint
(other parsing code never reads these values) and each file's identity and
digest; its first 8 bytes give the header's offset. A build reads the header,
then the chunks one at a time, in step with the files, so the values of only
one chunk are in memory at once. Numbers and dates are pickled by their text,
to be read back as this process's one object of that text
(:func:`generator.yamlquick.canonical`). A file that cannot be read or written
only means parsing as before.
"""

from __future__ import annotations

import contextlib
import copyreg
import datetime as dt
import hashlib
import os
import pickle
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from .yamlquick import canonical

CACHE_DIR = ".modeldir-cache"
VERSION = 1
CHUNK = 256  # files per pickled chunk
Identity = tuple[int, int, int, int]  # st_mtime_ns, st_ctime_ns, st_size, st_ino


def cache_folder(folder: Path) -> Path:
    """``folder`` (a project's ``.modeldir-cache/``), made and git-ignored if missing."""
    folder.mkdir(parents=True, exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("*\n", encoding="utf-8")
    return folder


def _by_text(value: Decimal | dt.date) -> tuple[Any, tuple[type, str]]:
    """Pickle a number or date as its text, to be read back as this process's one object of that text."""
    return canonical, (type(value), str(value))


def pickler(handle: IO[bytes]) -> pickle.Pickler:
    """A pickler for parsed values: numbers and dates go by their text (see :func:`_by_text`)."""
    made = pickle.Pickler(handle, protocol=pickle.HIGHEST_PROTOCOL)
    made.dispatch_table = {**copyreg.dispatch_table, Decimal: _by_text, dt.date: _by_text}
    return made


class ParseCache:
    """The parsed files an earlier build saved (to take), and those of this build (to save)."""

    def __init__(self, path: Path, fingerprint: str, reuse: bool) -> None:
        """The cache at ``path``; the saved values are taken only with ``reuse``. Nothing is
        opened before :meth:`begin`, and everything is closed by :meth:`finish` or :meth:`abandon`."""
        self.path = path
        self._fingerprint = fingerprint
        self._reuse = reuse
        self._saved: dict[str, tuple[Identity, str]] = {}
        self._reading: IO[bytes] | None = None
        self._entries: Iterator[tuple[str, Any]] = iter(())
        self._temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        self._writing: IO[bytes] | None = None
        self._header: dict[str, tuple[Identity, str]] = {}
        self._chunk: list[tuple[str, Any]] = []

    def begin(self) -> None:
        """Open the saved file (to take from) and this build's (to save to)."""
        if self._reuse:
            self._open_saved()
        try:
            self._writing = open(self._temporary, "wb")  # noqa: SIM115 - closed by finish() or abandon()
            self._writing.write(bytes(8))
            self._pickler = pickler(self._writing)
        except OSError:
            self._writing = None

    @classmethod
    def of(cls, root: Path, content: Path, fingerprint: str, reuse: bool) -> ParseCache:
        """The cache of the content folder ``content`` of the project at ``root``."""
        key = hashlib.blake2b(str(content.absolute()).encode(), digest_size=8).hexdigest()
        with contextlib.suppress(OSError):  # (if it cannot be made, nothing is saved)
            cache_folder(root / CACHE_DIR)
        return cls(root / CACHE_DIR / f"parsed-{key}.pickle", fingerprint, reuse)

    @property
    def has_saved(self) -> bool:
        return bool(self._saved)

    def _open_saved(self) -> None:
        try:
            handle = open(self.path, "rb")  # noqa: SIM115 - closed by finish() or abandon()
        except OSError:
            return
        try:
            offset = int.from_bytes(handle.read(8), "little")
            handle.seek(offset)
            version, made_by, header = pickle.load(handle)
            handle.seek(8)
        except Exception:
            handle.close()
            return
        if version != VERSION or made_by != self._fingerprint or not isinstance(header, dict):
            handle.close()
            return
        self._saved, self._reading = header, handle
        self._entries = self._chunks(handle, offset)

    @staticmethod
    def _chunks(handle: IO[bytes], end: int) -> Iterator[tuple[str, Any]]:
        try:
            while handle.tell() < end:
                yield from pickle.load(handle)
        except Exception:
            return

    def take(self, display: str, identity: Identity | None) -> tuple[str, Any] | None:
        """The digest and parsed values of the file ``display``, if saved while it had ``identity``."""
        known = self._saved.get(display)
        if known is None or identity is None or known[0] != identity:
            return None
        for name, values in self._entries:  # files saved but not asked for (changed, removed) are passed
            if name == display:
                return known[1], values
        return None

    def add(self, display: str, identity: Identity, digest: str, values: Any) -> None:
        """Save the parsed values of a file read (or taken) by this build."""
        if self._writing is None:
            return
        self._header[display] = (identity, digest)
        self._chunk.append((display, values))
        if len(self._chunk) >= CHUNK:
            self._dump_chunk()

    def _dump_chunk(self) -> None:
        assert self._writing is not None
        try:
            self._pickler.dump(self._chunk)
            self._pickler.clear_memo()  # nothing is shared between chunks
        except OSError:
            self.abandon()
        self._chunk = []

    def finish(self) -> None:
        """Replace the saved file with this build's (atomically), and forget it: the header of
        100,000 files would stay in memory for the rest of the build, and in every worker."""
        self._close_saved()
        if self._writing is not None and self._chunk:
            self._dump_chunk()
        if self._writing is not None:
            try:
                offset = self._writing.tell()
                pickle.dump(
                    (VERSION, self._fingerprint, self._header), self._writing, pickle.HIGHEST_PROTOCOL
                )
                self._writing.seek(0)
                self._writing.write(offset.to_bytes(8, "little"))
                self._writing.close()
                self._writing = None
                os.replace(self._temporary, self.path)
            except OSError:
                self.abandon()
        self._header, self._chunk = {}, []

    def abandon(self) -> None:
        """Save nothing (the build stopped while reading)."""
        self._close_saved()
        self._header, self._chunk = {}, []
        if self._writing is not None:
            self._writing.close()
            self._writing = None
        with contextlib.suppress(OSError):
            self._temporary.unlink()

    def _close_saved(self) -> None:
        if self._reading is not None:
            self._reading.close()
            self._reading = None
        self._saved, self._entries = {}, iter(())
