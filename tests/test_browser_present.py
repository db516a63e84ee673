"""Issue 26, item 3: in presentation mode at 1280×720, everything a class must read is at least 18 px.

One ``streamlit run`` and one headless Chromium: each lesson-plan page opens on its step's link with
``present=1`` in Korean, every fold (Explain, Show the answer) is opened, and the computed sizes are read:
table cells, every text each chart draws (Streamlit draws these charts as SVG, so each text's font size
is in the page), metric cards, captions and inline code; and the epoch strip's blocks are measured.
Skips like ``tests/test_browser.py`` when Chromium or Playwright is missing.
"""

from __future__ import annotations

import pytest

from devtools.live import wait_charts, wait_idle
from ui import lesson

MIN_PX = 18  # the smallest text a class reads off a 1280×720 projector
STRIP_MIN_PX = 40  # the epoch strip's blocks: tall enough to hold their batch numbers
# One link per page the lesson plan visits (its last step there: the home page's with a tiny last batch), in Korean.
LINKS = list({step.page: lesson.link(step, lang="ko", present=True) for step in lesson.STEPS}.values())
STRIP_PAGES = ("", "batchnorm_last_batch")  # the pages that draw one epoch as a strip of batch blocks

pytestmark = pytest.mark.browser

# What the page shows, as [what, text, px]: every visible text below MIN_PX in tables, cards, captions,
# markdown, anywhere else on the page, and in the charts (SVG <text>); the charts drawn on a canvas (whose
# text cannot be read); the strip's block heights. Folds are opened first: what a teacher reveals counts too.
MEASURE = """(min) => {
  const px = el => parseFloat(getComputedStyle(el).fontSize);
  const visible = el => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const main = document.querySelector('[data-testid=stMain]');
  const small = [];
  const groups = {
    table: '[data-testid=stTable] th, [data-testid=stTable] td',
    metric: '[data-testid=stMetricLabel] p, [data-testid=stMetricValue], [data-testid=stMetricDelta] div',
    caption: '[data-testid=stCaptionContainer]',
    text: '[data-testid=stMarkdownContainer] p, [data-testid=stMarkdownContainer] li, '
        + '[data-testid=stMarkdownContainer] code',
  };
  const counts = {};
  for (const [what, sel] of Object.entries(groups)) {
    const els = [...main.querySelectorAll(sel)].filter(e => visible(e) && e.textContent.trim());
    counts[what] = els.length;
    for (const e of els) if (px(e) < min) small.push([what, e.textContent.trim().slice(0, 40), px(e)]);
  }
  // And any other text on the page (buttons, labels, expanders, alerts, code), outside the charts.
  const own = e => [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
  for (const e of main.querySelectorAll('*')) {
    if (!e.closest('svg') && own(e) && visible(e) && px(e) < min
        && !Object.values(groups).some(sel => e.matches(sel))) {
      small.push([e.closest('[data-testid]')?.getAttribute('data-testid') || e.tagName,
                  e.textContent.trim().slice(0, 40), px(e)]);
    }
  }
  const charts = [...main.querySelectorAll('[data-testid=stVegaLiteChart]')].filter(visible);
  counts.chart = charts.length;
  counts.chartText = 0;
  const canvas = charts.filter(c => !c.querySelector('svg.marks') && c.querySelector('canvas')).length;
  for (const c of charts) for (const t of c.querySelectorAll('svg text')) {
    if (!t.textContent.trim()) continue;
    counts.chartText += 1;
    const size = parseFloat(t.getAttribute('font-size') || getComputedStyle(t).fontSize);
    if (size < min) small.push(['chart', t.textContent.trim().slice(0, 40), size]);
  }
  const dataframes = [...main.querySelectorAll('[data-testid=stDataFrame]')].filter(visible).length;
  // The strip: the chart whose bars carry a batch number ("#1") and which has exactly one row of bars.
  const strips = charts.filter(c => [...c.querySelectorAll('svg text')].some(t => t.textContent.trim() === '#1'));
  const strip = strips.map(c => [...c.querySelectorAll('g.mark-rect path')].map(p => p.getBoundingClientRect().height));
  return {small, counts, canvas, dataframes, strip};
}"""


def open_all_folds(page) -> None:
    """Open every closed expander (Explain, Show the answer, …) and wait for what they hold to draw."""
    closed = page.locator("[data-testid=stExpander] details:not([open]) > summary")
    for _ in range(closed.count()):  # each click opens one: the next closed one is then the first
        closed.first.click()
    wait_idle(page)
    wait_charts(page)


@pytest.mark.parametrize("link", LINKS, ids=lambda link: link.split("?")[0].strip("/") or "home")
def test_everything_a_class_reads_is_at_least_18_px(tabs, server, link):
    tab = tabs(1280, 720, locale="ko-KR")
    try:
        page = tab.page
        page.goto(server + link, timeout=120_000)
        wait_idle(page, timeout=120_000)
        page.wait_for_function("() => getComputedStyle(document.documentElement).fontSize === '21px'")
        assert page.locator("[data-testid='stException']").count() == 0
        open_all_folds(page)
        page.wait_for_timeout(500)  # the last chart's text settles
        seen = page.evaluate(MEASURE, MIN_PX)
        assert seen["counts"]["text"] and seen["counts"]["chart"] and seen["counts"]["chartText"], seen["counts"]
        assert seen["canvas"] == 0, "a chart drew on a canvas: its text sizes cannot be checked here"
        # A data grid draws its cells on a canvas at a fixed 13-14 px, whatever the page's type size.
        assert seen["dataframes"] == 0, "a table is an st.dataframe: use layout.table"
        if link.split("?")[0].strip("/") in STRIP_PAGES:  # the blocks were 3 px tall (Streamlit's autosize)
            assert seen["strip"] and all(h >= STRIP_MIN_PX for h in seen["strip"][0]), seen["strip"]
        assert seen["small"] == [], seen["small"]
    finally:
        tab.close()
