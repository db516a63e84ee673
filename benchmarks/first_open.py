"""The first page open on a fresh server: seconds from a new session's page request to its run finishing.

Starts ``streamlit run`` (``devtools.live.serve``), and as soon as its health check answers, one session
opens a page (the home page by default) with Streamlit's own websocket protocol (``devtools.wsclient``),
as the first student of the day would; then a second session opens the same page (the server is now
warm: imports done, warm-up running). Repeats on a fresh server each time and prints every figure.
Target (issue "live at class scale"): the first open ≤ 2 s.

Usage: python benchmarks/first_open.py [repeats] [page ...]   (default 3 repeats; pages: "" = home)
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from devtools import live  # noqa: E402
from devtools.wsclient import Session  # noqa: E402


async def open_twice(url: str, page: str) -> tuple[float, float]:
    """Seconds for the first and then a second session to open ``page``, one after the other."""
    times = []
    for _ in range(2):
        start = time.perf_counter()
        session = await Session.connect(url)
        run = await session.open(page)
        times.append(time.perf_counter() - start)
        if run.errors:
            raise RuntimeError(f"{page or 'home'}: {run.errors[:1]}")
        await session.close()
    return times[0], times[1]


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    pages = sys.argv[2:] or [""]
    print(f"{'page':<24}{'fresh server':>14}{'first open s':>14}{'second open s':>15}")
    for page in pages:
        for r in range(repeats):
            with live.serve() as (url, _proc):
                first, second = asyncio.run(open_twice(url, page))
            print(f"{page or 'home':<24}{r + 1:>14}{first:>14.2f}{second:>15.2f}")


if __name__ == "__main__":
    main()
