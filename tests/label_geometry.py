"""Where a chart spec's text labels, rules and data land, in pixels, for the overlap tests (issue 26, 13).

Reads the Vega-Lite dict a chart builder makes (``chart.to_dict()``): the y scale's domain, each layer's
mark and its pixel-valued ``y``/``y2``, and the data. Text widths are over-estimated (a Hangul syllable one
em, anything else 0.56 em: Source Sans averages about 0.5), so a label that fits here fits on screen.
"""

from __future__ import annotations

import math

from ui.charts import PRESENT_FONT_SIZE
from ui.charts import labels as place

PHONE_PLOT_PX = 290  # the narrowest plot a page draws (a 390 px phone, less the page's padding and the y axis)
PRESENT_PLOT_PX = 1000  # a full-width chart at 1280 px with the sidebar tucked away


def text_px(text: str, font: float) -> float:
    return sum(font if "\uac00" <= ch <= "\ud7a3" else 0.56 * font for ch in text)


def layers(spec: dict, data: dict | None = None) -> list[dict]:
    """Every leaf layer of ``spec`` (nested layers flattened, each with the data it inherits)."""
    out = []
    data = spec.get("data", data)
    for layer in spec.get("layer", [spec]):
        if "layer" in layer:
            out += layers(layer, data)
        else:
            out.append(layer if "data" in layer or data is None else {**layer, "data": data})
    return out


def mark(layer: dict) -> dict:
    m = layer["mark"]
    return m if isinstance(m, dict) else {"type": m}


def data_rows(spec: dict, layer: dict) -> list[dict]:
    name = layer.get("data", spec.get("data", {})).get("name")
    return spec["datasets"][name]


def y_pixel(value: float, domain: list[float], height: int, log: bool) -> float:
    """Pixels from the top of a ``height`` px plot for a y ``value`` on ``domain``."""
    lo, hi = domain
    if log:
        return height * (1 - (math.log(value) - math.log(lo)) / (math.log(hi) - math.log(lo)))
    return height * (1 - (value - lo) / (hi - lo))


def check_labels_in_their_rows(spec: dict, height: int, rows: int, data_fields: list[str]) -> list[str]:
    """Texts in the label band (their own row each, font up to the presentation size, inside half the
    narrowest plot beside their rule), rules and data below it. Returns the problems found."""
    problems = []
    band = rows * place.ROW_PX
    if spec.get("autosize", {}).get("type") != "fit-x":
        problems.append("the plot height is not the chart's height (autosize)")
    ys, texts = [], []
    for layer in layers(spec):
        kind, enc = mark(layer)["type"], layer.get("encoding", {})
        if kind == "text":
            y = enc.get("y", {}).get("value")
            if y is None:
                problems.append(f"a text placed among the data: {enc.get('text')}")
                continue
            rows_data = data_rows(spec, layer)
            for font in (mark(layer).get("fontSize", 11), PRESENT_FONT_SIZE):
                if not 0 <= y - 0.6 * font and y + 0.6 * font <= band:
                    problems.append(f"a text of {font}px at y={y} leaves the {band}px band")
            if mark(layer).get("align", "center") != "center":  # a row of column values shares its row
                texts.append(y)
            for row in rows_data:
                value, fmt = row.get(enc["text"]["field"], ""), enc["text"].get("format")
                label = format(value, fmt) if fmt else str(value)
                align = mark(layer).get("align", "center")
                sizes = ((mark(layer).get("fontSize", 11), PHONE_PLOT_PX), (PRESENT_FONT_SIZE, PRESENT_PLOT_PX))
                for font, plot in sizes:
                    fixed_x = enc.get("x", {}).get("value")  # a label at a fixed place, not beside a rule
                    room = (plot - fixed_x if fixed_x is not None else
                            plot / 2 - abs(mark(layer).get("dx", 0)) if align != "center" else plot / len(rows_data))
                    if text_px(label, font) > room:
                        problems.append(f"{label!r} at {font}px is wider than its half of a {plot}px plot")
        elif kind == "rule" and "x" in enc and "field" not in enc.get("y", {}):  # a rule naming an x
            if enc.get("y", {}).get("value", 0) < band:
                problems.append("a vertical rule runs through the label band")
        scale = enc.get("y", {}).get("scale")
        if scale and "domain" in scale:
            ys.append((scale["domain"], scale.get("type") == "log"))
        for field in data_fields:
            if kind in ("line", "point", "rule", "bar") and field in (enc.get("y", {}).get("field"),
                                                                      enc.get("y2", {}).get("field")):
                for row in data_rows(spec, layer):
                    ys.append(("value", row[field]))
    if len(set(texts)) != len(texts):
        problems.append("two labels share a row")
    domains = [d for d in ys if d[0] != "value"]
    if not domains:
        return problems + ["no y domain"]
    domain, log = domains[0]
    for _, value in (v for v in ys if v[0] == "value"):
        if y_pixel(value, domain, height, log) < band - 1e-6:
            problems.append(f"data at {value} reaches into the label band")
    return problems
