"""Charts of the critical-batch page: steps to target with its regions, the S–E trade-off, the noise
scale along training, and the epoch-budget comparison. Pure: data and translated labels in, a chart out."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping

import altair as alt
import pandas as pd

from ui.charts import FONT_SIZE, PALETTE, style

_BATCH_TICKS = [2**k for k in range(3, 11)]
_REGION_COLOURS = {"perfect": PALETTE["green"], "diminishing": PALETTE["yellow"], "maximal": PALETTE["vermillion"]}


def _lines(title: str, width: int = 34) -> str | list[str]:
    """An axis title as lines short enough for a 390 px phone (Vega cuts one long line off)."""
    lines = textwrap.wrap(title, width)
    return lines if len(lines) > 1 else title


def _batch_axis(title: str, domain: tuple[float, float]) -> alt.X:
    return alt.X("batch:Q", title=_lines(title), scale=alt.Scale(type="log", base=2, domain=list(domain)),
                 axis=alt.Axis(values=_BATCH_TICKS, format="d"))


def steps_chart(points: pd.DataFrame, lines: pd.DataFrame, regions: pd.DataFrame, labels: Mapping[str, str],
                height: int = 420) -> alt.Chart:
    """Steps to the target against batch size on log–log axes.

    ``points``: columns ``batch``, ``steps`` (the median over the repeats), ``low``, ``high`` (the fastest
    and slowest repeat, drawn as a bar; None for none), ``lr``, ``series`` (legend name; the first series is
    drawn large, later ones as faint comparison dots). ``lines``: ``batch``, ``steps``, ``series`` (the fit,
    the perfect-scaling line, a prediction; dashed). ``regions``: ``low``, ``high``, ``name``, ``code`` (the
    region's code picks its colour; shaded bands named in a legend of their own, so no label sits on the
    dots; may be empty). ``labels``: ``x``, ``y``, ``lr``, ``region``, ``low``, ``high``.
    """
    domain = (6, 1400)
    x = _batch_axis(labels["x"], domain)
    # The y range is the dots' (and their bars'), so a line running far below them (perfect scaling)
    # cannot squeeze them into a strip; lines are clipped to it.
    measured = [v for col in ("steps", "low", "high") if col in points for v in points[col].dropna()]
    y_range = [min(measured) / 1.6, max(measured) * 1.6] if measured else None
    y_scale = alt.Scale(type="log", domain=y_range) if y_range else alt.Scale(type="log")
    y = alt.Y("steps:Q", title=_lines(labels["y"]), scale=y_scale)
    series = list(dict.fromkeys(list(points["series"]) + list(lines["series"])))
    colours = [PALETTE["blue"], PALETTE["grey"], PALETTE["black"], PALETTE["orange"], PALETTE["purple"]]
    colour = alt.Color("series:N", title=None, sort=series,
                       scale=alt.Scale(domain=series, range=colours[: len(series)]),
                       legend=alt.Legend(orient="top", columns=1, labelLimit=420, symbolStrokeWidth=4))
    layers = []
    if not regions.empty:
        order = list(_REGION_COLOURS)
        codes = sorted(dict.fromkeys(regions["code"]), key=order.index)
        names = [regions.loc[regions["code"] == c, "name"].iloc[0] for c in codes]
        bands = regions.assign(low=regions["low"].clip(lower=domain[0]), high=regions["high"].clip(upper=domain[1]))
        # Regions fill, series colour: two scales, each with its own legend.
        layers.append(alt.Chart(bands).mark_rect(opacity=0.18).encode(
            x=alt.X("low:Q", scale=alt.Scale(type="log", base=2, domain=list(domain))), x2="high:Q",
            fill=alt.Fill("name:N", sort=names, title=labels["region"],
                          scale=alt.Scale(domain=names, range=[_REGION_COLOURS[c] for c in codes]),
                          legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=420))))
    layers.append(alt.Chart(lines).mark_line(strokeWidth=2.5, strokeDash=[7, 5], clip=True).encode(
        x=x, y=y, color=colour, detail="series:N"))
    first = points["series"].iloc[0] if not points.empty else ""
    bars = points.dropna(subset=["low"]) if "low" in points else points.iloc[0:0]
    if not bars.empty:
        # a repeat that missed the target has no upper end: the bar stops at the median
        bars = bars.assign(high=bars["high"].fillna(bars["steps"]))
        layers.append(alt.Chart(bars).mark_rule(strokeWidth=2.5, color=PALETTE["blue"]).encode(
            x=x, y=alt.Y("low:Q", scale=y_scale), y2="high:Q"))
    tips = [alt.Tooltip("batch:Q", title=labels["x"]), alt.Tooltip("steps:Q", title=labels["y"], format=",.0f"),
            alt.Tooltip("lr:Q", title=labels["lr"])]
    if "low" in points:
        tips += [alt.Tooltip("low:Q", title=labels["low"], format=",.0f"),
                 alt.Tooltip("high:Q", title=labels["high"], format=",.0f")]
    layers.append(alt.Chart(points).mark_circle(opacity=1).encode(
        x=x, y=y, color=colour,
        size=alt.condition(alt.datum.series == first, alt.value(240), alt.value(90)),
        opacity=alt.condition(alt.datum.series == first, alt.value(1.0), alt.value(0.6)),
        tooltip=tips))
    return style(alt.layer(*layers), height)


def tradeoff_chart(points: pd.DataFrame, curve: pd.DataFrame, marks: pd.DataFrame, labels: Mapping[str, str],
                   height: int = 400) -> alt.Chart:
    """Examples against steps to the target (log–log): measured points labelled with their batch size,
    the fitted hyperbola, and ``marks`` (``steps``, ``examples``, ``name``: S_min, E_min and B_crit).

    ``points``: ``batch``, ``steps``, ``examples``; ``curve``: ``steps``, ``examples``. ``labels``: ``x``, ``y``,
    ``batch``, ``fit``.
    """
    x = alt.X("steps:Q", title=_lines(labels["x"]), scale=alt.Scale(type="log"))
    y = alt.Y("examples:Q", title=_lines(labels["y"]), scale=alt.Scale(type="log"))
    fit = alt.Chart(curve.assign(series=labels["fit"])).mark_line(strokeWidth=2.5, strokeDash=[7, 5]).encode(
        x=x, y=y, color=alt.Color("series:N", title=None, scale=alt.Scale(range=[PALETTE["black"]]),
                                  legend=alt.Legend(orient="top", labelLimit=420)))
    dots = alt.Chart(points).mark_circle(size=220, color=PALETTE["blue"], opacity=1).encode(
        x=x, y=y, tooltip=[alt.Tooltip("batch:Q", title=labels["batch"]),
                           alt.Tooltip("steps:Q", title=labels["x"], format=",.0f"),
                           alt.Tooltip("examples:Q", title=labels["y"], format=",.0f")])
    text = alt.Chart(points).mark_text(align="left", dx=10, dy=-8, fontSize=FONT_SIZE - 3).encode(
        x=x, y=y, text=alt.Text("batch:Q", format="d"))
    mark_dots = alt.Chart(marks).mark_point(shape="diamond", size=260, filled=True, color=PALETTE["vermillion"]).encode(
        x=x, y=y, tooltip=[alt.Tooltip("name:N", title=" ")])
    mark_text = alt.Chart(marks).mark_text(align="right", dx=-12, dy=18, fontSize=FONT_SIZE - 3, fontWeight="bold",
                                           color=PALETTE["vermillion"]).encode(x=x, y=y, text="name:N")
    return style(alt.layer(fit, dots, text, mark_dots, mark_text), height)


def noise_chart(rows: pd.DataFrame, b_crit: float | None, labels: Mapping[str, str], height: int = 380) -> alt.Chart:
    """The noise scale ``B_simple`` along training (log y): ``rows`` has ``step``, ``b_simple``, ``series``
    (exact / two-batch); ``b_crit`` (the fitted critical batch) as a horizontal dashed line named in the
    legend (a label on the chart sat on the data). ``labels``: ``x``, ``y``, ``b_crit``."""
    data = rows[rows["b_simple"] > 0]
    series = list(dict.fromkeys(data["series"]))
    x = alt.X("step:Q", title=_lines(labels["x"]))
    y = alt.Y("b_simple:Q", title=_lines(labels["y"]), scale=alt.Scale(type="log"))
    rule = pd.DataFrame()
    if b_crit is not None and not data.empty:
        rule = pd.DataFrame({"step": [data["step"].min(), data["step"].max()], "b_simple": [b_crit, b_crit],
                             "series": [labels["b_crit"]] * 2})
    names = series + ([labels["b_crit"]] if not rule.empty else [])
    colour = alt.Color("series:N", title=None, sort=names,
                       scale=alt.Scale(domain=names, range=[PALETTE["blue"], PALETTE["orange"],
                                                            PALETTE["vermillion"]][: len(names)]),
                       legend=alt.Legend(orient="top", columns=1, labelLimit=420, symbolType="stroke",
                                         symbolStrokeWidth=3))
    dash = alt.StrokeDash("series:N", sort=names, legend=None,
                          scale=alt.Scale(domain=names, range=[[1, 0], [6, 3], [4, 4]][: len(names)]))
    layers = [alt.Chart(data).mark_line(strokeWidth=2.5, point=alt.OverlayMarkDef(size=80)).encode(
        x=x, y=y, color=colour, strokeDash=dash,
        tooltip=[alt.Tooltip("series:N", title=" "), alt.Tooltip("step:Q", title=labels["x"]),
                 alt.Tooltip("b_simple:Q", title=labels["y"], format=",.1f")])]
    if not rule.empty:
        layers.append(alt.Chart(rule).mark_line(strokeWidth=2).encode(x=x, y=y, color=colour, strokeDash=dash))
    return style(alt.layer(*layers), height)


def budget_chart(rows: pd.DataFrame, target: float, labels: Mapping[str, str], height: int = 360) -> alt.Chart:
    """Validation loss after a fixed number of epochs against batch size (``rows``: ``batch``, ``loss``,
    ``lr``), with the target as a horizontal rule. ``labels``: ``x``, ``y``, ``lr``, ``target``."""
    x = _batch_axis(labels["x"], (6, 1400))
    y = alt.Y("loss:Q", title=_lines(labels["y"]), scale=alt.Scale(type="log"))
    finite = rows[rows["loss"] < float("inf")]
    line = alt.Chart(finite).mark_line(strokeWidth=3, color=PALETTE["blue"],
                                       point=alt.OverlayMarkDef(size=160, color=PALETTE["blue"])).encode(
        x=x, y=y, tooltip=[alt.Tooltip("batch:Q", title=labels["x"]),
                           alt.Tooltip("loss:Q", title=labels["y"], format=".3f"),
                           alt.Tooltip("lr:Q", title=labels["lr"])])
    rule = pd.DataFrame({"y": [target], "text": [labels["target"]]})
    return style(alt.layer(
        line, alt.Chart(rule).mark_rule(color=PALETTE["black"], strokeDash=[4, 4], strokeWidth=2).encode(y="y:Q"),
        alt.Chart(rule).mark_text(align="left", baseline="bottom", dy=-4, x=4, fontSize=FONT_SIZE - 3)
        .encode(y="y:Q", text="text:N")), height)
