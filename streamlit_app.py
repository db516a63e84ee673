"""Epoch & Batch Lab: the entry point. Sets the page up, the language, and routes to ``app_pages/``."""

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from ui import activity, i18n, layout, nav, present, urlstate, warmup
from ui.params import BY_PAGE, PAGE_KEYS, Shell

st.set_page_config(page_title="Epoch & Batch Lab", page_icon=":material/school:", layout="wide",
                   initial_sidebar_state="collapsed" if present.requested() else "auto")
warmup.start()
urlstate.remember_link()
nav.one_history_entry_per_action()

if urlstate.guard(Shell.ALL, rerun=False, carried=True):
    # Rerun with the mended link, but only once st.navigation has picked the page: a rerun before it
    # would land a teacher's deep link on the home page. No widget exists yet to hold the old values.
    st.navigation(nav.build())
    st.rerun()
layout.style(i18n.language_switch())
present.switch()
page = st.navigation(nav.build())
urlstate.fresh_on_arrival(page.url_path, PAGE_KEYS, BY_PAGE.get(page.url_path, ()))
st.sidebar.caption(i18n.t("shell.about"))
# Counted, so an experiment may use the second core while this is the only page the server runs; the
# session's jobs take turns with other sessions' in the worker.
with activity.page_run(get_script_run_ctx().session_id):
    page.run()
