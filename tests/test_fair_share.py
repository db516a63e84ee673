"""ui.worker's fair share: sessions take turns for the worker, and a session's newer page run replaces its
older runs' jobs."""

from __future__ import annotations

import os
import threading
import time

import pytest
from conftest import Interrupted

from ebcore.lessons import exam
from ui import activity, lanes, worker
from ui.activity import Owner
from ui.lanes import Call

BUSY_S = 1.0
"""How long a first job keeps the one worker busy while a test fills the queues (they fill in microseconds)."""


def busy_worker() -> worker.Job:
    worker.run(os.getpid, progress_kw=None)  # the worker up and warm
    return worker.submit(time.sleep, BUSY_S, progress_kw=None)


def test_sessions_take_turns_a_page_run_at_a_time(one_worker):
    busy = busy_worker()
    flood = [worker.submit(time.time, progress_kw=None, owner=Owner("dragging", 1)) for _ in range(3)]
    other = worker.submit(time.time, progress_kw=None, owner=Owner("waiting", 2))
    started = {name: job.future.result(timeout=60) for name, job in
               (("flood0", flood[0]), ("flood1", flood[1]), ("flood2", flood[2]), ("other", other))}
    busy.future.result(timeout=60)
    # one page run's jobs back to back (its page waits for all of them), then the other session's turn
    assert sorted(started, key=started.get) == ["flood0", "flood1", "flood2", "other"]
    # the session served longest ago goes first, not the one whose job arrived first
    busy = busy_worker()
    waiting = worker.submit(time.time, progress_kw=None, owner=Owner("waiting", 3))
    dragging = worker.submit(time.time, progress_kw=None, owner=Owner("dragging", 4))
    assert dragging.future.result(timeout=60) < waiting.future.result(timeout=60)
    busy.future.result(timeout=60)


def test_a_restless_sessions_jobs_wait_for_everyone_elses(one_worker):
    """A student dragging a slider (``Owner.restless``) gets the worker after the class, even mid-run."""
    busy = busy_worker()
    flood = [worker.submit(time.time, progress_kw=None, owner=Owner("dragging", 1, True)) for _ in range(3)]
    other = worker.submit(time.time, progress_kw=None, owner=Owner("waiting", 2))
    assert other.future.result(timeout=60) < min(job.future.result(timeout=60) for job in flood)
    busy.future.result(timeout=60)


def test_a_restless_job_in_training_steps_aside_and_runs_again(one_worker):
    worker.run(os.getpid, progress_kw=None)
    restless = worker.submit(exam.sit, 1, exam.MAX_EPOCHS, 0, owner=Owner("dragging", 1, True))  # batch 1: long
    while restless.fraction() == 0.0 and not restless.future.done():  # training, past its first update
        time.sleep(0.01)
    calm = worker.submit(exam.sit, 50, exam.MAX_EPOCHS, 1, owner=Owner("waiting", 2))
    assert calm.future.result(timeout=60) == exam.sit(50, exam.MAX_EPOCHS, 1)
    assert not restless.future.done()  # stopped, queued again: it starts over after the calm job
    assert restless.future.result(timeout=60) == exam.sit(1, exam.MAX_EPOCHS, 0)


def test_a_newer_run_of_a_session_replaces_its_older_runs_jobs(one_worker):
    busy = busy_worker()
    older = [worker.submit(time.time, progress_kw=None, owner=Owner("student", 1)) for _ in range(2)]
    elsewhere = worker.submit(time.time, progress_kw=None, owner=Owner("classmate", 2))
    newer = worker.submit(time.time, progress_kw=None, owner=Owner("student", 3))
    assert all(job.future.cancelled() for job in older)  # dropped from the queue: they never run
    assert newer.future.result(timeout=60) and elsewhere.future.result(timeout=60)  # another session's stays
    busy.future.result(timeout=60)


def test_a_newer_run_stops_the_older_runs_job_already_training(one_worker):
    worker.run(os.getpid, progress_kw=None)
    older = worker.submit(exam.sit, 1, exam.MAX_EPOCHS, 0, owner=Owner("student", 1))  # batch 1: long
    while older.fraction() == 0.0 and not older.future.done():  # training, past its first update
        time.sleep(0.01)
    newer = worker.submit(exam.sit, 50, exam.MAX_EPOCHS, 1, owner=Owner("student", 2))
    with pytest.raises(worker.Cancelled):
        older.future.result(timeout=60)
    assert newer.future.result(timeout=60) == exam.sit(50, exam.MAX_EPOCHS, 1)


def test_a_job_sent_early_and_taken_up_by_another_session_survives_its_senders_next_run(one_worker):
    busy = busy_worker()
    call = Call(exam.sit, (20, exam.MAX_EPOCHS, 3))
    with activity.page_run("sender"):
        lanes.start_early(call)
    with activity.page_run("classmate"):
        job = lanes._take_early(call, activity.owner())
    assert job is not None
    with activity.page_run("sender"):  # the sender's next run: its own older jobs go, not the classmate's
        worker.submit(os.getpid, progress_kw=None)
    assert job.future.result(timeout=60) == exam.sit(20, exam.MAX_EPOCHS, 3)
    busy.future.result(timeout=60)


def test_page_runs_know_their_session_and_run():
    assert activity.owner() is None
    seen: list[Owner] = []
    with activity.page_run("a"):
        seen.append(activity.owner())
        thread = threading.Thread(target=lambda: seen.append(activity.owner()))
        thread.start()
        thread.join()
    with activity.page_run("a"):
        seen.append(activity.owner())
    with activity.page_run():
        seen.append(activity.owner())
    first, other_thread, second, anonymous = seen
    assert other_thread is None  # a helper thread is no page run
    assert first.session == second.session == "a" and first.run < second.run
    assert anonymous.session not in ("a", None)


def test_a_session_that_keeps_cutting_its_page_runs_short_waits_before_the_next(monkeypatch):
    slept: list[float] = []
    monkeypatch.setattr(activity.time, "sleep", slept.append)

    def cut_short(session: str) -> None:  # a page run a newer request interrupts (Streamlit raises inside)
        with pytest.raises(Interrupted), activity.page_run(session):
            raise Interrupted

    cut_short("dragging")
    with activity.page_run("dragging"):  # cut short once (the app's own rerun, say): no wait
        pass
    assert not slept
    cut_short("dragging")
    cut_short("dragging")
    with activity.page_run("dragging"):  # two in a row: this one waits first, off the GIL
        pass
    assert len(slept) == 1 and slept[0] <= activity.CUT_GAP_S
    with activity.page_run("dragging"), activity.page_run("reading"):  # answered: no more waiting
        pass
    assert len(slept) == 1


def test_a_restless_session_lets_the_pages_being_drawn_go_first(monkeypatch):
    """Its next run waits (off the GIL) while another session's page run is going, at most YIELD_MAX_S."""
    clock, slept = [100.0], []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock[0] += seconds

    monkeypatch.setattr(activity.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(activity.time, "sleep", sleep)
    for _ in range(2):
        with pytest.raises(Interrupted), activity.page_run("dragging"):
            raise Interrupted
    with activity.page_run("reading"):  # a classmate's page is being drawn meanwhile
        with activity.page_run("dragging"):
            assert activity.owner().restless
    assert activity.YIELD_MAX_S <= sum(slept) <= activity.CUT_GAP_S + activity.YIELD_MAX_S + activity.YIELD_POLL_S
