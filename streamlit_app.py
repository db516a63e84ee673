"""Epoch & Batch Lab: the entry point. Sets the page up, the language, and routes to ``app_pages/``."""

import streamlit as st

from ui import i18n, nav, urlstate, warmup

st.set_page_config(page_title="Epoch & Batch Lab", page_icon=":material/school:", layout="wide")
warmup.start()

urlstate.guard([urlstate.ChoiceParam(i18n.LANG_KEY, "en", i18n.LANGUAGES)])
i18n.language_switch()
page = st.navigation(nav.build())
st.sidebar.caption(i18n.t("shell.about"))
page.run()
