"""The hostile-input corpus under tests/fixtures/corpus/: how a case becomes a site.

Each case is a folder ``tests/fixtures/corpus/<category>/<name>/`` holding:

* ``case.toml``: ``about`` (what the case tries), optionally ``delete`` (base
  files to remove), ``make`` (inputs git cannot hold, built at test time: see
  :data:`MAKERS`) and a ``[safe]`` table for cases that must build: ``pages``
  (output files to read), ``contains`` (exact strings the first of those pages
  must contain) and ``absent`` (strings none of them may contain);
* ``expected.txt``: the exact problem lines ``modeldir check`` and ``modeldir
  build`` print (empty for safe cases);
* every other file, byte for byte, laid over the one-offering base site of
  tests/conftest.py (``site.yaml``, ``content/...``).

Regenerate every ``expected.txt`` after a deliberate change of messages with
``MODELDIR_REGENERATE=1 python -m pytest tests/test_corpus.py`` and review the diff.
"""

from __future__ import annotations

import os
import shutil
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.conftest import FIXTURES, REPO, write_site

CORPUS = FIXTURES / "corpus"
BASE_OFFERING = "content/offerings/replicate/o1-mini-2024-09-12.yaml"


@dataclass(frozen=True)
class Case:
    category: str
    name: str
    folder: Path
    about: str
    delete: list[str]
    make: str | None
    safe: dict[str, Any] | None
    expected: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"{self.category}/{self.name}"


def cases(category: str | None = None) -> list[Case]:
    found = []
    for folder in sorted(CORPUS.glob("*/*/")):
        if category and folder.parent.name != category:
            continue
        meta = tomllib.loads((folder / "case.toml").read_text(encoding="utf-8"))
        expected_file = folder / "expected.txt"
        expected = expected_file.read_text(encoding="utf-8").splitlines() if expected_file.exists() else []
        found.append(
            Case(
                folder.parent.name,
                folder.name,
                folder,
                meta["about"],
                meta.get("delete", []),
                meta.get("make"),
                meta.get("safe"),
                expected,
            )
        )
    return found


def lay_over(case: Case, root: Path) -> None:
    """Copy the case's files (not its case.toml / expected.txt) over ``root``, byte for byte."""
    for source in sorted(case.folder.rglob("*")):
        relative = source.relative_to(case.folder)
        if source.is_dir() or relative.as_posix() in ("case.toml", "expected.txt"):
            continue
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    for relative in case.delete:
        (root / relative).unlink()
    if case.make:
        MAKERS[case.make](root)


def materialize(cases_: list[Case], root: Path) -> Path:
    """A complete site in ``root`` (base site + every case laid over it) with the repo's templates."""
    write_site(root, {})
    for case in cases_:
        lay_over(case, root)
    for folder in ("templates", "static"):
        (root / folder).symlink_to(REPO / folder, target_is_directory=True)
    return root


# --- inputs that cannot live in git -----------------------------------------------


def _huge_file(root: Path) -> None:
    """A 50 MB model file (sparse: the size check must refuse it before reading)."""
    path = root / "content/models/huge.yaml"
    with open(path, "wb") as handle:
        handle.write(b"name: huge\n")
        handle.truncate(50 * 1024 * 1024)


def _deep_flow(root: Path) -> None:
    """100,000 unclosed '[': libyaml must never recurse through them."""
    (root / "content/models/deep.yaml").write_bytes(b"name: deep\ncreator: " + b"[" * 100_000 + b"\n")


def _wide_list(root: Path) -> None:
    """250,000 one-character list items: under 1 MB, but minutes of validation if let through."""
    (root / "content/models/wide.yaml").write_bytes(
        b"name: wide\ncreator: openai\nlinks:\n" + b"- a\n" * 240_000
    )


def _forged_line(root: Path) -> None:
    """A file name with a line break that would forge a problem line or a CI annotation in the log."""
    name = "x\n::error file=README.md,line=1::forged\nsite.yaml:1:1: error: forged.yaml"
    (root / "content/models" / name).write_text("name: x\ncreator: openai\n", encoding="utf-8")


def _undecodable_name(root: Path) -> None:
    """A file name that is not UTF-8 (Python sees surrogate escapes)."""
    fd = os.open(os.fsencode(root / "content/models") + b"/o1\xff.yaml", os.O_CREAT | os.O_WRONLY, 0o644)
    os.write(fd, b"name: x\ncreator: openai\n")
    os.close(fd)


def _many_errors(root: Path) -> None:
    """9,000 invalid capabilities: each would cost a "did you mean" if all were explained."""
    model = root / "content/models/o1-mini-2024-09-12.yaml"
    text = model.read_text(encoding="utf-8").replace("capabilities: [reasoning]\n", "")
    model.write_text(text + "capabilities:\n" + "  - nope\n" * 9000, encoding="utf-8")


def _fifo(root: Path) -> None:
    """A named pipe where a content file should be: reading it would block forever."""
    os.mkfifo(root / "content/models/pipe.yaml")


def _link_outside(root: Path) -> None:
    (root / "content/models/passwd.yaml").symlink_to("/etc/passwd")


def _folder_link_outside(root: Path) -> None:
    outside = root / "elsewhere"
    outside.mkdir()
    (outside / "o1-mini-2024-09-12.yaml").write_text("model_id: openai/o1-mini\n", encoding="utf-8")
    (root / "content/offerings/elsewhere").symlink_to(outside, target_is_directory=True)


def _broken_link(root: Path) -> None:
    (root / "content/models/missing.yaml").symlink_to("nowhere.yaml")


def _link_loop(root: Path) -> None:
    (root / "content/models/loop.yaml").symlink_to("loop.yaml")


def _link_inside(root: Path) -> None:
    """A link to another content file is allowed: it stays inside content/."""
    (root / "content/creators/openai-again.yaml").symlink_to("openai.yaml")


MAKERS: dict[str, Callable[[Path], None]] = {
    "huge-file": _huge_file,
    "deep-flow": _deep_flow,
    "wide-list": _wide_list,
    "many-errors": _many_errors,
    "fifo": _fifo,
    "forged-line": _forged_line,
    "undecodable-name": _undecodable_name,
    "link-outside": _link_outside,
    "folder-link-outside": _folder_link_outside,
    "broken-link": _broken_link,
    "link-loop": _link_loop,
    "link-inside": _link_inside,
}
