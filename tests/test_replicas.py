"""Two replicas behind HAProxy on loopback (``devtools.replicas``), a small class through the proxy.

What it shows: each browser stays on one replica for its websocket and its CSV downloads (and a
control proxy without the cookie sends downloads to the wrong replica, where they are a 404);
when a replica dies mid-class its students reconnect once and carry on on the other replica from
their URL, the others notice nothing, and the same settings show the same numbers on both.
No times are asserted (``benchmarks/replicas.py`` measures them). Skips without Debian's haproxy,
unless ``EBLAB_REQUIRE_HAPROXY=1`` (set by ``.ci/run``) turns that skip into a failure.
"""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path

import pytest

from devtools import live, load, replicas
from devtools.wsclient import Session
from ui.nav import PAGES

STUDENTS = 4
KILL_AFTER = "exam_analogy"  # the replica of student 0 dies once it has downloaded this page's CSV

if not Path(replicas.HAPROXY).exists():
    if os.environ.get("EBLAB_REQUIRE_HAPROXY") == "1":
        raise RuntimeError(f"{replicas.HAPROXY} is missing (apt-get install -y haproxy)")
    pytest.skip(f"{replicas.HAPROXY} is missing (apt-get install -y haproxy)", allow_module_level=True)


async def one_browser(url: str) -> tuple[list[str], list[int], list[str]]:
    """One browser: a tab on the exam page that downloads two CSVs, then a second tab.
    (replica of each websocket, HTTP status of each download, replica of each download)."""
    cookies: dict[str, str] = {}
    first = await Session.connect(url, cookies=cookies)
    try:
        run = await first.open("exam_analogy", lang="en")
        assert not run.errors, run.errors
        got = [await first.download(key) for key in list(first.downloads)[:2]]
    finally:
        await first.close()
    second = await Session.connect(url, cookies=cookies)
    try:
        await second.open("exam_analogy", lang="en")
    finally:
        await second.close()
    return [first.replica, second.replica], [d.status for d in got], [d.replica for d in got]


async def class_with_a_death(cluster: replicas.Cluster) -> tuple[list[load.Sample], str]:
    """The class through the proxy; the replica of student 0 is killed mid-class.
    (samples, the killed replica's name)."""
    samples: list[load.Sample] = []
    killed: list[str] = []

    async def killer(lesson: asyncio.Task) -> None:
        while not any(s.student == 0 and s.kind == "download" and s.page == KILL_AFTER for s in samples):
            if lesson.done():
                return  # it never got there: the assertions below say why
            await asyncio.sleep(0.2)
        name = next(s.replica for s in samples if s.student == 0 and s.kind == "download")
        cluster.kill(name)  # synchronous: no sample lands while it dies
        killed.append(name)

    lesson = asyncio.ensure_future(load.classroom(cluster.url, sessions=STUDENTS, samples=samples, steps=1,
                                                  deviate=0.0, think=(0.3, 1.0), start=0.5, downloads=True))
    await asyncio.gather(lesson, killer(lesson))
    assert killed, [(s.student, s.page, s.kind, s.errors) for s in samples]
    return samples, killed[0]


def test_two_replicas_sticky_sessions_and_fail_over():
    with replicas.cluster(2, timeout=120) as cluster:
        # The control first: without the cookie, round robin sends a download to the other replica.
        with cluster.control() as plain:
            tabs, statuses, served = live.run_async(one_browser(plain.url))
        assert 404 in statuses, (tabs, statuses, served)
        assert len({*tabs, *served}) == 2, (tabs, statuses, served)
        # With it, both tabs and both downloads reach the replica that made them.
        tabs, statuses, served = live.run_async(one_browser(cluster.url))
        assert statuses == [200, 200] and len({*tabs, *served}) == 1, (tabs, statuses, served)

        samples, dead = live.run_async(class_with_a_death(cluster))
        states = {}
        for _ in range(60):  # HAProxy's checks take it out of rotation (about 3 s; generous on a busy machine)
            states = cluster.states()
            if states[dead] == "DOWN":
                break
            time.sleep(0.5)
        assert states[dead] == "DOWN", states

    errors = [(s.student, s.page, s.kind, s.replica, e) for s in samples for e in s.errors]
    assert not errors, errors
    # Where each student's requests were served, in order. A request answered just before the kill can
    # be recorded just after it, so each student's own order is what counts, not the kill's place.
    served = {i: [s for s in samples if s.student == i] for i in range(STUDENTS)}
    homes = {i: mine[0].replica for i, mine in served.items()}
    assert set(homes.values()) == {"r1", "r2"}, homes  # both replicas had students (leastconn spreads them)
    for i, mine in served.items():
        # Every page opened, and every page with a CSV got one downloaded (none failed: no errors above).
        assert [s.page for s in mine if s.kind == "open"] == [p.url_path for p in PAGES], mine
        # every training page has a CSV (home and the lesson plan have none)
        with_csv = [p.url_path for p in PAGES if p.url_path not in ("", "lesson_plan")]
        assert sorted(s.page for s in mine if s.kind == "download") == sorted(with_csv), mine
        back = [k for k, s in enumerate(mine) if s.reconnected]
        stay = mine[: back[0]] if back else mine
        # Until a reconnect, everything the browser asked (websocket, downloads) went to its one replica.
        assert {s.replica for s in stay} == {homes[i]}, (i, [(s.page, s.kind, s.replica) for s in mine])
        if homes[i] == dead:
            # A clear reconnect, once (a student done before the death has none: anything it asked
            # after would have failed above): that request and all after it on the other replica.
            assert len(back) <= 1, (i, mine)
            assert not back or dead not in {s.replica for s in mine[back[0]:]}, (i, mine)
        else:
            assert not back, (i, "reconnected, but its replica lived", mine)
    moved = [s for s in samples if s.reconnected]
    assert any(s.student == 0 for s in moved), "student 0 had pages left on the dead replica: it reconnects"

    # Same settings, same numbers: within each replica, across the two, and after the fail-over.
    seen = load.groups(samples)
    assert {g: f for g, f in seen.items() if len(f) > 1} == {}, "one (page, settings) showed different numbers"
    on = {g: {s.replica for s in samples if s.fingerprint and s.group == g} for g in seen}
    assert any(len(r) == 2 for r in on.values()), "no settings were shown by both replicas"
    for s in moved:  # each run after a reconnect is one that other students saw too (so the check above holds it)
        if s.run is not None:
            assert any(x.student != s.student and x.fingerprint and x.group == s.group for x in samples), s.group
