"""The epochs page's charts: the fitted curve at one epoch, loss curves with phases, early stopping, accuracy."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import altair as alt
import pandas as pd

from ui.charts import FONT_SIZE, PALETTE, style
from ui.charts import labels as place

_REGION_COLOURS = {"under": PALETTE["sky"], "good": PALETTE["green"], "over": PALETTE["vermillion"]}
# The polynomial shoots off far outside the data when it overfits; the view stays on the data's scale.
_Y_VIEW = (-2.2, 2.2)


def fit_chart(grid: Sequence[float], truth: Sequence[float], fitted: Sequence[float], x: Sequence[float],
              y: Sequence[float], labels: Mapping[str, str], height: int = 380) -> alt.Chart:
    """The model's curve at one epoch over the training points, with the true function dashed.

    ``grid``/``truth``/``fitted`` are matching x positions and y values; ``x``/``y`` the training
    points. ``labels``: ``"truth"``, ``"model"``, ``"points"`` (legend), ``"x"``, ``"y"`` (axes).
    """
    curves = pd.DataFrame({"x": list(grid) * 2, "y": list(truth) + list(fitted),
                           "series": [labels["truth"]] * len(grid) + [labels["model"]] * len(grid)})
    points = pd.DataFrame({"x": list(x), "y": list(y), "series": labels["points"]})
    names = [labels["model"], labels["truth"], labels["points"]]
    colour = alt.Color("series:N", scale=alt.Scale(domain=names, range=[PALETTE["blue"], PALETTE["grey"],
                                                                        PALETTE["orange"]]),
                       legend=alt.Legend(title=None, orient="bottom", symbolSize=200, columns=2, labelLimit=0))
    x_enc = alt.X("x:Q", title=labels["x"], scale=alt.Scale(domain=[-1, 1]))
    y_enc = alt.Y("y:Q", title=labels["y"], scale=alt.Scale(domain=list(_Y_VIEW)))
    lines = alt.Chart(curves).mark_line(clip=True).encode(
        x=x_enc, y=y_enc, color=colour,
        strokeDash=alt.condition(alt.datum.series == labels["truth"], alt.value([6, 4]), alt.value([1, 0])),
        strokeWidth=alt.condition(alt.datum.series == labels["truth"], alt.value(2), alt.value(4)),
    )
    dots = alt.Chart(points).mark_circle(size=160, opacity=1, stroke="white", strokeWidth=1.5).encode(
        x=x_enc, y=y_enc, color=colour)
    return style(lines + dots, height)


def loss_chart(train_loss: Sequence[float], val_loss: Sequence[float], regions: Sequence[str], current: int,
               labels: Mapping[str, str], height: int = 380) -> alt.Chart:
    """Training and validation loss per epoch (1-based, log scale) over shaded phases, current epoch ruled.

    ``regions`` has one of ``"under"``/``"good"``/``"over"`` per epoch; ``current`` is the scrubbed
    epoch (0 = before training, no rule). ``labels``: ``"train"``, ``"val"``, ``"under"``, ``"good"``,
    ``"over"``, ``"x"``, ``"y"``, ``"current"``.
    """
    epochs = list(range(1, len(val_loss) + 1))
    lines = pd.DataFrame({"epoch": epochs * 2, "loss": list(train_loss) + list(val_loss),
                          "series": [labels["train"]] * len(epochs) + [labels["val"]] * len(epochs)})
    spans = []
    for e, region in zip(epochs, regions, strict=True):
        if spans and spans[-1]["region"] == region:
            spans[-1]["end"] = e + 0.5
        else:
            spans.append({"region": region, "start": e - 0.5, "end": e + 0.5})
    shade = pd.DataFrame(spans).assign(name=lambda d: d.region.map(labels))
    x_scale = alt.Scale(domain=[0.5, len(epochs) + 0.5], nice=False)
    x_enc = alt.X("epoch:Q", title=labels["x"], scale=x_scale)
    # A legend, not text on the spans: a short underfitting span leaves no room for its name.
    names_scale = alt.Scale(domain=[labels[r] for r in _REGION_COLOURS], range=list(_REGION_COLOURS.values()))
    background = alt.Chart(shade).mark_rect(opacity=0.18).encode(
        x=alt.X("start:Q", scale=x_scale), x2="end:Q",
        color=alt.Color("name:N", scale=names_scale,
                        legend=alt.Legend(title=None, orient="top", symbolType="square", symbolSize=250,
                                          symbolOpacity=0.5, labelLimit=0)))
    curves = alt.Chart(lines).mark_line(strokeWidth=3).encode(
        x=x_enc, y=alt.Y("loss:Q", title=labels["y"], scale=alt.Scale(type="log")),
        color=alt.Color("series:N", scale=alt.Scale(domain=[labels["train"], labels["val"]],
                                                    range=[PALETTE["blue"], PALETTE["orange"]]),
                        legend=alt.Legend(title=None, orient="bottom", symbolSize=200, labelLimit=0)),
        tooltip=[alt.Tooltip("epoch:Q", title=labels["x"]), alt.Tooltip("loss:Q", format=".4f")])
    layers = [background, curves]
    if current > 0:
        rule = pd.DataFrame({"epoch": [current], "text": [labels["current"]]})
        layers.append(alt.Chart(rule).mark_rule(strokeWidth=2, color=PALETTE["black"]).encode(x="epoch:Q"))
    return style(alt.layer(*layers).resolve_scale(color="independent"), height)


def stopping_chart(val_loss: Sequence[float], best_epoch: int, stop_epoch: int | None,
                   labels: Mapping[str, str], height: int = 340) -> alt.Chart:
    """Validation loss per epoch, solid while training runs and faded after the stop, with the best and
    stop epochs (1-based) ruled and named. ``labels``: ``"ran"``, ``"skipped"``, ``"best"``, ``"stop"``,
    ``"x"``, ``"y"``."""
    last = stop_epoch or len(val_loss)
    rows = [{"epoch": e, "loss": v, "part": labels["ran"] if e <= last else labels["skipped"]}
            for e, v in enumerate(val_loss, start=1)]
    # The faded part starts at the stop epoch so the two pieces join up.
    if stop_epoch is not None and stop_epoch < len(val_loss):
        rows.append({"epoch": stop_epoch, "loss": val_loss[stop_epoch - 1], "part": labels["skipped"]})
    frame = pd.DataFrame(rows)
    x_max = len(val_loss) + 0.5
    x_enc = alt.X("epoch:Q", title=labels["x"], scale=alt.Scale(domain=[0.5, x_max], nice=False))
    # Two label rows above the curve (ui.charts.labels): the best epoch's name in the first, the stop's in
    # the second, so they never meet however close the epochs are, and the curve stays below both.
    low, high = 0.9 * min(val_loss), 1.05 * max(val_loss)
    y_scale = alt.Scale(type="log", domain=[low, place.log_top(low, high, height, rows=2)], nice=False, zero=False)
    line = alt.Chart(frame).mark_line(strokeWidth=3).encode(
        x=x_enc, y=alt.Y("loss:Q", title=labels["y"], scale=y_scale),
        color=alt.Color("part:N", scale=alt.Scale(domain=[labels["ran"], labels["skipped"]],
                                                  range=[PALETTE["orange"], "#CCCCCC"]),
                        # one entry a row: side by side the two long names ran past a phone's edge
                        legend=alt.Legend(title=None, orient="bottom", symbolSize=200, columns=1, labelLimit=0)),
        tooltip=[alt.Tooltip("epoch:Q", title=labels["x"]), alt.Tooltip("loss:Q", format=".4f")])
    marks = [{"epoch": best_epoch, "text": labels["best"].format(epoch=best_epoch), "kind": "best", "row": 0}]
    if stop_epoch is not None:
        marks.append({"epoch": stop_epoch, "text": labels["stop"].format(epoch=stop_epoch), "kind": "stop", "row": 1})
    kind_scale = alt.Scale(domain=["best", "stop"], range=[PALETTE["green"], PALETTE["vermillion"]])
    layers = [line]
    for mark in marks:
        one = pd.DataFrame([mark])
        colour = alt.Color("kind:N", scale=kind_scale, legend=None)
        # The rule stops under the label rows, so no label ever sits on another label's rule.
        layers.append(alt.Chart(one).mark_rule(strokeWidth=3, strokeDash=[6, 3]).encode(
            x="epoch:Q", y=alt.value(2 * place.ROW_PX), y2=alt.value(height), color=colour))
        align, dx = place.beside(mark["epoch"], 0.5, x_max)
        layers.append(alt.Chart(one).mark_text(align=align, dx=dx, baseline="middle", fontSize=FONT_SIZE - 1,
                                               fontWeight="bold").encode(
            x="epoch:Q", y=alt.value(place.row_y(mark["row"])), text="text:N", color=colour))
    return (style(alt.layer(*layers).resolve_scale(color="independent"), height)
            .properties(autosize=place.FIT))


def accuracy_chart(accuracy: Sequence[float], val_accuracy: Sequence[float], labels: Mapping[str, str],
                   height: int = 320) -> alt.Chart:
    """Training and validation accuracy (fractions 0..1, shown as %) per 1-based epoch.
    ``labels``: ``"train"``, ``"val"``, ``"x"``, ``"y"``."""
    return train_val_chart(accuracy, val_accuracy, labels, percent=True, height=height)


def train_val_chart(train: Sequence[float], val: Sequence[float], labels: Mapping[str, str], *, percent: bool,
                    height: int = 320) -> alt.Chart:
    """A training and a validation value per 1-based epoch (accuracy as % if ``percent``, else a loss).
    ``labels``: ``"train"``, ``"val"``, ``"x"``, ``"y"``."""
    epochs = list(range(1, len(train) + 1))
    frame = pd.DataFrame({"epoch": epochs * 2, "acc": list(train) + list(val),
                          "series": [labels["train"]] * len(epochs) + [labels["val"]] * len(epochs)})
    chart = alt.Chart(frame).mark_line(strokeWidth=3, point=alt.OverlayMarkDef(size=70)).encode(
        x=alt.X("epoch:Q", title=labels["x"], axis=alt.Axis(tickMinStep=1, format="d")),
        y=alt.Y("acc:Q", title=labels["y"], axis=alt.Axis(format="%" if percent else ".2f"),
                scale=alt.Scale(zero=not percent)),
        color=alt.Color("series:N", scale=alt.Scale(domain=[labels["train"], labels["val"]],
                                                    range=[PALETTE["blue"], PALETTE["orange"]]),
                        legend=alt.Legend(title=None, orient="bottom", symbolSize=200, columns=1)),
        tooltip=[alt.Tooltip("epoch:Q", title=labels["x"]), alt.Tooltip("acc:Q", format=".1%" if percent else ".3f")])
    return style(chart, height)
