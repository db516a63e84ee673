"""The pieces every page repeats: its header with the share-link button, its row of presets, CSV downloads,
tables that fit a projector and a phone, and the page style the shell applies (``style``)."""

from __future__ import annotations

import numbers
from collections.abc import Callable, Mapping, Sequence

import pandas as pd
import streamlit as st

from ui import downloads, present, urlstate
from ui.i18n import t

PHONE_MAX_PX = 640  # below this width tables turn into one card per row
# Korean breaks lines only between words (keep-all), as Korean readers expect; a token longer than the
# line may still break. Metric values shrink with their card (container units) instead of being cut
# off with "…", and button labels wrap rather than hide their end.
_CSS = """
<style>
@media (max-width: %(phone)dpx) { [class*="st-key-wide_"] { display: none !important; } }
@media (min-width: %(wide)dpx) { [class*="st-key-cards_"] { display: none !important; } }
[data-testid="stMetric"] { container-type: inline-size; }
[data-testid="stMetricValue"] { font-size: min(2.25rem, 12cqi) !important; }
[data-testid="stMetricValue"] * { font-size: inherit !important; }
button p, button div[data-testid="stMarkdownContainer"] p {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important; }
[data-testid="stTable"] td, [data-testid="stTable"] th { overflow-wrap: anywhere; }
/* A segmented control narrower than its buttons scrolls them sideways, hiding the last (BatchNorm's
   learning rate 1 in Korean at 1280 px): wrap them onto a second line instead. */
[data-testid="stButtonGroup"] [role="radiogroup"] { flex-wrap: wrap; overflow: visible; row-gap: 0.25rem; }
/* Captions are the app's small print (units, how it was measured): Streamlit fades them to 0.6 opacity,
   which on the sidebar's tint falls below WCAG's 4.5:1 contrast; a 0.78-alpha grey at full opacity stays
   quieter than the body and readable. */
[data-testid="stCaptionContainer"] { opacity: 1 !important; }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] * { color: rgba(49, 51, 63, 0.78) !important; }
%(korean)s
</style>
"""
_KOREAN = ".stApp, .stApp * { word-break: keep-all !important; overflow-wrap: anywhere; }"


def style(lang: str) -> None:
    """The app's own CSS for this run: table/card switch, metric and button sizing, Korean line breaks."""
    st.html(_CSS % {"phone": PHONE_MAX_PX, "wide": PHONE_MAX_PX + 1, "korean": _KOREAN if lang == "ko" else ""})


# Widths of a metric value's characters in em (Source Sans: digits ≈ 0.45 em, separators ≈ 0.25 em), rounded
# up so an estimate never falls short. A metric's value gets its card's width less ``_METRIC_INSET_PX``
# (measured in Chromium at 390-1280 px: always 30 px).
_DIGIT_EM, _MARK_EM, _METRIC_INSET_PX = 0.58, 0.3, 32
_LONG_EM = 7.0  # values up to this wide fit the page's own cap (12cqi) on every card the pages draw


def fit_metrics(values_by_key: Mapping[str, str]) -> None:
    """Shrink the value of each metric drawn in container ``key`` so that ``value`` fits its card whole.

    The page CSS caps a value at 12% of its card's width (``12cqi``), right for up to about 12 digits; a
    longer one ("100,000,000,000,000") was cut to "100,000,000,0…". A card whose value is longer gets a cap
    from its own length (the card's width less the value's inset, over the value's width in em); shorter
    values keep the page's sizes, presentation mode's included.
    """
    rules = []
    for key, value in values_by_key.items():
        em = sum(_DIGIT_EM if ch.isalnum() else _MARK_EM for ch in value)
        if em > _LONG_EM:
            rules.append(f'.st-key-{key} [data-testid="stMetricValue"] {{ font-size: min(2.25rem, 12cqi, '
                         f"calc((100cqi - {_METRIC_INSET_PX}px) / {em:.2f})) !important; }}")
    if rules:
        st.html("<style>" + "\n".join(rules) + "</style>")


def _md(value: object) -> str:
    """``value`` as Markdown text that renders literally (``batch_size=50`` keeps its underscore)."""
    text = str(value)
    for ch in "\\`*_[]<>#|":
        text = text.replace(ch, "\\" + ch)
    return text


def table(frame: pd.DataFrame, key: str, caption: str | None = None) -> None:
    """``frame`` as a static table that wraps its text to fit the page, and on a phone one card per row.

    A scrolling data grid cuts off the columns that do not fit (at 1280 px the last ones); a static
    table wraps instead. Below ``PHONE_MAX_PX`` even wrapped columns are too narrow, so each row becomes
    a card of "column: value" lines. Both are drawn and CSS shows one (``style``). ``caption`` names
    the table for screen readers.
    """
    with st.container(key=f"wide_{key}"):
        st.table(frame, hide_index=True, alt=caption)
    with st.container(key=f"cards_{key}"):
        for row in frame.itertuples(index=False):
            with st.container(border=True):
                first, *rest = zip(frame.columns, row, strict=True)
                # A card titled by a bare number ("1") says nothing: name the column ("Batch size: 1").
                name, value = first
                title = f"{_md(name)}: {_md(value)}" if isinstance(value, numbers.Number) else _md(value)
                st.markdown(f"**{title}**\n\n" + "\n".join(f"- {_md(c)}: **{_md(v)}**" for c, v in rest))


def header(prefix: str, intro: str | None = None):
    """Title ``{prefix}.title`` with a slot for the share button at its right, link notes, the intro.

    ``intro`` replaces the fixed ``{prefix}.intro`` text where the intro states numbers from the settings.

    Returns the slot; fill it with ``share_button`` *after* the widgets, so the link carries the
    values they settled on in this run (a preset's new values reach the URL when its widgets run).
    """
    title, slot = st.columns([3, 1], vertical_alignment="bottom")
    title.title(t(f"{prefix}.title"))
    urlstate.show_notes()
    present.explain(intro if intro is not None else t(f"{prefix}.intro"))
    return slot


def share_button(slot) -> None:
    """A popover in ``slot`` holding this page's link with its current settings, ready to copy."""
    with slot.popover(t("url.share_title"), icon=":material/link:", width="stretch"):
        st.caption(t("url.share_help"))
        st.code(urlstate.share_link(), language=None, wrap_lines=True)


def presets(prefix: str, values_by_key: Mapping[str, Mapping[str, object]], copy_of: str = "") -> None:
    """A wrapped row of buttons, ``{prefix}.preset.{key}`` (help: ``….help``), each setting its values.
    ``copy_of``: a start of the keys the labels leave out (``"digits_"``: the same cases on other data)."""
    st.caption(t(f"{prefix}.presets"))
    with st.container(horizontal=True, gap="small"):
        for key, values in values_by_key.items():
            label = key.removeprefix(copy_of)
            st.button(t(f"{prefix}.preset.{label}"), help=t(f"{prefix}.preset.{label}.help"),
                      on_click=urlstate.set_values, kwargs=dict(values), key=f"preset_{key}")


def download(name: str, make_rows: Callable[..., Sequence[Mapping[str, object]]], *args: object, container=st) -> None:
    """A small "download as CSV" button for a chart's run: ``make_rows(*args)`` (an ``ebcore.lessons.tables``
    function) as ``{name}.csv``.

    The rows and the file are made only when clicked (Streamlit calls ``data`` then): a page run does not
    pay for tables nobody downloads (the BatchNorm page's steps are 19,200 rows). The click does not rerun
    the page. The file is kept (``ui.downloads``): Streamlit alone drops it after any two script runs.
    """
    file_name = f"{name}.csv"

    def csv() -> bytes:
        data = pd.DataFrame(make_rows(*args)).to_csv(index=False).encode()
        downloads.keep(data, file_name)
        return data

    container.download_button(
        t("csv.download"), data=csv, file_name=file_name, mime=downloads.MIME, key=f"csv_{name}", on_click="ignore",
        icon=":material/download:", type="tertiary", help=t("csv.download.help"),
    )
