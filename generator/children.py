r"""Child processes that end with the build's process, however that ends.

A build killed outright (SIGKILL, the out-of-memory killer) runs no code as it
ends. Its worker processes would then wait forever for work on the pool's
pipes, which the other workers keep open, and a Pagefind it started was seen
to hang once the next build removed the folders it was reading. So each child
asks the kernel, where it can (Linux's ``prctl(PR_SET_PDEATHSIG)``), for
SIGKILL when its parent ends; a tool the build runs makes the request through
:func:`tool_command` before it starts, and keeps it when it ``exec``\ s.
"""

from __future__ import annotations

import ctypes
import os
import runpy
import signal
import sys
import threading
import time
from collections.abc import Callable

PR_SET_PDEATHSIG = 1  # prctl(2): the signal a process gets when its parent ends


def _prctl() -> Callable[[int, int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        function: Callable[[int, int], int] = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    return function


_PRCTL = _prctl()  # looked up once, so that a child just forked only calls it


def killed_with_parent() -> bool:
    """Ask for SIGKILL when this process's parent ends; whether that could be asked for."""
    return _PRCTL is not None and _PRCTL(PR_SET_PDEATHSIG, signal.SIGKILL) == 0


def end_with(parent: int) -> None:
    """In a forked worker (a pool's initializer): end when ``parent`` ends. Where the kernel
    cannot be asked, a thread checks every second."""
    if not killed_with_parent():
        threading.Thread(target=_watch, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # it ended before the signal was asked for
        os._exit(1)


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(1)


def tool_command(module: str, *args: str) -> list[str]:
    """The command that runs ``python -m module args`` as a tool of this process, ending with it.

    The request is made in the new process, before it runs the module (see
    :func:`main`), rather than in a ``preexec_fn``, which is unsafe in a process
    with threads (the build server and the development server have some).
    """
    return [sys.executable, "-m", __name__, str(os.getpid()), module, *args]


def main(argv: list[str]) -> None:
    """``python -m generator.children PARENT MODULE ARGS…``: run MODULE as ``__main__`` with ARGS,
    ending when the process PARENT ends (Linux; elsewhere the tool runs to its own end)."""
    parent, module, *args = argv
    killed_with_parent()
    if os.getppid() != int(parent):  # it ended before the signal was asked for
        sys.exit(1)
    sys.argv = [module, *args]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main(sys.argv[1:])
