"""Problems and the exceptions that carry them.

Every failure a contributor can cause is a :class:`Problem`: a file, a line, a
column, a severity and a message that says what is wrong and how to fix it.
Stages collect problems instead of stopping at the first one, so a single run
of ``modeldir check`` lists everything that is wrong with a pull request.

The exception hierarchy is small on purpose::

    ModeldirError                 base of everything this package raises on purpose
    ├── ContentError              the content is invalid; carries every Problem found
    ├── BuildError                the site could not be written (I/O, collisions, snippets)
    └── UsageError                the command line or site configuration is unusable

Anything else escaping the package is a bug in the generator, not in the content.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Location:
    """A place in a content file; line and column are 1-based, 0 when unknown."""

    path: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.path}:{self.line}:{self.column or 1}"
        return self.path


@dataclass(frozen=True, order=True)
class Problem:
    location: Location
    severity: Severity = field(compare=False)
    message: str = field(compare=True)

    def __str__(self) -> str:
        return one_line(f"{self.location}: {self.severity.value}: {self.message}")

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


def one_line(text: str) -> str:
    """``text`` with every invisible or line-breaking character written as an escape.

    A problem is one line of output whatever a file name or value contains, so
    a name with a line break cannot forge a second problem line, or a CI
    annotation, in the log.
    """
    if text.isprintable():
        return text
    return "".join(
        ch if ch.isprintable() else (f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")
        for ch in text
    )


def describe_char(char: str) -> str:
    """``U+202E (RIGHT-TO-LEFT OVERRIDE)``: a character named for a message."""
    name = unicodedata.name(char, "") or {"\r": "CARRIAGE RETURN", "\n": "LINE FEED", "\t": "TAB"}.get(
        char, "a byte that is not UTF-8" if unicodedata.category(char) == "Cs" else "a control character"
    )
    return f"U+{ord(char):04X} ({name})"


def _encodable(text: str) -> str:
    """``text`` without lone surrogates (from file names that are not UTF-8), which no stream can write."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def error(location: Location, message: str) -> Problem:
    return Problem(location, Severity.ERROR, _encodable(message))


def warning(location: Location, message: str) -> Problem:
    return Problem(location, Severity.WARNING, _encodable(message))


class ModeldirError(Exception):
    """Base class of every error this package raises on purpose."""


class ContentError(ModeldirError):
    """The content is invalid. ``problems`` holds every problem found, sorted."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: list[Problem] = sorted(problems)
        errors = sum(p.is_error for p in self.problems)
        super().__init__(f"{errors} error(s) in the content")


class BuildError(ModeldirError):
    """The site could not be produced for a reason other than invalid content."""


class BuildStopped(BuildError):
    """The build's caller asked it to stop (the development server does, when a file is saved
    while it brings the search index up to date); nothing was published."""


class UsageError(ModeldirError):
    """The command line or the site configuration cannot be used."""


def did_you_mean(word: str, choices: Sequence[str] | Iterable[str]) -> str:
    """Return ' (did you mean "x"?)' for the closest choice, or '' if none is close.

    A choice also counts as close when its beginning is close to the word, so a
    misspelt short name ("o1-mni") still finds a long slug ("o1-mini-2024-09-12").
    """
    best, best_score = "", 0.0
    for choice in choices:
        whole = difflib.SequenceMatcher(None, word, choice).ratio()
        head = difflib.SequenceMatcher(None, word, choice[: len(word) + 1]).ratio() * 0.9
        score = max(whole, head)
        if score > best_score:
            best, best_score = choice, score
    return f' (did you mean "{best}"?)' if best_score >= 0.7 else ""


def relative(path: Path, root: Path) -> str:
    """Show a path relative to ``root`` when it lies inside it, with forward slashes."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
