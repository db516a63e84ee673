"""The exam-analogy page's charts: the exam sheet, first-sitting mistakes by batch size, scores per sitting."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import altair as alt
import pandas as pd

from ebcore.lessons.exam import BatchStudy, ExamRun, Tile
from ui.charts import FONT_SIZE, PALETTE, style
from ui.charts import labels as place

# A trick question's frame, as a share of its tile's band (the tiles themselves fill the band less a 3 px gap).
TRICK_FRAME = 0.8
# Neighbouring batches alternate between two shades so each batch reads as one block.
_BATCH_SHADES = (PALETTE["blue"], PALETTE["sky"])
_BATCH_TEXT = ("white", "black")


def _tiles_frame(tiles: Sequence[Tile], labels: Mapping[str, str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "col": [tile.col for tile in tiles],
            # "Topic {n}" counts from 1; the digits exam's rows are named by their digit: "Digit {row}".
            "row": [labels["topic"].format(n=tile.row + 1, row=tile.row) for tile in tiles],
            "number": [str(tile.question + 1) for tile in tiles],
            "batch": [tile.batch + 1 for tile in tiles],
            "check": [tile.check_after for tile in tiles],
        }
    )


def _grid(data: pd.DataFrame, labels: Mapping[str, str]) -> tuple[alt.X, alt.Y]:
    x = alt.X("col:O", axis=None)
    y = alt.Y("row:N", sort=list(dict.fromkeys(data["row"])), title=None,
              axis=alt.Axis(labelFontSize=FONT_SIZE - 2, ticks=False, domain=False, labelPadding=8))
    return x, y


def _check_marks(data: pd.DataFrame, y: alt.Y) -> alt.Chart:
    """A thick black bar on the right edge of every tile after which the key is checked (fully opaque: a
    tick's default 0.7 opacity turned vermillion into the brown the page could not name). Placed at the band's
    edge, not a pixel offset, so it stays on that edge at any width; black stands apart from every tile colour."""
    return (
        alt.Chart(data)
        .transform_filter(alt.datum.check)
        .mark_tick(color=PALETTE["black"], thickness=5, size=30, opacity=1)
        .encode(x=alt.X("col:O", axis=None, bandPosition=1), y=y)
    )


def _squares(data: pd.DataFrame, x: alt.X, y: alt.Y, color: alt.Color, tooltip: list) -> alt.Chart:
    """The question tiles, one rounded square per question, coloured by ``color``."""
    return alt.Chart(data).mark_rect(stroke="white", strokeWidth=3, cornerRadius=4).encode(
        x=x, y=y, color=color, tooltip=tooltip
    )


def sheet_chart(tiles: Sequence[Tile], labels: Mapping[str, str], height: int = 470) -> alt.Chart:
    """The exam sheet: one tile per question (row = topic), shaded by batch, a bar where the key is checked.

    ``labels``: ``topic`` (format with ``{n}``), ``question``, ``batch``, ``check`` (legend text for
    the bar), ``batch_legend`` (legend text for the tiles).
    """
    data = _tiles_frame(tiles, labels)
    data["shade"] = [(b - 1) % 2 for b in data["batch"]]
    x, y = _grid(data, labels)
    squares = _squares(
        data, x, y,
        color=alt.Color("shade:O", scale=alt.Scale(domain=[0, 1], range=list(_BATCH_SHADES)), legend=None),
        tooltip=[alt.Tooltip("number:N", title=labels["question"]), alt.Tooltip("batch:Q", title=labels["batch"])],
    )
    numbers = (
        alt.Chart(data)
        .mark_text(fontSize=FONT_SIZE - 2, fontWeight="bold")
        .encode(
            x=x, y=y, text="number:N",
            # A condition, not a second scale on "shade": Vega-Lite would merge it with the tiles' scale.
            color=alt.condition(alt.datum.shade == 0, alt.value(_BATCH_TEXT[0]), alt.value(_BATCH_TEXT[1])),
        )
    )
    return style(alt.layer(squares, numbers, _check_marks(data, y)), height)


def answers_chart(
    tiles: Sequence[Tile], run: ExamRun, labels: Mapping[str, str], sitting: int = 0, height: int = 470
) -> alt.Chart:
    """One sitting (0-based; the first by default), tile by tile: right (green ✓) or wrong (vermillion ✗)
    when answered, before the check.

    Trick questions (the key contradicts the topic) are framed in yellow inside their tile.
    ``labels``: as ``sheet_chart`` plus ``right``, ``wrong``, ``trick`` and ``answer`` (tooltip title).
    """
    data = _tiles_frame(tiles, labels)
    right = run.right(sitting)
    data["answer"] = [labels["right"] if ok else labels["wrong"] for ok in right]
    data["glyph"] = ["✓" if ok else "✗" for ok in right]
    data["trick"] = [labels["trick"] if trick else "" for trick in run.trick]
    x, y = _grid(data, labels)
    squares = _squares(
        data, x, y,
        color=alt.Color(
            "answer:N",
            scale=alt.Scale(domain=[labels["right"], labels["wrong"]], range=[PALETTE["green"], PALETTE["vermillion"]]),
            legend=alt.Legend(title=None, orient="top", labelFontSize=FONT_SIZE, symbolSize=250),
        ),
        tooltip=[
            alt.Tooltip("number:N", title=labels["question"]),
            alt.Tooltip("batch:Q", title=labels["batch"]),
            alt.Tooltip("answer:N", title=labels["answer"]),
            alt.Tooltip("trick:N", title=" "),
        ],
    )
    glyphs = alt.Chart(data).mark_text(fontSize=FONT_SIZE + 2, fontWeight="bold", color="white").encode(
        x=x, y=y, text="glyph:N"
    )
    # A frame inside the tile, sized as a share of the tile: a corner dot a fixed number of pixels off the
    # centre sat on the border between tiles once the tiles were narrow (a phone).
    frames = (
        alt.Chart(data)
        .transform_filter(alt.datum.trick != "")
        .mark_rect(filled=False, stroke=PALETTE["yellow"], strokeWidth=3, cornerRadius=3, opacity=1,
                   width=alt.RelativeBandSize(TRICK_FRAME), height=alt.RelativeBandSize(TRICK_FRAME))
        .encode(x=x, y=y)
    )
    return style(alt.layer(squares, glyphs, frames, _check_marks(data, y)), height)


def study_chart(
    studies: Sequence[BatchStudy], chance: float, labels: Mapping[str, str], highlight: int | None = None,
    height: int = 380,
) -> alt.Chart:
    """First-sitting mistakes (out of 100) against batch size: the seeds' mean (line), their range (bar).

    A dashed rule marks ``chance`` (mistakes from pure guessing). ``highlight`` (a batch size) is drawn
    larger. ``labels``: ``x``, ``y``, ``mean``, ``low``, ``high``, ``chance``.
    """
    data = pd.DataFrame(
        {
            "batch": [str(s.batch_size) for s in studies],
            "mean": [s.mean for s in studies],
            "low": [s.low for s in studies],
            "high": [s.high for s in studies],
            "current": [s.batch_size == highlight for s in studies],
        }
    )
    order = list(data["batch"])
    x = alt.X("batch:O", sort=order, title=labels["x"], axis=alt.Axis(labelAngle=0))
    # The mean of each size is written in a row of its own above the data (ui.charts.labels): beside its
    # point it sat on the line or the spread bar ("41" under the line from 2 to 5).
    top = place.linear_top(0, 100, height, rows=2)
    y_scale = alt.Scale(domain=[0, top], nice=False)
    y_axis = alt.Axis(values=list(range(0, 101, 10)))
    tooltip = [
        alt.Tooltip("batch:O", title=labels["x"]),
        alt.Tooltip("mean:Q", title=labels["mean"], format=".1f"),
        alt.Tooltip("low:Q", title=labels["low"]),
        alt.Tooltip("high:Q", title=labels["high"]),
    ]
    spread = alt.Chart(data).mark_rule(strokeWidth=10, opacity=0.35, color=PALETTE["blue"]).encode(
        x=x, y=alt.Y("low:Q", scale=y_scale, title=labels["y"], axis=y_axis), y2="high:Q", tooltip=tooltip
    )
    line = alt.Chart(data).mark_line(color=PALETTE["blue"], strokeWidth=3).encode(x=x, y="mean:Q")
    points = alt.Chart(data).mark_point(filled=True, color=PALETTE["blue"], opacity=1).encode(
        x=x, y="mean:Q", size=alt.condition(alt.datum.current, alt.value(420), alt.value(120)), tooltip=tooltip
    )
    values = alt.layer(*(
        alt.Chart(data).transform_filter(alt.datum.current == bold)
        .mark_text(baseline="middle", fontSize=FONT_SIZE - 2, color=PALETTE["blue"],
                   fontWeight="bold" if bold else "normal")
        .encode(x=x, y=alt.value(place.row_y(1)), text=alt.Text("mean:Q", format=".0f"))
        for bold in (False, True)
    ))
    guess = pd.DataFrame({"y": [chance], "text": [labels["chance"]]})
    rule = alt.Chart(guess).mark_rule(strokeDash=[6, 4], color=PALETTE["grey"], strokeWidth=2).encode(y="y:Q")
    # Named in the top label row, not on the rule: there it would lie across the columns' bars.
    rule_text = alt.Chart(guess).mark_text(align="left", baseline="middle", fontSize=FONT_SIZE - 2,
                                           color="#555555").encode(x=alt.value(0), y=alt.value(place.row_y(0)),
                                                                   text="text:N")
    return style(alt.layer(spread, rule, rule_text, line, points, values), height).properties(autosize=place.FIT)


def sittings_chart(run: ExamRun, labels: Mapping[str, str], height: int = 400) -> alt.Chart:
    """Right answers (%) per sitting on this exam (while sitting it) and on the new exam (after it),
    with a vertical rule at the sitting where the new-exam score was best.

    ``labels``: ``x``, ``y``, ``this``, ``new``, ``best`` (format with ``{n}``; without it, no rule), ``series``.
    """
    sittings = list(range(1, run.sittings + 1))
    data = pd.DataFrame(
        {
            "sitting": sittings * 2,
            "score": [100 - m for m in run.mistakes] + [100 * s for s in run.new_score],
            "series": [labels["this"]] * run.sittings + [labels["new"]] * run.sittings,
        }
    )
    colour = alt.Color(
        "series:N",
        scale=alt.Scale(domain=[labels["this"], labels["new"]], range=[PALETTE["blue"], PALETTE["orange"]]),
        # One entry a line: side by side the second ran off a phone's chart ("새 시험, 같은 단…").
        legend=alt.Legend(title=None, orient="top", labelFontSize=FONT_SIZE, symbolSize=250, labelLimit=500,
                          columns=1),
    )
    x = alt.X("sitting:Q", title=labels["x"], scale=alt.Scale(domain=[1, max(run.sittings, 2)]),
              axis=alt.Axis(tickMinStep=1, format="d"))
    lines = alt.Chart(data).mark_line(strokeWidth=3, point=run.sittings <= 20).encode(
        x=x,
        # A label row above 100% (ui.charts.labels): the best sitting's name never sits on a line.
        y=alt.Y("score:Q", title=labels["y"], scale=alt.Scale(domain=[0, place.linear_top(0, 100, height, 1)],
                                                              nice=False),
                axis=alt.Axis(values=list(range(0, 101, 20)))),
        color=colour,
        tooltip=[alt.Tooltip("sitting:Q", title=labels["x"]), alt.Tooltip("series:N", title=labels["series"]),
                 alt.Tooltip("score:Q", title=labels["y"], format=".0f")],
    )
    if "best" not in labels:  # presentation mode: the best sitting is what lesson step 4 asks the class
        return style(lines, height).properties(autosize=place.FIT)
    sitting = run.best_sitting + 1
    best = pd.DataFrame({"sitting": [sitting], "text": [labels["best"].format(n=sitting)]})
    # The rule stops under the label row; the label points into the half of the plot with room.
    rule = alt.Chart(best).mark_rule(strokeDash=[6, 4], strokeWidth=2, color=PALETTE["black"]).encode(
        x="sitting:Q", y=alt.value(place.ROW_PX), y2=alt.value(height))
    align, dx = place.beside(sitting, 1, max(run.sittings, 2))
    text = alt.Chart(best).mark_text(align=align, dx=dx, baseline="middle", fontSize=FONT_SIZE - 2).encode(
        x="sitting:Q", y=alt.value(place.row_y(0)), text="text:N"
    )
    return style(alt.layer(lines, rule, text), height).properties(autosize=place.FIT)
