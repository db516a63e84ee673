"""What a page shows, as lines of text to hash and diff (``devtools.fingerprint``'s normalization).

``lines(at, lang, root)`` walks an AppTest's main area and sidebar in order: texts (titles, Markdown, captions,
alerts, code), metrics, tables (``st.table``/``st.dataframe``: columns, types, every value), charts (the
Vega-Lite spec and every row of every dataset), widgets and buttons (label and value), expander and popover
labels; floats by ``repr``, so a difference in the last bit shows. Left out: progress bars and the placeholders
they leave, CSS/script HTML, a share link with a host in it (AppTest's has none: it is kept), widget ids,
dataset names (from bytes; renamed in order of use) and Altair's per-process counters (``param_3``).

Measured wall time is replaced by ``WALL`` wherever it is shown, and nothing else: the trade-offs page's
``ms / epoch`` column and its phone cards, and the epoch-time claim's two values, its verdict and the
limits in its rule, in the claims table, its cards and the projected verdicts table and cards; in a Keras
log's lines (``keras_log_wall``) the epoch's seconds and the time per step.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

__all__ = ["WALL", "keras_log_wall", "lines"]

WALL = "<wall time>"
# Elements that carry no result: progress bars (emptied when done), the app's CSS and history script.
_SKIP = {"empty", "progress", "spinner", "toast", "balloons", "snow", "html"}
_TEXT = {"title", "header", "subheader", "markdown", "caption", "text", "latex", "code", "info", "warning",
         "error", "success", "json"}
_WIDGETS = {"slider", "number_input", "toggle", "checkbox", "button_group", "selectbox", "radio", "text_input",
            "select_slider", "multiselect", "text_area", "date_input", "time_input", "color_picker"}
_MS_NUMBER = re.compile(r"[\d][\d,]*(?:\.\d+)?(?=[\s\u00a0]*ms)")  # a limit in ms in the epoch-time rule
_ALTAIR_NAMES = re.compile(r"\b(param|view|selector)_\d+\b")  # Altair's per-process counters
# A Keras log's end-of-epoch line (``ebcore.primitives.keraslog``, each style): the count, Keras 3's bar or
# Keras 2's [====], then the epoch's seconds and the time per step, the two measured parts.
_KERAS_TIMES = re.compile(r"(?m)^( *\d+/\d+(?: ━+| \[[=>.]+\])?(?: -)? )\d+s( (?:- )?)\d+(?:s|ms|us)/step(?= - |$)")


def keras_log_wall(text: str) -> str:
    """``text`` with the measured parts of its Keras log lines (``1s``, ``30ms/step``) replaced by ``WALL``
    (``<wall time>/step``); the count, the bar, the metrics and every other line as they are."""
    return _KERAS_TIMES.sub(lambda m: f"{m.group(1)}{WALL}{m.group(2)}{WALL}/step", text)


def lines(at, lang: str, root: Path) -> list[str]:
    """What ``at`` shows as lines of text (main area, then sidebar), measured wall time replaced by WALL."""
    from ui.locales import STRINGS

    wall = _WallTime(STRINGS[lang])
    out: list[str] = []
    for area in ("main", "sidebar"):
        out.append(f"== {area}")
        _walk(getattr(at, area), out, wall, root)
    return out


def _walk(node, out: list[str], wall: _WallTime, root: Path) -> None:
    children = getattr(node, "children", None)
    kind = getattr(node, "type", "")
    if children is not None and not hasattr(node, "value"):  # a block
        label = _block_label(node)
        if label:
            out.append(f"{kind}: {_j(label)}")
        for index in sorted(children):
            _walk(children[index], out, wall, root)
        return
    if kind in _SKIP:
        return
    if kind in _TEXT:
        value = node.value
        if kind == "code" and (not value or "://" in value):
            return  # a share link with the server's host and port (AppTest's is the query alone: kept)
        out.append(f"{kind}: {_j(keras_log_wall(value) if kind == 'code' else wall.text(value))}")
    elif kind == "exception":
        out.append(f"exception: {_j(_paths(node.proto.message, root))}")
    elif kind == "metric":
        out.append(f"metric: {_j([node.label, node.value, node.delta])}")
    elif kind in ("table", "dataframe", "arrow_data_frame", "arrow_table"):
        proto = node.proto
        arrow = proto.arrow_data if "arrow_data" in {f.name for f in proto.DESCRIPTOR.fields} else proto
        out.extend(_table(kind, arrow.data, wall))
    elif kind in ("vega_lite_chart", "arrow_vega_lite_chart"):
        out.extend(_chart(node.proto))
    elif kind in ("button", "download_button", "page_link", "form_submit_button"):
        out.append(f"{kind}: {_j(node.label)}")
    elif kind in _WIDGETS:
        out.append(f"{kind} {node.key or ''}: {_j([node.label, _plain(node.value)])}")
    else:
        out.append(f"{kind}: {_j(_paths(str(getattr(node, 'value', '')), root))}")


def _block_label(node) -> str:
    if isinstance(getattr(node, "label", None), str):  # an expander (AppTest's Expander, Tab)
        return node.label
    proto = getattr(node, "proto", None)
    if proto is None:
        return ""
    fields = {f.name for f in proto.DESCRIPTOR.fields}
    for which in ("expandable", "popover", "tab"):
        if which in fields and proto.HasField(which):
            return getattr(proto, which).label
    return ""


def _arrow(data: bytes):
    import pyarrow as pa

    return pa.ipc.open_stream(data).read_all()


def _table(kind: str, data: bytes, wall: _WallTime) -> list[str]:
    table = _arrow(data)
    names = list(table.column_names)
    rows = [[row[n] for n in names] for row in table.to_pylist()]
    names, rows = wall.table(names, rows)
    out = [f"{kind}: {_j(names)} {_j([str(f.type) for f in table.schema])}"]
    out.extend(f"  row: {_j([_plain(v) for v in row])}" for row in rows)
    return out


def _chart(proto) -> list[str]:
    spec = json.loads(proto.spec) if proto.spec else {}
    names: dict[str, str] = {}
    datasets = {d.name: d for d in proto.datasets}

    def rename(node):
        if isinstance(node, dict):
            return {k: (names.setdefault(v, f"data{len(names)}") if k == "name" and v in datasets else rename(v))
                    for k, v in node.items()}
        if isinstance(node, list):
            return [rename(v) for v in node]
        return node

    spec = rename(spec)
    text = json.dumps(spec, sort_keys=True, ensure_ascii=False)
    counters: dict[str, str] = {}
    text = _ALTAIR_NAMES.sub(lambda m: counters.setdefault(m.group(0), f"{m.group(1)}_#{len(counters)}"), text)
    out = [f"chart: {text}"]
    ordered = sorted(datasets, key=lambda n: names.get(n, f"~{n}"))  # unused ones last (by their name)
    if proto.HasField("data"):
        ordered = [None, *ordered]
    for name in ordered:
        data = proto.data.data if name is None else datasets[name].data.data
        label = "data" if name is None else names.get(name, "unused")
        table = _arrow(data)
        out.append(f"  {label}: {_j(table.column_names)} {_j([str(f.type) for f in table.schema])}")
        out.extend(f"  {label} row: {_j([_plain(v) for v in row.values()])}" for row in table.to_pylist())
    return out


def _plain(value):
    """A JSON-able value whose text keeps every bit (floats by repr, so nan, inf and -0.0 survive)."""
    if isinstance(value, float):
        return f"float:{value!r}"
    if isinstance(value, (str, int, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return f"{type(value).__name__}:{value!r}"


def _j(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _paths(text: str, root: Path) -> str:
    return text.replace(str(root), "<root>")


class _WallTime:
    """The trade-offs page's measured wall time, wherever it is shown, replaced by ``WALL``."""

    def __init__(self, s: dict[str, str]) -> None:
        self.column = s.get("trade.sweep.time", "\0")  # the sweep table's ms / epoch
        self.claim = s.get("trade.claim.faster_epochs", "\0")  # the claim measured in wall time
        self.measure = s.get("trade.measure.faster_epochs", "\0")
        self.rule = s.get("trade.col.rule", "\0")
        self.md = {k: _md(v) for k, v in (("column", self.column), ("claim", self.claim),
                                           ("measure", self.measure), ("rule", self.rule))}

    def _cell(self, column: str, value):
        """A cell of the epoch-time claim's row: its name and measure stay, its limits lose their numbers."""
        if value in (self.claim, self.measure):
            return value
        if column == self.rule and isinstance(value, str):
            return _MS_NUMBER.sub(WALL, value)
        return WALL

    def table(self, names: list[str], rows: list[list]) -> tuple[list[str], list[list]]:
        out = []
        for row in rows:
            if self.claim in row:
                row = [self._cell(c, v) for c, v in zip(names, row, strict=True)]
            out.append([WALL if c == self.column else v for c, v in zip(names, row, strict=True)])
        return names, out

    def text(self, value: str) -> str:
        """A table's phone card (``ui.layout.table``: "**title**" then "- column: **value**" lines)."""
        if not value.startswith("**") or "\n- " not in value:
            return value
        head, *items = value.split("\n")
        claim_card = head == f"**{self.md['claim']}**"
        lines = [head]
        for item in items:
            m = re.fullmatch(r"- (.*?): \*\*(.*)\*\*", item, re.S)
            if m and m.group(1) == self.md["column"]:
                item = f"- {m.group(1)}: **{WALL}**"
            elif m and claim_card and m.group(2) != self.md["measure"]:
                kept = _MS_NUMBER.sub(WALL, m.group(2)) if m.group(1) == self.md["rule"] else WALL
                item = f"- {m.group(1)}: **{kept}**"
            lines.append(item)
        return "\n".join(lines)


def _md(value: object) -> str:
    """``value`` escaped as ``ui.layout.table``'s cards escape it."""
    text = str(value)
    for ch in "\\`*_[]<>#|":
        text = text.replace(ch, "\\" + ch)
    return text
