"""Presentation mode (``?present=1``): the app as a teacher projects it.

Larger type, the sidebar tucked away, explanations folded under "Explain" so the controls and
the results fill the screen, the answers to the lesson plan's questions folded under "Show the
answer" until the teacher has asked, and the widgets' labels bold. It is a URL setting like any other: a
teacher's prepared link can open straight into it, and the sidebar switch turns it off.
"""

from __future__ import annotations

import streamlit as st

from ui import urlstate
from ui.i18n import t
from ui.params import Shell

# Streamlit sizes its text in rem, so raising the root size scales every text element together.
_CSS = """
<style>
html:root { font-size: 21px !important; }
[data-testid="stMainBlockContainer"] { padding-top: 2.2rem; padding-left: 2rem; padding-right: 2rem; }
[data-testid="stWidgetLabel"] p { font-weight: 600; }
[data-testid="stMetricValue"] { font-size: min(2.4rem, 12cqi) !important; }
[data-testid="stCaptionContainer"] { font-size: 0.9rem; }
/* Inline code (`drop_last=True` in a sentence) is 0.75em by default: 16 px here, below what the back row reads. */
[data-testid="stMarkdownContainer"] code, [data-testid="stCaptionContainer"] code {
  font-size: max(0.875rem, 0.85em); }
</style>
"""


def requested() -> bool:
    """Whether this run's link asks for presentation mode (before the switch exists: for the page config)."""
    raw = st.query_params.get(Shell.PRESENT.key, "")
    return raw.lower() in ("1", "true")


def switch() -> bool:
    """Draw the sidebar switch (bound to ``?present``); apply the presentation style when it is on."""
    on = urlstate.toggle(Shell.PRESENT, t("present.switch"), t("present.switch.help"), st.sidebar)
    if on:
        st.html(_CSS)
    return on


def active() -> bool:
    """Whether this session is in presentation mode."""
    return bool(st.session_state.get(Shell.PRESENT.key, False))


def answer(container=st):
    """Where a page puts what answers its lesson step's "ask the class" question (``ui/lesson.py``).

    In presentation mode a closed "Show the answer" expander, opened by the teacher after the class has
    had its say; otherwise a plain container, so a student alone sees everything. Use it as
    ``with present.answer(): ...`` or ``present.answer(column).metric(...)``. Inside it write text out
    (``st.markdown``), not ``explain``: an answer is not folded twice.
    """
    if active():
        return container.expander(t("present.answer"), icon=":material/visibility:")
    return container.container()


def explain(text: str, container=st) -> None:
    """An explanation: written out normally, folded under "Explain" in presentation mode."""
    if active():
        container.expander(t("present.explain"), icon=":material/menu_book:").markdown(text)
    else:
        container.markdown(text)
