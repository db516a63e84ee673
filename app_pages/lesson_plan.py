"""For teachers: the lesson plan, each step a link to a page on prepared settings."""

import streamlit as st

from ui import i18n, lesson, nav, urlstate
from ui.i18n import t

KEEP = "_lesson_present_kept"

st.title(t("lesson.title"))
urlstate.show_notes()  # what the shell's guard dropped from the link (?lang, ?present)
st.markdown(t("lesson.intro"))
st.caption(t("lesson.total", steps=len(lesson.STEPS), minutes=lesson.total_minutes()))
# Not a URL setting: it only changes the links below, and a teacher flips it here when preparing.
# Streamlit forgets a widget's value when its page is left; kept aside, it is still on when the teacher
# comes Back from a step to open the next one.
if "lesson_present" not in st.session_state:
    st.session_state["lesson_present"] = st.session_state.get(KEEP, False)
projected = st.toggle(t("lesson.present"), help=t("lesson.present.help"), key="lesson_present")
st.session_state[KEEP] = projected
lang = i18n.current()

for number, step in enumerate(lesson.STEPS, 1):
    page = nav.find(step.page)
    with st.container(border=True):
        head, open_link = st.columns([3, 2], vertical_alignment="center")
        head.subheader(f"{number}. {t(f'lesson.{step.key}.title')}")
        head.caption(f"{t(page.title_key)} · {t('lesson.minutes', minutes=step.minutes)}")
        # No lang: the session keeps its language. nav.link leaves present out when the session is
        # already presenting (Streamlit carries it over).
        query = dict(step.settings) | ({"present": "true"} if projected else {})
        with open_link:
            nav.link(step.page, t("lesson.open", page=t(page.title_key)), query)
        st.markdown(f"**{t('lesson.show')}:** {t(f'lesson.{step.key}.show')}\n\n"
                    f"**{t('lesson.ask')}:** {t(f'lesson.{step.key}.ask')}")

st.subheader(t("lesson.links"))
base = (st.context.url or "").split("?")[0].removesuffix("/lesson_plan")
# Wrapped: a long link (the BatchNorm digits step's) made the block scroll sideways, out of a keyboard's reach.
st.code("\n".join(lesson.link(step, base, lang, projected) for step in lesson.STEPS), language=None, wrap_lines=True)
