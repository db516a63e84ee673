"""``ui.charts.draw``: a cached spec draws exactly what st.altair_chart draws, once per inputs."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest


def _both_ways() -> None:
    import streamlit as st

    from ebcore.calc import plan
    from ebcore.strip import BlockKind, epoch_strip
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
    at = AppTest.from_function(_both_ways).run()
    assert not at.exception
    charts = at.get("vega_lite_chart")
    assert len(charts) == 4
    for altair_way, cached_way in (charts[0:2], charts[2:4]):
        assert altair_way.proto.spec == cached_way.proto.spec
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
    at = AppTest.from_function(_counting).run()
    assert not at.exception
    assert len(at.get("vega_lite_chart")) == 4
    assert len(at.session_state["calls"]) == 3
    charts = at.get("vega_lite_chart")
    assert charts[0].proto.spec == charts[1].proto.spec != charts[2].proto.spec
    assert "정확도" in json.dumps(json.loads(charts[2].proto.spec), ensure_ascii=False)
    at.run()  # a rerun draws every chart from the cache
    assert len(at.session_state["calls"]) == 3
