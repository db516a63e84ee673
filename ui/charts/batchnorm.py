"""Charts of the BatchNorm last-batch page: noisy batch statistics, per-step traces, accuracy by fix."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import altair as alt
import pandas as pd

from ebcore.lessons.batchnorm.experiment import Run, StatSpread
from ui.charts import FONT_SIZE, PALETTE, SERIES, style

# Ticks drawn per batch size: enough to see the spread, few enough for a light chart.
_TICKS_SHOWN = 400


def spread_chart(spreads: Sequence[StatSpread], stat: str, labels: Mapping[str, str]) -> alt.LayerChart:
    """One row per batch size: a thin tick per random batch at its ``stat`` (``"mean"`` or ``"var"``),
    and a black line at the value over all samples.

    ``labels``: ``"x_title"`` (axis title), ``"row"`` (format string with ``{b}``), ``"true"``
    (legend-free caption of the black line, shown as the rule's tooltip).
    """
    rows = []
    for spread in spreads:
        values = spread.means if stat == "mean" else spread.variances
        row = labels["row"].format(b=spread.size)
        rows.extend({"row": row, "value": v} for v in values[:_TICKS_SHOWN])
    data = pd.DataFrame(rows)
    true = spreads[0].true_mean if stat == "mean" else spreads[0].true_var
    order = [labels["row"].format(b=s.size) for s in spreads]
    y = alt.Y("row:N", sort=order, title=None, axis=alt.Axis(labelFontSize=FONT_SIZE, labelFontWeight="bold"))
    ticks = (
        alt.Chart(data)
        .mark_tick(thickness=2, size=34, opacity=0.18, color=PALETTE["blue"])
        .encode(x=alt.X("value:Q", title=labels["x_title"], scale=alt.Scale(zero=False)), y=y)
    )
    rule = (
        alt.Chart(pd.DataFrame({"value": [true], "what": [labels["true"]]}))
        .mark_rule(color=PALETTE["black"], strokeWidth=3, strokeDash=[6, 4])
        .encode(x="value:Q", tooltip=alt.Tooltip("what:N", title=" "))
    )
    return style(alt.layer(ticks, rule), height=60 * len(spreads) + 70)


def steps_chart(
    runs: Sequence[Run], metric: str, labels: Mapping[str, str], batch_size: int, height: int = 400
) -> alt.LayerChart:
    """Per-step ``metric`` (``"loss"``, ``"grad_norm"`` or ``"shift"``) of each run as a line, with
    every step on a smaller batch than ``batch_size`` marked by a large vermillion dot.

    ``labels``: ``"x_title"``, ``"y_title"``, ``"run.<variant key>"`` (legend names),
    ``"size"`` (tooltip title of the batch size).
    """
    rows = []
    for run in runs:
        values = {"loss": run.step_loss, "grad_norm": run.step_grad_norm, "shift": run.running_mean_shift}[metric]
        name = labels[f"run.{run.variant.key}"]
        for step, (value, size) in enumerate(zip(values, run.step_batch_size, strict=False), start=1):
            rows.append({"step": step, "value": value, "run": name, "size": size, "small": size < batch_size})
    data = pd.DataFrame(rows)
    names = [labels[f"run.{run.variant.key}"] for run in runs]
    x = alt.X("step:Q", title=labels["x_title"], axis=alt.Axis(tickMinStep=1, format="d"))
    y = alt.Y("value:Q", title=labels["y_title"])
    lines = (
        alt.Chart(data)
        .mark_line(strokeWidth=2.5)
        .encode(
            x=x, y=y,
            color=alt.Color("run:N", scale=alt.Scale(domain=names, range=SERIES[: len(names)]),
                            legend=alt.Legend(title=None, orient="bottom", direction="vertical", labelLimit=500)),
            strokeDash=alt.StrokeDash("run:N", scale=alt.Scale(domain=names, range=[[1, 0], [6, 3]]), legend=None),
        )
    )
    # The dots' meaning is told in the text above the charts: a second legend would not fit half a page.
    dots = (
        alt.Chart(data)
        .transform_filter(alt.datum.small)
        .mark_point(filled=True, size=160, color=PALETTE["vermillion"], opacity=0.95)
        .encode(
            x=x, y=y,
            tooltip=[alt.Tooltip("step:Q", title=labels["x_title"]), alt.Tooltip("size:Q", title=labels["size"]),
                     alt.Tooltip("value:Q", title=labels["y_title"], format=".3f")],
        )
    )
    return style(alt.layer(lines, dots), height=height)


def accuracy_chart(points: Sequence[Mapping[str, object]], labels: Mapping[str, str]) -> alt.LayerChart:
    """Final validation accuracy per way of training: one dot per seed, a thick bar at the mean.

    ``points``: rows with ``"run"`` (translated name, in display order) and ``"accuracy"``
    (percent). ``labels``: ``"x_title"``, ``"seed_dot"`` and ``"mean_bar"`` (tooltip titles).
    """
    data = pd.DataFrame(points)
    order = list(dict.fromkeys(data["run"]))
    y = alt.Y("run:N", sort=order, title=None,
              axis=alt.Axis(labelFontSize=FONT_SIZE, labelLimit=420))
    # The run names take most of a phone's width: a centred axis title would run off the right edge,
    # so it ends where the axis ends and reaches left under the names instead.
    x = alt.X("accuracy:Q", title=labels["x_title"], scale=alt.Scale(zero=False, padding=12),
              axis=alt.Axis(titleAnchor="end"))
    colour = alt.Color("run:N", sort=order, scale=alt.Scale(range=SERIES), legend=None)
    dots = alt.Chart(data).mark_circle(size=170, opacity=0.75).encode(
        x=x, y=y, color=colour,
        tooltip=[alt.Tooltip("run:N", title=" "), alt.Tooltip("accuracy:Q", title=labels["seed_dot"], format=".1f")],
    )
    mean = alt.Chart(data).mark_tick(thickness=5, size=40, color=PALETTE["black"]).encode(
        x=alt.X("mean(accuracy):Q"), y=y,
        tooltip=[alt.Tooltip("mean(accuracy):Q", title=labels["mean_bar"], format=".1f")],
    )
    return style(alt.layer(dots, mean), height=70 * len(order) + 80)
