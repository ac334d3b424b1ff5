"""Every case of the hostile-input corpus (tests/corpus.py explains the layout).

A case either fails with exactly the problem lines of its ``expected.txt``
(``path:line:col: error: message``), exit status 1, no traceback and no output
folder, from both ``modeldir check`` and ``modeldir build``; or, when it has a
``[safe]`` table, builds and renders its hostile text inert.

Each case runs under a hang guard (``HANG_GUARD`` seconds, far above the few
milliseconds a case takes): a loader that loops or blocks fails the case
instead of stalling the suite.
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.cli import main
from tests.corpus import Case, cases, materialize

HANG_GUARD = 5
CASES = cases()


@contextlib.contextmanager
def hang_guard(seconds: int) -> Iterator[None]:
    def expire(signum: int, frame: object) -> None:
        raise TimeoutError(f"the case did not finish within {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str], str]:
    with hang_guard(HANG_GUARD):
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
