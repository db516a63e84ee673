"""Shared test helpers: drive the real app with Streamlit's AppTest."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "streamlit_app.py")
LANGS = ("en", "ko")


def run_app(page: str = "", **query: str) -> AppTest:
    """Run the app once on ``page`` (a URL path, '' for home) with ``query`` as the link's parameters."""
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    if page:
        # AppTest.switch_page runs the page file without the entry script, so the sidebar's
        # language switch never reads ?lang; seed the session's language the way the switch would.
        at.switch_page(_page_file(page))
        if query.get("lang") in ("en", "ko"):
            at.session_state["lang"] = query["lang"]
    at.run()
    return at


def _page_file(url_path: str) -> str:
    from ui.nav import find

    spec = find(url_path)
    assert spec is not None, f"no page at /{url_path}"
    return spec.file


def metrics(at: AppTest) -> dict[str, str]:
    """The page's metrics as {label: value}."""
    return {m.label: m.value for m in at.metric}


def assert_clean(at: AppTest) -> None:
    """No exception box and no error element that the page did not mean to show."""
    assert not at.exception, [e.value for e in at.exception]


@pytest.fixture(params=LANGS)
def lang(request) -> str:
    return request.param
