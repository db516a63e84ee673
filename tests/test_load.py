"""The real server under a small class, driven over Streamlit's own websocket protocol (``devtools.load``).

Times are not asserted here (this machine is shared and noisy): ``benchmarks/load.py`` measures them.
"""

from __future__ import annotations

import asyncio

from devtools import live, load
from devtools.wsclient import Session, url_text
from ui.lesson import STEPS
from ui.params import BY_PAGE


def test_class_of_five_same_numbers_no_errors_nothing_partial_cached():
    with live.serve() as (url, _):
        # All five make the same move on each page at about the same time (one trains, four wait for it);
        # each page from its link in a new tab: sidebar navigation is test_lesson_plan_in_one_tab's.
        samples = asyncio.run(load.classroom(url, sessions=5, steps=1, deviate=0.0, think=(0.0, 0.3), start=0.5,
                                             links=True))
        check = asyncio.run(load.interruption(url))
    errors = [(s.student, s.page, s.kind, e) for s in samples for e in s.errors]
    assert not errors, errors
    seen = load.groups(samples)
    assert {g: f for g, f in seen.items() if len(f) > 1} == {}, "one (page, settings) showed different numbers"

    # A lone session on a fresh server recomputes the settings most students shared, one at a time.
    shared = sorted(seen, key=lambda g: -sum(s.group == g for s in samples))[:3]
    with live.serve() as (url, _):
        reference = asyncio.run(load.solo(url, [*shared, (load.INTERRUPT_PAGE, check.settings)]))
    assert load.mismatches(seen, reference) == []
    assert check.interrupted and check.reopened_missed, check
    assert check.passed(reference[(load.INTERRUPT_PAGE, check.settings)].fingerprint), check


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
        problems = asyncio.run(teach(url))
    assert not problems, "\n".join(problems)
