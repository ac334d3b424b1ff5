"""The ``modeldir`` command's entry point, and the client of the build server.

``modeldir build --warm`` hands the build to a build server
(:mod:`generator.buildserver`) that stays in the background and keeps in
memory what the last build read and made, the way the development server
does; the next ``build --warm`` after an edit then renders and writes only
what changed, in a fraction of a second instead of seconds. The first one
starts the server (and waits for it). ``modeldir stop`` ends it; it also ends
by itself after :data:`IDLE` seconds without a build, and when the
generator's code changes (the client then starts a new one). While a server
runs, a ``modeldir build`` without the flag goes through it too: built beside
it, in its own process, the build would replace the site the server keeps and
find no saved state (the server holds it), so both would build in full.

This module imports only the standard library: the client must start in a few
tens of milliseconds, and the generator's own imports (pydantic, Jinja2, the
schema) take about half a second. Whatever keeps the server from being used
(no Unix sockets, a folder for its socket that other users can write to, a
server that does not start or stops during the build) makes the command build
in its own process instead, as without ``--warm``: the flag never changes what
is built, only where.

One server serves one working folder with one Python; its socket, lock and
log are in ``$XDG_RUNTIME_DIR/modeldir-<uid>/`` (or the temporary folder),
named by a digest of those two. The protocol is one JSON line from the client
(its arguments, working folder, the environment that shapes a build, whether
its standard error is a terminal), then JSON lines from the server: what the
build prints, stream by stream, as it prints it, and last its exit status.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import socket
import stat
import sys
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # (pathlib, subprocess and tempfile cost a client 20 ms to import)
    from typing import NoReturn

IDLE = 30 * 60.0  # seconds without a build after which the server ends (MODELDIR_WARM_IDLE overrides)
STARTUP = 60.0  # seconds the client waits for a new server to listen
ANOTHER = 10.0  # seconds it waits for another one, when the one it started found it had started
FORWARDED = ("SOURCE_DATE_EPOCH",)  # what a build reads from the environment
SUN_PATH = 100  # bytes: longer socket paths do not fit a sockaddr_un everywhere
POSIX = os.name == "posix" and hasattr(socket, "AF_UNIX")  # (elsewhere --warm builds here)
RESTART = -1  # the server's code is not this client's: it ends, and a new one is started


def run() -> NoReturn:
    """The ``modeldir`` command: a warm build or ``stop`` through the build server when one can be
    used, anything else (and those, when none can) by :func:`generator.cli.run`."""
    argv = sys.argv[1:]
    code: int | None = None
    try:
        if argv == ["stop"] and POSIX:
            code = stop()
        elif argv[:1] == ["build"] and POSIX and not {"-h", "--help", "--"} & set(argv):
            code = build_warm(argv, start="--warm" in argv)
    except KeyboardInterrupt:
        print("modeldir: interrupted; the build server finishes the build it started", file=sys.stderr)
        leave(130)
    if code is None:
        from .cli import run as run_here

        run_here()
    leave(code)


def leave(code: int) -> NoReturn:
    """Flush the standard streams and exit with ``code``, without tearing the heap down (see
    :func:`generator.cli.run`); a reader that went away (``| head``) makes a success a failure."""
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        code = code or 1
    os._exit(code)


def idle_seconds() -> float:
    value = os.environ.get("MODELDIR_WARM_IDLE", "")
    try:
        return float(value) if value else IDLE
    except ValueError:
        return IDLE


def _temporary_folder() -> str:
    """The runtime folder, or where :func:`tempfile.gettempdir` looks first (without importing it)."""
    for name in ("XDG_RUNTIME_DIR", "TMPDIR", "TEMP", "TMP"):
        if os.path.isdir(found := os.environ.get(name, "")):
            return found
    return "/tmp"


def _socket_path() -> str:
    """Where this folder's server listens: named by the working folder, the Python and the package."""
    key = hashlib.blake2b(
        f"{os.path.realpath(os.getcwd())}\0{sys.executable}\0{os.path.dirname(__file__)}".encode(),
        digest_size=8,
    ).hexdigest()
    return os.path.join(_temporary_folder(), f"modeldir-{os.getuid()}", f"build-{key}.sock")


def server_paths() -> tuple[str, str, str] | None:
    """The socket, lock file and log of this folder's server; None when no private folder for
    them can be had (the caller then builds without the server)."""
    sock = _socket_path()
    folder = os.path.dirname(sock)
    try:
        with contextlib.suppress(FileExistsError):
            os.mkdir(folder, 0o700)
        found = os.lstat(folder)
    except OSError:
        return None
    if not stat.S_ISDIR(found.st_mode) or found.st_uid != os.getuid() or found.st_mode & 0o077:
        print(
            f"modeldir: {folder} is not a folder private to this user; building without the build server",
            file=sys.stderr,
        )
        return None
    if len(os.fsencode(sock)) > SUN_PATH:
        print(
            f"modeldir: {folder} is too long a path for a socket; building without the build server",
            file=sys.stderr,
        )
        return None
    stem = sock.removesuffix(".sock")
    return sock, f"{stem}.lock", f"{stem}.log"


def _connect(path: str) -> socket.socket | None:
    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        client.connect(path)
    except OSError:
        client.close()
        return None
    return client


def _start(sock: str, log: str) -> socket.socket | None:
    """Start a server for this folder and wait until it listens; None if it did not."""
    import subprocess

    with open(log, "ab") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "generator.buildserver", sock],
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=output,
            start_new_session=True,  # not stopped by the terminal's Ctrl-C, nor by the client's end
        )
    deadline = time.monotonic() + STARTUP
    while time.monotonic() < deadline:
        client = _connect(sock)
        if client is not None:
            return client
        if server.poll() is not None:  # it ended: another server took the lock first, or it failed
            deadline = min(deadline, time.monotonic() + ANOTHER)
        time.sleep(0.02)
    return None


def _ask(client: socket.socket, request: dict[str, object]) -> int | None:
    """Send one request; relay what the server prints; its exit status (None: it stopped)."""
    with client, client.makefile("rb") as replies:
        try:
            client.sendall(json.dumps(request).encode() + b"\n")
            for line in replies:
                message = json.loads(line)
                if "exit" in message:
                    return int(message["exit"])
                _show(message)
        except (OSError, ValueError):  # (it went away, maybe mid-line)
            return None
    return None


def _show(message: dict[str, str]) -> None:
    stream = sys.stdout if "out" in message else sys.stderr
    with contextlib.suppress(OSError):  # this command's reader went away (| head): the build goes on
        stream.write(message.get("out", message.get("err", "")))
        stream.flush()


def build_warm(argv: list[str], start: bool = True) -> int | None:
    """``modeldir build``: the exit status of the build the server made, or None when it could not
    be made there. Without ``--warm`` (``start`` False) the server is used only when it already
    runs: a one-off build beside it would replace the site it keeps in memory, so that its next
    build, and this one (the server holds the saved state), would be full ones."""
    if not start and not os.path.exists(_socket_path()):
        return None  # (the usual case: no server, and nothing more to look at)
    paths = server_paths()
    if paths is None:
        return None
    sock, _, log = paths
    request = {
        "argv": argv,
        "cwd": os.getcwd(),
        "env": {name: os.environ.get(name) for name in FORWARDED},
        "tty": sys.stderr.isatty(),
    }
    for _ in range(3):
        client = _connect(sock)
        started = client is None
        if client is None and not start:
            return None
        if client is None:
            client = _start(sock, log)
        if client is None:
            print(f"modeldir: the build server did not start (see {log}); building here", file=sys.stderr)
            return None
        code = _ask(client, request)
        if code == RESTART:  # a server for other code: it ends; start one for this code (with --warm)
            continue
        if code is None:
            print(f"modeldir: the build server stopped (see {log}); building here", file=sys.stderr)
            return None
        if not start:
            print(
                "modeldir: built by the build server running for this folder (`modeldir stop` ends it)",
                file=sys.stderr,
            )
        elif started:
            print(
                "modeldir: built by a new build server, which keeps this build in memory for the next "
                f"`modeldir build --warm` ({idle_seconds() / 60:g} minutes idle at most; `modeldir stop` ends it)",
                file=sys.stderr,
            )
        return code
    return None


def stop() -> int | None:
    """``modeldir stop``: end this folder's server; None when there is none (the command line says so)."""
    paths = server_paths()
    client = _connect(paths[0]) if paths else None
    if client is None:
        return None
    code = _ask(client, {"stop": True})
    return 0 if code is None else code
