"""The pieces every page repeats: its header with the share-link button, its row of presets, CSV downloads."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
import streamlit as st

from ui import present, urlstate
from ui.i18n import t


def header(prefix: str):
    """Title ``{prefix}.title`` with a slot for the share button at its right, link notes, the intro.

    Returns the slot; fill it with ``share_button`` *after* the widgets, so the link carries the
    values they settled on in this run (a preset's new values reach the URL when its widgets run).
    """
    title, slot = st.columns([4, 1], vertical_alignment="bottom")
    title.title(t(f"{prefix}.title"))
    urlstate.show_notes()
    present.explain(t(f"{prefix}.intro"))
    return slot


def share_button(slot) -> None:
    """A popover in ``slot`` holding this page's link with its current settings, ready to copy."""
    with slot.popover(t("url.share_title"), icon=":material/link:", width="stretch"):
        st.caption(t("url.share_help"))
        st.code(urlstate.share_link(), language=None, wrap_lines=True)


def presets(prefix: str, values_by_key: Mapping[str, Mapping[str, object]]) -> None:
    """A wrapped row of buttons, ``{prefix}.preset.{key}`` (help: ``….help``), each setting its values."""
    st.caption(t(f"{prefix}.presets"))
    with st.container(horizontal=True, gap="small"):
        for key, values in values_by_key.items():
            st.button(t(f"{prefix}.preset.{key}"), help=t(f"{prefix}.preset.{key}.help"),
                      on_click=urlstate.set_values, kwargs=dict(values), key=f"preset_{key}")


def download(rows: Sequence[Mapping[str, object]], name: str, container=st) -> None:
    """A small "download as CSV" button for a chart's run: ``rows`` (from ``ebcore.tables``) as ``{name}.csv``.

    The file is made only when clicked (Streamlit calls ``data`` then), and the click does not rerun the page.
    """
    container.download_button(
        t("csv.download"), data=lambda: pd.DataFrame(rows).to_csv(index=False), file_name=f"{name}.csv",
        mime="text/csv", key=f"csv_{name}", on_click="ignore", icon=":material/download:", type="tertiary",
        help=t("csv.download.help"),
    )
