"""A one-line progress bar on stderr: done / total, rate and time left. No dependency."""

from __future__ import annotations

import sys
import time


class Progress:
    def __init__(self, total: int, *, label: str = "", stream=None, width: int = 30) -> None:
        self.total, self.label, self.width = max(total, 1), label, width
        self.stream = stream or sys.stderr
        self.done, self.started = 0, time.monotonic()

    def advance(self, rows: int, label: str | None = None) -> None:
        self.done += rows
        self.label = label or self.label
        elapsed = max(time.monotonic() - self.started, 1e-6)
        rate = self.done / elapsed
        left = (self.total - self.done) / rate if rate else 0
        filled = int(self.width * min(self.done / self.total, 1))
        bar = "#" * filled + "-" * (self.width - filled)
        line = (
            f"\r[{bar}] {100 * self.done / self.total:5.1f}% {self.done:>12,}/{self.total:,} rows "
            f"{rate:>10,.0f}/s ETA {left:5.0f}s  {self.label:<28}"
        )
        self.stream.write(line)
        self.stream.flush()

    def close(self) -> float:
        self.stream.write("\n")
        self.stream.flush()
        return time.monotonic() - self.started
