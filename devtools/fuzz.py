"""Fuzz every page's link parameters and widgets: the hypothesis strategies, the runs, and the oracles.

One place for both users: ``tests/test_fuzz.py`` draws a small fixed sample in the suite and asserts
each verdict; ``benchmarks/fuzz_pages.py`` draws hundreds per page and counts the verdicts. Nothing
here names a page's parameters: ``discover`` reads them off a default run (every widget whose proto
carries a ``query_param_key``), so a new or renamed parameter is fuzzed without touching this file.

Four kinds of case (``link_case``, ``session_case``, ``widget_case``):

* **url** — a fresh session opening ``/<page>?key=value…``: bound keys with hostile or valid values,
  repeated keys (the last value is the one meant), unknown keys. Judged by ``judge_url``: no exception;
  each bound key either taken by its widget or named in a note that echoes the value in a code span; a
  valid value never noted;
  nothing from the link rendered as HTML, or as markdown outside a code span.
* **session** — an open page rerun with such a query string (the browser's back/forward button to
  an entry of the same page does this). Judged for exceptions and leaks only.
* **widget** — a session moving widgets the way a browser can (in-range numbers, on/off, listed
  options). Judged by ``judge_run``: no exception.
* **crafted** — a hand-written websocket client sending any ``WidgetState`` for a bound widget
  (NaN, ±inf, out-of-range, wrong value type). A real frontend cannot send these; the benchmark
  reports what they do, and ``exception_origin`` tells Streamlit's own crashes from the app's.

AppTest internals used (Streamlit 1.67): ``AppTest._run`` with a hand-made ``WidgetStates`` for crafted
messages, and ``AppTest._bidi_component_manager`` to scan for custom components once per process.
"""

from __future__ import annotations

import functools
import logging
import math
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from unittest import mock

import streamlit
from hypothesis import strategies as st
from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "streamlit_app.py")
# A run that takes longer is stuck (a rerun loop): the slowest training run takes ~3 s, ten times that
# under load is still far below this.
TIMEOUT = float(os.environ.get("EBLAB_FUZZ_TIMEOUT", "30"))

Query = Mapping[str, "str | list[str]"]

# ---------------------------------------------------------------------------------------------
# Driving the app
# ---------------------------------------------------------------------------------------------


def page_paths() -> list[str]:
    """Every registered page's URL path ('' for home), from the app's own registry."""
    from ui.nav import PAGES

    return [p.url_path for p in PAGES]


def run_page(page: str, query: Query | None = None, timeout: float = TIMEOUT) -> AppTest:
    """A fresh session opening ``/<page>?<query>``; list values become repeated keys (``?k=a&k=b``)."""
    from ui.nav import find

    at = AppTest.from_file(APP, default_timeout=timeout)
    if hasattr(at, "_bidi_component_manager"):
        # Each new AppTest scans every installed package for custom components (most of a fresh
        # session's cost here); the app has none, so one scan per process serves every session.
        at._bidi_component_manager = _component_manager()
    for key, value in (query or {}).items():
        at.query_params[key] = list(value) if isinstance(value, list) else value
    if page:
        spec = find(page)
        assert spec is not None, f"no page at /{page}"
        at.switch_page(spec.file)
    return at.run()


@functools.cache
def _component_manager():
    from streamlit.components.v2.component_manager import BidiComponentManager

    manager = BidiComponentManager()
    manager.discover_and_register_components(start_file_watching=False)
    return manager


@dataclass(frozen=True)
class Bound:
    """A widget bound to ``?key=``, as a default run shows it.

    ``kind`` says how a link value maps to the widget: ``int``/``float`` (a number in
    ``[low, high]``), ``bool`` (true/false), ``choice`` (one of ``options``), or ``other``
    (a widget this module cannot predict, fuzzed only for exceptions and leaks).
    """

    key: str
    widget: str
    kind: str
    default: object
    low: float | None = None
    high: float | None = None
    options: tuple[str, ...] = ()


def _bound_of(node) -> Bound | None:
    proto = getattr(node, "proto", None)
    key = getattr(proto, "query_param_key", "") if proto is not None else ""
    if not key:
        return None
    widget = type(node).__name__
    value = node.value
    if widget == "NumberInput":
        kind = "int" if isinstance(value, int) else "float"
        # Without an author's bound the browser still keeps to JavaScript's safe integers.
        low = node.min if node.min is not None else -(2**53 - 1)
        high = node.max if node.max is not None else 2**53 - 1
        return Bound(key, widget, kind, value, low, high)
    if widget == "Slider" and not isinstance(value, (list, tuple)) and isinstance(value, (int, float)):
        kind = "int" if isinstance(value, int) else "float"
        return Bound(key, widget, kind, value, proto.min, proto.max)
    if widget in ("Toggle", "Checkbox"):
        return Bound(key, widget, "bool", value)
    if widget == "ButtonGroup" and node._is_single_select:
        return Bound(key, widget, "choice", value, options=tuple(node.options))
    if widget in ("Selectbox", "Radio", "SelectSlider") and not isinstance(value, (list, tuple)):
        return Bound(key, widget, "choice", value, options=tuple(map(str, node.options)))
    return Bound(key, widget, "other", value)


def bound_nodes(at: AppTest) -> dict[str, object]:
    """The page's URL-bound widgets (main area and sidebar) by their URL key."""
    return {node.proto.query_param_key: node for node in at if _bound_of(node) is not None}


@dataclass(frozen=True)
class PageInfo:
    """What a default run of a page shows: its bound widgets and all its text (both languages)."""

    page: str
    bounds: tuple[Bound, ...]
    baseline: str

    def bound(self, key: str) -> Bound | None:
        """The bound widget for ``key``, if this page has one."""
        return next((b for b in self.bounds if b.key == key), None)


@functools.cache
def discover(page: str) -> PageInfo:
    """Run ``page`` with defaults and read its bound widgets off the protos; keep its text as a baseline."""
    at = run_page(page)
    assert not at.exception, [e.value for e in at.exception]
    bounds = tuple(b for b in map(_bound_of, at) if b is not None)
    # The page's own words in both languages, notes included (one note per key: a NUL is no valid value).
    noted = {b.key: "\x00" for b in bounds if b.key != "lang"}
    runs = [at, run_page(page, {"lang": "ko"}), run_page(page, noted), run_page(page, noted | {"lang": "ko"})]
    baseline = "\n".join(text for run in runs for _, text, _ in texts(run))
    return PageInfo(page, bounds, baseline)


# ---------------------------------------------------------------------------------------------
# Strategies
# ---------------------------------------------------------------------------------------------

# Hostile text, by family. \r matters: CommonMark ends a line at \r as at \n, so a bare \r inside
# an echoed value can end a code span's paragraph and let the rest render as markdown.
MARKUP = (
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<b>1</b>", "</div><h1>x</h1>", "&lt;b&gt;",
    "**bold**", "_em_", "# heading", "> quote", "- item", "|a|b|\n|-|-|", "---",
    "[link](javascript:alert(1))", "![img](https://example.invalid/x.png)", "<https://example.invalid>",
    "$$\\frac{1}{0}$$", "$x$", "`code`", "```", "``x``", "\\`", ":red[red]", ":material/home:", ":smile:",
    "\r\r![](//x.invalid/a)", "\r# heading", "\n\n**para**", "a\rb", "{value}", "{0}", "%s", "\\",
)
NUMBERS = (
    "0", "-0", "+5", "-1", "05", "0" * 20 + "1", "1.0", "1e3", "1E-3", "1_000", "1,000", "0x10", "nan", "NaN",
    "inf", "-inf", "Infinity", "1e999", "-1e999", "9" * 400, "-" + "9" * 400, "2147483648", "9007199254740993",
    "٣", "５", "²", " 5", "5 ", "\t5",
)
BLANKS = ("", " ", "  ", "\t", "\n", "\r\n", "\u00a0", "\u200b", "\u3000")
UNICODE = (
    "배치", "에포크 30", "🙂", "👩‍💻", "\u202eevil", "مرحبا", "zero\u200bwidth", "\ufeff1", "\x00", "\x01\x02",
    "\x7f", "e\u0301", "𝟙𝟚", "\U0010fffd", "a\u2028b",
)
# Keys no page binds (case variants, look-alikes, Streamlit's own embed keys) — must change nothing.
UNKNOWN_KEYS = (
    "N", "n ", " n", "Lang", "LANG", "lang2", "embed", "embed_options", "page", "present2", "<b>k</b>",
    "**k**", "배치", "🙂", "utm_source", "a" * 100,
)


def hostile_values() -> st.SearchStrategy[str]:
    """Link values a widget should reject: numbers it cannot take, blanks, unicode, markup, and random text."""
    huge = st.integers(min_value=10**399, max_value=10**400 - 1).map(str)
    floats = st.floats(allow_nan=True, allow_infinity=True).map(repr)
    return st.one_of(
        st.sampled_from(NUMBERS), st.sampled_from(BLANKS), st.sampled_from(UNICODE), st.sampled_from(MARKUP),
        st.integers().map(str), huge, huge.map(lambda s: "-" + s), floats,
        st.lists(st.sampled_from(MARKUP + UNICODE + BLANKS), min_size=2, max_size=4).map("".join),
        st.text(max_size=60), st.text(max_size=400),
    )


def valid_values(bound: Bound) -> st.SearchStrategy[str]:
    """Link values ``bound``'s widget takes as they are (canonical spelling); nothing for ``other``."""
    if bound.kind == "int":
        low, high = int(bound.low), int(bound.high)
        return st.one_of(st.sampled_from(sorted({low, high, int(bound.default)})), st.integers(low, high)).map(str)
    if bound.kind == "bool":
        return st.sampled_from(("true", "false", "True", "FALSE"))
    if bound.kind == "choice" and bound.options:
        return st.sampled_from(bound.options)
    if bound.kind == "float":
        return st.floats(bound.low, bound.high, allow_nan=False).map(repr)
    return st.nothing()


def url_queries(info: PageInfo) -> st.SearchStrategy[dict[str, str | list[str]]]:
    """One link's parameters for ``info``'s page: 1–4 entries, bound keys (hostile, valid or repeated)
    and unknown keys (hostile values)."""
    keys = [b.key for b in info.bounds]
    hostile = hostile_values()

    def valid_entry(bound: Bound):
        return st.tuples(st.just(bound.key), valid_values(bound))

    entries = [st.tuples(st.one_of(st.sampled_from(UNKNOWN_KEYS), st.text(min_size=1, max_size=12))
                         .filter(lambda k: k not in keys), hostile)]
    if keys:
        bound_keys = st.sampled_from(keys)
        repeated = st.lists(st.one_of(hostile, st.sampled_from(("1", "true", "en"))), min_size=2, max_size=3)
        entries += [st.tuples(bound_keys, hostile), st.tuples(bound_keys, hostile), st.tuples(bound_keys, repeated)]
    predictable = [b for b in info.bounds if b.kind != "other"]
    if predictable:
        entries.append(st.sampled_from(predictable).flatmap(valid_entry))
    return st.lists(st.one_of(entries), min_size=1, max_size=4).map(dict)


@dataclass(frozen=True)
class Action:
    """One widget interaction: put ``value`` into the widget bound to ``key``.

    ``crafted`` holds a whole ``WidgetState`` field name and value (e.g. ``("double_value", nan)``)
    when the action is a hand-written websocket message rather than a browser interaction.
    """

    key: str
    value: object = None
    crafted: tuple[str, object] | None = None


def browser_values(bound: Bound) -> st.SearchStrategy[object]:
    """What a real frontend can send for ``bound``: it enforces a number's range and a control's options."""
    if bound.kind == "int":
        low, high = int(bound.low), int(bound.high)
        return st.one_of(st.sampled_from(sorted({low, high})), st.integers(low, high))
    if bound.kind == "float":
        return st.floats(bound.low, bound.high, allow_nan=False)
    if bound.kind == "bool":
        return st.booleans()
    if bound.kind == "choice":
        return st.sampled_from(bound.options)
    return st.nothing()


def browser_actions(info: PageInfo) -> st.SearchStrategy[list[Action]]:
    """1–3 interactions a student could make in a browser, in order."""
    movable = [b for b in info.bounds if b.kind != "other"]
    if not movable:
        return st.just([])
    one = st.sampled_from(movable).flatmap(lambda b: browser_values(b).map(lambda v: Action(b.key, v)))
    return st.lists(one, min_size=1, max_size=3)


_CRAFTED_NUMBERS = (math.nan, math.inf, -math.inf, 1e308, -1e308, 2.5, -0.0, 2.0**63, -(2.0**63), 0.0, -1.0)


def crafted_states(bound: Bound) -> st.SearchStrategy[tuple[str, object]]:
    """Any ``WidgetState`` a hand-written websocket client could send for ``bound``'s widget.

    The widget's own field with hostile values (NaN, ±inf, out of range, non-integers, unlisted
    options, several options for a one-choice control, empty arrays), and every other value field
    (a string to a number input, a bool to a slider, …).
    """
    num = st.one_of(st.sampled_from(_CRAFTED_NUMBERS), st.floats(), st.integers(-(2**53), 2**53).map(float))
    if bound.low is not None:
        num = st.one_of(num, st.sampled_from((bound.low - 1, bound.high + 1, bound.low, bound.high)))
    text = st.one_of(hostile_values(), st.sampled_from(bound.options or ("x",)))
    return st.one_of(
        st.tuples(st.just("double_value"), num),
        st.tuples(st.just("int_value"), st.integers(-(2**63), 2**63 - 1)),
        st.tuples(st.just("string_value"), text),
        st.tuples(st.just("double_array_value"), st.lists(num, max_size=3)),
        st.tuples(st.just("int_array_value"), st.lists(st.integers(-(2**63), 2**63 - 1), max_size=3)),
        st.tuples(st.just("string_array_value"), st.lists(text, max_size=3)),
        st.tuples(st.sampled_from(("trigger_value", "bool_value")), st.booleans()),
        st.tuples(st.sampled_from(("json_value", "json_trigger_value")), text),
        st.tuples(st.just("bytes_value"), st.binary(max_size=16)),
        st.just(("none", None)),  # the widget's id with no value at all
    )


def crafted_actions(info: PageInfo) -> st.SearchStrategy[list[Action]]:
    """1–2 hand-crafted widget messages (what only a non-browser websocket client can send)."""
    if not info.bounds:
        return st.just([])
    one = st.sampled_from(info.bounds).flatmap(lambda b: crafted_states(b).map(lambda s: Action(b.key, crafted=s)))
    return st.lists(one, min_size=1, max_size=2)


def apply(at: AppTest, action: Action) -> AppTest:
    """Perform ``action`` on a running session and rerun the script, as the frontend would."""
    node = bound_nodes(at).get(action.key)
    if node is None:  # the widget is not on the page in this state (nothing to interact with)
        return at
    if action.crafted is None:
        return node.set_value(action.value).run()
    kind, value = action.crafted
    states = at._tree.get_widget_states()  # what AppTest would send; we swap one widget's message
    crafted = WidgetState(id=node.id)
    if kind.endswith("_array_value"):
        getattr(crafted, kind).data.extend(value)
    elif kind != "none":
        setattr(crafted, kind, value)
    for i, state in enumerate(states.widgets):
        if state.id == node.id:
            states.widgets[i].CopyFrom(crafted)
            break
    else:
        states.widgets.append(crafted)
    return at._run(states)


# ---------------------------------------------------------------------------------------------
# Oracles
# ---------------------------------------------------------------------------------------------

# Proto types whose strings are data or literal text, never markdown: charts, tables, code, tracebacks.
_LITERAL_TYPES = {"Code", "Exception", "ArrowNamedDataSet", "Arrow", "ArrowVegaLiteChart", "VegaLiteChart",
                  "PlotlyChart", "DeckGlJsonChart", "Json", "Progress", "Empty"}
_SKIP_FIELDS = {"id", "form_id", "query_param_key", "spec", "data", "arrow_data", "styler", "use_container_width",
                "icon", "page_script_hash", "url_path", "page", "element_type", "columns", "selection_mode"}


def _strings(message, path: str = "") -> Iterator[tuple[str, str]]:
    for desc, value in message.ListFields():
        if desc.name in _SKIP_FIELDS:
            continue
        name = f"{path}.{desc.name}" if path else desc.name
        items = value if desc.is_repeated else [value]
        for item in items:
            if isinstance(item, str):
                yield name, item
            elif hasattr(item, "ListFields") and type(item).__name__ not in _LITERAL_TYPES:
                yield from _strings(item, name)


def texts(at: AppTest) -> Iterator[tuple[str, str, str]]:
    """Every piece of text the page shows as (where, text, mode); mode is ``markdown`` or ``html``.

    Code blocks, tracebacks, tables and charts are left out: what they hold is shown literally.
    """
    for node in at:
        proto = getattr(node, "proto", None)
        if proto is None or not hasattr(proto, "ListFields") or type(proto).__name__ in _LITERAL_TYPES:
            continue
        where = type(node).__name__
        html_body = type(proto).__name__ == "Html" or getattr(proto, "allow_html", False)
        for name, text in _strings(proto):
            yield f"{where}.{name}", text, "html" if html_body and name == "body" else "markdown"


def _lines(text: str) -> list[str]:
    # CommonMark ends a line at \n, \r\n and \r alike.
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)")


def outside_code_spans(text: str) -> str:
    """``text`` with its one-line code spans cut out (a code span split by a line ending is not one)."""
    return "\n".join(_CODE_SPAN.sub("\x1f", line) for line in _lines(text))


def code_spans(text: str) -> list[str]:
    """The contents of ``text``'s one-line code spans."""
    return [m.group(2) for line in _lines(text) for m in _CODE_SPAN.finditer(line)]


def _loose(text: str) -> str:
    return "".join(ch for ch in text if ch.isalnum())


def _probe(value: str, baseline: str) -> str | None:
    """The start of ``value`` to look for on the page, or None when it could not be told apart
    from the page's own text (short, numeric, or already in the default page)."""
    probe = "\n".join(_lines(value[:12]))
    if len(probe.strip()) < 4 or re.fullmatch(r"[\d\s.,+\-eE_]*", probe) or probe in baseline:
        return None
    return probe


def _fragments(value: str) -> set[str]:
    """Pieces of ``value`` long enough that finding one in HTML means the value got there."""
    if len(value) < 4:
        return set()
    size = min(len(value), 8)
    return {value[i:i + size] for i in range(len(value) - size + 1) if value[i:i + size].strip()}


def parse_link_value(bound: Bound, raw: str) -> object | None:
    """What ``bound``'s widget would hold if it took ``raw`` as given; None if it cannot take it."""
    if bound.kind == "int":
        return int(raw) if re.fullmatch(r"[0-9]+", raw) and bound.low <= int(raw) <= bound.high else None
    if bound.kind == "float":
        try:
            value = float(raw)
        except ValueError:
            return None
        return value if math.isfinite(value) and bound.low <= value <= bound.high else None
    if bound.kind == "bool":
        # true/false in any case (Streamlit's spelling); 1/0 too, which a page may read as on/off.
        return {"true": True, "false": False, "1": True, "0": False}.get(raw.lower())
    if bound.kind == "choice":
        return raw if raw in bound.options else None
    return None


def is_valid(bound: Bound, raw: str | list[str]) -> bool:
    """True if ``raw`` is a value a link to this page may carry: a single, canonically spelled
    value the widget takes (a number without leading zeros, true/false in any case, a listed option)."""
    if isinstance(raw, list) or parse_link_value(bound, raw) is None:
        return False
    if bound.kind == "bool":
        return raw.lower() in ("true", "false")
    return bound.kind != "int" or raw == str(int(raw))


@dataclass
class Verdict:
    """What one fuzz case showed. ``failures`` is empty when every oracle held."""

    exceptions: list[str] = field(default_factory=list)
    noted: list[str] = field(default_factory=list)
    accepted: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    html_leaks: list[str] = field(default_factory=list)
    markdown_leaks: list[str] = field(default_factory=list)

    @property
    def failures(self) -> list[str]:
        """Every broken oracle, exceptions first."""
        return ([f"exception: {e}" for e in self.exceptions] + self.problems
                + [f"HTML leak: {x}" for x in self.html_leaks] + [f"markdown leak: {x}" for x in self.markdown_leaks])


class _Uncaught(logging.Handler):
    """Keeps the exceptions Streamlit logs as "Uncaught app execution" (the box shows only app frames)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.errors: list[BaseException] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info and record.exc_info[1] is not None:
            self.errors.append(record.exc_info[1])


_UNCAUGHT = _Uncaught()
logging.getLogger("streamlit.error_util").addHandler(_UNCAUGHT)


def exception_origin(error: BaseException) -> str:
    """``app`` if ``error`` was raised in this repository's code, else ``streamlit``.

    Judged by the innermost frame: a widget's deserializer raising inside ``st.slider(...)`` has the
    page in its traceback too, but the code that broke is Streamlit's.
    """
    tb = error.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    filename = tb.tb_frame.f_code.co_filename if tb is not None else ""
    return "app" if filename.startswith(str(ROOT)) and "/site-packages/" not in filename else "streamlit"


def judge_run(at: AppTest) -> Verdict:
    """The oracle for widget interactions: the page ran to the end without an exception box (or a rerun loop)."""
    verdict = Verdict()
    for e in at.exception:
        if e.proto.type.endswith("RerunLoop"):
            verdict.problems.append(f"hang: {e.proto.message}")
        else:
            verdict.exceptions.append(f"{e.proto.type}: {e.proto.message}"[:500])
    return verdict


def _notes_by_key(at: AppTest) -> dict[str, list[str]]:
    # A note is an info box paragraph that names the key in bold outside any code span (the echoed
    # value sits in a code span, so a value spelling "**n**" cannot pass for the key).
    notes: dict[str, list[str]] = {}
    for info in at.info:
        for paragraph in re.split(r"\n\s*\n", info.value):
            for key in re.findall(r"\*\*(.+?)\*\*", outside_code_spans(paragraph)):
                notes.setdefault(key, []).append(paragraph)
    return notes


def judge_url(at: AppTest, info: PageInfo, query: Query, fresh: bool = True) -> Verdict:
    """The oracle for a link: see the module docstring. ``at`` is the page opened with ``query``.

    ``fresh=False`` judges a link that reached an already open session (a same-page rerun with a
    new query string): Streamlit keeps the widgets' session values there, so neither a note nor
    the link's value is required; exceptions and leaks still count.
    """
    verdict = judge_run(at)
    if verdict.failures:  # the page did not finish: nothing else to judge
        return verdict
    notes = _notes_by_key(at)
    nodes = bound_nodes(at)
    taken: set[str] = set()
    for key, raw in query.items():
        bound = info.bound(key)
        if bound is None or bound.kind == "other":
            continue
        node = nodes.get(key)
        value = node.value if node is not None else None
        # A repeated key means its last value (the guard's rule, and what Streamlit's widgets read).
        one = raw[-1] if isinstance(raw, list) else raw
        parsed = parse_link_value(bound, one)
        if parsed is not None and value == parsed and type(value) is type(parsed) and key not in notes:
            verdict.accepted.append(key)
            taken.add(key)
        if fresh:
            _judge_key(verdict, bound, raw, value, notes.get(key))
    _judge_leaks(verdict, at, info, query, taken)
    return verdict


def _judge_key(verdict: Verdict, bound: Bound, raw: str | list[str], value: object, notes: list[str] | None) -> None:
    key = bound.key
    joined = raw[-1] if isinstance(raw, list) else raw  # the value meant: a repeated key's last
    if notes:
        verdict.noted.append(key)
        # An empty value has nothing to echo (it shows as ``); anything else must sit in a one-line code span.
        if joined and not any(_loose(joined).startswith(_loose(span.removesuffix("…"))) for note in notes
                              for span in code_spans(note)):
            verdict.problems.append(f"the note for {key} does not echo {joined!r} in a code span: {notes}")
        if value != bound.default:
            verdict.problems.append(f"{key} was noted but the widget holds {value!r}, not the default")
        if is_valid(bound, raw):
            verdict.problems.append(f"valid {key}={raw!r} got a note: {notes}")
    elif key not in verdict.accepted:
        verdict.problems.append(f"{key}={raw!r} was neither taken (the widget holds {value!r}) nor noted")


def _judge_leaks(verdict: Verdict, at: AppTest, info: PageInfo, query: Query, taken: set[str]) -> None:
    # Everything from the link that no widget took as its value: values, and keys no widget binds.
    untaken = [v for k, raw in query.items() if k not in taken for v in (raw if isinstance(raw, list) else [raw])]
    untaken += [k for k in query if info.bound(k) is None]
    page_texts = list(texts(at))
    for value in untaken:
        # A piece the page shows without this link too (the app's own <script>) is no sign of a leak.
        fragments = {f for f in _fragments(value) if f not in info.baseline}
        probe = _probe(value, info.baseline)
        for where, text, mode in page_texts:
            if mode == "html" and any(f in text for f in fragments):
                verdict.html_leaks.append(f"{value!r} in {where}: {text[:200]!r}")
            elif probe is not None and probe in outside_code_spans(text):
                verdict.markdown_leaks.append(f"{value!r} outside a code span in {where}: {text[:200]!r}")


# ---------------------------------------------------------------------------------------------
# Cases: one fuzz example each, run and judged (the test asserts the verdict, the benchmark counts it)
# ---------------------------------------------------------------------------------------------


class RerunLoop(Exception):
    """Raised in the app when it calls ``st.rerun()`` more often in one run than any page needs."""


_MAX_RERUNS = 25  # the URL guard reruns once or twice; a page that reruns this often never settles
_reruns = [0]


def _counting_rerun(*args, **kwargs):
    _reruns[0] += 1
    if _reruns[0] > _MAX_RERUNS:
        raise RerunLoop(f"st.rerun() called {_MAX_RERUNS} times in one run: the page never settles")
    return _real_rerun(*args, **kwargs)


def _counting_run(self, *args, **kwargs):
    _reruns[0] = 0
    return _real_app_run(self, *args, **kwargs)


_real_rerun = streamlit.rerun
_real_app_run = AppTest._run


def _judged(case):
    """Run a case with rerun loops caught early (a looping page raises ``RerunLoop`` after
    ``_MAX_RERUNS`` reruns instead of running until the timeout) and AppTest's timeout as a hang."""

    @functools.wraps(case)
    def run(*args, **kwargs) -> Verdict:
        with mock.patch.object(streamlit, "rerun", _counting_rerun), mock.patch.object(AppTest, "_run", _counting_run):
            try:
                return case(*args, **kwargs)
            except RuntimeError as exc:
                if "timed out" not in str(exc):
                    raise
                return Verdict(problems=[f"hang: a run did not finish within {TIMEOUT:g} s"])

    return run


@_judged
def link_case(page: str, query: Query) -> Verdict:
    """A fresh session opening ``/<page>?<query>``, judged by ``judge_url``."""
    return judge_url(run_page(page, query), discover(page), query)


@_judged
def session_case(page: str, query: Query) -> Verdict:
    """An open page rerun with another query string (the browser's back/forward button to an entry
    of the same page, or any websocket client), judged for exceptions and leaks."""
    at = run_page(page)
    at.query_params.clear()
    at.query_params.update({k: list(v) if isinstance(v, list) else v for k, v in query.items()})
    return judge_url(at.run(), discover(page), query, fresh=False)


@_judged
def widget_case(page: str, actions: Sequence[Action]) -> Verdict:
    """A session on ``page`` performing ``actions`` one rerun at a time; stops at the first failure.

    For crafted actions the verdict's ``problems`` also records where an exception was raised
    (``origin: app`` or ``origin: streamlit``, see ``exception_origin``).
    """
    at = run_page(page)
    verdict = judge_run(at)
    for action in actions:
        if verdict.failures:
            break
        _UNCAUGHT.errors.clear()
        at = apply(at, action)
        verdict = judge_run(at)
        if verdict.exceptions and action.crafted is not None:
            origins = {exception_origin(error) for error in _UNCAUGHT.errors} or {"streamlit"}
            verdict.problems += [f"origin: {origin}" for origin in sorted(origins)]
    return verdict


def describe(page: str, steps: object, verdict: Verdict) -> str:
    """A failure message that reproduces the case."""
    lines = [f"page /{page}  {steps!r}"] + [f"  - {f}" for f in verdict.failures]
    return "\n".join(lines)
