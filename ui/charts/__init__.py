"""Altair chart builders, one module per page. Pure: data and translated labels in, a chart out.

Every chart uses the Okabe–Ito palette, which stays distinguishable for the common forms of
colour blindness and on a washed-out classroom projector.
"""

from __future__ import annotations

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


def style(chart, height: int | None = None):
    """Classroom defaults for any chart: large axis and legend text, no frame around the plot."""
    if height is not None:
        chart = chart.properties(height=height)
    return (
        chart.configure_axis(labelFontSize=FONT_SIZE - 2, titleFontSize=FONT_SIZE)
        .configure_legend(labelFontSize=FONT_SIZE - 2, titleFontSize=FONT_SIZE - 2)
        .configure_view(stroke=None)
    )
