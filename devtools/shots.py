"""Screenshots of pages as a class sees them: desktop, projector and phone, in English and Korean.

``python -m devtools.shots OUT [PATH?QUERY ...]`` starts the app (``devtools.live.serve``), opens
each address in headless Chromium at 1280×800 (desktop), 1280×720 with ``present=1`` (projector)
and 390×844 (phone), each with ``lang=en`` and ``lang=ko``, and saves whole-page PNGs into OUT
(``screenshots/`` is git-ignored). Streamlit scrolls inside its main container, so the viewport
is grown to that container's height rather than using ``full_page``. Without addresses it takes
``DEFAULT`` (every page, and the settings issue 16 was about).
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from devtools import live

VIEWS = {  # name: (width, height, extra query)
    "desktop": (1280, 800, ""),
    "present": (1280, 720, "present=1"),
    "phone": (390, 844, ""),
}
DEFAULT = (
    "?n=1000&batch=50&epochs=10&accum=4",
    "?n=1000000000&batch=300&epochs=10",
    "exam_analogy",
    "batch_tradeoffs?bmin=1&bmax=256&epochs=10",
    "batchnorm_last_batch?n=1201&batch=300",
    "epochs_early_stopping",
    "lesson_plan",
)
_HEIGHT = """() => { const m = document.querySelector('[data-testid=stMain]');
  const b = document.querySelector('[data-testid=stMainBlockContainer]');
  return Math.max(m.scrollHeight, b.getBoundingClientRect().height + 160); }"""
MAX_HEIGHT = 12_000  # px: Chromium's screenshots get unreliable far beyond this


def address(base: str, target: str, lang: str, extra: str) -> str:
    """``base/target`` with ``lang`` and ``extra`` added to its query."""
    path, _, query = target.partition("?")
    parts = [p for p in (query, f"lang={lang}", extra) if p]
    return f"{base}/{path}?{'&'.join(parts)}"


def file_name(target: str, view: str, lang: str) -> str:
    """A file name for one screenshot, readable in a directory listing."""
    slug = re.sub(r"[^A-Za-z0-9=]+", "_", target).strip("_") or "home"
    if target.startswith("?"):
        slug = "home_" + slug
    return f"{slug}__{view}_{lang}.png"


def shoot(page, out: Path, name: str, whole: bool = True) -> None:
    """Wait for the run and the charts, grow the viewport to the main container (if ``whole``), save."""
    live.wait_idle(page)
    if whole:
        width = page.viewport_size["width"]
        for _ in range(3):  # growing the viewport can reflow the page (charts redraw at the new size)
            height = int(page.evaluate(_HEIGHT))
            page.set_viewport_size({"width": width, "height": min(max(height, 600), MAX_HEIGHT)})
            live.wait_idle(page)
            page.wait_for_timeout(300)
            if page.evaluate(_HEIGHT) <= height:
                break
    live.wait_charts(page)
    page.wait_for_timeout(800)
    page.screenshot(path=str(out / name))


def main(out: Path, targets: list[str], views: list[str] | None = None) -> None:
    """Screenshot every target in every view (``VIEWS`` keys) and both languages into ``out``."""
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("EBLAB_WARMUP", "0")
    with live.serve() as (base, _proc), sync_playwright() as p:
        browser = live.launch_chromium(p)
        for target in targets:
            for view in views or list(VIEWS):
                width, height, extra = VIEWS[view]
                for lang in ("en", "ko"):
                    context = browser.new_context(viewport={"width": width, "height": height}, locale="en-US")
                    page = context.new_page()
                    page.goto(address(base, target, lang, extra), timeout=120_000)
                    if extra:
                        page.wait_for_function("() => getComputedStyle(document.documentElement).fontSize "
                                               "=== '21px'", timeout=60_000)
                    name = file_name(target, view, lang)
                    # The projector view is what the room sees first: the screen, not the whole page.
                    shoot(page, out, name, whole=view != "present")
                    print(out / name, flush=True)
                    context.close()
        browser.close()


if __name__ == "__main__":
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    only = os.environ.get("SHOTS_VIEWS")
    main(Path(args[0]), args[1:] or list(DEFAULT), only.split(",") if only else None)
