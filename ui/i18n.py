"""Which language a session sees, and the lookup of its text.

``?lang=ko`` / ``?lang=en`` choose; without it the browser's locale decides (Korean for ``ko*``,
else English); a sidebar switch changes it. The switch is a widget bound to the URL, so a shared
link keeps the language it was made in.
"""

from __future__ import annotations

import streamlit as st

from ui.locales import STRINGS

LANGUAGES = ("en", "ko")
LANG_KEY = "lang"


def browser_language(locale: str | None) -> str:
    """The app language for a browser locale such as ``ko-KR``: Korean for ``ko*``, else English."""
    return "ko" if (locale or "").lower().startswith("ko") else "en"


def current() -> str:
    """The session's language code (``en`` or ``ko``)."""
    lang = st.session_state.get(LANG_KEY)
    return lang if lang in LANGUAGES else browser_language(st.context.locale)


def t(key: str, /, **values: object) -> str:
    """The text for ``key`` in the session's language, with ``{placeholders}`` filled from ``values``."""
    text = STRINGS[current()][key]
    return text.format(**values) if values else text


def tn(key: str, count: int, /, **values: object) -> str:
    """The text for ``count`` things: ``{key}.one`` when ``count`` is 1, else ``{key}.other``.

    ``count`` is filled in as ``{count}`` (with thousands separators) next to ``values``. Korean has
    no plural, so its two forms are the same text; English needs both ("1 iteration", "2 iterations").
    """
    return t(f"{key}.{'one' if count == 1 else 'other'}", count=f"{count:,}", **values)


def language_switch() -> str:
    """Draw the sidebar language switch (bound to ``?lang``) and return the chosen language."""
    default = browser_language(st.context.locale)
    chosen = st.sidebar.segmented_control(
        ":material/translate: Language · 언어",
        LANGUAGES,
        default=default,
        required=True,
        # No format_func: Streamlit writes the *displayed* option into the URL, and links say ?lang=ko.
        key=LANG_KEY,
        bind="query-params",
    )
    return chosen if chosen in LANGUAGES else default
