"""Draw a chart builder's chart, building its Vega-Lite spec once per inputs for the whole server.

Building an Altair chart and converting it (Altair validates every spec against the Vega-Lite
JSON schema, twice) costs 10-100 ms of CPU a chart, which was most of a cached rerun: the data
came from the run cache, the chart was rebuilt from scratch on every slider move, in every session.
Here the finished spec is cached under the builder and its arguments (data and translated labels),
so a rerun on settings someone already saw only unpickles it.

The schema validation itself is skipped in a served app (``VALIDATE``): it only checks a spec, never changes
it, and took about 40 ms of CPU on an uncached BatchNorm or trade-offs page (a quarter of their charts'
time), partly after the training, while the class waits. The tests validate every spec they draw.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
from collections.abc import Callable
from typing import Any

import streamlit as st
from altair.utils import schemapi

# Streamlit's own Altair → Vega-Lite conversion (datasets as Arrow, its theme off), so the cached
# spec draws exactly what st.altair_chart would; tests/test_charts_draw.py compares the two.
from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec

from ui import present
from ui.charts import themed
from ui.i18n import t

VALIDATE = os.environ.get("EBLAB_VALIDATE_CHARTS") == "1"
"""Whether Altair validates each chart against the Vega-Lite schema (``EBLAB_VALIDATE_CHARTS=1``: the tests)."""
if not VALIDATE:
    schemapi.disable_debug_mode()  # Altair's validation of each chart object as it is built


@st.cache_data(max_entries=256, show_spinner=False)
def spec(name: str, digest: str, _builder: Callable[..., Any], _args: tuple, _kwargs: dict) -> dict[str, Any]:
    """The Vega-Lite spec (a dict, datasets as DataFrames) of ``_builder(*_args, **_kwargs)``, cached.

    The key is ``name`` (the builder's module and name) and ``digest`` (of its pickled arguments):
    Streamlit cannot hash a function, and hashes long lists of records value by value in Python,
    which on the BatchNorm page cost more than building the chart.
    """
    return convert(_builder(*_args, **_kwargs), VALIDATE)


def convert(chart: Any, validate: bool) -> dict[str, Any]:
    """``chart``'s Vega-Lite spec as ``st.altair_chart`` makes it; ``validate``: against the schema too."""
    if not validate:
        # Streamlit's conversion calls ``chart.to_dict()``, whose default validates the finished spec.
        object.__setattr__(chart, "to_dict", functools.partial(chart.to_dict, validate=False))
    return _convert_altair_to_vega_lite_spec(chart)


def digest(value: Any) -> str:
    """A short hex digest of ``value``'s pickle: equal digests mean equal inputs."""
    return hashlib.blake2b(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), digest_size=16).hexdigest()


def describe(chart: dict) -> str:
    """A text alternative for a chart spec: its axis titles and legend titles, in the session's language."""
    titles: dict[str, str] = {}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            encoding = node.get("encoding", {})
            for channel in ("x", "y", "color"):
                title = encoding.get(channel, {}).get("title") if isinstance(encoding.get(channel), dict) else None
                if isinstance(title, str) and title.strip():
                    titles.setdefault(channel, title)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(chart)
    x, y, colour = titles.get("x"), titles.get("y"), titles.get("color")
    if x and y:
        text = t("chart.alt.xy", x=x, y=y)
    else:
        text = t("chart.alt.one", axis=x or y) if x or y else t("chart.alt.none")
    return text + (" " + t("chart.alt.by", colour=colour) if colour else "")


def draw(builder: Callable[..., Any], *args: Any, container: Any = None, **kwargs: Any) -> None:
    """Show ``builder(*args, **kwargs)`` full width in ``container`` (default: the page), as st.altair_chart.

    On top of the builder's own style every chart gets ``ui.charts.themed`` (dark text; in presentation
    mode no text under ``PRESENT_FONT_SIZE`` px, the builder's own sizes included) and a text alternative
    (``description``, which Vega reads out as the chart's label).
    """
    name = f"{builder.__module__}.{builder.__qualname__}"
    chart = themed(spec(name, digest((args, kwargs)), builder, args, kwargs), present.active())
    chart["description"] = describe(chart)
    (container or st).vega_lite_chart(chart, width="stretch")
