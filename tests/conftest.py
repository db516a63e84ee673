"""Shared test helpers: drive the real app with Streamlit's AppTest."""

from __future__ import annotations

import functools
import gc
import os
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

# Each AppTest computes what it shows; the server's start-up warm-up is tested on its own.
os.environ.setdefault("EBLAB_WARMUP", "0")
# AppTest runs train in the test's own process, where tests can watch what trains; a live server
# (devtools.live.serve) trains in its worker process as in production.
os.environ.setdefault("EBLAB_WORKERS", "0")
# A served app skips Altair's schema validation of its charts (``ui.charts.draw``); every chart the tests
# draw (AppTests and the servers the browser tests start) is validated.
os.environ.setdefault("EBLAB_VALIDATE_CHARTS", "1")


@functools.cache
def _component_registry():
    from streamlit.components.v2.component_manager import BidiComponentManager

    manager = BidiComponentManager()
    manager.discover_and_register_components(start_file_watching=False)
    return manager


def _share_one_component_scan() -> None:
    """Every AppTest of this process shares one registry of custom components, as a server's sessions
    share its one. AppTest otherwise scans every installed package for them on each new test's first run:
    about 0.15 CPU-seconds, most of the cost of a page whose runs are cached (the app has none).
    ``devtools.fuzz`` does the same for its runs."""
    real_init = AppTest.__init__

    @functools.wraps(real_init)
    def init(self, *args, **kwargs) -> None:
        real_init(self, *args, **kwargs)
        if getattr(self, "_bidi_component_manager", None) is None:  # (Streamlit 1.67's attribute)
            self._bidi_component_manager = _component_registry()

    AppTest.__init__ = init


_share_one_component_scan()


def pytest_collection_finish(session) -> None:
    """Leave what collection built out of every later garbage collection (``gc.freeze``).

    A test process holds every collected module: torch, Streamlit, Altair, pandas, Hypothesis, Playwright,
    thousands of test items. Each full collection walked all of it, and AppTest runs allocate enough to
    trigger one every few runs: measured over a whole ``-n 2`` suite, 524 of 1,460 test-seconds were spent
    in the collector (an AppTest of the calculator took 0.8 s there against 0.08 s alone). Nothing collected
    here is garbage later, so freezing it frees nothing that would have been freed."""
    gc.collect()
    gc.freeze()

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "streamlit_app.py")
LANGS = ("en", "ko")


def run_app(page: str = "", timeout: float = 120, **query: str) -> AppTest:
    """Run the app once on ``page`` (a URL path, '' for home) with ``query`` as the link's parameters."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    for key, value in query.items():
        at.query_params[key] = value
    if page:
        at.switch_page(_page_file(page))
    at.run()
    return at


def _page_file(url_path: str) -> str:
    from ui.nav import find

    spec = find(url_path)
    assert spec is not None, f"no page at /{url_path}"
    return spec.file


def metrics(at: AppTest) -> dict[str, str]:
    """The page's metrics as {label: value}."""
    return {m.label: m.value for m in at.metric}


def assert_clean(at: AppTest) -> None:
    """No exception box and no error element that the page did not mean to show."""
    assert not at.exception, [e.value for e in at.exception]


@pytest.fixture(params=LANGS)
def lang(request) -> str:
    return request.param


def one_ulp_up(real, when):
    """``real`` with its result moved up by one ulp whenever ``when(first argument)`` holds: a kernel that
    rounds differently, for tests that a bit-exactness probe refuses it."""
    import torch

    def nudged(first, *args, **kwargs):
        out = real(first, *args, **kwargs)
        return torch.nextafter(out, torch.full_like(out, float("inf"))) if when(first) else out

    return nudged


@pytest.fixture()
def one_worker(monkeypatch):
    """Training in one worker process (``ui.worker``). The process is kept for the next test that asks for
    one (a new one imports torch and pays its first uses: several seconds, about 20 times in the suite) if
    it comes out of the test idle: a job of its own answers, and no job is left queued, running or sent
    early. Otherwise it is shut down, as after every test before."""
    from ui import lanes, worker

    monkeypatch.setenv("EBLAB_WORKERS", "1")
    yield
    if not _idle_worker(worker, lanes):
        worker.shutdown()
        lanes._early.clear()


@pytest.fixture()
def new_worker(one_worker):
    """``one_worker`` with a process started for this test, not one kept from an earlier test: for tests
    whose page thread must win a share of the jobs while the worker starts up (a warm worker answers a job
    in about a millisecond and can take every job before the page thread takes its first)."""
    from ui import worker

    worker.shutdown()
    yield


def _idle_worker(worker, lanes) -> bool:
    """Whether the worker pool answers a job and then holds no other job (a test's leftovers)."""
    import time

    if worker._pool is None:
        return True  # none started (or the test shut it down): nothing to keep
    if lanes._early:
        return False
    try:
        worker.submit(os.getpid, progress_kw=None).future.result(timeout=60)
    except Exception:  # a dead, shut-down or stuck pool: a new one for the next test
        return False
    deadline = time.monotonic() + 5  # the probe's own record goes just after its result is set
    while time.monotonic() < deadline:
        pool = worker._pool
        if pool is None:
            return False
        with pool.queue_lock:
            if not pool.live and not pool.queues and pool.sent == 0:
                return True
        time.sleep(0.01)
    return False


class Interrupted(Exception):
    """What a page's rerun raises inside a progress update, for tests of interruption."""


# --- The real-browser tests' shared fixtures (tests/test_browser*.py) ---------------------------------
REQUIRE_BROWSER = os.environ.get("EBLAB_REQUIRE_BROWSER") == "1"  # set by .ci/run: a missing browser fails


def browser_missing() -> str | None:
    """Why the real-browser tests cannot run here, or None."""
    from devtools.live import CHROMIUM

    if not Path(CHROMIUM).exists():
        return f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (pip install -r requirements-dev.txt)"
    return None


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium through Playwright, one per test process; a skip (a failure in CI) without it."""
    reason = browser_missing()
    if reason:
        if REQUIRE_BROWSER:
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    from devtools import live

    with sync_playwright() as p:
        b = live.launch_chromium(p)
        yield b
        b.close()


class Tab:
    """A browser tab from ``tabs``: ``page`` is Playwright's page; ``close`` closes it and clears what the
    app stored in the browser (local storage, cookies), so the next test's tab starts as in a new browser."""

    def __init__(self, page) -> None:
        self.page = page

    def close(self) -> None:
        from playwright.sync_api import Error

        try:
            if self.page.url.startswith("http"):
                self.page.evaluate("() => { localStorage.clear(); sessionStorage.clear(); }")
        except Error:  # a page that crashed or is mid-navigation: its context's cookies still go
            pass
        self.page.context.clear_cookies()
        self.page.close()


@pytest.fixture(scope="session")
def tabs(browser):
    """``tabs(width, height, locale)``: a new ``Tab`` of the session's browser at that viewport. Tabs of a
    locale share one browser context, and so its cache: a new context per test loaded and compiled the app's
    scripts (several MB) again on every page load, about 1 CPU-second each, some 100 times a suite."""
    shared = {}

    def new_tab(width: int = 1400, height: int = 900, locale: str = "en-US") -> Tab:
        if locale not in shared:
            shared[locale] = browser.new_context(viewport={"width": width, "height": height}, locale=locale)
        page = shared[locale].new_page()
        page.set_viewport_size({"width": width, "height": height})
        return Tab(page)

    yield new_tab
    for context in shared.values():
        context.close()


@pytest.fixture(scope="session")
def server():
    """``streamlit run`` of the app on a free localhost port, one per test process (xdist worker), so the
    browser modules share its start-up and the runs it has cached (``EBLAB_WARMUP=0``: no warm-up)."""
    from devtools import live

    with live.serve(timeout=120) as (url, _process):
        yield url
