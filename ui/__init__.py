"""The Streamlit side of the app: language, URL state, navigation and chart builders.

Pages import from here; nothing in ``ui`` does training maths (that is ``ebcore``'s job).
"""
