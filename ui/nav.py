"""The page registry: one entry per file in ``app_pages/``, with a fixed URL path and a translated title.

The folder is deliberately *not* called ``pages/``: Streamlit treats a ``pages/`` folder beside the
entry script as an old-style multipage app until ``st.navigation`` has run once in the process, so a
shared deep link (``/exam_analogy?lang=ko``) that is the first request after a restart would run
the page without this app's shell — English, file names in the sidebar, no language switch.

URL paths never change (shared links depend on them); titles follow the session's language.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import streamlit as st

from ui.i18n import t


class PageSpec(NamedTuple):
    """A page: its file, its fixed URL path ('' for home), its title key and icon."""

    file: str
    url_path: str
    title_key: str
    icon: str


# The lesson, in teaching order. A page joins the app when its file exists, so a page under
# construction never shows up half-built and links to it appear with it.
LESSON: tuple[PageSpec, ...] = (
    PageSpec("app_pages/calculator.py", "", "nav.calculator", ":material/calculate:"),
    PageSpec("app_pages/exam_analogy.py", "exam_analogy", "nav.exam", ":material/quiz:"),
    PageSpec("app_pages/batch_tradeoffs.py", "batch_tradeoffs", "nav.tradeoffs", ":material/balance:"),
    PageSpec("app_pages/critical_batch.py", "critical_batch", "nav.critical", ":material/speed:"),
    PageSpec("app_pages/batchnorm_last_batch.py", "batchnorm_last_batch", "nav.batchnorm", ":material/warning:"),
    PageSpec("app_pages/epochs_early_stopping.py", "epochs_early_stopping", "nav.epochs", ":material/trending_down:"),
)
# For teachers, in the sidebar's second section.
TEACHING: tuple[PageSpec, ...] = (
    PageSpec("app_pages/lesson_plan.py", "lesson_plan", "nav.lesson", ":material/co_present:"),
)
_ROOT = Path(__file__).resolve().parent.parent
PAGES: tuple[PageSpec, ...] = tuple(p for p in LESSON + TEACHING if (_ROOT / p.file).exists())


def build() -> dict[str, list[st.Page]]:
    """The ``st.Page`` objects for ``st.navigation`` in two sections, titled in the session's language."""
    sections = {"nav.section.lab": LESSON, "nav.section.teach": TEACHING}
    return {
        t(section): [
            st.Page(p.file, title=t(p.title_key), icon=p.icon, url_path=p.url_path or None, default=not p.url_path)
            for p in specs if p in PAGES
        ]
        for section, specs in sections.items()
    }


def find(url_path: str) -> PageSpec | None:
    """The registered page at ``url_path``, or None if that page is not part of the app (yet)."""
    return next((p for p in PAGES if p.url_path == url_path), None)


def link(url_path: str, label: str, query_params: dict[str, str] | None = None) -> None:
    """A link to another page of the app, with settings for it; nothing if the page does not exist."""
    page = find(url_path)
    if page is not None:
        st.page_link(page.file, label=label, icon=page.icon, query_params=query_params)
