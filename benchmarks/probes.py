"""What the app benchmarks watch: the frames an app paints, and how long its event loop stalls."""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import Any


class FrameClock:
    """Timestamps the frames an app produces, and makes each into terminal output as a driver would.

    Headless mode skips writing frames; rendering the update's segments here puts that work back.
    """

    def __init__(self, app: Any) -> None:
        self.times: list[float] = []
        display = app._display

        def timed_display(screen: Any, renderable: Any) -> None:
            display(screen, renderable)
            if renderable is not None:
                render = getattr(renderable, "render_segments", None)
                if render is not None:
                    render(app.console)
                self.times.append(time.perf_counter())

        app._display = timed_display

    def first_after(self, start: float) -> float | None:
        """Seconds from ``start`` to the first frame since then (None if none yet)."""
        frames = [moment for moment in self.times if moment >= start]
        return frames[0] - start if frames else None

    def after(self, start: float, last: bool) -> float:
        """Seconds from ``start`` to the first (or last) frame since then (0 if none)."""
        frames = [moment for moment in self.times if moment >= start]
        if not frames:
            return 0.0
        return (frames[-1] if last else frames[0]) - start


class StallProbe:
    """The longest time the event loop went without waking a coroutine that sleeps 1 ms at a time."""

    def __init__(self) -> None:
        self.longest = 0.0
        self._task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        last = time.perf_counter()
        while True:
            await asyncio.sleep(0.001)
            now = time.perf_counter()
            self.longest = max(self.longest, now - last)
            last = now

    async def start(self) -> None:
        """Start from zero, and be running before the caller goes on (so its next call counts)."""
        self.longest = 0.0
        self._task = asyncio.get_running_loop().create_task(self._run())
        await asyncio.sleep(0)

    async def stop(self) -> float:
        """Stop; the longest stall in seconds."""
        assert self._task is not None
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        return self.longest
