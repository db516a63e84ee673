"""The trade-offs page's seed-experiment chart, from its Vega-Lite spec: every run visible, a class can read the
weight-updates axis, and no label drawn on the plot where a curve could run through it (issue 26 items 11, 13)."""

import math

import pandas as pd
import pytest

from ebcore.lessons.tradeoffs import experiment as tr
from ui.charts.tradeoffs import loss_curves_chart

LABELS = {"x": "x", "y": "loss", "run": "epochs · batch", "floor": "noise floor 0.09"}


@pytest.fixture(scope="module")
def curves():
    return tr.seed_experiment(seeds=(0, 1, 2))


def spec(curves, x_axis: str, view: str = "epoch") -> tuple[dict, pd.DataFrame]:
    """The chart as the page builds it: shorter runs (the start of a longer one) under the longer."""
    rows = pd.DataFrame(tr.curve_rows(curves, x_axis, view))
    under = list(rows.loc[rows["epochs"] < rows["epochs"].max(), "run"].unique())
    chart = loss_curves_chart(rows, LABELS, floor=tr.NOISE_FLOOR, band=True, under=under,
                              log_x=x_axis == "updates")
    return chart.to_dict(), rows


def layers(chart: dict) -> list[dict]:
    return chart["layer"]


def marks(chart: dict) -> list[str]:
    return [layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"] for layer in layers(chart)]


@pytest.mark.parametrize("x_axis", tr.X_AXES)
@pytest.mark.parametrize("view", tr.GRANULARITIES)
def test_no_text_is_drawn_on_the_plot(curves, x_axis, view):
    # The noise floor's name was a label on the rule, where the curves end: it is a legend entry now.
    chart, _ = spec(curves, x_axis, view)
    assert "text" not in marks(chart)
    rule = next(layer for layer in layers(chart) if marks({"layer": [layer]}) == ["rule"])
    assert rule["encoding"]["strokeDash"]["legend"] is not None
    assert chart["datasets"][rule["data"]["name"]] == [{"y": tr.NOISE_FLOOR, "what": LABELS["floor"]}]


@pytest.mark.parametrize("view", tr.GRANULARITIES)
def test_on_the_updates_axis_each_batch_fills_half_the_chart(curves, view):
    # Batch 16 makes 8x the updates of batch 128: on a linear axis batch 128's whole run and batch 16's drop
    # were squeezed into the first eighth of it. A log axis gives each at least 45 % of the width.
    chart, rows = spec(curves, "updates", view)
    x = next(layer["encoding"]["x"] for layer in layers(chart) if layer["encoding"].get("x"))
    assert x["scale"]["type"] == "log"
    lo, hi = x["scale"]["domain"]

    def share(a: float, b: float) -> float:
        return (math.log(b) - math.log(a)) / (math.log(hi) - math.log(lo))

    for batch, runs in rows.groupby("batch"):
        assert share(runs["x"].min(), runs["x"].max()) >= 0.45, batch
    ticks = x["axis"]["values"]
    assert len(ticks) >= 3 and all(lo <= v <= hi for v in ticks)


def test_epochs_and_samples_stay_linear(curves):
    for x_axis in ("epochs", "samples"):
        chart, _ = spec(curves, x_axis)
        x = next(layer["encoding"]["x"] for layer in layers(chart) if layer["encoding"].get("x"))
        assert x.get("scale", {}).get("type") != "log"


def test_a_run_under_another_is_drawn_wider_and_named_as_such(curves):
    # The 5-epoch runs are the first 5 epochs of the 20-epoch runs: drawn with the same width they vanished
    # (4 legend entries, 2 visible lines). Now they are wide lines beneath, and the legend shows the widths.
    chart, rows = spec(curves, "epochs")
    width = next(layer["encoding"]["strokeWidth"] for layer in layers(chart) if "strokeWidth" in layer["encoding"])
    widths = dict(zip(width["scale"]["domain"], width["scale"]["range"], strict=True))
    assert widths["5 · 16"] >= 3 * widths["20 · 16"] and widths["5 · 128"] >= 3 * widths["20 · 128"]
    assert width["legend"] is not None
    lines = [layer for layer in layers(chart) if marks({"layer": [layer]}) == ["line"]]
    assert len(lines) == 2 and "oneOf" in str(lines[0]["transform"])  # the wide ones first, then drawn over
    colours = dict(zip(*(lines[0]["encoding"]["color"]["scale"][k] for k in ("domain", "range")), strict=True))
    assert len(set(colours.values())) == 4


def test_the_guides_range_labels_are_not_crossed_by_the_swept_lines():
    # Each "16–32" is written after the dashed lines, over a white halo of itself: no line runs through a label.
    from ebcore.lessons.tradeoffs.guides import GUIDES
    from ui.charts.tradeoffs import guides_chart

    guides = pd.DataFrame({"name": [g.key for g in GUIDES], "low": [g.low for g in GUIDES],
                           "high": [g.high for g in GUIDES], "current": [i == 0 for i in range(len(GUIDES))]})
    chart = guides_chart(guides, [1, 2, 4, 8, 16, 32, 64, 128, 256],
                         {"x": "B", "swept": "swept", "current": "ours", "other": "other"}).to_dict()
    kinds = marks(chart)
    assert "text" not in kinds[: kinds.index("rule")]  # every text drawn after the lines
    halo, text = (layer["mark"] for layer in layers(chart)[kinds.index("rule") + 1:])
    assert halo["stroke"] == "white" and halo["strokeWidth"] >= 4 and "stroke" not in text
