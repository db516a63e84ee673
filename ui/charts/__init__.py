"""Altair chart builders, one module per page. Pure: data and translated labels in, a chart out.

Every chart uses the Okabe–Ito palette, which stays distinguishable for the common forms of
colour blindness and on a washed-out classroom projector.
"""

from __future__ import annotations

from typing import Any

import altair as alt

# Okabe & Ito (2008), "Color Universal Design".
PALETTE = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "grey": "#999999",
    "black": "#000000",
}
# A series order for line charts with several runs.
SERIES = [PALETTE[c] for c in ("blue", "orange", "green", "vermillion", "purple", "sky", "yellow", "black")]
FONT_SIZE = 16  # readable from the back of a classroom
TEXT_COLOUR = "#262730"  # Streamlit's body text: chart text as dark as the sentences around it
PRESENT_FONT_SIZE = 20  # px: at least the body text's 21 px root size × 0.9 on a 1280×720 projector
# Viridis (van der Walt & Smith, 2015) from its dark end to just before its pale yellow, which vanishes on
# white: ordered, perceptually even, and readable with the common colour-vision deficiencies.
_ORDERED_STOPS = ("#440154", "#482878", "#3E4A89", "#31688E", "#26828E", "#1F9E89", "#35B779", "#6DCD59",
                  "#B4DE2C")


def ordered_colours(n: int) -> list[str]:
    """``n`` distinct colours in order (dark purple → green-yellow) for an ordered quantity such as batch size.

    Evenly spaced along ``_ORDERED_STOPS`` (interpolated in RGB), so no colour repeats however many there are
    and a larger value is always further along the scale.
    """
    if n <= 1:
        return [_ORDERED_STOPS[0]] * n
    rgb = [tuple(int(c[i:i + 2], 16) for i in (1, 3, 5)) for c in _ORDERED_STOPS]
    out = []
    for i in range(n):
        pos = i * (len(rgb) - 1) / (n - 1)
        lo = min(int(pos), len(rgb) - 2)
        frac = pos - lo
        out.append("#" + "".join(f"{round(a + (b - a) * frac):02X}" for a, b in zip(rgb[lo], rgb[lo + 1], strict=True)))
    return out


def theme(present: bool) -> dict:
    """Vega-Lite ``config`` every chart gets on top of its own: dark text, legends never cut short and, in
    presentation mode, every text at ``PRESENT_FONT_SIZE`` px or more (ticks, axis titles, legends, marks)."""
    text = {"labelColor": TEXT_COLOUR, "titleColor": TEXT_COLOUR}
    config = {"axis": dict(text), "legend": dict(text, labelLimit=0), "title": {"color": TEXT_COLOUR}}
    if present:
        size = {"labelFontSize": PRESENT_FONT_SIZE, "titleFontSize": PRESENT_FONT_SIZE}
        config["axis"] |= size
        config["legend"] |= size
        config["title"] |= {"fontSize": PRESENT_FONT_SIZE + 2}
        config["text"] = {"fontSize": PRESENT_FONT_SIZE}
    return config


# Every key in a Vega-Lite spec that sets a text's size in px: marks (``text``), axes, legends, titles.
_SIZE_KEYS = frozenset({"fontSize", "labelFontSize", "titleFontSize", "subtitleFontSize"})


def at_least(spec: dict, size: float) -> dict:
    """A copy of ``spec`` with every text size below ``size`` px raised to ``size``.

    A builder's own sizes (a mark's ``fontSize``, an axis's ``labelFontSize``) win over ``config``, so the
    presentation theme alone cannot reach them: this pass does, for every chart at once. Data (``datasets``,
    ``data``) is passed through untouched.
    """
    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            return {key: (max(value, size) if key in _SIZE_KEYS and isinstance(value, int | float)
                          and not isinstance(value, bool) else value if key in ("datasets", "data") else walk(value))
                    for key, value in node.items()}
        if isinstance(node, list):
            return [walk(value) for value in node]
        return node

    return walk(spec)


# Autosize that keeps the plot at the chart's own height, legends and axis titles added around it.
FIT_X = {"type": "fit-x", "contains": "padding"}


def themed(spec: dict, present: bool) -> dict:
    """``spec`` as the page draws it: ``theme(present)`` over its config and, in presentation mode, no text
    smaller than ``PRESENT_FONT_SIZE`` px (tick labels, titles, legends and the builders' own annotations).

    Projected, a chart also keeps its plot at its own height (``FIT_X``, unless the builder chose an autosize):
    with Streamlit's default, ``fit``, the larger legends and titles came out of the plot (the critical-batch
    chart's plot shrank to a third of its height)."""
    spec = merge_config(spec, theme(present))
    if not present:
        return spec
    spec = at_least(spec, PRESENT_FONT_SIZE)
    spec.setdefault("autosize", dict(FIT_X))
    return spec


def merge_config(spec: dict, extra: dict) -> dict:
    """A copy of ``spec`` whose ``config`` has ``extra``'s settings over its own (one level deep per group)."""
    config = dict(spec.get("config", {}))
    for group, values in extra.items():
        config[group] = {**config.get(group, {}), **values}
    return {**spec, "config": config}


def style(chart, height: int | None = None):
    """Classroom defaults for any chart: large axis and legend text, no frame around the plot.

    One ``properties`` call: each of Altair's ``configure_*`` calls deep-copies the whole chart, which
    took a third of an uncached chart's time (the spec is the same)."""
    config = alt.Config(axis=alt.AxisConfig(labelFontSize=FONT_SIZE - 2, titleFontSize=FONT_SIZE),
                        legend=alt.LegendConfig(labelFontSize=FONT_SIZE - 2, titleFontSize=FONT_SIZE - 2),
                        view=alt.ViewConfig(stroke=None))
    return chart.properties(config=config) if height is None else chart.properties(height=height, config=config)
