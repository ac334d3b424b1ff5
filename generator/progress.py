"""A progress bar for long builds on a terminal; nothing at all otherwise.

In CI (standard error is not a terminal) the build prints only its usual
line-oriented summary, so logs stay short and grep-able.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

WIDTH = 30
EVERY = 0.1  # seconds between redraws


class Progress:
    def __init__(self, total: int, label: str = "pages", stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = total > 0 and self.stream.isatty()
        self.total = total
        self.label = label
        self.done = 0
        self._drawn = 0.0

    def __call__(self, count: int) -> None:
        self.done += count
        now = time.monotonic()
        if self.enabled and (now - self._drawn >= EVERY or self.done >= self.total):
            self._drawn = now
            filled = WIDTH * self.done // self.total
            self.stream.write(
                f"\r[{'#' * filled}{'.' * (WIDTH - filled)}] {self.done:,}/{self.total:,} {self.label}"
            )
            self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\r" + " " * (WIDTH + 40) + "\r")
            self.stream.flush()
