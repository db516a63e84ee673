"""Issue 26, item 3, without a browser: the presentation theme reaches the builders' own text sizes, and
keeps each plot at its own height however tall the larger legends and titles get."""

from __future__ import annotations

import altair as alt
import pandas as pd
from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec

from ebcore.primitives import calc
from ebcore.primitives.strip import BlockKind, epoch_strip
from ui.charts import FIT_X, PRESENT_FONT_SIZE, themed
from ui.charts.epochs import stopping_chart
from ui.charts.strip import epoch_strip_chart
from ui.locales import STRINGS


def sizes(node) -> list[float]:
    """Every text size a spec sets, wherever it sets it."""
    if isinstance(node, dict):
        return [v for k, v in node.items() if k in ("fontSize", "labelFontSize", "titleFontSize")
                and isinstance(v, int | float)] + [s for k, v in node.items() if k != "datasets" for s in sizes(v)]
    if isinstance(node, list):
        return [s for v in node for s in sizes(v)]
    return []


def strip_spec() -> dict:
    s = STRINGS["ko"]
    labels = {k.value: s[f"bn.strip.{k.value}"] for k in BlockKind} | {
        k: s[f"bn.strip.{k}"] for k in ("batch", "samples", "size", "gap")} | {"x_title": s["bn.strip.x"]}
    return _convert_altair_to_vega_lite_spec(epoch_strip_chart(epoch_strip(calc.plan(1206, 300)), labels))


def stopping_spec() -> dict:
    labels = {"ran": "ran", "skipped": "skipped", "best": "best: {epoch}", "stop": "stop: {epoch}", "x": "epoch",
              "y": "loss"}
    return _convert_altair_to_vega_lite_spec(stopping_chart([0.5, 0.3, 0.2, 0.25, 0.3, 0.4], 3, 5, labels))


def test_every_text_size_a_builder_sets_is_raised_when_projected():
    for spec in (strip_spec(), stopping_spec()):
        assert min(sizes(spec)) < PRESENT_FONT_SIZE  # the builders' own sizes: the annotations' 15 px, …
        projected = themed(spec, present=True)
        assert min(sizes(projected)) >= PRESENT_FONT_SIZE
        # Not projected, the builders' sizes stand (only the config around them changes).
        normal = themed(spec, present=False)
        assert sizes({k: v for k, v in normal.items() if k != "config"}) == sizes(
            {k: v for k, v in spec.items() if k != "config"})


def test_a_projected_plot_keeps_its_height_and_the_strip_always_does():
    frame = pd.DataFrame({"epoch": [1, 2, 1, 2], "loss": [0.5, 0.3, 0.6, 0.4], "run": ["a", "a", "b", "b"]})
    spec = _convert_altair_to_vega_lite_spec(alt.Chart(frame).mark_line().encode(x="epoch", y="loss", color="run")
                                             .properties(height=300))
    assert "autosize" not in spec and "autosize" not in themed(spec, present=False)
    assert themed(spec, present=True)["autosize"] == FIT_X  # larger legends no longer come out of the plot
    strip = strip_spec()
    assert strip["autosize"]["type"] == "fit-x" and strip["height"] >= 40  # the blocks' own height, in px
