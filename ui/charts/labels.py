"""Where a chart's text labels go so that no label overlaps another label, a line or a marker, at any settings.

The rule: labels are not placed among the data. A chart that names things (a best epoch, a value per column)
keeps a band of ``rows`` label rows at the top of its plot, which the data never enters (the y domain is
stretched so the data's largest value sits just below the band), and each label gets its own row; rules
stop where the band begins. A label beside a vertical rule points into the half of the plot that has room
(right of the rule in the left half, left of it in the right half), so it stays inside the plot.

Pixel positions assume the plot is exactly ``height`` px tall: the charts using this set autosize ``fit-x``
(``FIT``), so legends and axis titles come on top of ``height`` instead of squeezing the plot.
"""

from __future__ import annotations

import math

import altair as alt

from ui.charts import FONT_SIZE, PRESENT_FONT_SIZE

__all__ = ["FIT", "ROW_PX", "beside", "linear_top", "log_top", "row_y"]

# One label row: the largest text any mode draws (presentation size, or the classroom size + 2) with
# room above and below, so a label fits its row whichever theme draws it.
ROW_PX = math.ceil(1.5 * max(FONT_SIZE + 2, PRESENT_FONT_SIZE + 2))
FIT = alt.AutoSizeParams(type="fit-x", contains="padding")


def row_y(row: int) -> float:
    """The pixel y of the middle of label row ``row`` (0 = the top row), for ``baseline="middle"`` text."""
    return (row + 0.5) * ROW_PX


def linear_top(low: float, high: float, height: int, rows: int) -> float:
    """The top of a linear y domain starting at ``low`` that puts ``high`` right below ``rows`` label rows."""
    data_px = height - rows * ROW_PX
    if data_px <= 0:
        raise ValueError(f"a {height}px plot has no room under {rows} label rows of {ROW_PX}px")
    return low + (high - low) * height / data_px


def log_top(low: float, high: float, height: int, rows: int) -> float:
    """The top of a log y domain from ``low`` (> 0) that puts ``high`` right below ``rows`` label rows."""
    data_px = height - rows * ROW_PX
    if data_px <= 0 or low <= 0:
        raise ValueError(f"a {height}px plot has no room under {rows} label rows, or low={low} is not > 0")
    return low * (high / low) ** (height / data_px) if high > low else high * 10 ** (rows * ROW_PX / height)


def beside(x: float, x_min: float, x_max: float, gap: int = 6) -> tuple[str, int]:
    """``(align, dx)`` for a label at data ``x`` on an axis ``x_min``..``x_max``: to the right of ``x`` in
    the left half, to its left in the right half, ``gap`` px away."""
    return ("left", gap) if x <= (x_min + x_max) / 2 else ("right", -gap)
