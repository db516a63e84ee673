"""The page registry: one entry per file in ``app_pages/``, with a fixed URL path and a translated title.

The folder is deliberately *not* called ``pages/``: Streamlit treats a ``pages/`` folder beside the
entry script as an old-style multipage app until ``st.navigation`` has run once in the process, so a
shared deep link (``/exam_analogy?lang=ko``) that is the first request after a restart would run
the page without this app's shell — English, file names in the sidebar, no language switch.

URL paths never change (shared links depend on them); titles follow the session's language. In-app
links (``link``) and the browser's Back button (``one_history_entry_per_action``) live here too.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from ui import urlstate
from ui.i18n import t
from ui.params import Shell


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
    PageSpec("app_pages/real_digits.py", "real_digits", "nav.digits", ":material/draw:"),
)
# For teachers, in the sidebar's second section.
TEACHING: tuple[PageSpec, ...] = (
    PageSpec("app_pages/lesson_plan.py", "lesson_plan", "nav.lesson", ":material/co_present:"),
)
_ROOT = Path(__file__).resolve().parent.parent
_UNKNOWN_KEY = "_nav_unknown_path"  # the unknown address this session opened, for its hidden page
PAGES: tuple[PageSpec, ...] = tuple(p for p in LESSON + TEACHING if (_ROOT / p.file).exists())


def build() -> dict[str, list[st.Page]]:
    """The ``st.Page`` objects for ``st.navigation`` in two sections, titled in the session's language.

    An address that is no page of the app (a mistyped or outdated link) gets a hidden page of its own
    saying so in the session's language: without it Streamlit shows its own "Page not found" box, in
    English whatever the language.
    """
    sections = {"nav.section.lab": LESSON, "nav.section.teach": TEACHING}
    pages = {
        t(section): [
            st.Page(p.file, title=t(p.title_key), icon=p.icon, url_path=p.url_path or None, default=not p.url_path)
            for p in specs if p in PAGES
        ]
        for section, specs in sections.items()
    }
    unknown = requested_unknown()
    if unknown is not None:
        pages[t("nav.section.lab")].append(st.Page(lambda: _not_found(unknown), title=t("nav.not_found.title"),
                                                   icon=":material/link_off:", url_path=unknown,
                                                   visibility="hidden"))
    return pages


def requested_unknown() -> str | None:
    """The path this session asked for that names no page of the app, else None.

    Read from the run's request (what ``st.navigation`` resolves the page from): a path opened in the
    browser's address bar. Later runs on that page (the language switched there) name it by its hash,
    so the path is remembered for the session.
    """
    ctx = get_script_run_ctx()
    pages = ctx.pages_manager if ctx is not None else None
    if pages is not None and not pages.intended_page_script_hash:
        name = (pages.intended_page_name or "").strip().strip("/")
        # A nested path cannot be a page's: Streamlit's own note stays for it.
        if name and "/" not in name and find(name) is None:
            st.session_state[_UNKNOWN_KEY] = name
    return st.session_state.get(_UNKNOWN_KEY)


def _not_found(path: str) -> None:
    """The page for an unknown address: what happened, in the session's language, and where to go."""
    st.title(t("nav.not_found.title"))
    st.info(t("nav.not_found.body", path=urlstate.echo("/" + path)), icon=":material/link_off:")
    for page in PAGES:
        link(page.url_path, t(page.title_key))


def find(url_path: str) -> PageSpec | None:
    """The registered page at ``url_path``, or None if that page is not part of the app (yet)."""
    return next((p for p in PAGES if p.url_path == url_path), None)


def link(url_path: str, label: str, query_params: dict[str, str] | None = None) -> None:
    """A link to another page of the app, with settings for it; nothing if the page does not exist.

    The session's language and presentation mode go with it (Streamlit carries them): a setting of
    theirs in ``query_params`` is kept only where it changes them (``urlstate.link_query``).
    """
    page = find(url_path)
    if page is not None:
        query = urlstate.link_query(query_params or {}, Shell.ALL)
        st.page_link(page.file, label=label, icon=page.icon, query_params=query)
        urlstate.offer_link(url_path, query)


# Streamlit calls history.pushState for every address change a script run makes (a page change, each
# widget a preset sets, each value dropped back to its default, the guard's mended link: a preset made
# three entries, a lesson link five) and history.replaceState when the student moves a bound widget
# (no entry at all). Here the first address change after a click or key press is a new entry and every
# later one replaces it, so each action is one entry holding the state it led to. While Back or Forward
# is followed (popstate) nothing is pushed.
_HISTORY_JS = """<style>[data-testid="stLayoutWrapper"]:has(> .st-key-url_history) { display: none; }</style><script>
(() => {
  const w = window;
  if (w.__ebOneEntryPerAction) return;
  w.__ebOneEntryPerAction = true;
  const h = w.history, push = h.pushState.bind(h), replace = h.replaceState.bind(h);
  let armed = false;
  const arm = (e) => { if (e.isTrusted) armed = true; };
  w.addEventListener("pointerdown", arm, true);
  w.addEventListener("keydown", arm, true);
  w.addEventListener("popstate", () => { armed = false; }, true);
  h.pushState = h.replaceState = (state, title, url) => {
    if (!armed) return replace(state, title, url);
    armed = false;
    return push(state, title, url);
  };
})();
</script>"""


def one_history_entry_per_action() -> None:
    """Make each user action one browser-history entry (see ``_HISTORY_JS``). Call once a run, first."""
    with st.container(key="url_history"):
        st.html(_HISTORY_JS, unsafe_allow_javascript=True)
