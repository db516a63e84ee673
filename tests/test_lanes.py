"""ui.lanes and ui.activity: independent jobs on both cores when the page is alone, the solo results either way."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest
from conftest import Interrupted
from hypothesis import given, settings
from hypothesis import strategies as st

from ebcore.lessons import exam
from ebcore.lessons.batchnorm import experiment as bn
from ui import activity, lanes
from ui.lanes import Call


def test_the_worker_takes_the_heaviest_job_first_and_this_thread_the_next(new_worker):
    pids = lanes.run_all([Call(os.getpid, (), weight=1), Call(os.getpid, (), weight=5)], progress_kw=None,
                         here=True)
    assert pids[0] == os.getpid() != pids[1]


def test_any_weights_give_every_result_in_order(one_worker):  # one worker for every example, not a pool each
    @given(st.lists(st.integers(min_value=0, max_value=9), min_size=1, max_size=6))
    @settings(max_examples=10, deadline=None)
    def check(weights):
        calls = [Call(exam.sit, (10 + i, exam.MAX_EPOCHS, 0), weight=w) for i, w in enumerate(weights)]
        assert lanes.run_all(calls, here=True) == [exam.sit(10 + i, exam.MAX_EPOCHS, 0) for i in range(len(weights))]

    check()


def test_without_workers_the_calls_run_here_in_order(monkeypatch):
    monkeypatch.setenv("EBLAB_WORKERS", "0")
    seen: list[float] = []
    calls = [Call(exam.sit, (b, exam.MAX_EPOCHS, 3), weight=w) for b, w in ((20, 1), (50, 3))]
    assert lanes.run_all(calls, progress=seen.append, here=True) == [exam.sit(b, exam.MAX_EPOCHS, 3) for b in (20, 50)]
    assert seen == sorted(seen) and seen[-1] == pytest.approx(1.0)


def test_alone_a_page_trains_a_share_here_and_the_rest_in_the_worker(new_worker):
    pids = lanes.run_all([Call(os.getpid, ()), Call(os.getpid, ())], progress_kw=None, here=True)
    assert os.getpid() in pids and len(set(pids)) == 2
    # not alone: every job goes to the worker
    assert os.getpid() not in lanes.run_all([Call(os.getpid, ()), Call(os.getpid, ())], progress_kw=None)


def test_once_not_alone_the_rest_of_the_share_goes_to_the_worker(new_worker):
    answers = iter([True, True, False])  # alone when splitting and for the first call here, then not
    pids = lanes.run_all([Call(os.getpid, ())] * 4, progress_kw=None, here=lambda: next(answers, False))
    assert pids.count(os.getpid()) == 1


def test_the_worker_gets_its_next_job_when_free_not_at_this_threads_next_update(one_worker):
    lanes.run_all([Call(os.getpid, ())], progress_kw=None)  # the worker up and warm
    # heaviest first: getpid to the worker, the sleep here (no progress update for 1 s), then time:time
    # to the worker the moment getpid is done, long before this thread is free again
    calls = [Call(time.sleep, (1.0,), weight=3), Call(os.getpid, (), weight=5), Call(time.time, (), weight=1)]
    start = time.time()
    results = lanes.run_all(calls, progress_kw=None, here=True)
    assert results[1] != os.getpid() and time.time() - start >= 1.0
    assert results[2] - start < 0.5


def test_a_worker_that_dies_is_replaced_and_the_calls_run_again(one_worker):
    old = lanes.run_all([Call(os.getpid, ())], progress_kw=None)[0]
    killer = threading.Timer(0.5, os.kill, (old, signal.SIGKILL))  # while the worker sleeps in the job
    killer.start()
    try:
        assert lanes.run_all([Call(time.sleep, (2.0,)), Call(os.getpid, ())], progress_kw=None)[0] is None
    finally:
        killer.cancel()
    assert lanes.run_all([Call(os.getpid, ())], progress_kw=None)[0] not in (old, os.getpid())


def test_both_lanes_give_the_solo_results(one_worker):
    seen: list[float] = []
    calls = [Call(exam.sit, (b, exam.MAX_EPOCHS, 7), weight=b) for b in (40, 20, 100, 10)]
    results = lanes.run_all(calls, progress=seen.append, here=True)
    assert results == [exam.sit(b, exam.MAX_EPOCHS, 7) for b in (40, 20, 100, 10)]
    assert seen and seen[-1] == pytest.approx(1.0)


def test_an_interruption_here_cancels_the_worker_jobs_and_the_pool_goes_on(one_worker):
    def interrupt(fraction: float) -> None:
        if fraction > 0:
            raise Interrupted

    calls = [Call(exam.sit, (1, exam.MAX_EPOCHS, 0), weight=1), Call(exam.sit, (1, exam.MAX_EPOCHS, 1), weight=1)]
    with pytest.raises(Interrupted):
        lanes.run_all(calls, progress=interrupt, here=True)
    assert lanes.run_all([Call(exam.sit, (50, exam.MAX_EPOCHS, 1))]) == [exam.sit(50, exam.MAX_EPOCHS, 1)]


def test_an_error_in_a_job_reaches_the_caller(one_worker):
    with pytest.raises(ValueError):
        lanes.run_all([Call(exam.sit, (0, exam.MAX_EPOCHS, 0)), Call(exam.sit, (10, exam.MAX_EPOCHS, 0))], here=True)
    with pytest.raises(ValueError):
        lanes.run_all([Call(exam.sit, (10, exam.MAX_EPOCHS, 0)), Call(exam.sit, (0, exam.MAX_EPOCHS, 0))])


def test_activity_counts_page_runs_however_they_end():
    assert activity.running() == 0 and activity.alone()
    with activity.page_run():
        assert activity.alone()
        with pytest.raises(RuntimeError), activity.page_run():
            assert activity.running() == 2 and not activity.alone()
            raise RuntimeError
        assert activity.running() == 1
    started, release = threading.Event(), threading.Event()

    def other_page() -> None:
        with activity.page_run():
            started.set()
            release.wait(10)

    thread = threading.Thread(target=other_page)
    thread.start()
    started.wait(10)
    with activity.page_run():
        assert not activity.alone()
    release.set()
    thread.join()
    assert activity.running() == 0


@pytest.mark.parametrize("n", [190, 200])  # a last batch of 40 (every variant), and none (drop_last is keep)
def test_the_comparison_in_pieces_merges_to_the_whole(n):
    whole = bn.compare(n, 50, "adam", 0.03, 2, 2, other_norm="group")
    parts = bn.pieces(n, 50, 2, other_norm="group")
    assert [k for keys, _ in parts for k in keys] == list(whole.runs)
    pieces = [bn.compare(n, 50, "adam", 0.03, 2, 2, other_norm="group", keys=keys) for keys, _ in reversed(parts)]
    assert bn.merge(pieces) == whole
    for keys, cost in parts:  # the cost: the piece's steps per seed, weighted by its normalisation's step cost
        run = whole.runs[keys[0]][0]
        assert cost == pytest.approx(len(run.step_loss) * bn.NORM_STEP_COST[run.variant.norm])
    # GroupNorm's piece is the heaviest: it goes first (and is the one a page starts early)
    assert max(parts, key=lambda part: part[1])[0] == ["other_norm"]


def test_merge_refuses_pieces_of_other_settings_or_shared_variants():
    a = bn.compare(190, 50, "sgd", 0.03, 1, 1, keys=["keep"])
    with pytest.raises(ValueError):
        bn.merge([a, bn.compare(190, 50, "sgd", 0.03, 1, 2, keys=["drop_last"])])
    with pytest.raises(ValueError):
        bn.merge([a, a])
    with pytest.raises(ValueError):  # with no partial last batch, drop_last's runs are keep's
        bn.compare(200, 50, "sgd", 0.03, 1, 1, keys=["drop_last"])


def test_a_job_sent_early_is_taken_up_by_its_run(one_worker):
    calls = [Call(bn.compare, (120, 50, "sgd", 0.03, 1, 2, "layer", keys), weight=cost)
             for keys, cost in bn.pieces(120, 50, 1, "layer")]  # keys are lists: keyed pickled
    early = calls[-1]
    lanes.start_early(early)
    lanes.start_early(early)  # sent once
    assert list(lanes._early) == [lanes._key(early)]
    job = lanes._early[lanes._key(early)]
    seen: list[float] = []
    results = lanes.run_all(calls, progress=seen.append, here=True)
    assert bn.merge(results) == bn.compare(120, 50, "sgd", 0.03, 1, 2, other_norm="layer")
    assert not lanes._early and job.future.done() and seen[-1] == pytest.approx(1.0)


def test_a_job_another_experiment_sent_early_keeps_this_run_here_until_it_ends(one_worker):
    # The worker busy with the noise scale sent early: the grid's jobs do not queue behind it; this
    # thread takes them (both, as the early job outlasts them), and the worker is fed once it is free.
    lanes.run_all([Call(os.getpid, ())], progress_kw=None)  # the worker up and warm
    early = Call(exam.sit, (1, exam.MAX_EPOCHS, 0))  # about a second of training
    lanes.start_early(early)
    try:
        pids = lanes.run_all([Call(os.getpid, (), weight=5), Call(os.getpid, (), weight=1)], progress_kw=None,
                             here=True)
        assert pids == [os.getpid()] * 2
    finally:
        lanes._take_early(early).future.result(timeout=60)


def test_jobs_nobody_takes_up_are_dropped_once_finished(one_worker, monkeypatch):
    monkeypatch.setattr(lanes, "EARLY_MAX", 2)
    sent = [Call(exam.sit, (b, exam.MAX_EPOCHS, 0)) for b in (10, 11, 12, 13)]
    for call in sent:
        lanes.start_early(call)
        lanes._early[lanes._key(call)].future.result(timeout=60)
    assert len(lanes._early) <= 3  # the oldest finished went; at most one over while the newest runs
    lanes._early.clear()
