"""Charts of the batch-size trade-offs page: gradient noise, loss curves with bands and ghosts, sizing guides."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import altair as alt
import pandas as pd

from ui.charts import FONT_SIZE, PALETTE, SERIES, ordered_colours, style


def noise_chart(points: Sequence[tuple[int, float, bool]], reference: Sequence[tuple[int, float]],
                labels: Mapping[str, str], height: int = 380) -> alt.Chart:
    """Gradient noise against batch size on log–log axes, with the ``c/√B`` reference as a dashed line.

    ``points``: (batch, spread, swept?) — swept batches are drawn larger. ``reference``: (batch, value).
    ``labels``: ``x``, ``y``, ``measured``, ``reference`` (legend names), ``swept`` (tooltip title).
    Points with zero spread (batch = whole data set) cannot sit on a log axis and are left out.
    """
    data = pd.DataFrame(
        [{"batch": b, "value": v, "series": labels["measured"], "swept": s} for b, v, s in points if v > 0]
        + [{"batch": b, "value": v, "series": labels["reference"], "swept": False} for b, v in reference if v > 0]
    )
    x = alt.X("batch:Q", title=labels["x"], scale=alt.Scale(type="log", base=2), axis=alt.Axis(values=[
        2**k for k in range(0, 11)], format="d"))
    y = alt.Y("value:Q", title=labels["y"], scale=alt.Scale(type="log"))
    colour = alt.Color("series:N", title=None, scale=alt.Scale(
        domain=[labels["measured"], labels["reference"]], range=[PALETTE["blue"], PALETTE["grey"]]),
        legend=alt.Legend(orient="top"))
    line = alt.Chart(data).mark_line(strokeWidth=3).encode(
        x=x, y=y, color=colour, strokeDash=alt.condition(
            alt.datum.series == labels["reference"], alt.value([8, 6]), alt.value([1, 0])))
    dots = alt.Chart(data).transform_filter(alt.datum.series == labels["measured"]).mark_circle(
        color=PALETTE["blue"], opacity=1).encode(
        x=x, y=y, size=alt.condition("datum.swept", alt.value(220), alt.value(70)),
        tooltip=[alt.Tooltip("batch:Q", title=labels["x"]), alt.Tooltip("value:Q", title=labels["y"], format=".3f")])
    return style(line + dots, height)


def loss_curves_chart(rows: pd.DataFrame, labels: Mapping[str, str], *, floor: float | None = None,
                      band: bool = True, height: int = 420) -> alt.Chart:
    """Loss curves of several runs: median line per run and, over seeds, a min–max band.

    ``rows`` has columns ``run`` (legend entry), ``x``, ``loss`` and ``seed``. ``floor`` draws a
    labelled horizontal rule (the noise floor). ``labels``: ``x``, ``y``, ``run``, ``floor``.
    """
    summary = rows.groupby(["run", "x"], sort=False)["loss"].agg(["median", "min", "max"]).reset_index()
    runs = list(dict.fromkeys(rows["run"]))
    colour = alt.Color("run:N", title=labels["run"], sort=runs, scale=alt.Scale(domain=runs, range=SERIES),
                       legend=alt.Legend(orient="top", symbolStrokeWidth=4))
    x = alt.X("x:Q", title=labels["x"])
    base = alt.Chart(summary)
    layers = []
    if band:
        layers.append(base.mark_area(opacity=0.2).encode(x=x, y=alt.Y("min:Q"), y2="max:Q", color=colour))
    layers.append(base.mark_line(strokeWidth=2.5).encode(
        x=x, y=alt.Y("median:Q", title=labels["y"], scale=alt.Scale(zero=False)), color=colour,
        tooltip=[alt.Tooltip("run:N", title=labels["run"]), alt.Tooltip("x:Q", title=labels["x"], format=",.2f"),
                 alt.Tooltip("median:Q", title=labels["y"], format=".4f")]))
    if floor is not None:
        rule = pd.DataFrame({"y": [floor], "text": [labels["floor"]]})
        layers.append(alt.Chart(rule).mark_rule(color=PALETTE["black"], strokeDash=[4, 4], strokeWidth=2)
                      .encode(y="y:Q"))
        layers.append(alt.Chart(rule).mark_text(align="right", baseline="bottom", dy=-4, fontSize=FONT_SIZE - 2,
                                                x="width").encode(y="y:Q", text="text:N"))
    return style(alt.layer(*layers), height)


def sweep_chart(rows: pd.DataFrame, ghosts: pd.DataFrame, labels: Mapping[str, str], height: int = 420) -> alt.Chart:
    """Validation loss per epoch for each swept batch size, earlier sweeps as faint grey "ghosts".

    ``rows``/``ghosts`` have columns ``batch`` (label text), ``epoch`` and ``loss``; ghosts also
    ``sweep`` (which earlier sweep). ``labels``: ``x``, ``y``, ``batch``, ``ghost`` (tooltip title) and
    ``ghosts`` (their legend entry). Batch sizes are ordered, so they get ordered colours that never repeat.
    """
    order = list(dict.fromkeys(rows["batch"]))
    colours = ordered_colours(len(order))
    if not ghosts.empty:  # the grey lines get a legend entry of their own
        ghosts = ghosts.assign(legend=labels["ghosts"])
        order, colours = order + [labels["ghosts"]], colours + [PALETTE["grey"]]
    colour = alt.Color("legend:N", title=labels["batch"], sort=order, scale=alt.Scale(domain=order, range=colours),
                       legend=alt.Legend(orient="top", symbolStrokeWidth=4))
    rows = rows.assign(legend=rows["batch"])
    x = alt.X("epoch:Q", title=labels["x"], axis=alt.Axis(tickMinStep=1))
    y = alt.Y("loss:Q", title=labels["y"], scale=alt.Scale(zero=False))
    layers = []
    if not ghosts.empty:
        layers.append(alt.Chart(ghosts).mark_line(opacity=0.35, strokeWidth=1.5).encode(
            x=x, y=y, detail="key:N", color=colour, tooltip=[alt.Tooltip("sweep:N", title=labels["ghost"]),
                                               alt.Tooltip("batch:N", title=labels["batch"])]))
    layers.append(alt.Chart(rows).mark_line(strokeWidth=3, point=True).encode(
        x=x, y=y, color=colour,
        tooltip=[alt.Tooltip("batch:N", title=labels["batch"]), alt.Tooltip("epoch:Q", title=labels["x"]),
                 alt.Tooltip("loss:Q", title=labels["y"], format=".4f")]))
    return style(alt.layer(*layers), height)


def guides_chart(guides: pd.DataFrame, marks: Sequence[int], labels: Mapping[str, str], height: int = 400) -> alt.Chart:
    """The sizing guides as horizontal ranges on a log batch-size axis, the swept batch sizes as ticks.

    ``guides`` has columns ``name`` (row label), ``low``, ``high``, ``current`` (bool: the guide for the
    current dataset, highlighted) and ``group`` (legend). ``labels``: ``x``, ``swept``, ``current``, ``other``.
    """
    names = list(guides["name"])
    data = guides.assign(kind=[labels["current"] if c else labels["other"] for c in guides["current"]])
    x = alt.X("low:Q", title=labels["x"], scale=alt.Scale(type="log", base=2, domain=[1, 1024]),
              axis=alt.Axis(values=[2**k for k in range(0, 11)], format="d"))
    y = alt.Y("name:N", title=None, sort=names, axis=alt.Axis(labelLimit=340, labelFontSize=FONT_SIZE - 1))
    bars = alt.Chart(data).mark_bar(height=22, cornerRadius=6).encode(
        x=x, x2="high:Q", y=y,
        color=alt.Color("kind:N", title=None, scale=alt.Scale(
            domain=[labels["current"], labels["other"]], range=[PALETTE["orange"], PALETTE["sky"]]),
            legend=alt.Legend(orient="top")),
        tooltip=[alt.Tooltip("name:N", title=" "), alt.Tooltip("low:Q", title="min"),
                 alt.Tooltip("high:Q", title="max")])
    text = alt.Chart(data).mark_text(align="left", dx=6, fontSize=FONT_SIZE - 2).encode(
        x="high:Q", y=y, text=alt.Text("span:N"))
    ticks = alt.Chart(pd.DataFrame({"batch": list(marks), "what": labels["swept"]})).mark_rule(
        color=PALETTE["vermillion"], strokeDash=[3, 3], strokeWidth=2).encode(
        x="batch:Q", tooltip=[alt.Tooltip("what:N", title=" "), alt.Tooltip("batch:Q", title=labels["x"])])
    return style(alt.layer(bars, text.transform_calculate(span="datum.low + '–' + datum.high"), ticks), height)
