"""Load scenarios for the live app, driven over Streamlit's websocket protocol (``devtools.wsclient``).

- ``classroom``: N students at once, each through every page in its language (en/ko alternate),
  following the teacher's steps on each page and now and then trying a value of their own; each
  student is one browser (its cookies shared by its tabs: behind HAProxy, its replica), may download
  a CSV on each page, and reconnects as the browser does when its connection is lost.
- ``dragger``: a student who drags a slider to a new value every 0.3 s without waiting for the page
  (``classroom(draggers=N)``: N of them next to the class).
- ``solo``: given settings computed one after another, each from its link (the reference for ``classroom``).
- ``interruption``: a slider moved while a cache miss trains; the settings reopened afterwards.
- ``random_walk``: random pages and widget values across their full ranges (the memory mode).

Times are seconds from sending a change until its run finished; memory is in MB.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import math
import os
import random
import re
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import pyarrow as pa
from websockets.exceptions import InvalidHandshake

from devtools.page_content import keras_log_wall
from devtools.wsclient import Download, Run, Session, SessionError, Widget, fingerprint, url_text
from ui import lesson
from ui.locales import STRINGS
from ui.nav import PAGES
from ui.params import CriticalBatch

CLICK = "click"  # a try's value that means "press the button ``key``"
# What a student tries now and then instead of following the teacher: a few positions near the
# lesson's, and the page's presets.
CLASSROOM: dict[str, dict[str, tuple[Any, ...]]] = {
    "": {"n": (320, 1000, 1206, 8000), "batch": (10, 32, 64, 300), "epochs": (1, 10, 20),
         "preset_notes320": (CLICK,), "preset_bn1206": (CLICK,)},
    "exam_analogy": {"batch": (1, 10, 20, 100), "epochs": (10, 30, 50), "seed": (0, 1), "data": ("digits",)},
    "batch_tradeoffs": {"bmin": (1, 4, 16), "bmax": (128, 256), "epochs": (10, 15), "seeds": (3, 5),
                        "preset_notes": (CLICK,), "preset_scaling": (CLICK,), "data": ("digits",)},
    "batchnorm_last_batch": {"n": (1201, 1202, 1206), "epochs": (10, 15), "opt": ("sgd", "sgd_momentum", "adam"),
                             "seeds": (3, 5), "preset_momentum": (CLICK,), "preset_adam": (CLICK,),
                             "data": ("digits",)},
    "epochs_early_stopping": {"epoch": (10, 20, 60, 150), "points": (12, 20), "patience": (3, 10),
                              "log_batch": ("32", "64"), "data": ("digits",)},
    # The lesson's settings here are the page's defaults: every move on it is a student's own try.
    "critical_batch": {"target": ("0.5", "0.32"), "fixed": (True,), "lr": CriticalBatch.LR.options, "budget": (1, 3),
                       "seed": (1, 2), "preset_untuned": (CLICK,), "preset_close": (CLICK,), "data": ("digits",)},
    # Real handwritten digits (issue 29): the notes' Keras run and one batch's update, at other settings.
    "real_digits": {"batch": ("8", "16", "64", "256"), "epochs": (5, 15, 25), "seed": (1, 2),
                    "look_batch": ("4", "32"), "update": (20, 144, 300), "preset_1437": (CLICK,)},
}


def lesson_moves(page: str) -> list[tuple[str, str]]:
    """The teacher's settings on ``page`` in lesson order (``ui.lesson``), as (key, URL value) widget moves."""
    return [(key, value) for step in lesson.STEPS if step.page == page for key, value in step.settings.items()]


def widget_value(widget: Widget, raw: str) -> Any:
    """A URL value as the widget holds it."""
    if widget.kind in ("slider", "number_input"):
        return int(raw) if widget.integer else float(raw)
    return raw.lower() in ("true", "1") if widget.kind == "checkbox" else raw


@dataclass
class Sample:
    """One timed request of one session."""

    student: int
    page: str
    kind: str  # "open" (page visit), "change" (a widget or button) or "download" (a CSV)
    seconds: float
    errors: list[str]
    run: Run | None = None  # None when the request failed outright (timeout, connection), and for downloads
    replica: str = ""  # which replica answered (HAProxy's X-Replica; '' without a proxy)
    reconnected: bool = False  # the connection was lost and the request finished on a new one

    @property
    def group(self) -> tuple:
        """(page, settings): runs in one group must show the same numbers."""
        return self.page, tuple(sorted(self.run.settings.items())) if self.run else ()

    @functools.cached_property
    def fingerprint(self) -> str:
        """``app_fingerprint`` of the run ('' if the request failed)."""
        return app_fingerprint(self.run) if self.run is not None and not self.errors else ""


def app_fingerprint(run: Run) -> str:
    """``wsclient.fingerprint`` of a run without what is not a function of its settings.

    Left out: the share link (its host and port differ between servers); on the trade-offs page
    the measured wall time wherever it is shown (``WallTime``: tables and their phone cards) and the
    ghosts of the session's earlier sweeps (their chart data and the caption counting them); in a Keras
    log the epoch's seconds and the time per step (``page_content.keras_log_wall``).
    """
    text = defaultdict(lambda: "\0", STRINGS[run.settings.get("lang", "en")])  # a renamed key drops no rule
    ghost_caption = text["trade.sweep.caption"].split("{")[0]
    wall = WallTime(text)
    kept = []
    for kind, value in run.shown():
        if (kind == "code" and "://" in value) or (kind == "markdown" and value.startswith(ghost_caption)):
            continue
        if kind == "code":
            value = keras_log_wall(value)
        elif kind in ("table", "dataframe"):
            value = wall.table(value)
        elif kind == "markdown":
            value = wall.card(value)
        elif kind == "vega_lite_chart":
            value = [t for t in value if "sweep" not in t.column_names]
        kept.append((kind, value))
    return fingerprint(kept)


WALL = "<wall time>"  # what a measured wall time is replaced by
_MS_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?(?=[\s\u00a0]*ms)")  # a limit in ms in the epoch-time claim's rule
_CARD_LINE = re.compile(r"- (.*?): \*\*(.*)\*\*", re.S)  # a phone card's "- column: **value**" line


def _plain(markdown: str) -> str:
    """Markdown text without its backslash escapes (a card escapes ``*``, ``_``, ``|``, …)."""
    return re.sub(r"\\(.)", r"\1", markdown)


class WallTime:
    """The trade-offs page's measured wall time, wherever it is shown, replaced by ``WALL``; nothing else.

    It is the sweep table's "ms / epoch" column, and in the claims table the epoch-time claim's two
    values (ms), its verdict and the limits (ms) in its rule (the claim's name and measure stay); the
    projected verdicts table the same; and each of these tables' phone cards (``ui.layout.table``:
    "**title**" then "- column: **value**" lines), where the claim's card is titled by the claim.
    ``text``: the run's language's strings.
    """

    def __init__(self, text: dict[str, str]) -> None:
        self.column = text["trade.sweep.time"]
        self.claim = text["trade.claim.faster_epochs"]
        self.measure = text["trade.measure.faster_epochs"]
        self.rule = text["trade.col.rule"]

    def _claim_cell(self, column: str, value: Any) -> Any:
        if value in (self.claim, self.measure):
            return value
        return _MS_NUMBER.sub(WALL, value) if column == self.rule and isinstance(value, str) else WALL

    def table(self, table: pa.Table) -> pa.Table:
        """``table`` with its wall-time cells replaced (the same table if it shows none)."""
        rows = table.to_pylist()
        if self.column not in table.column_names and not any(self.claim in row.values() for row in rows):
            return table
        out = []
        for row in rows:
            if self.claim in row.values():
                row = {c: self._claim_cell(c, v) for c, v in row.items()}
            out.append({c: WALL if c == self.column else v for c, v in row.items()})
        changed = {c for row, new in zip(rows, out, strict=True) for c in row if row[c] != new[c]}
        return pa.table({c: [str(r[c]) if c in changed else r[c] for r in out] for c in table.column_names})

    def card(self, markdown: str) -> str:
        """A table's phone card with its wall-time values replaced (other Markdown as it is)."""
        head, *lines = markdown.split("\n")
        if not (head.startswith("**") and any(_CARD_LINE.fullmatch(line) for line in lines)):
            return markdown
        claim_card = _plain(head) == f"**{self.claim}**"
        out = [head]
        for line in lines:
            m = _CARD_LINE.fullmatch(line)
            if m and _plain(m.group(1)) == self.column:
                line = f"- {m.group(1)}: **{WALL}**"
            elif m and claim_card and _plain(m.group(2)) != self.measure:
                value = _MS_NUMBER.sub(WALL, m.group(2)) if _plain(m.group(1)) == self.rule else WALL
                line = f"- {m.group(1)}: **{value}**"
            out.append(line)
        return "\n".join(out)


async def _timed(samples: list[Sample], student: int, kind: str, page: str, request) -> Run | None:
    """Await ``request`` (a Session call), record it as a Sample; the run, or None if it failed."""
    try:
        run = await request
    except (SessionError, OSError, TimeoutError) as exc:
        samples.append(Sample(student, page, kind, math.nan, [repr(exc)]))
        return None
    samples.append(Sample(student, page, kind, run.seconds, run.errors, run))
    return run


def _own_choice(session: Session, page: str, rng: random.Random) -> tuple[str, Any] | None:
    """A student's own try: a classroom value, not the current one, for a widget on the page (None if none)."""
    options = {k: [v for v in vs if k in session.widgets and v != session.widgets[k].value]
               for k, vs in CLASSROOM.get(page, {}).items()}
    keys = sorted(k for k, vs in options.items() if vs)
    if not keys:
        return None
    key = rng.choice(keys)
    return key, rng.choice(options[key])


@dataclass
class Tab:
    """A student's browser tab: its session now, the browser's cookies (shared by its tabs), and
    whether a lost connection is reopened (``Session.reopen``) as the browser does."""

    url: str
    cookies: dict[str, str] = field(default_factory=dict)
    session: Session | None = None
    reconnect: bool = True


async def _request(tab: Tab, samples: list[Sample], student: int, kind: str, page: str, call) -> Run | Download | None:
    """Make a request (``call(session)``, a Session call) and record it as a Sample; its run (its
    download), or None if it failed.

    If the connection is lost on the way (its replica died) and the tab reconnects: the browser
    connects again and reruns the page its address bar shows, from the URL; the student then does
    what they did once more (a move already in the URL just reruns; a click lost with the
    connection is clicked again). The sample counts the whole time and is marked ``reconnected``.
    """
    began = time.perf_counter()
    try:
        result = await call(tab.session)
        if not (tab.reconnect and _cut(result, tab.session)):  # done before the connection went: keep it
            samples.append(_sample(student, page, kind, result, tab.session.replica))
            return result
    except (SessionError, OSError, TimeoutError) as exc:
        if not (tab.reconnect and tab.session.lost):
            samples.append(Sample(student, page, kind, math.nan, [repr(exc)], replica=tab.session.replica))
            return None
    lost = tab.session
    try:
        tab.session = await lost.reopen()
        result = await call(tab.session)
    except (SessionError, OSError, TimeoutError, InvalidHandshake) as exc:
        samples.append(Sample(student, page, kind, math.nan, [f"reconnect: {exc!r}"], replica=lost.replica,
                              reconnected=True))
        return None
    finally:
        await lost.close()
    sample = _sample(student, page, kind, result, tab.session.replica)
    sample.seconds, sample.reconnected = time.perf_counter() - began, True
    samples.append(sample)
    return result


def _cut(result: Run | Download, session: Session) -> bool:
    """Did the request fail because its replica went away? A run the lost connection broke off; a
    download whose file could not come from the session's replica (the GET reached another: the file
    is gone with it), as a browser's would fail while its tab reconnects."""
    if isinstance(result, Download):
        return result.status != 200 and (session.lost or result.replica != session.replica)
    return session.lost and any(e.startswith("connection") for e in result.errors)


def _sample(student: int, page: str, kind: str, result: Run | Download, replica: str) -> Sample:
    if isinstance(result, Download):
        ok = result.status == 200 and result.size > 0 and "," in result.first_line  # a CSV with its header
        return Sample(student, page, kind, result.seconds, [] if ok else [result.error or f"HTTP {result.status}"],
                      replica=result.replica)
    return Sample(student, page, kind, result.seconds, result.errors, result, replica)


async def student(url: str, index: int, rng: random.Random, samples: list[Sample], steps: int | None = None,
                  deviate: float = 0.25, think: tuple[float, float] = (1.0, 4.0), start: float = 5.0,
                  links: bool = False, downloads: bool = False, reconnect: bool = True) -> None:
    """One student: every page through the sidebar, moving widgets to the teacher's settings (``lesson_moves``).

    ``steps``: at most this many moves a page (all if None); ``deviate``: chance a move is replaced by
    the student's own try (``CLASSROOM``); ``think``: seconds between moves (uniform); ``start``: the
    student joins within this many seconds; ``links``: each page from its link in a new tab instead
    (the same browser: its cookies go along); ``downloads``: after the moves, download the page's
    first CSV; ``reconnect``: a lost connection is reopened from the URL (as the browser does)
    instead of failing the request.
    """
    lang = ("en", "ko")[index % 2]
    await asyncio.sleep(rng.uniform(0, start))
    tab = Tab(url, reconnect=reconnect)
    try:
        for spec in PAGES:
            page = spec.url_path
            if tab.session is None or links:
                if tab.session is not None:
                    await tab.session.close()
                tab.session = None
                try:
                    tab.session = await Session.connect(url, cookies=tab.cookies)
                except (OSError, InvalidHandshake) as exc:
                    samples.append(Sample(index, page, "open", math.nan, [f"connect: {exc!r}"]))
                    continue
                call = functools.partial(Session.open, page=page, lang=lang)
            else:
                call = functools.partial(Session.open, page=page)
            if await _request(tab, samples, index, "open", page, call) is None:
                await tab.session.close()
                tab.session = None  # a timed-out session may still be busy: the next page gets a new one
                continue
            await _moves(tab, index, page, rng, samples, steps, deviate, think)
            if downloads and tab.session.downloads:
                await asyncio.sleep(rng.uniform(*think))
                await _request(tab, samples, index, "download", page,
                               functools.partial(Session.download, key=next(iter(tab.session.downloads))))
    finally:
        if tab.session is not None:
            await tab.session.close()


async def _moves(tab: Tab, index: int, page: str, rng: random.Random, samples: list[Sample],
                 steps: int | None, deviate: float, think: tuple[float, float]) -> None:
    """A student's widget moves on the open page: the lesson's, some replaced by own tries."""
    done = 0
    for key, raw in lesson_moves(page):
        if steps is not None and done >= steps:
            break
        if rng.random() < deviate:
            key, value = _own_choice(tab.session, page, rng) or (key, None)
        else:
            value = None
        widget = tab.session.widgets.get(key)
        if widget is None and tab.session.widgets:
            # Another setting hides it (the digits' target while the made-up data is chosen, or the other way
            # round, after an own try of the data): a student cannot move it and goes on. A crash shows in
            # the run that drew the page, as that request's error.
            continue
        if widget is None:  # the page drew no widget at all (it crashed): the student moves on
            samples.append(Sample(index, page, "change", math.nan, [f"no widget {key!r}"]))
            return
        if value is None:
            value = widget_value(widget, raw)
            if value == widget.value:
                continue  # already where the teacher is
        await asyncio.sleep(rng.uniform(*think))
        if value == CLICK:
            call = functools.partial(Session.click, key=key)
        else:
            call = functools.partial(Session.set, key=key, value=value)
        await _request(tab, samples, index, "change", page, call)
        done += 1


async def classroom(url: str, sessions: int = 30, seed: int = 0, samples: list[Sample] | None = None,
                    draggers: int = 0, drags: list[Drag] | None = None, **kwargs) -> list[Sample]:
    """``sessions`` students at once (``student`` options in ``kwargs``), each with its own Random(seed + i);
    their samples (appended to ``samples`` as they come, if given: a test can watch the class).

    ``draggers``: that many more sessions drag a slider (``dragger``) from the start until the last
    student is done, Random(seed * 1000 + 500 + i) each; their own requests are not in the samples, what
    they did is appended to ``drags`` (if given).
    """
    samples = [] if samples is None else samples
    stop = asyncio.Event()
    dragging = [asyncio.create_task(dragger(url, sessions + i, random.Random(seed * 1000 + 500 + i), stop))
                for i in range(draggers)]
    try:
        await asyncio.gather(*(student(url, i, random.Random(seed + i), samples, **kwargs)
                               for i in range(sessions)))
    finally:
        stop.set()
        done = await asyncio.gather(*dragging)
    if drags is not None:
        drags.extend(done)
    return samples


# Issue 27's student who drags the BatchNorm page's N to a new value every 0.3 s without waiting for
# the page, on the settings where a run costs most (15 epochs, 8 seeds, Adam).
DRAG_PAGE, DRAG_KEY, DRAG_EVERY = "batchnorm_last_batch", "n", 0.3
DRAG_SETTINGS = {"epochs": 15, "seeds": 8, "opt": "adam"}


@dataclass
class Drag:
    """What one dragging session did."""

    student: int
    link: str = ""  # the page and settings it dragged on
    changes: int = 0  # new values sent
    seconds: float = 0.0  # from the first change to the last
    last: float = math.nan  # seconds from the last change until its run finished (the page caught up)
    errors: list[str] = field(default_factory=list)


async def dragger(url: str, index: int, rng: random.Random, stop: asyncio.Event, every: float = DRAG_EVERY,
                  page: str = DRAG_PAGE, key: str = DRAG_KEY, settings: dict[str, Any] | None = None,
                  changes: int | None = None) -> Drag:
    """A student who opens ``page`` from its link with ``settings`` (``DRAG_SETTINGS`` if None) and moves
    the widget ``key`` to a new value (uniform over its range) every ``every`` seconds without waiting
    for the page to finish, until ``stop`` is set (or after ``changes`` moves); then waits for the last
    value's run."""
    settings = DRAG_SETTINGS if settings is None else settings
    out = Drag(index, group_link((page, tuple(sorted(settings.items())))))
    try:
        session = await Session.connect(url)
    except (OSError, InvalidHandshake) as exc:
        out.errors.append(f"connect: {exc!r}")
        return out
    try:
        opened = await session.open(page, settings, lang=("en", "ko")[index % 2])
        out.errors += opened.errors
        widget = session.widgets[key]
        low, high, value = int(widget.low), int(widget.high), widget.value
        began = time.perf_counter()
        while not stop.is_set() and out.changes != changes:
            pick = rng.randint(low, high - 1)
            value = pick + (pick >= value)  # uniform over the range less the value it has
            await session.set(key, value, wait=False)
            out.changes += 1
            with contextlib.suppress(TimeoutError):  # the next move on the beat, or stop now
                await asyncio.wait_for(stop.wait(), max(0.0, began + out.changes * every - time.perf_counter()))
        out.seconds = time.perf_counter() - began
        if out.changes:
            run = await session.wait()
            out.last, out.errors = run.seconds, out.errors + run.errors
    except (SessionError, OSError, TimeoutError, KeyError) as exc:
        out.errors.append(repr(exc))
    finally:
        await session.close()
    return out


async def solo(url: str, groups: list[tuple]) -> dict[tuple, Sample]:
    """Each (page, settings) group opened from its link in a new session, one after another."""
    out = {}
    for page, settings in groups:
        values = dict(settings)
        lang = values.pop("lang", "en")
        samples: list[Sample] = []
        session = await Session.connect(url)
        try:
            await _timed(samples, -1, "open", page, session.open(page, values, lang=lang))
        finally:
            await session.close()
        out[(page, settings)] = samples[0]
    return out


def groups(samples: list[Sample]) -> dict[tuple, set[str]]:
    """The fingerprints each (page, settings) group showed, over the requests that succeeded."""
    seen: dict[tuple, set[str]] = defaultdict(set)
    for s in samples:
        if s.fingerprint:
            seen[s.group].add(s.fingerprint)
    return dict(seen)


def group_link(group: tuple) -> str:
    """A (page, settings) group written as the link that opens it."""
    page, settings = group
    return f"/{page}?" + urlencode([(k, url_text(v)) for k, v in settings])


def differences(a: Run, b: Run, width: int = 110) -> list[str]:
    """What ``b`` shows that ``a`` does not (+) and the other way round (-), shortened: for a report."""
    def items(run: Run) -> Counter:
        return Counter(f"{kind}: {_brief(value)}"[:width] for kind, value in run.shown()
                       if not (kind == "code" and "://" in value))

    ours, theirs = items(a), items(b)
    return [f"- {x}" for x in ours - theirs] + [f"+ {x}" for x in theirs - ours]


def _brief(value: Any) -> str:
    if isinstance(value, pa.Table):
        return repr(value.to_pydict())
    return repr([t.to_pydict() for t in value]) if isinstance(value, list) else str(value).replace("\n", " ")


def mismatches(seen: dict[tuple, set[str]], reference: dict[tuple, Sample]) -> list[tuple]:
    """The groups whose fingerprints differ from the reference run's (or whose reference failed)."""
    return [g for g, ref in reference.items() if g in seen and seen[g] != {ref.fingerprint}]


@dataclass
class Interruption:
    """What the interruption check saw; ``passed`` says whether nothing partial was cached."""

    settings: tuple = ()
    interrupted: bool = False  # the first run's progress bar moved before the slider did
    reopened_missed: bool = False  # reopening the settings trained again (progress shown)
    fingerprint: str = ""
    errors: list[str] = field(default_factory=list)

    def passed(self, reference: str) -> bool:
        """True if the reopened run trained anew and shows what an uninterrupted run shows."""
        return self.interrupted and self.reopened_missed and not self.errors and self.fingerprint == reference


# Settings no lesson or classroom value uses, so the check's runs are cache misses.
INTERRUPT_PAGE, INTERRUPT_AT, INTERRUPT_WITH = "batchnorm_last_batch", ("epochs", 7), ("seeds", 2)


async def interruption(url: str) -> Interruption:
    """Start a training that misses the cache, move a slider at its first progress, then reopen it."""
    out = Interruption()
    session = await Session.connect(url)
    try:
        await session.open(INTERRUPT_PAGE)
        await session.set(*INTERRUPT_AT, wait=False)
        out.interrupted = await session.wait_progress()
        if not out.interrupted:
            out.errors.append(f"{INTERRUPT_AT} did not train: it was cached already")
            return out
        key, value = INTERRUPT_WITH
        original = session.widgets[key].value
        moved = await session.set(key, value)  # the new request stops the training at its next st call
        run = await session.set(key, original)
        out.settings = tuple(sorted(run.settings.items()))
        out.reopened_missed, out.fingerprint = run.progressed, app_fingerprint(run)
        out.errors = moved.errors + run.errors
    except (SessionError, OSError, TimeoutError) as exc:
        out.errors.append(repr(exc))
    finally:
        await session.close()
    return out


def random_value(widget: Widget, rng: random.Random) -> Any:
    """A value anywhere in the widget's range: log-uniform over wide ranges, uniform otherwise."""
    if widget.kind == "button_group":
        return rng.choice(widget.options)
    if widget.kind == "checkbox":
        return rng.random() < 0.5
    low, high = int(widget.low), int(widget.high)
    if high > 100 * max(low, 1):
        return min(high, round(math.exp(rng.uniform(math.log(max(low, 1)), math.log(high)))))
    return rng.randint(low, high)


async def random_walk(url: str, interactions: int = 1000, sessions: int = 4, seed: int = 0,
                      reconnect_every: int = 50, on_progress=None) -> list[Sample]:
    """``interactions`` random requests from ``sessions`` concurrent sessions.

    Each request opens a random page (one in ten; the first by its address, in a random language, then
    through the sidebar) or sets a random widget there to a random value; a session disconnects after
    ``reconnect_every`` requests and a new one takes its place.
    ``on_progress(done)`` is called after each request.
    """
    samples: list[Sample] = []
    left = [interactions]

    async def worker(index: int) -> None:
        rng = random.Random(seed * 1000 + index)
        while left[0] > 0:
            session = await Session.connect(url)
            try:
                for n in range(reconnect_every):
                    if left[0] <= 0:
                        break
                    left[0] -= 1
                    widgets = [w for w in session.widgets.values() if w.kind != "button" and w.key != "lang"]
                    if n == 0 or not widgets or rng.random() < 0.1:
                        kind, page = "open", rng.choice(PAGES).url_path  # by address first, then the sidebar
                        request = session.open(page, lang=rng.choice(("en", "ko")) if n == 0 else None)
                    else:
                        w = rng.choice(widgets)
                        kind, page, request = "change", session.page, session.set(w.key, random_value(w, rng))
                    run = await _timed(samples, index, kind, page, request)
                    if on_progress:
                        on_progress(interactions - left[0])
                    if run is None:
                        break  # timed out or disconnected: go on in a new session
            finally:
                await session.close()

    await asyncio.gather(*(worker(i) for i in range(sessions)))
    return samples


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                ppid = int(open(f"/proc/{entry}/stat").read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def server_stats(pid: int) -> dict[str, float]:
    """The server's resident memory now (``rss``) and at its peak (``peak``: the sum of each process's
    VmHWM, an upper bound) in MB, and its CPU seconds — over the process and all its descendants (the
    training workers), so the figures are the whole server's."""
    rss = peak = cpu = 0.0
    for p in _descendants(pid):
        try:
            fields = dict(line.split(":", 1) for line in open(f"/proc/{p}/status").read().splitlines() if ":" in line)
            ticks = open(f"/proc/{p}/stat").read().rsplit(")", 1)[1].split()[11:13]  # utime, stime
        except OSError:
            continue  # the process ended meanwhile
        if "VmRSS" not in fields:
            continue  # a zombie
        rss += int(fields["VmRSS"].split()[0]) / 1024
        peak += int(fields["VmHWM"].split()[0]) / 1024
        cpu += sum(map(int, ticks)) / os.sysconf("SC_CLK_TCK")
    return {"rss": rss, "peak": peak, "cpu": cpu}


def total_stats(pids: list[int]) -> dict[str, float]:
    """``server_stats`` summed over processes (the replicas and HAProxy): RSS now, peaks, CPU seconds."""
    stats = [server_stats(pid) for pid in pids]
    return {k: sum(s[k] for s in stats) for k in ("rss", "peak", "cpu")}


def percentile(values: list[float], q: float) -> float:
    """The nearest-rank ``q`` quantile (0..1) of ``values``; nan if there are none."""
    ordered = sorted(v for v in values if not math.isnan(v))
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)] if ordered else math.nan


def summary(samples: list[Sample]) -> list[dict[str, Any]]:
    """Per page and kind: count, p50/p95/max seconds, errors, cache misses (runs that trained), and
    the p95 of hits and of misses apart (a slow hit means the server was busy with others' work)."""
    rows = []
    for spec in PAGES:
        for kind in ("open", "change", "download"):
            mine = [s for s in samples if s.page == spec.url_path and s.kind == kind]
            if mine:
                times = [s.seconds for s in mine]
                rows.append({"page": spec.url_path or "home", "kind": kind, "n": len(mine),
                             "p50": percentile(times, 0.5), "p95": percentile(times, 0.95),
                             "max": max((t for t in times if not math.isnan(t)), default=math.nan),
                             "errors": sum(bool(s.errors) for s in mine),
                             "misses": sum(bool(s.run and s.run.progressed) for s in mine),
                             "hit_p95": percentile([s.seconds for s in mine if not (s.run and s.run.progressed)], 0.95),
                             "miss_p95": percentile([s.seconds for s in mine if s.run and s.run.progressed], 0.95)})
    return rows
