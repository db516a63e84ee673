"""Real-browser test: `streamlit run` on a free localhost port, every page opened in headless Chromium.

Fails on any exception box; saves a full-page screenshot of each page in both languages into
``screenshots/`` (git-ignored) for a human to look at. Skips when Chromium or Playwright is missing,
unless ``EBLAB_REQUIRE_BROWSER=1`` (set by ``.ci/run``) turns that skip into a failure.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import LANGS, ROOT

from devtools import live
from devtools.live import CHROMIUM, wait_charts, wait_idle
from ui.locales import STRINGS
from ui.nav import PAGES

SHOTS = ROOT / "screenshots"
REQUIRED = os.environ.get("EBLAB_REQUIRE_BROWSER") == "1"

pytestmark = pytest.mark.browser


def _missing() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (pip install -r requirements-dev.txt)"
    return None


@pytest.fixture(scope="module")
def browser():
    reason = _missing()
    if reason:
        if REQUIRED:
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = live.launch_chromium(p)
        yield b
        b.close()


@pytest.fixture(scope="module")
def server():
    with live.serve() as (url, _process):
        yield url


def open_page(browser, url: str, width: int = 1400, height: int = 900):
    """Open ``url`` in a fresh context and wait until the app's script run has finished."""
    context = browser.new_context(viewport={"width": width, "height": height}, locale="en-US")
    page = context.new_page()
    page.goto(url)
    wait_idle(page)
    return context, page


def screenshot(page, name: str) -> None:
    """Save the whole page: Streamlit scrolls inside its main block, so grow the viewport to fit it."""
    height = page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollHeight")
    page.set_viewport_size({"width": page.viewport_size["width"], "height": min(max(height, 600), 8000)})
    wait_idle(page)
    wait_charts(page)
    page.wait_for_timeout(800)
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)


def assert_no_exception(page) -> None:
    boxes = page.locator("[data-testid='stException']")
    assert boxes.count() == 0, boxes.first.inner_text()


def test_deep_link_as_first_request_gets_the_app_shell(browser):
    """A teacher's link to a page, opened first thing after a restart, still gets the shell and language."""
    spec = PAGES[-1]
    with live.serve() as (url, _process):
        context, page = open_page(browser, f"{url}/{spec.url_path}?lang=ko")
        try:
            assert_no_exception(page)
            nav = page.get_by_test_id("stSidebarNav").inner_text()
            assert STRINGS["ko"][spec.title_key] in nav and STRINGS["ko"]["nav.calculator"] in nav
            assert page.locator("h1").first.inner_text().strip() != ""
            assert "Language · 언어" in page.get_by_test_id("stSidebar").inner_text()  # the language switch
        finally:
            context.close()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("spec", PAGES, ids=lambda s: s.url_path or "home")
def test_every_page_renders(browser, server, spec, lang):
    context, page = open_page(browser, f"{server}/{spec.url_path}?lang={lang}")
    try:
        assert_no_exception(page)
        assert page.locator("h1").count() >= 1
        screenshot(page, f"{spec.url_path or 'home'}_{lang}.png")
    finally:
        context.close()


def test_shared_link_and_preset_round_trip(browser, server):
    context, page = open_page(browser, f"{server}/?n=1206&batch=300")
    try:
        assert_no_exception(page)
        assert page.get_by_test_id("stAlertContentWarning").count() == 1
        page.get_by_role("button", name="1000 / 50 / 20").click()
        wait_idle(page)
        page.wait_for_function("() => window.location.search.includes('n=1000')")
        assert "batch=50" in page.url and "epochs=20" in page.url
        metric_values = page.get_by_test_id("stMetricValue").all_inner_texts()  # updates/epoch, total
        assert metric_values[:2] == ["20", "400"]
    finally:
        context.close()


def test_bad_link_shows_a_note_not_an_exception(browser, server):
    context, page = open_page(browser, f"{server}/?n=inf&batch=%3Cb%3Ex%3C/b%3E&epochs=" + "9" * 400)
    try:
        assert_no_exception(page)
        note = page.get_by_test_id("stAlertContentInfo").inner_text()
        assert "inf" in note and "<b>x</b>" in note  # shown as text, not rendered
        assert page.locator("b", has_text="x").count() == 0
        screenshot(page, "home_bad_link.png")
    finally:
        context.close()


def test_a_mended_link_stays_on_its_page(browser, server):
    """The shell's guard reruns after st.navigation, so a bad ?lang on a deep link keeps the page."""
    context, page = open_page(browser, f"{server}/epochs_early_stopping?lang=xx&present=1")
    try:
        page.wait_for_function("() => window.location.search.includes('present=true')")
        wait_idle(page)
        assert "/epochs_early_stopping?" in page.url and "lang=" not in page.url
        assert "lang" in page.get_by_test_id("stAlertContentInfo").first.inner_text()
        assert_no_exception(page)
    finally:
        context.close()


def test_chromium_is_what_we_think(browser):
    assert Path(CHROMIUM).exists() and browser.version


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("spec", PAGES, ids=lambda s: s.url_path or "home")
def test_presentation_mode_fills_a_projector(browser, server, spec, lang):
    """What the back row sees first: a 1280×720 screenshot of each page with ``?present=1``."""
    context, page = open_page(browser, f"{server}/{spec.url_path}?lang={lang}&present=1", width=1280, height=720)
    try:
        assert_no_exception(page)
        # ?present=1 is spelled out as present=true by one guard rerun; the larger type follows it.
        page.wait_for_function("() => getComputedStyle(document.documentElement).fontSize === '21px'")
        wait_idle(page)
        assert page.get_by_test_id("stSidebar").get_attribute("data-collapsed") == "true"
        assert f"/{spec.url_path}?" in page.url and "present=true" in page.url  # still on the linked page
        wait_charts(page)
        page.wait_for_timeout(800)
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / f"present_{spec.url_path or 'home'}_{lang}.png"))
    finally:
        context.close()


def test_csv_download_holds_the_runs_numbers(browser, server, tmp_path):
    context, page = open_page(browser, f"{server}/epochs_early_stopping?log_epochs=3")
    try:
        wait_charts(page)
        with page.expect_download() as info:
            page.get_by_role("button", name="Download the data (CSV)").last.click()
        download = info.value
        assert download.suggested_filename == "keras_log.csv"
        path = tmp_path / "keras_log.csv"
        download.save_as(path)
        lines = path.read_text().splitlines()
        assert lines[0] == "epoch,loss,accuracy,val_loss,val_accuracy" and len(lines) == 1 + 3
        assert_no_exception(page)
    finally:
        context.close()
