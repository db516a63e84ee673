"""Drive the real app: `streamlit run` on a free localhost port, and headless Debian Chromium."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium keeps dialling out of this closed network.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


T = TypeVar("T")


def run_async(coro: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run(coro)`` on a thread of its own: Playwright's sync API (the tests' browser) keeps an event
    loop running in its thread for as long as the browser lives, where ``asyncio.run`` refuses to start."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, proc: subprocess.Popen, log, timeout: float, what: str) -> None:
    """Wait (at most ``timeout`` s) until ``url`` answers ``/_stcore/health`` with 200; raise with the
    tail of ``log`` (the process's output file) if ``proc`` exits first or time runs out."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).status == 200:
                return
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                log.seek(0)
                raise RuntimeError(f"{what} did not come up at {url}:\n{log.read()[-2000:]}") from None
            time.sleep(0.3)


@contextlib.contextmanager
def serve(timeout: float = 60.0, port: int | None = None, workers: int = 1, root: Path = ROOT,
          env: dict[str, str] | None = None) -> Iterator[tuple[str, subprocess.Popen]]:
    """Start ``streamlit run serve.py`` (the app with its start-up hook) of the checkout at ``root`` on
    ``port`` (a free one if None) on 127.0.0.1 with ``workers`` training processes and ``env`` on top of
    this process's environment; wait up to ``timeout`` s for its health check; yield (base URL, process);
    stop it after."""
    port = port or free_port()
    cmd = [sys.executable, "-m", "streamlit", "run", "serve.py", "--server.port", str(port),
           "--server.address", "127.0.0.1", "--server.headless", "true"]
    # Output goes to a file, not a pipe: nobody reads a pipe while the app runs, and once its buffer
    # (64 KB) is full a chatty server blocks on its next log line and stops answering.
    log = tempfile.TemporaryFile(mode="w+")
    env = {**os.environ, "EBLAB_WORKERS": str(workers), **(env or {})}
    proc = subprocess.Popen(cmd, cwd=root, stdout=log, stderr=subprocess.STDOUT, text=True, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc, log, timeout, "streamlit")
        yield url, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def launch_chromium(playwright):
    """Headless Debian Chromium through Playwright (Playwright cannot download browsers here)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)


# Streamlit loads the code of most widgets lazily, on first use in a browser tab, and draws a grey
# skeleton in their place until it has arrived. On a loaded server that takes seconds *after* the
# script run has finished: a deep link's first page showed its sidebar without the language switch
# (a segmented control) for up to 5 s, which made test_deep_link_as_first_request_gets_the_app_shell
# flaky. Idle therefore also means no skeleton left.
SKELETON = "[data-testid='stSkeleton']"


def wait_idle(page, timeout: float = 60_000) -> None:
    """Wait until Streamlit reports no script running (twice, to ride over a guard's rerun) and every
    lazily loaded widget has replaced its skeleton placeholder."""
    page.wait_for_selector(IDLE, timeout=timeout)
    page.wait_for_timeout(400)
    page.wait_for_selector(IDLE, timeout=timeout)
    page.wait_for_function(f"() => !document.querySelector(\"{SKELETON}\")", timeout=timeout)


def wait_charts(page, timeout: float = 20_000) -> None:
    """Wait until every Vega chart on the page has drawn its canvas."""
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=stVegaLiteChart]')]"
        ".every(c => c.querySelector('canvas, svg'))",
        timeout=timeout,
    )
