"""Page render times, measured two ways side by side in one run.

1. Browser: `streamlit run` + headless Chromium; time from navigation until Streamlit reports the
   run finished and every chart has drawn (a student's wait), after one warm-up visit.
2. Server: the page's script alone through AppTest, first run (cold caches) and a rerun.

Usage: python benchmarks/bench_pages.py [repeats]
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from devtools import live  # noqa: E402
from ui.nav import PAGES  # noqa: E402


def browser_times(repeats: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {}
    with live.serve() as (url, _), sync_playwright() as p:
        browser = live.launch_chromium(p)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        for spec in PAGES:
            target = f"{url}/{spec.url_path}"
            page.goto(target)  # warm-up: imports and caches, as after start-up
            live.wait_idle(page)
            for _ in range(repeats):
                start = time.perf_counter()
                page.goto(target)
                page.wait_for_selector(live.IDLE)
                live.wait_charts(page)
                times.setdefault(spec.url_path or "home", []).append(time.perf_counter() - start)
        # A change on the home page: a preset click until the run finished and the strip redrew.
        page.goto(url)
        live.wait_idle(page)
        for i in range(repeats):
            label = "1206 / 300 → last 6" if i % 2 == 0 else "320 / 32 / 10"
            start = time.perf_counter()
            page.get_by_role("button", name=label).click()
            page.wait_for_selector("[data-testid='stApp'][data-test-script-state='running']", timeout=5000)
            page.wait_for_selector(live.IDLE)
            live.wait_charts(page)
            times.setdefault("home: preset click", []).append(time.perf_counter() - start)
        browser.close()
    return times


def apptest_times(repeats: int) -> dict[str, tuple[float, float]]:
    out = {}
    for spec in PAGES:
        reruns = []
        at = AppTest.from_file(str(live.ROOT / "streamlit_app.py"), default_timeout=120)
        if spec.url_path:
            at.switch_page(spec.file)
        start = time.perf_counter()
        at.run()
        first = time.perf_counter() - start
        for _ in range(repeats):
            start = time.perf_counter()
            at.run()
            reruns.append(time.perf_counter() - start)
        out[spec.url_path or "home"] = (first, statistics.median(reruns))
    return out


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    server = apptest_times(repeats)
    browser = browser_times(repeats)
    print(f"{'page':<24}{'browser median s':>18}{'browser max s':>15}{'script 1st s':>14}{'script rerun s':>16}")
    for name, values in browser.items():
        first, rerun = server.get(name, (float("nan"), float("nan")))
        print(f"{name:<24}{statistics.median(values):>18.3f}{max(values):>15.3f}{first:>14.3f}{rerun:>16.3f}")


if __name__ == "__main__":
    main()
