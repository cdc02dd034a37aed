"""A one-line progress bar with rate and ETA, for long builds (standard library only)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO

__all__ = ["Progress", "format_seconds"]


def format_seconds(seconds: float) -> str:
    """``seconds`` as ``m:ss`` (or ``h:mm:ss`` from an hour up).

    Examples
    --------
    >>> format_seconds(5), format_seconds(75.4), format_seconds(3725)
    ('0:05', '1:15', '1:02:05')
    """
    s = int(round(seconds))
    h, rest = divmod(s, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


class Progress:
    """``[#####.....]  50/100 docs  12.5 docs/s  ETA 0:04  doc042``, redrawn in place with ``\\r``.

    Draws at most every ``interval`` seconds (and always at the end), so that a fast loop pays
    little for it. Rate and ETA count from the bar's construction.

    Parameters
    ----------
    total : int
        Number of steps.
    stream : TextIO
        Where to draw (``sys.stderr`` in ``ipkg build``).
    unit : str
        Name of a step.
    width : int
        Width of the bar in characters.
    interval : float
        Minimum seconds between two redraws.
    now : callable, optional
        The clock (``time.monotonic`` by default; tests pass a fake one).

    Examples
    --------
    >>> import io
    >>> clock = iter([0.0, 2.0, 4.0, 4.0]).__next__
    >>> out = io.StringIO()
    >>> bar = Progress(4, out, width=8, now=clock)
    >>> bar.update(1, "a")
    >>> bar.update(2, "b")
    >>> bar.close()
    >>> out.getvalue().split("\\r")[-1]
    '[####....]  2/4 docs  0.5 docs/s  ETA 0:04  b\\n'
    """

    def __init__(
        self,
        total: int,
        stream: TextIO,
        *,
        unit: str = "docs",
        width: int = 24,
        interval: float = 0.1,
        now: Callable[[], float] | None = None,
    ) -> None:
        self.total = max(total, 0)
        self.stream = stream
        self.unit = unit
        self.width = width
        self.interval = interval
        self.now = now or time.monotonic
        self.start = self.now()
        self.done = 0
        self.label = ""
        self._drawn_at: float | None = None
        self._last_len = 0

    def update(self, done: int, label: str = "") -> None:
        """Record that ``done`` steps are finished, the last one named ``label``."""
        self.done, self.label = done, label
        t = self.now()
        if self._drawn_at is None or t - self._drawn_at >= self.interval or done >= self.total:
            self._draw(t)

    def line(self, t: float) -> str:
        """The text of the bar at time ``t``."""
        elapsed = max(t - self.start, 0.0)
        frac = self.done / self.total if self.total else 1.0
        filled = min(self.width, int(frac * self.width))
        rate = self.done / elapsed if elapsed > 0 else 0.0
        if self.done >= self.total:
            tail = f"in {format_seconds(elapsed)}"
        elif rate > 0:
            tail = f"ETA {format_seconds((self.total - self.done) / rate)}"
        else:
            tail = "ETA ?"
        n = len(str(self.total))
        text = f"[{'#' * filled}{'.' * (self.width - filled)}]  {self.done:>{n}}/{self.total} {self.unit}  {rate:.1f} {self.unit}/s  {tail}"
        return f"{text}  {self.label}" if self.label else text

    def _draw(self, t: float) -> None:
        text = self.line(t)
        pad = " " * max(self._last_len - len(text), 0)
        self.stream.write(f"\r{text}{pad}")
        self.stream.flush()
        self._last_len = len(text)
        self._drawn_at = t

    def close(self) -> None:
        """Draw the last state and end the line."""
        if self.done or self._drawn_at is not None:
            self._draw(self.now())
            self.stream.write("\n")
            self.stream.flush()
