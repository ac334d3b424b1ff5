#!/usr/bin/env python3
"""Benchmark modeldir on a synthetic catalog: cold build, rebuild, check, development server.

Usage (from the repository root)::

    python bench/bench.py N [--work DIR] [--runs R] [--only cold,rebuild,warm,check,serve,serve-search]

It writes the catalog with ``bench/make_catalog.py N`` under ``DIR`` (default
``/dev/shm/modeldir-bench``: tmpfs, so the figures measure the generator, not
the disk) and runs each command as a new process, as a user would:

cold
    ``modeldir build --full`` into an empty folder: pages, wall seconds, the
    seconds of each stage (load, validate, lint, catalog, routes, render and
    write summed over the worker processes, extras, publish), pages per second,
    peak RSS (the largest single process, from ``wait4``).
rebuild
    change one offering's input price, ``modeldir build`` (incremental, from the
    state of the previous build), then compare the output with a clean build of
    the same content, byte for byte.
warm
    the same with ``modeldir build --warm``: the first starts the build server
    (:mod:`generator.buildserver`) and builds in full; each later one is a new
    client process, timed from its start to its exit, as a user would run it.
    Also the server's peak RSS (from ``/proc``).
check
    ``modeldir check`` against plain parsing: every content file through
    ``yaml.load(..., CSafeLoader)`` in one process, nothing else.
serve
    start ``modeldir serve``, listen to its events like a page does, change one
    offering, and time from the write to the reloaded page fetched (edit to
    reload) and to the whole rebuild published, five times; and the build
    time the server reports for each rebuild (from the start of the build to
    the site published, which is what Hugo's server reports as "Total in").
serve-search
    the same, but each edit waits until the server has started to bring the
    search index up to date after the one before (it starts once the files
    have been quiet for a second), so that every edit stops the indexer: the
    edit to reload then includes stopping it. Also how long the index took to
    follow the last edit. Not in the default list: it needs Pagefind.

Only the standard library and the project itself are used. Figures are medians.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PY = sys.executable


@dataclass(frozen=True)
class Ran:
    """One command's wall and CPU seconds, peak RSS in MiB (the largest process) and output."""

    wall: float
    cpu: float
    rss: float
    out: str


def run(cmd: list[str], cwd: Path = REPO) -> Ran:
    start = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - start
    assert proc.stdout is not None
    output = proc.stdout.read()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{output}")
    return Ran(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, output)


# The search index (Pagefind) is left out: the Hugo site it is compared with has none, and
# it reads every page again (see README.md for what it costs).
SKIP = ["--skip-extra", "search_index"]
# what modeldir serve prints as it brings the search index up to date (generator/serve.py)
SEARCH_STARTED = "indexing the changed pages for search"
SEARCH_STOPPED = "the search index waits for the next quiet moment"
SEARCH_DONE = "search index up to date"


def build_cmd(content: Path, out: Path, *extra: str) -> list[str]:
    command = [PY, "-m", "generator", "build", "--content", str(content), "--out", str(out), "--timings"]
    return [*command, *SKIP, *extra]


def stages(output: str) -> dict[str, float]:
    found = re.search(r"seconds per stage: (.*); summed over processes: (.*)", output)
    assert found, output
    pairs = [p.rsplit(" ", 1) for p in (found[1] + ", " + found[2]).split(", ")]
    return {name: float(value) for name, value in pairs}


def pages_of(output: str) -> int:
    found = re.search(r"modeldir build: (\d+) pages \((\d+) rendered", output)
    assert found, output
    return int(found[2])


def cold(content: Path, work: Path, runs: int) -> None:
    out = work / "out-cold"
    rows = []
    for _ in range(runs):
        shutil.rmtree(out, ignore_errors=True)
        rows.append(run(build_cmd(content, out, "--full")))
    wall = statistics.median(r.wall for r in rows)
    pages = pages_of(rows[0].out)
    per = {k: statistics.median(stages(r.out)[k] for r in rows) for k in stages(rows[0].out)}
    print(f"cold build: {pages} pages, {wall:.2f} s wall (median of {runs}), {pages / wall:,.0f} pages/s")
    print("  stages (s): " + ", ".join(f"{k} {v:.2f}" for k, v in per.items()))
    print(
        f"  cpu {statistics.median(r.cpu for r in rows):.2f} s, peak RSS {max(r.rss for r in rows):.0f} MiB"
    )


def offering(content: Path) -> Path:
    return sorted(content.glob("offerings/*/*.yaml"))[len(list(content.glob("offerings/*"))) * 3]


def edited_builds(
    content: Path, out: Path, work: Path, runs: int, digit: int, *flags: str
) -> tuple[list[Ran], bool, Path]:
    """Build ``content`` into ``out``; then ``runs`` + 1 times change one offering's input price and
    build again; then compare ``out`` with a clean build, byte for byte. The builds after the
    edits but the first, whether the output was identical, and the offering edited."""
    shutil.rmtree(out, ignore_errors=True)
    run(build_cmd(content, out, *flags))
    target = offering(content)
    original = target.read_text(encoding="utf-8")
    rows = []
    try:
        for k in range(runs + 1):
            target.write_text(
                re.sub(r"^  input: .*$", f"  input: {digit}.{k}7", original, count=1, flags=re.M)
            )
            found = run(build_cmd(content, out, *flags))
            if k:
                rows.append(found)
        clean = work / "out-clean"
        shutil.rmtree(clean, ignore_errors=True)
        run(build_cmd(content, clean, "--full"))
        same = subprocess.run(["diff", "-r", "-q", str(out), str(clean)], capture_output=True).returncode == 0
    finally:
        target.write_text(original, encoding="utf-8")
    return rows, same, target


def rebuild(content: Path, work: Path, runs: int) -> None:
    # the first rebuild after a clean build is not counted: it leaves the spare staging folder
    # that every later one starts from (generator.write.Spare), as when editing
    rows, same, target = edited_builds(content, work / "out-inc", work, runs, 3)
    wall = statistics.median(r.wall for r in rows)
    print(
        f"rebuild after editing {target.relative_to(content)}: {wall:.3f} s wall (median of {runs}), "
        f"{pages_of(rows[0].out)} pages rendered, output identical to a clean build: {same}"
    )
    print("  stages (s): " + ", ".join(f"{k} {v:.3f}" for k, v in stages(rows[-1].out).items()))


def server_peak_rss() -> float:
    """The peak RSS in MiB of the build servers running now (the largest; 0 if none)."""
    peaks = [0.0]
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            if b"generator.buildserver" not in (status.parent / "cmdline").read_bytes():
                continue
            found = re.search(r"^VmHWM:\s+(\d+) kB", status.read_text(), re.M)
        except OSError:
            continue
        if found:
            peaks.append(int(found[1]) / 1024)
    return max(peaks)


def warm(content: Path, work: Path, runs: int) -> None:
    stop = [PY, "-m", "generator", "stop"]
    subprocess.run(stop, cwd=REPO, capture_output=True)
    try:
        # the first build starts the server, which builds in full; the first rebuild is not
        # counted: it waits for the server to fill its caches after that build (see
        # generator.build.prime), which it does at once when a build rendered in workers
        rows, same, target = edited_builds(content, work / "out-warm", work, runs, 5, "--warm")
        rss = server_peak_rss()
    finally:
        subprocess.run(stop, cwd=REPO, capture_output=True)
    walls = [r.wall for r in rows]
    print(
        f"warm rebuild (modeldir build --warm, a new client process each time) after editing "
        f"{target.relative_to(content)}: {statistics.median(walls):.3f} s wall (median of {runs}; "
        f"min {min(walls):.3f}, max {max(walls):.3f}), {pages_of(rows[0].out)} pages rendered, "
        f"output identical to a clean build: {same}; the server's peak RSS {rss:.0f} MiB"
    )
    print("  stages (s): " + ", ".join(f"{k} {v:.3f}" for k, v in stages(rows[-1].out).items()))


PARSE = """
import sys, yaml
from pathlib import Path
for path in sorted(Path(sys.argv[1]).rglob("*.yaml")):
    yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
"""


def check(content: Path, runs: int) -> None:
    ours, plain = [], []
    for _ in range(runs):
        ours.append(run([PY, "-m", "generator", "check", "--content", str(content)]))
        plain.append(run([PY, "-c", PARSE, str(content)]))
    a = statistics.median(r.wall for r in ours)
    b = statistics.median(r.wall for r in plain)
    print(f"check: {a:.2f} s; plain YAML parsing: {b:.2f} s; ratio {a / b:.2f} (median of {runs})")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(content: Path, work: Path, runs: int, during_search: bool = False) -> None:
    out = work / "out-serve"
    port = free_port()
    server = subprocess.Popen(
        [PY, "-m", "generator", "serve", "--content", str(content), "--out", str(out), "--port", str(port)],
        cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    target = offering(content)
    original = target.read_text(encoding="utf-8")
    url = f"/models/{target.stem}/{target.parent.name}/"
    events: list[tuple[float, dict[str, object]]] = []
    arrived = threading.Condition()

    def listen() -> None:
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
                conn.request("GET", f"/__modeldir/events?page={url}")  # as a page open in a browser
                response = conn.getresponse()
                break
            except OSError:
                time.sleep(0.2)
        for line in response:
            if line.startswith(b"data: "):
                with arrived:
                    events.append((time.monotonic(), json.loads(line[6:])))
                    arrived.notify_all()

    threading.Thread(target=listen, daemon=True).start()
    times, whole = [], []
    log: list[str] = []  # the server's messages so far

    def read_log() -> None:
        assert server.stderr is not None
        for line in server.stderr:
            with arrived:
                log.append(line)
                arrived.notify_all()

    threading.Thread(target=read_log, daemon=True).start()
    try:
        with arrived:
            arrived.wait_for(lambda: events, timeout=900)
        for k in range(runs):
            if during_search and k:  # (the log shows how far the indexer got when it was stopped)
                with arrived:
                    arrived.wait_for(lambda: any(SEARCH_STARTED in line for line in log[-1:]), timeout=60)
                time.sleep(0.5)  # (well into copying the pages for the indexer, or running it)
            started = time.monotonic()
            target.write_text(re.sub(r"^  input: .*$", f"  input: 4.{k}3", original, count=1, flags=re.M))
            generation = events[-1][1]["generation"]

            def reloaded(seen: object = generation) -> bool:
                return events[-1][1]["generation"] != seen

            with arrived:  # the open page is told to reload
                arrived.wait_for(reloaded, timeout=60)
            conn = http.client.HTTPConnection("127.0.0.1", port)
            conn.request("GET", url)
            page = conn.getresponse().read().decode()
            times.append(time.monotonic() - started)
            assert f"$4.{k}3" in page, "the reloaded page does not show the edit"
            with arrived:  # the whole rebuild published (the rest of the site, the API, feeds)
                arrived.wait_for(lambda: not events[-1][1]["building"], timeout=60)
                whole.append(events[-1][0] - started)
            time.sleep(0.3)
        if during_search:
            with arrived:
                arrived.wait_for(lambda: any(SEARCH_DONE in line for line in log[-1:]), timeout=900)
    finally:
        server.terminate()
        server.wait()
        target.write_text(original, encoding="utf-8")
    # the build time the server reports for each rebuild (from the start of the build to the site
    # published, as Hugo's "Total in" is), after the first build
    text = "".join(log)
    reported = [float(m) for m in re.findall(r"^modeldir serve: \d+ of .* in ([0-9.]+) s$", text, re.M)]
    reported = reported[1 : runs + 1]
    if during_search:
        stopped = text.count(SEARCH_STOPPED)
        followed = re.findall(rf"^modeldir serve: {SEARCH_DONE} in ([0-9.]+) s$", text, re.M)[-1]
        print(
            f"serve-search: the indexer was stopped by {stopped} of {runs - 1} edits; the index followed the last in {followed} s"
        )
    print(
        f"serve{'-search' if during_search else ''}: edit to reloaded page {statistics.median(times) * 1000:.0f} ms (median of {runs}; "
        f"min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}); whole rebuild published after "
        f"{statistics.median(whole) * 1000:.0f} ms (min {min(whole) * 1000:.0f}, max {max(whole) * 1000:.0f}); "
        f"the server's own build time {statistics.median(reported) * 1000:.0f} ms "
        f"(min {min(reported) * 1000:.0f}, max {max(reported) * 1000:.0f})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark modeldir on a synthetic catalog.")
    parser.add_argument("n", type=int, help="offerings")
    parser.add_argument("--work", type=Path, default=Path("/dev/shm/modeldir-bench"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", default="cold,rebuild,warm,check,serve")
    args = parser.parse_args()
    content = args.work / f"cat{args.n}"
    if not content.is_dir():
        subprocess.run([PY, str(REPO / "bench" / "make_catalog.py"), str(args.n), str(content)], check=True)
    only = args.only.split(",")
    if "cold" in only:
        cold(content, args.work, args.runs)
    if "rebuild" in only:
        rebuild(content, args.work, args.runs)
    if "warm" in only:
        warm(content, args.work, args.runs)
    if "check" in only:
        check(content, args.runs)
    if "serve" in only:
        serve(content, args.work, max(args.runs, 5))
    if "serve-search" in only:
        serve(content, args.work, max(args.runs, 5), during_search=True)


if __name__ == "__main__":
    main()
