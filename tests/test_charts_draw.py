"""``ui.charts.draw``: a cached spec draws exactly what st.altair_chart draws, once per inputs."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest


def _both_ways() -> None:
    import streamlit as st

    from ebcore.primitives.calc import plan
    from ebcore.primitives.strip import BlockKind, epoch_strip
    from ui.charts.draw import draw
    from ui.charts.epochs import loss_chart
    from ui.charts.strip import epoch_strip_chart

    strip = epoch_strip(plan(1206, 300))
    labels = {kind.value: kind.value.upper() for kind in BlockKind} | {
        k: k.title() for k in ("batch", "samples", "size", "gap", "x_title")}
    loss_labels = {k: f"<{k}>" for k in ("train", "val", "under", "good", "over", "x", "y", "current")}
    loss_args = ([0.9, 0.5, 0.3, 0.2], [1.0, 0.6, 0.5, 0.7], ["under", "good", "good", "over"], 2, loss_labels)
    st.altair_chart(epoch_strip_chart(strip, labels), width="stretch")
    draw(epoch_strip_chart, strip, labels)
    st.altair_chart(loss_chart(*loss_args), width="stretch")
    draw(loss_chart, *loss_args)


def test_cached_spec_draws_what_altair_chart_draws():
    at = AppTest.from_function(_both_ways, default_timeout=60).run()
    assert not at.exception
    charts = at.get("vega_lite_chart")
    assert len(charts) == 4
    from ui.charts import merge_config, theme

    for altair_way, cached_way in (charts[0:2], charts[2:4]):
        # draw() adds the classroom theme and a text alternative on top of the builder's spec, nothing else.
        cached = json.loads(cached_way.proto.spec)
        assert cached.pop("description").strip()
        assert cached == json.loads(json.dumps(merge_config(json.loads(altair_way.proto.spec), theme(False))))
        assert [(d.name, d.data.data) for d in altair_way.proto.datasets] == [
            (d.name, d.data.data) for d in cached_way.proto.datasets]
        assert altair_way.proto.datasets, "the chart carries its data as Arrow datasets"
        assert altair_way.proto.theme == cached_way.proto.theme


def _counting() -> None:
    import streamlit as st

    from ui.charts.draw import draw
    from ui.charts.epochs import accuracy_chart

    calls = st.session_state.setdefault("calls", [])

    def counted(acc: list[float], val: list[float], labels: dict[str, str]):
        calls.append(1)
        return accuracy_chart(acc, val, labels)

    labels = {k: k for k in ("x", "y", "train", "val")}
    draw(counted, [0.5, 0.7], [0.4, 0.6], labels)
    draw(counted, [0.5, 0.7], [0.4, 0.6], labels)  # the same inputs: the cached spec
    draw(counted, [0.5, 0.7], [0.4, 0.6], labels | {"y": "정확도"})  # another language: another spec
    draw(counted, [0.5, 0.8], [0.4, 0.6], labels)  # another run: another spec


def test_spec_built_once_per_inputs():
    from ui.charts.draw import spec

    spec.clear()
    at = AppTest.from_function(_counting, default_timeout=60).run()
    assert not at.exception
    assert len(at.get("vega_lite_chart")) == 4
    assert len(at.session_state["calls"]) == 3
    charts = at.get("vega_lite_chart")
    assert charts[0].proto.spec == charts[1].proto.spec != charts[2].proto.spec
    assert "정확도" in json.dumps(json.loads(charts[2].proto.spec), ensure_ascii=False)
    at.run()  # a rerun draws every chart from the cache
    assert len(at.session_state["calls"]) == 3


def test_presentation_mode_chart_text_is_as_large_as_the_body_text():
    """Issue 16, point 5: in presentation mode every chart's ticks, axis titles and legends are ≥ 18 px, dark."""
    from conftest import run_app

    from ui.charts import TEXT_COLOUR

    at = run_app("batch_tradeoffs", present="true")
    charts = at.get("vega_lite_chart")
    assert charts
    for chart in charts:
        config = json.loads(chart.proto.spec)["config"]
        for group in ("axis", "legend"):
            assert config[group]["labelFontSize"] >= 18 and config[group]["titleFontSize"] >= 18
            assert config[group]["labelColor"] == TEXT_COLOUR
        assert config["legend"]["labelLimit"] == 0  # legends never cut short ("skipped (d…")
        assert json.loads(chart.proto.spec)["description"].strip()  # a text alternative


def test_batch_sizes_get_ordered_colours_that_never_repeat():
    """Issue 16, point 6: "1 vs 256" sweeps 9 batch sizes; the old palette wrapped after 8 (B=1 and B=256 blue)."""
    from conftest import run_app

    from ui.charts import ordered_colours

    at = run_app("batch_tradeoffs", bmin="1", bmax="256", epochs="10")
    sweep = next(json.loads(c.proto.spec) for c in at.get("vega_lite_chart")
                 if "Batch size" in c.proto.spec and "legend" in c.proto.spec and '"epoch"' in c.proto.spec)
    scales = [layer["encoding"]["color"]["scale"] for layer in sweep["layer"] if "color" in layer["encoding"]]
    domain, colours = scales[-1]["domain"], scales[-1]["range"]
    assert domain[:9] == [f"B = {2**k}" for k in range(9)]
    assert len(set(colours)) == len(colours)
    # Ordered: darker to lighter as the batch grows (relative luminance rises monotonically).
    lum = [0.2126 * int(c[1:3], 16) + 0.7152 * int(c[3:5], 16) + 0.0722 * int(c[5:7], 16) for c in colours[:9]]
    assert lum == sorted(lum)
    assert len(set(ordered_colours(40))) == 40


def test_skipping_validation_changes_no_spec_and_the_tests_validate():
    """A served app skips Altair's schema validation (``VALIDATE``): the spec is the same without it, and
    under the tests every chart is validated, so a builder's invalid spec fails here."""
    import altair as alt
    import pandas as pd
    import pytest

    from ebcore.primitives.calc import plan
    from ebcore.primitives.strip import BlockKind, epoch_strip
    from ui.charts import draw
    from ui.charts.epochs import loss_chart
    from ui.charts.strip import epoch_strip_chart

    labels = {kind.value: kind.value for kind in BlockKind} | {k: k for k in ("batch", "samples", "size", "gap",
                                                                               "x_title")}
    loss_labels = {k: k for k in ("train", "val", "under", "good", "over", "x", "y", "current")}
    for build in (lambda: epoch_strip_chart(epoch_strip(plan(1206, 300)), labels),
                  lambda: loss_chart([0.9, 0.5, 0.3], [1.0, 0.6, 0.7], ["under", "good", "over"], 1, loss_labels)):
        checked, unchecked = draw.convert(build(), validate=True), draw.convert(build(), validate=False)
        assert json.dumps(checked, default=str, sort_keys=True) == json.dumps(unchecked, default=str, sort_keys=True)
    assert draw.VALIDATE, "conftest turns validation on for every chart the tests draw"

    def wrong() -> alt.Chart:
        with alt.utils.schemapi.debug_mode(False):  # as a served app builds it: not checked on the way
            return alt.Chart(pd.DataFrame({"a": [1]})).mark_line().encode(
                x=alt.X("a:Q", axis=alt.Axis(labelFontSize="big")))

    with pytest.raises(alt.utils.schemapi.SchemaValidationError):
        draw.convert(wrong(), validate=True)
    draw.convert(wrong(), validate=False)  # an invalid spec passes unchecked: hence the tests validate
