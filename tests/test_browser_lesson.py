"""Real-browser tests of a teacher's walk (issue 26): the lesson plan's links in Korean presentation mode,
the browser's Back button, and an unknown address.

One `streamlit run` on a free localhost port and one headless Chromium for the whole module. Fails on
any exception box. Skips when Chromium or Playwright is missing, unless ``EBLAB_REQUIRE_BROWSER=1``.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from devtools.live import wait_idle
from ui import lesson
from ui.locales import STRINGS

KO, EN = STRINGS["ko"], STRINGS["en"]

pytestmark = pytest.mark.browser


@pytest.fixture()
def page(tabs):
    """A 1280×720 tab of a browser set to English, so Korean comes from the link's ``?lang=ko`` (which
    then stays in the address and travels with every in-app link)."""
    tab = tabs(1280, 720)
    yield tab.page
    tab.close()


def assert_no_exception(page) -> None:
    boxes = page.locator("[data-testid='stException']")
    assert boxes.count() == 0, boxes.first.inner_text()


def link_notes(page) -> list[str]:
    """The guard's notes about a link's values (info boxes with the link_off icon)."""
    return [text for text in page.get_by_test_id("stAlert").all_inner_texts() if "link_off" in text]


def query(page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def history_length(page) -> int:
    return page.evaluate("() => history.length")


def presenting(page) -> bool:
    """Presentation mode as a class sees it: the larger type and the sidebar switch on."""
    return (page.evaluate("() => getComputedStyle(document.documentElement).fontSize") == "21px"
            and page.locator(".st-key-present input").first.is_checked())


def test_lesson_plan_links_open_in_presentation_mode_and_one_back_returns(page, server):
    """Issue 26, items 1 and 2: every link opens its page in presentation mode with no note about the
    link, as one history entry, and one Back returns to the plan with its switch still on."""
    page.goto(f"{server}/lesson_plan?lang=ko&present=1")
    wait_idle(page)
    page.locator(".st-key-lesson_present label").first.click()  # "open the links in presentation mode"
    wait_idle(page)
    plan = page.url
    assert query(page) == {"lang": ["ko"], "present": ["true"]} and presenting(page)
    # Each click from the plan's entry drops the entry Back left ahead of it and adds its own.
    before = history_length(page)
    for number, step in enumerate(lesson.STEPS, 1):
        page.get_by_test_id("stPageLink-NavLink").nth(number - 1).click()
        page.wait_for_function(f"() => location.pathname === '/{step.page}'")
        wait_idle(page)
        assert_no_exception(page)
        assert link_notes(page) == [], f"step {number}"
        assert presenting(page), f"step {number}"
        assert query(page)["present"] == ["true"] and query(page)["lang"] == ["ko"], f"step {number}: {page.url}"
        assert history_length(page) == before + 1, f"step {number}: one click, one history entry"

        page.go_back()
        page.wait_for_function("() => location.pathname === '/lesson_plan'")
        wait_idle(page)
        assert page.url == plan, f"step {number}"
        assert page.locator("h1").first.inner_text().strip() == KO["lesson.title"]
        assert page.locator(".st-key-lesson_present input").first.is_checked(), f"step {number}"


def test_a_link_turns_presentation_mode_on_from_a_korean_session_without_it(page, server):
    """The switch on, the session not presenting: the link itself turns presentation mode on."""
    page.goto(f"{server}/lesson_plan?lang=ko")
    wait_idle(page)
    page.locator(".st-key-lesson_present label").first.click()
    wait_idle(page)
    step = lesson.STEPS[2]
    page.get_by_test_id("stPageLink-NavLink").nth(2).click()
    page.wait_for_function(f"() => location.pathname === '/{step.page}'")
    wait_idle(page)
    assert_no_exception(page)
    assert link_notes(page) == [] and presenting(page)
    assert query(page)["present"] == ["true"] and query(page)["lang"] == ["ko"]


def number_inputs(page) -> list[str]:
    return [field.input_value() for field in page.get_by_test_id("stNumberInputField").all()]


def test_back_after_two_presets_returns_to_the_first_presets_state(page, server):
    """Issue 26, item 2: after "1600 / 64" then "200 / 20 / 10", one Back shows exactly 1600 / 64 / 1."""
    page.goto(f"{server}/?lang=ko")
    wait_idle(page)
    states = []
    for key in ("q1600", "notes200"):
        before = history_length(page)
        page.locator(f".st-key-preset_{key} button").first.click()
        wait_idle(page)
        assert history_length(page) == before + 1, key
        states.append((page.url, number_inputs(page)))
    assert states[0][1][:3] == ["1600", "64", "1"] and states[1][1][:3] == ["200", "20", "10"]
    page.go_back()
    page.wait_for_function("() => location.search.includes('n=1600')")
    wait_idle(page)
    assert (page.url, number_inputs(page)) == states[0]
    assert_no_exception(page)


def test_back_undoes_one_change_of_a_setting(page, server):
    """Every action that changes the address is one entry: a typed number (Streamlit's own widget
    binding), and a labelled option the page writes into the link itself; Back undoes each."""
    page.goto(f"{server}/?lang=ko")
    wait_idle(page)
    start = page.url
    field = page.get_by_test_id("stNumberInputField").first
    field.fill("500")
    field.press("Enter")
    page.wait_for_function("() => location.search.includes('n=500')")
    wait_idle(page)
    page.go_back()
    page.wait_for_function("() => !location.search.includes('n=500')")
    wait_idle(page)
    assert page.url == start and number_inputs(page)[0] == "320"

    page.goto(f"{server}/batchnorm_last_batch?lang=ko")
    wait_idle(page)
    start, before = page.url, history_length(page)
    page.locator(".st-key-opt").get_by_role("radio", name=KO["bn.opt.adam"]).click()
    page.wait_for_function("() => location.search.includes('opt=adam')")
    wait_idle(page)
    assert history_length(page) == before + 1
    page.go_back()
    page.wait_for_function("() => !location.search.includes('opt=')")
    wait_idle(page)
    assert page.url == start
    assert page.locator(".st-key-opt [role=radio][aria-checked=true]").inner_text().strip() == KO["bn.opt.sgd"]
    assert_no_exception(page)


def test_a_link_between_pages_that_share_settings_keeps_its_values(page, server):
    """The calculator's "see it on the BatchNorm page" link carries n and batch, keys bound on both pages:
    Streamlit dropped them on the page change and BatchNorm opened on its defaults (n = 1206)."""
    page.goto(f"{server}/?n=1202&batch=300&lang=ko")
    wait_idle(page)
    page.get_by_test_id("stMain").get_by_test_id("stPageLink-NavLink").first.click()
    page.wait_for_function("() => location.pathname === '/batchnorm_last_batch'")
    wait_idle(page)
    assert_no_exception(page)
    assert number_inputs(page)[:2] == ["1202", "300"]
    assert query(page)["n"] == ["1202"] and link_notes(page) == []


def test_an_unknown_address_says_so_in_korean(page, server):
    """Issue 26, item 15: not Streamlit's English "Page not found" box, a note in the session's language."""
    page.goto(f"{server}/exam_analogyy?lang=ko")
    wait_idle(page)
    assert_no_exception(page)
    assert page.get_by_role("dialog").count() == 0  # Streamlit's own box is a modal dialog
    assert "Page not found" not in page.locator("body").inner_text()
    assert page.locator("h1").first.inner_text().strip() == KO["nav.not_found.title"]
    assert "/exam_analogyy" in page.get_by_test_id("stAlert").first.inner_text()
    page.get_by_test_id("stSidebar").get_by_text("en", exact=True).click()  # a rerun on that page
    page.wait_for_function(f"() => document.querySelector('h1').innerText.trim() === {EN['nav.not_found.title']!r}")
    wait_idle(page)
    assert page.get_by_role("dialog").count() == 0
    page.get_by_test_id("stSidebar").get_by_text("ko", exact=True).click()
    wait_idle(page)
    page.get_by_test_id("stMain").get_by_text(KO["nav.exam"]).click()
    page.wait_for_function("() => location.pathname === '/exam_analogy'")
    wait_idle(page)
    assert_no_exception(page)
    assert query(page)["lang"] == ["ko"]
