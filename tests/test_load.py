"""The real server under a small class, driven over Streamlit's own websocket protocol (``devtools.load``).

Times are not asserted here (this machine is shared and noisy): ``benchmarks/load.py`` measures them.
"""

from __future__ import annotations

import asyncio
import math
import random

import pytest
from streamlit.proto.Element_pb2 import Element
from streamlit.testing.v1 import AppTest

from devtools import live, load
from devtools.wsclient import Run, Session, url_text
from ui.lesson import STEPS
from ui.params import BY_PAGE


def test_class_of_five_same_numbers_no_errors_nothing_partial_cached():
    with live.serve() as (url, _):
        # All five make the same move on each page at about the same time (one trains, four wait for it);
        # each page from its link in a new tab: sidebar navigation is test_lesson_plan_in_one_tab's.
        samples = live.run_async(load.classroom(url, sessions=5, steps=1, deviate=0.0, think=(0.0, 0.3), start=0.5,
                                             links=True))
        check = live.run_async(load.interruption(url))
        drag = live.run_async(load.dragger(url, 0, random.Random(0), asyncio.Event(), changes=4))
    errors = [(s.student, s.page, s.kind, e) for s in samples for e in s.errors]
    assert not errors, errors
    seen = load.groups(samples)
    assert {g: f for g, f in seen.items() if len(f) > 1} == {}, "one (page, settings) showed different numbers"

    # A lone session on a fresh server recomputes the settings most students shared, one at a time.
    shared = sorted(seen, key=lambda g: -sum(s.group == g for s in samples))[:3]
    with live.serve() as (url, _):
        reference = live.run_async(load.solo(url, [*shared, (load.INTERRUPT_PAGE, check.settings)]))
    assert load.mismatches(seen, reference) == []
    assert check.interrupted and check.reopened_missed, check
    assert check.passed(reference[(load.INTERRUPT_PAGE, check.settings)].fingerprint), check
    # A student dragging N without waiting: a new value on each beat, none refused, and the page catches up.
    assert drag.changes == 4 and not drag.errors and not math.isnan(drag.last), drag


def test_lesson_plan_in_one_tab():
    """A teacher clicks each step of the lesson plan in one tab: every page opens on the step's settings."""

    async def teach(url: str) -> list[str]:
        problems = []
        session = await Session.connect(url)
        try:
            await session.open("lesson_plan", lang="en")
            for step in STEPS:
                await session.open("lesson_plan")  # back through the sidebar
                run = await session.open(step.page, dict(step.settings, lang="en"))  # the step's page link
                defaults = {p.key: p.default for p in BY_PAGE[step.page]}  # a link leaves defaults out
                shown = {key: url_text(run.settings.get(key, defaults[key])) for key in step.settings}
                if run.errors or shown != step.settings:
                    problems.append(f"{step.key}: wanted {step.settings}, shown {shown}, errors {run.errors}")
        finally:
            await session.close()
        return problems

    with live.serve() as (url, _):
        problems = live.run_async(teach(url))
    assert not problems, "\n".join(problems)


def _tradeoffs_tables(lang: str, ms: tuple[str, str], val: str) -> None:
    """The trade-offs page's sweep and claims tables (``ms``: B = 1's and B = 128's epoch times, ``val``:
    B = 1's validation loss) drawn by ``ui.layout.table``, as a table and as phone cards (an AppTest script)."""
    import pandas as pd

    from ui import layout
    from ui.locales import STRINGS

    s = STRINGS[lang]
    layout.table(pd.DataFrame({s["trade.sweep.batch"]: [1, 128], s["trade.sweep.time"]: list(ms),
                               s["trade.sweep.val"]: [val, "0.410"]}), "sweep")
    rule = s["trade.rule.faster_epochs"].format(large=128, small=1, hold=f"{0.8 * float(ms[0]):.1f}",
                                                fail=ms[0])
    layout.table(pd.DataFrame({
        s["trade.col.claim"]: [s["trade.claim.faster_epochs"], s["trade.claim.generalise"]],
        s["trade.col.measure"]: [s["trade.measure.faster_epochs"], s["trade.measure.generalise"]],
        "B = 1": [f"{ms[0]}\u00a0ms", val], "B = 128": [f"{ms[1]}\u00a0ms", "0.410"],
        s["trade.col.verdict"]: [s["trade.verdict.holds" if float(ms[1]) < 0.8 * float(ms[0]) else
                                   "trade.verdict.fails"], s["trade.verdict.holds"]],
        s["trade.col.rule"]: [rule.replace("B = ", "B\u00a0=\u00a0"), "B\u00a0=\u00a01 …"],
    }), "claims")


def _shown(lang: str, ms: tuple[str, str], val: str = "0.350") -> Run:
    """What a session would receive for ``_tradeoffs_tables``: its tables and cards as a ``Run``."""
    at = AppTest.from_function(_tradeoffs_tables, args=(lang, ms, val)).run()
    assert not at.exception, at.exception
    elements = {}
    for i, node in enumerate(at.table):
        elements[(0, i)] = e = Element()
        e.table.CopyFrom(node.proto)
    for i, node in enumerate(at.markdown):
        elements[(1, i)] = e = Element()
        e.markdown.CopyFrom(node.proto)
    return Run(0.0, "batch_tradeoffs", "", elements, [], False, 0, {"lang": lang})


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_fingerprint_leaves_out_wall_time_in_tables_and_cards_and_nothing_else(lang):
    """Two servers measure different epoch times: the solo check must still see the same numbers (the
    phone cards too, not only the table), and must see any other number that differs."""
    first = _shown(lang, ("12.5", "3.1"))
    assert [kind for kind, _ in first.shown()].count("table") == 2 and len(first.shown()) == 6  # 2 tables, 4 cards
    slower = _shown(lang, ("14.2", "2.7"))  # other times, the same verdict
    assert load.app_fingerprint(first) == load.app_fingerprint(slower)
    assert load.app_fingerprint(first) != load.app_fingerprint(_shown(lang, ("12.5", "3.1"), val="0.351"))


def _keras_logs(seconds: list[float], loss: float = 0.5) -> Run:
    """What a session would receive for three Keras logs (one per style) whose epochs took ``seconds``."""
    from ebcore.primitives import keraslog

    elements = {}
    for i, style in enumerate(keraslog.STYLES):
        elements[(0, i)] = e = Element()
        e.code.code_text = "\n".join(keraslog.log(3, 25, {"loss": [loss] * 3, "val_loss": [3e-4] * 3}, seconds,
                                                  style))
    return Run(0.0, "epochs_early_stopping", "", elements, [], False, 0, {"lang": "en"})


def test_fingerprint_leaves_out_the_keras_logs_times_and_nothing_else():
    """Issue 28, 1: the log's epoch seconds and time per step are this server's; every other character counts."""
    first = _keras_logs([0.8, 0.05, 0.0004])
    assert load.app_fingerprint(first) == load.app_fingerprint(_keras_logs([12.0, 1.5, 0.002]))
    assert load.app_fingerprint(first) != load.app_fingerprint(_keras_logs([0.8, 0.05, 0.0004], loss=0.5001))
