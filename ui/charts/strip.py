"""The home page's epoch strip: one epoch as a row of batch blocks."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import altair as alt
import pandas as pd

from ebcore.primitives.strip import Block, BlockKind
from ui.charts import FONT_SIZE, PALETTE

_STRIP_COLOURS = {
    BlockKind.FULL: PALETTE["blue"],
    BlockKind.PARTIAL: PALETTE["vermillion"],
    BlockKind.DROPPED: "#D9D9D9",
    BlockKind.GAP: "#FFFFFF",
}


def epoch_strip_chart(blocks: Sequence[Block], labels: Mapping[str, str], height: int = 60) -> alt.Chart:
    """One epoch as a row of batch blocks (x in batch units), with a legend of block kinds.

    ``height`` is the blocks' own height in px: the legend above and the title below come on top of it
    (autosize ``fit-x``), so larger text (presentation mode) or a legend wrapped on a phone never squeezes
    the blocks. (Streamlit's default, ``fit``, counts them in: the blocks were 18 px tall, 3 px projected.)

    ``labels`` holds translated text: one entry per ``BlockKind`` value (legend names),
    ``"batch"``, ``"samples"``, ``"size"``, ``"x_title"``, and ``"gap"`` (a format string with
    ``{count}`` for the number of folded batches).
    """
    rows = []
    # Batch numbers fit inside blocks only while blocks are wide; sizes of odd blocks always show.
    numbered = len(blocks) <= 10
    for block in blocks:
        last_sample = block.first_sample + block.size - 1
        if block.kind is BlockKind.GAP:
            text = labels["gap"].format(count=f"{block.hidden_batches:,}")
        elif block.kind in (BlockKind.DROPPED, BlockKind.PARTIAL):
            text = f"{block.size:,}"
        else:
            text = f"#{block.batch:,}" if numbered else ""
        rows.append(
            {
                "x0": block.x0,
                "x1": block.x1,
                "mid": (block.x0 + block.x1) / 2,
                "kind": labels[block.kind.value],
                "text": text,
                "batch": f"#{block.batch:,}" if block.kind is not BlockKind.GAP else "…",
                "samples": f"{block.first_sample:,}–{last_sample:,}",
                "size": block.size,
                "dark": block.kind in (BlockKind.FULL, BlockKind.PARTIAL),
            }
        )
    data = pd.DataFrame(rows).assign(lane="epoch")
    kinds = [labels[k.value] for k in BlockKind if k is not BlockKind.GAP]
    colours = [_STRIP_COLOURS[k] for k in BlockKind if k is not BlockKind.GAP]
    lane = alt.Y("lane:N", axis=None, scale=alt.Scale(paddingOuter=0.05))
    bars = (
        alt.Chart(data)
        .transform_filter(alt.datum.kind != labels[BlockKind.GAP.value])
        .mark_bar(stroke="white", strokeWidth=3, cornerRadius=4)
        .encode(
            x=alt.X("x0:Q", title=labels["x_title"], axis=alt.Axis(labels=False, ticks=False, grid=False,
                                                                   domain=False, titleFontSize=FONT_SIZE - 2,
                                                                   titleFontWeight="normal")),
            x2="x1:Q",
            y=lane,
            color=alt.Color(
                "kind:N",
                scale=alt.Scale(domain=kinds, range=colours),
                # Two columns: the legend wraps on a phone.
                legend=alt.Legend(title=None, orient="top", labelFontSize=FONT_SIZE, symbolSize=250, columns=2),
            ),
            tooltip=[
                alt.Tooltip("batch:N", title=labels["batch"]),
                alt.Tooltip("samples:N", title=labels["samples"]),
                alt.Tooltip("size:Q", title=labels["size"], format=","),
            ],
        )
    )
    text = (
        alt.Chart(data)
        .mark_text(fontSize=FONT_SIZE, fontWeight="bold")
        .encode(
            x="mid:Q",
            y=lane,
            text="text:N",
            color=alt.condition(alt.datum.dark, alt.value("white"), alt.value("#333333")),
        )
    )
    # one properties call: a configure_* call deep-copies the chart
    return (bars + text).properties(height=height, autosize=alt.AutoSizeParams(type="fit-x", contains="padding"),
                                    config=alt.Config(view=alt.ViewConfig(stroke=None)))
