"""Every case of the hostile-input corpus (tests/corpus.py explains the layout).

A case either fails with exactly the problem lines of its ``expected.txt``
(``path:line:col: error: message``), exit status 1, no traceback and no output
folder, from both ``modeldir check`` and ``modeldir build``; or, when it has a
``[safe]`` table, builds and renders its hostile text inert.

Each case runs under two guards: at most ``CPU_LIMIT`` seconds of CPU time
(a case takes milliseconds; CPU time does not grow when other jobs share the
machine, so this is not a flaky timing assertion) and ``WALL_LIMIT`` seconds of
wall time for a case that blocks without computing. A loader that loops,
blocks or works too hard fails the case instead of stalling the suite.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.cli import main
from tests.conftest import REPO
from tests.corpus import Case, cases, materialize

CPU_LIMIT = 5
WALL_LIMIT = 60
CASES = cases()


@contextlib.contextmanager
def hang_guard(cpu: float = CPU_LIMIT, wall: float = WALL_LIMIT) -> Iterator[None]:
    def expire(signum: int, frame: object) -> None:
        what = "CPU" if signum == signal.SIGPROF else "wall-clock"
        raise TimeoutError(f"the case used more than its {what} time limit")

    previous = {sig: signal.signal(sig, expire) for sig in (signal.SIGPROF, signal.SIGALRM)}
    signal.setitimer(signal.ITIMER_PROF, cpu)
    signal.setitimer(signal.ITIMER_REAL, wall)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.setitimer(signal.ITIMER_REAL, 0)
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str], str]:
    with hang_guard():
        status = main(argv)
    captured = capsys.readouterr()
    text = captured.out + captured.err
    problems = [line for line in captured.err.splitlines() if ": error: " in line or ": warning: " in line]
    return status, problems, text


def test_corpus_is_large_and_varied() -> None:
    assert len(CASES) >= 50
    assert {c.category for c in CASES} >= {"yaml", "values", "identity", "injection", "files"}


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case(
    case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = materialize([case], tmp_path / "site")
    monkeypatch.chdir(root)
    out = tmp_path / "public"
    check_status, check_problems, check_text = run(["check"], capsys)
    build_status, build_problems, build_text = run(["build", "--out", str(out)], capsys)
    for text in (check_text, build_text):
        assert "Traceback" not in text
    if os.environ.get("MODELDIR_REGENERATE"):
        (case.folder / "expected.txt").write_text("".join(f"{line}\n" for line in check_problems), "utf-8")
        return
    assert check_problems == case.expected, case.about
    if case.safe is None:
        assert check_status == 1 and build_status == 1, case.about
        assert build_problems == case.expected
        assert not out.exists(), "a failed build must not write the output folder"
        _, _, annotations = run(["check", "--format", "github"], capsys)
        lines = annotations.splitlines()
        commands = [line for line in lines if line.startswith(("::error ", "::warning "))]
        assert len(commands) == len(case.expected), "one GitHub annotation per problem, none forged"
        assert all(not line.startswith("::") or line in commands for line in lines)
        _, _, as_json = run(["check", "--format", "json"], capsys)
        reported = json.JSONDecoder().raw_decode(as_json[as_json.index("{") :])[0]["problems"]
        assert [p["severity"] for p in reported] == [
            "error" if ": error: " in line else "warning" for line in case.expected
        ]
        assert any(": error: " in line for line in case.expected), "an error case must expect an error"
        return
    assert check_status == 0 and build_status == 0, build_text
    pages = case.safe.get("pages", [])
    assert pages, "a safe case names the pages it checks"
    for index, page in enumerate(pages):
        html = (out / page).read_text(encoding="utf-8")
        for wanted in case.safe.get("contains", []) if index == 0 else []:
            assert wanted in html, f"{page} should contain {wanted!r}"
        for unwanted in case.safe.get("absent", []):
            assert unwanted not in html, f"{page} must not contain {unwanted!r}"


PROCESS_SAMPLE = [
    "yaml/huge-file",
    "yaml/deep-nesting-flow",
    "yaml/billion-laughs",
    "yaml/too-many-values",
    "files/fifo",
    "values/redos-pattern",
]


@pytest.mark.parametrize("case", [c for c in CASES if c.id in PROCESS_SAMPLE], ids=lambda c: c.id)
def test_case_in_a_real_process(case: Case, tmp_path: Path) -> None:
    """The heaviest cases through the installed entry point: exit status 1, the exact lines, no traceback."""
    root = materialize([case], tmp_path / "site")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    for command in (["check"], ["build", "--out", str(tmp_path / "public")]):
        result = subprocess.run(
            [sys.executable, "-m", "generator", *command],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            timeout=WALL_LIMIT,  # a hang guard; in-process, each case also has CPU_LIMIT seconds of CPU
        )
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr
        problems = [
            line for line in result.stderr.splitlines() if ": error: " in line or ": warning: " in line
        ]
        assert problems == case.expected
    assert not (tmp_path / "public").exists()
