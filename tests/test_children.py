"""A build's child processes end with it, even when it is killed outright."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from generator import children
from tests.conftest import REPO

# A "build" that starts a child the way the build does and reports its pid, then waits.
PARENT = """
import subprocess, sys, time
from concurrent.futures import ProcessPoolExecutor
import multiprocessing, os
from generator import children

if sys.argv[1] == "tool":
    tool = subprocess.Popen(  # serves until it is stopped
        children.tool_command("http.server", "0", "--bind", "127.0.0.1"),
        stdout=subprocess.PIPE, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    tool.stdout.readline()  # "Serving HTTP on …": it runs (past the check of its parent)
else:
    pool = ProcessPoolExecutor(  # two: each keeps the other's end of the pool's pipes open
        2, mp_context=multiprocessing.get_context("fork"),
        initializer=children.end_with, initargs=(os.getpid(),),
    )
    pool.submit(os.getpid).result()
print("started", flush=True)
time.sleep(60)
"""


def _children(parent: int) -> list[int]:
    found = []
    for entry in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii") as stat:
                if int(stat.read().rsplit(")", 1)[1].split()[1]) == parent:
                    found.append(int(entry))
        except OSError:  # (it ended meanwhile)
            continue
    return found


def _gone(pid: int, wait: float) -> bool:
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
                if stat.read().rsplit(")", 1)[1].split()[0] == "Z":  # ended, not yet reaped
                    return True
        except FileNotFoundError:
            return True
        time.sleep(0.02)
    return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="looks for the child in /proc")
@pytest.mark.parametrize("child", ["tool", "worker"])
def test_a_child_ends_when_the_build_is_killed(child: str) -> None:
    parent = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(PARENT), child],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    try:
        assert parent.stdout is not None
        assert parent.stdout.readline() == "started\n"
        pids = _children(parent.pid)
        assert len(pids) == (1 if child == "tool" else 2)
    finally:
        parent.send_signal(signal.SIGKILL)
        parent.wait()
    # asked of the kernel: at once; the fallback thread checks every second
    outlived = [pid for pid in pids if not _gone(pid, 2.0)]
    for pid in outlived:
        os.kill(pid, signal.SIGKILL)
    assert not outlived, f"the {child} outlived the killed build"


def test_a_tool_whose_build_ended_before_it_started_does_not_run() -> None:
    """The tool's parent is not the process it was started for (here, as if that ended at once)."""
    command = children.tool_command("code")
    command[3] = str(os.getpid() + 10**6)  # no such process
    result = subprocess.run(command, stdin=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert result.returncode == 1
