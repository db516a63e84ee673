"""Charts of the batch-size trade-offs page: gradient noise, loss curves with bands and ghosts, sizing guides."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import altair as alt
import pandas as pd

from ui.charts import FONT_SIZE, PALETTE, ordered_colours, style


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


# The seed experiment's runs in ``tradeoffs.SEED_GRID`` order (5 · 16, 5 · 128, 20 · 16, 20 · 128): a short
# run in the light shade of the long run with the same batch, which it lies under.
SEED_COLOURS = [PALETTE[c] for c in ("sky", "orange", "blue", "vermillion")]
UNDER_WIDTH, OVER_WIDTH = 11, 2.5  # px: a wide pale line shows beside the thin line drawn over it
LOG_TICKS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000]


def loss_curves_chart(rows: pd.DataFrame, labels: Mapping[str, str], *, floor: float | None = None,
                      band: bool = True, under: Sequence[str] = (), log_x: bool = False,
                      height: int = 420) -> alt.Chart:
    """Loss curves of several runs: median line per run and, over seeds, a min–max band.

    ``rows`` has columns ``run`` (legend entry), ``x``, ``loss`` and ``seed``; runs are coloured by
    ``SEED_COLOURS`` in order of appearance. Runs named in ``under`` are the start of another run, which
    would hide them: they are drawn as wide pale lines beneath the others (their band is the other run's).
    ``floor`` draws a dashed horizontal rule (the noise floor), named in a legend of its own rather than
    by a label on the plot, where a curve could run through it. ``log_x``: a logarithmic x-axis (weight
    updates differ 8× between the runs: on a linear axis the short runs fill an eighth of it).
    ``labels``: ``x``, ``y``, ``run``, ``floor``.
    """
    summary = rows.groupby(["run", "x"], sort=False)["loss"].agg(["median", "min", "max"]).reset_index()
    runs = list(dict.fromkeys(rows["run"]))
    # Line symbols as wide as the lines (the short runs' wide pale ones too), at full strength.
    legend = alt.Legend(orient="top", symbolType="stroke", symbolSize=400, symbolOpacity=1,
                        columns=_legend_columns(runs))
    colour = alt.Color("run:N", title=labels["run"], sort=runs, scale=alt.Scale(domain=runs, range=SEED_COLOURS),
                       legend=legend)
    width = alt.StrokeWidth("run:N", title=labels["run"], sort=runs, legend=legend, scale=alt.Scale(
        type="ordinal", domain=runs, range=[UNDER_WIDTH if r in under else OVER_WIDTH for r in runs]))
    if log_x:
        extent = summary["x"].min(), summary["x"].max()
        x = alt.X("x:Q", title=labels["x"], scale=alt.Scale(type="log", domain=list(extent), nice=False),
                  axis=alt.Axis(values=[v for v in LOG_TICKS if extent[0] <= v <= extent[1]], format=",d"))
    else:
        x = alt.X("x:Q", title=labels["x"])
    y = alt.Y("median:Q", title=labels["y"], scale=alt.Scale(zero=False))
    tooltip = [alt.Tooltip("run:N", title=labels["run"]), alt.Tooltip("x:Q", title=labels["x"], format=",.2f"),
               alt.Tooltip("median:Q", title=labels["y"], format=".4f")]
    base = alt.Chart(summary)
    is_under = alt.FieldOneOfPredicate(field="run", oneOf=list(under)) if under else None
    layers = []
    if band:
        shown = base.transform_filter(~is_under) if under else base
        layers.append(shown.mark_area(opacity=0.2).encode(x=x, y=alt.Y("min:Q"), y2="max:Q", color=colour))
    if under:  # first, so the long runs are drawn over them
        layers.append(base.transform_filter(is_under).mark_line(opacity=0.55, strokeCap="round").encode(
            x=x, y=y, color=colour, strokeWidth=width, tooltip=tooltip))
    over = base.transform_filter(~is_under) if under else base
    layers.append(over.mark_line(strokeCap="round").encode(x=x, y=y, color=colour, strokeWidth=width,
                                                           tooltip=tooltip))
    if floor is not None:
        rule = pd.DataFrame({"y": [floor], "what": [labels["floor"]]})
        layers.append(alt.Chart(rule).mark_rule(color=PALETTE["black"], strokeWidth=2).encode(
            y="y:Q", strokeDash=alt.StrokeDash("what:N", title=None, scale=alt.Scale(range=[[4, 4]]),
                                               legend=alt.Legend(orient="bottom", symbolType="stroke"))))
    return style(alt.layer(*layers), height)


def _em(text: str) -> int:
    """``text``'s width in Latin characters: a Hangul syllable or other wide character counts as two."""
    return sum(2 if ord(c) >= 0x1100 else 1 for c in text)


def _legend_columns(entries: Sequence[str]) -> alt.ExprRef:
    """A top legend's columns as a Vega expression of the plot's ``width``: every entry in one row where the
    row fits, otherwise as many grid columns as fit (at least one), so no entry runs off a phone's edge.

    An entry is its symbol and padding (30 px) and its label at about 8.5 px a character (legend labels at
    14 px), or 12 px where the chart is wider than 900 px (presentation mode's 20 px labels on a projector).
    """
    ems = sorted((_em(e) for e in entries), reverse=True) or [0]
    longest, typical = ems[0], ems[1] if len(ems) > 1 else ems[0]
    char = "(width > 900 ? 12 : 8.5)"
    row = f"(30 * {len(ems)} + {char} * {sum(ems)})"
    fit = f"floor((width - {char} * {longest - typical}) / (30 + {char} * {typical}))"
    return alt.ExprRef(f"width >= {row} ? 0 : max(1, {fit})")


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
    # One row of entries where the chart is wide; on a phone a grid, so no batch size runs off the edge.
    colour = alt.Color("legend:N", title=labels["batch"], sort=order, scale=alt.Scale(domain=order, range=colours),
                       legend=alt.Legend(orient="top", symbolStrokeWidth=4, columns=_legend_columns(order)))
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
            legend=alt.Legend(orient="top", columns=_legend_columns([labels["current"], labels["other"]]))),
        tooltip=[alt.Tooltip("name:N", title=" "), alt.Tooltip("low:Q", title="min"),
                 alt.Tooltip("high:Q", title="max")])
    ranges = alt.Chart(data).transform_calculate(span="datum.low + '–' + datum.high")
    # Each range is written in white first, thickly, so the swept sizes' dashed lines stop short of its text.
    halo = ranges.mark_text(align="left", dx=6, fontSize=FONT_SIZE - 2, stroke="white", strokeWidth=5,
                            strokeJoin="round", fill="white").encode(x="high:Q", y=y, text=alt.Text("span:N"))
    text = ranges.mark_text(align="left", dx=6, fontSize=FONT_SIZE - 2).encode(x="high:Q", y=y,
                                                                               text=alt.Text("span:N"))
    ticks = alt.Chart(pd.DataFrame({"batch": list(marks), "what": labels["swept"]})).mark_rule(
        color=PALETTE["vermillion"], strokeDash=[3, 3], strokeWidth=2).encode(
        x="batch:Q", tooltip=[alt.Tooltip("what:N", title=" "), alt.Tooltip("batch:Q", title=labels["x"])])
    return style(alt.layer(bars, ticks, halo, text), height)
