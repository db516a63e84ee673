"""Real-browser check: chart legends stay inside their charts on a phone and on a projector (issue 26, point 14:
on a 390 px phone the trade-offs "Your sweep" legend stopped at B = 32).

Streamlit draws these charts as SVG, so each legend label is a <text> whose box the browser reports.
"""

from __future__ import annotations

import pytest
from conftest import LANGS
from test_browser import open_page

from devtools.live import wait_charts, wait_idle
from ui.locales import STRINGS

pytestmark = pytest.mark.browser

# Every chart's legend labels, and those that reach past the chart's own box (cut off by the page).
LEGENDS = """() => [...document.querySelectorAll('[data-testid=stVegaLiteChart]')].map(c => {
  const box = c.getBoundingClientRect();
  const labels = [...c.querySelectorAll('svg .role-legend-label text, svg .role-legend text')];
  return {svg: !!c.querySelector('svg'), labels: [...new Set(labels.map(t => t.textContent))],
          out: labels.filter(t => { const r = t.getBoundingClientRect();
                                    return r.right > box.right + 1 || r.left < box.left - 1; })
                     .map(t => t.textContent)};
})"""
VIEWS = {"phone": (390, 844, ""), "present": (1280, 720, "&present=1"), "desktop": (1280, 800, "")}


@pytest.mark.parametrize("view", list(VIEWS))
def test_every_batch_size_of_the_sweep_is_in_its_legend_and_on_screen(tabs, server, view):  # noqa: F811
    width, height, extra = VIEWS[view]
    sizes = [f"B = {2 ** k}" for k in range(9)]  # 1, 2, 4, …, 256
    for lang in LANGS:
        tab, page = open_page(tabs, f"{server}/batch_tradeoffs?bmin=16&bmax=128&epochs=3&lang={lang}{extra}",
                                  width=width, height=height)
        try:
            # A second sweep, 1 to 256: nine sizes, and the first sweep as grey lines with a legend entry too.
            page.get_by_role("button", name=STRINGS[lang]["trade.preset.extremes"]).click()
            wait_idle(page)
            page.wait_for_function("() => document.body.innerText.includes('B = 256')")
            wait_idle(page)
            wait_charts(page)
            page.wait_for_timeout(500)
            charts = page.evaluate(LEGENDS)
            assert all(c["svg"] for c in charts)
            sweep = next(c for c in charts if "B = 128" in c["labels"] and "B = 1" in c["labels"])
            assert set(sizes) <= set(sweep["labels"]) and STRINGS[lang]["trade.sweep.ghosts"] in sweep["labels"]
            assert [c["out"] for c in charts] == [[] for _ in charts], (view, lang)
        finally:
            tab.close()


@pytest.mark.parametrize("path", ["epochs_early_stopping?log_epochs=3", "batchnorm_last_batch", "critical_batch"])
def test_every_legend_of_a_page_stays_on_a_phone(tabs, server, path):  # noqa: F811
    """The other pages' legends, on the 390 px phone in both languages (the early-stopping chart's two
    entries side by side once ran past its edge)."""
    width, height, extra = VIEWS["phone"]
    for lang in LANGS:
        tab, page = open_page(tabs, f"{server}/{path}{'&' if '?' in path else '?'}lang={lang}{extra}",
                              width=width, height=height)
        try:
            wait_idle(page)
            wait_charts(page)
            page.wait_for_timeout(500)
            charts = page.evaluate(LEGENDS)
            assert charts and all(c["svg"] for c in charts)
            assert [c["out"] for c in charts] == [[] for _ in charts], (path, lang)
        finally:
            tab.close()
