"""What a long build is doing, on one line of a terminal; nothing at all otherwise.

A build goes through stages (reading the content, checking it, planning the
pages, rendering them, the search index, publishing), and the longest are not
always the same: the pages at 10,000 offerings, the search index on the real
site (more than half of its cold build). Each stage replaces the line with its
name; a stage that counts (content files read, pages rendered, parts of the
search index indexed) draws a bar. Once a stage has taken a second, the line
also gives its seconds, so a stage whose count moves seldom (a part of the
search index takes several seconds) still shows that the build is alive.

In CI (standard error is not a terminal) the build prints only its usual
line-oriented summary, so logs stay short and grep-able.
"""

from __future__ import annotations

import shutil
import sys
import time
from typing import TextIO

WIDTH = 30
EVERY = 0.1  # seconds between redraws within a stage


class Progress:
    """The progress line of one build (or one ``modeldir check``).

    ``stage(label, total, unit)`` starts a stage and draws it at once;
    calling the object counts ``count`` more of the stage's ``total``; ``tick()``
    redraws the seconds of a stage that is waiting. Both redraw at most every
    :data:`EVERY` seconds, except that the last of a count is always drawn.
    ``close()`` clears the line, so what the build prints next starts on a
    clean line (leaving a ``with`` block closes it). When disabled, every
    call returns at once.
    """

    def __init__(self, enabled: bool = True, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = enabled and self.stream.isatty()
        self.label = ""
        self.total = 0
        self.unit = ""
        self.done = 0
        self._started = 0.0
        self._drawn = 0.0
        self._width = 0  # of the line on the terminal, to overwrite a longer one with spaces

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()  # (what the caller prints next, an error included, starts on a clean line)

    def stage(self, label: str, total: int = 0, unit: str = "") -> None:
        """Start the stage ``label``: a bar of ``total`` ``unit`` when it counts (total > 0)."""
        if not self.enabled:
            return
        self.label, self.total, self.unit, self.done = label, total, unit, 0
        self._started = time.monotonic()
        self._draw(self._started)

    def __call__(self, count: int = 1) -> None:
        if not self.enabled:
            return
        self.done += count
        now = time.monotonic()
        if now - self._drawn >= EVERY or self.done == self.total:
            self._draw(now)

    def tick(self) -> None:
        """Redraw the line if it is due: the seconds of a stage whose count does not move."""
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._drawn >= EVERY:
            self._draw(now)

    def line(self, now: float) -> str:
        """The text of the line at time ``now``."""
        text = self.label
        if self.total > 0:
            filled = WIDTH * min(self.done, self.total) // self.total
            text += f" [{'#' * filled}{'.' * (WIDTH - filled)}] {self.done:,}/{self.total:,} {self.unit}"
        else:
            text += "…"
        seconds = now - self._started
        return text + (f" {seconds:.0f} s" if seconds >= 1 else "")

    def close(self) -> None:
        """Clear the line (the stage is over; the caller prints what follows)."""
        if self.enabled and self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()
            self._width = 0

    def _draw(self, now: float) -> None:
        self._drawn = now
        # (a line longer than the terminal would wrap, and the next one start below it)
        text = self.line(now)[: shutil.get_terminal_size().columns - 1]
        self.stream.write("\r" + text + " " * max(0, self._width - len(text)))
        self.stream.flush()
        self._width = len(text)
