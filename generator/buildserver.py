"""The build server behind ``modeldir build --warm`` (the client is :mod:`generator.launch`).

A one-off ``modeldir build`` after an edit spends seconds before it renders
anything: starting Python and importing the generator, reading and validating
every record again, joining the whole-catalog files from the pieces it kept.
The development server avoids all of it by staying up with what it learned
(:class:`generator.build.Warm`) and a file watcher that names the files each
edit touched, so a rebuild reads, checks and renders only what changed. This
server does the same for the command line, as build tools with a daemon do
(Gradle's, Bazel's server, mypy's dmypy): each ``build --warm`` is one request,
run by :func:`generator.cli.main` with the server's ``Warm``, printing what a
build in the client's own process would print.

The watcher starts before the first full load, so from then on every save
under ``content/`` is either read already or named by the kernel's queue of
events, which a build drains as it starts (a save's events are queued before
the save returns). While idle, every file is also compared with what was read
(the development server's audit), for edits the watcher cannot see.

The server ends after :data:`generator.launch.IDLE` seconds without a build, on
``modeldir stop`` or SIGTERM, when its code is no longer the generator's on
disk (the client then starts a new one), and after a build that failed with an
unexpected exception (what it kept may be inconsistent). Except after such an
error, it saves its build state as it ends (:func:`generator.build.hand_over`),
so the next one-off build is incremental as it would have been after a one-off
build. While it runs, the state lives in its memory: a one-off ``modeldir
build`` of the same folder meanwhile builds in full, and then the server does
too once (it sees another process replaced the site). One server runs per
folder: it holds a lock for its whole life.
"""

from __future__ import annotations

import contextlib
import fcntl
import io
import json
import os
import signal
import socket
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from . import cli
from .build import Warm, hand_over, prime
from .errors import BuildError, ContentError
from .incremental import code_digest
from .launch import RESTART, idle_seconds, leave
from .project import Project
from .watch import Watcher

AUDIT = 5.0  # seconds of quiet after which every content file is compared with what was read
PACKAGE = Path(__file__).parent


class Relay(io.TextIOBase):
    """A standard stream of the build, sent to the client line by line as JSON (``{"out": text}``).

    It says it is a terminal when the client's standard error is one, so that
    the build draws its progress bar as it would in the client's process. When
    the client has gone (Ctrl-C), writes are dropped and the build goes on: it
    publishes atomically, and the next build starts from it.
    """

    def __init__(self, connection: socket.socket, name: str, tty: bool) -> None:
        self.connection = connection
        self.name = name
        self.tty = tty

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return self.tty

    def write(self, text: str) -> int:
        send(self.connection, {self.name: text})
        return len(text)


def send(connection: socket.socket, message: dict[str, Any]) -> None:
    with contextlib.suppress(OSError):
        connection.sendall(json.dumps(message).encode() + b"\n")


class BuildServer:
    def __init__(self) -> None:
        self.code = code_digest(PACKAGE)
        self.served: tuple[Project, Path] | None = None  # the project and output folder built last
        self.warm = Warm()
        self.watcher: Watcher | None = None
        self.audited = True
        self.ending_well = True  # not after an unexpected error, when what it keeps may be wrong

    def warm_for(self, project: Project, out: Path, full: bool) -> Warm:
        """What the build keeps: the same as last time for the same folders (with the files the
        watcher saw change since), a fresh start for others or with ``--full``."""
        if full or (project, out) != self.served or self.watcher is None:
            if self.watcher is not None:
                self.watcher.close()
            if (project, out) != self.served:
                self.hand_over()  # (the next build of those folders starts from it)
            self.served = (project, out)
            self.watcher = Watcher([project.content, project.templates, project.static], [project.site_file])
            self.warm = Warm()
            self.warm.load.watching = self.watcher.uses_inotify  # (the first load reads every file)
        else:
            self.warm.load.changed(self.watcher.drain())
        self.audited = False
        return self.warm

    def hand_over(self) -> None:
        """Save the state of the folders served last, for the next build that starts without it."""
        if self.served is not None:
            with contextlib.suppress(OSError):  # (that build then starts from nothing)
                hand_over(*self.served, self.warm)

    def handle(self, connection: socket.socket, request: dict[str, Any], close: Callable[[], None]) -> bool:
        """Run one request; False when the server ends after it. ``close`` stops listening: it is
        called before the last reply, so that no client connects to a server that is ending."""
        if request.get("stop"):
            close()
            send(connection, {"err": f"modeldir stop: stopped the build server (pid {os.getpid()})\n"})
            send(connection, {"exit": 0})
            return False
        if code_digest(PACKAGE) != self.code:
            close()
            send(connection, {"exit": RESTART})
            return False
        os.chdir(request["cwd"])
        for name, value in request["env"].items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        tty = bool(request.get("tty"))
        out, err = Relay(connection, "out", tty), Relay(connection, "err", tty)
        keep = True
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = cli.main(request["argv"], warm=self.warm_for)
            except SystemExit as exc:  # the command line was refused (or --help): argparse exits
                code = exc.code if isinstance(exc.code, int) else 2
            except Exception:
                traceback.print_exc()
                print("modeldir: the build server ends after this unexpected error", file=sys.stderr)
                code, keep = 1, False
                self.ending_well = False
        if not keep:
            close()
        send(connection, {"exit": code})
        return keep

    def prime(self) -> None:
        """Fill the caches a build that rendered in worker processes could not fill (see
        :func:`generator.build.prime`); at once after such a build, as the next may come soon."""
        if self.served is None or self.warm.state is None or self.warm.primed:
            return
        with contextlib.suppress(BuildError, ContentError, OSError):  # the next build reports it
            prime(*self.served, self.warm)

    def audit(self) -> None:
        """After a quiet while: look for edits the watcher missed, once after each build."""
        if self.audited or self.served is None or self.watcher is None:
            return
        self.audited = True
        self.warm.load.changed(self.watcher.drain())  # saves since the build are not missed ones
        if self.warm.load.stale(self.served[0].content):
            self.warm.load.changed(None)


def _locked(lock: IO[str], sock: Path) -> bool:
    """Take this folder's lock; False if another server holds it and listens."""
    deadline = time.monotonic() + 5.0
    while True:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            pass
        probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            probe.connect(str(sock))
            return False  # it serves
        except OSError:
            pass  # it is ending (a restart for new code): wait for its lock
        finally:
            probe.close()
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)


def serve_builds(sock: Path) -> int:
    """Serve builds on the socket ``sock`` until idle, stopped or out of date."""
    with open(sock.with_suffix(".lock"), "a") as lock:
        if not _locked(lock, sock):
            return 0
        with contextlib.suppress(FileNotFoundError):
            sock.unlink()  # left by a server that was killed
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        old = os.umask(0o177)  # the socket is this user's alone
        try:
            listener.bind(str(sock))
        finally:
            os.umask(old)
        listener.listen(8)

        def close() -> None:
            with contextlib.suppress(OSError):
                sock.unlink()
            listener.close()

        server = BuildServer()
        last = time.monotonic()
        try:
            while True:
                waited = time.monotonic() - last
                left = idle_seconds() - waited
                listener.settimeout(max(0.01, min(AUDIT - waited, left) if waited < AUDIT else left))
                try:
                    connection, _ = listener.accept()
                except TimeoutError:
                    if time.monotonic() - last >= idle_seconds():
                        return 0
                    server.prime()
                    server.audit()
                    continue
                with connection:
                    connection.settimeout(None)
                    line = connection.makefile("rb").readline()
                    try:
                        request = json.loads(line)
                    except ValueError:
                        continue
                    if not server.handle(connection, request, close):
                        return 0
                server.prime()
                last = time.monotonic()
        finally:
            if listener.fileno() >= 0:
                close()
            if server.ending_well:
                server.hand_over()


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # end as when idle: hand the state over
    leave(serve_builds(Path(sys.argv[1])))
