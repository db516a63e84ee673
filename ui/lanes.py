"""Several independent jobs of one page run at once, on both cores when the server has nothing else to do.

A training page's experiment often splits into independent jobs: the BatchNorm comparison's variants,
the trade-offs sweep's batch sizes, the critical-batch grid's sizes. One worker process trains them one
after the other while the server's core waits. ``run_all`` sends them to the worker and, when this page
run is the only one in the server (``ui.activity``) and there are two or more, trains some of them in
this thread at the same time, each lane taking the next job, heaviest first, when it is free: the
machine's second core, for the student or teacher who is alone with the app. With a class on the
server every job goes to the worker, so no student's cached rerun waits for the GIL behind another's
training.

A job's result is the same function of its arguments in any process (every random draw comes from
explicit generators), so which lane computed it never shows in the numbers. A progress update that
raises (a rerun interrupting the page) stops the local share there and cancels the worker's jobs:
nothing partial is returned, so nothing partial is cached. The jobs are the page run's
(``ui.activity.owner``), queued with its session's in ``ui.worker``.

This module does not import Streamlit.
"""

from __future__ import annotations

import concurrent.futures as cf
import pickle
import threading
from collections import deque
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from ui import activity, worker, worker_process

EARLY_MAX = 16
"""Jobs sent ahead (``start_early``) kept for a ``run_all`` to take up; beyond it the oldest finished go."""
_early: dict[tuple, worker.Job] = {}
_early_lock = threading.Lock()


class Call(NamedTuple):
    """One job of ``run_all``: ``target``, a module-level function (a worker gets it pickled by reference:
    its module and name), its positional ``args``, and its
    ``weight``: its share of the work (e.g. training steps), which splits the jobs between the lanes
    and the progress bar between the jobs."""

    target: Callable[..., Any]
    args: tuple
    weight: float = 1.0


def _key(call: Call) -> tuple[str, bytes]:
    # the arguments as sent to the worker (pickled), so lists among them key a job too
    return call.target, pickle.dumps(call.args, protocol=pickle.HIGHEST_PROTOCOL)


def start_early(call: Call) -> None:
    """Send ``call`` to the worker now (workers must be on), for a ``run_all`` of the same call to take
    up: a page starts a job before it draws what comes above its results (the BatchNorm comparison's
    heaviest piece; the trade-offs page's seed experiment, drawn last, before its sweep trains), so the
    worker trains while the page's thread draws or trains. A job nobody takes up finishes and is dropped."""
    with _early_lock:
        job = _early.get(_key(call))
        if job is not None and job.pool.adopt(job, activity.owner()):  # this run's now: no newer run of
            return  # the session that sent it cancels it while this one may take it up
        _early[_key(call)] = worker.submit(call.target, *call.args, progress_kw="progress")
        finished = [k for k, job in _early.items() if job.future.done()]
        for k in finished[:max(0, len(_early) - EARLY_MAX)]:
            del _early[k]


def _take_early(call: Call, owner: activity.Owner | None = None) -> worker.Job | None:
    """The job sent early for ``call``, now ``owner``'s; None if there is none or it was cancelled."""
    with _early_lock:
        job = _early.pop(_key(call), None)
    return job if job is not None and job.pool.adopt(job, owner) else None


def _early_running() -> list[cf.Future]:
    """The jobs sent early that are still queued or running in the worker (nobody has taken them up)."""
    with _early_lock:
        return [job.future for job in _early.values() if not job.future.done()]


def run_all(calls: Sequence[Call], progress: Callable[[float], None] | None = None,
            progress_kw: str | None = "progress", here: Callable[[], bool] | bool = False) -> list[Any]:
    """``_run_all``; a worker that died is replaced once and the calls run again (``worker.retried``)."""
    return worker.retried(_run_all, calls, progress, progress_kw, here)


def _run_all(calls: Sequence[Call], progress: Callable[[float], None] | None,
             progress_kw: str | None, here: Callable[[], bool] | bool) -> list[Any]:
    """Every call's result, in ``calls`` order; each target takes its progress callback as ``progress_kw``
    (None: it takes none, and counts as done when it returns).

    Without workers (``EBLAB_WORKERS=0``) the calls run here, one after the other. With workers they
    go to the worker pool, and with ``here`` (and at least two calls) this thread trains some of them
    meanwhile: heaviest first, each lane takes the next job when it is free. ``here`` may be a function:
    it is asked again before each job this thread takes, and once it says no, the rest goes to the
    worker (another page run started: it gets the GIL back within one job). ``progress(fraction)`` follows all calls,
    weighted. Errors of a call reach the caller; an error or interruption here cancels the worker's jobs."""
    still_here = here if callable(here) else (lambda: here)
    owner = activity.owner()  # the page run these jobs are for (the feeder thread sends some of them)
    sharing = False  # whether this thread takes jobs too (decided below, with workers)
    stopped = False  # set once the run ends, however: nothing more goes to the worker
    lock = threading.Lock()  # the queue, ``jobs``, ``sharing`` and ``stopped``, shared with the feeder
    queue: deque[int] = deque()  # the jobs no lane has taken yet
    weights = [max(float(c.weight), 0.0) for c in calls]
    total = sum(weights) or 1.0
    done = [0.0] * len(calls)  # fraction of each call done, as last seen
    jobs: dict[int, worker.Job] = {}

    def report() -> None:
        if progress is not None:
            with lock:
                sent = list(jobs.items())
            for i, job in sent:
                done[i] = job.fraction()
            progress(sum(w * f for w, f in zip(weights, done, strict=True)) / total)

    def local(i: int) -> Any:
        def step(fraction: float) -> None:
            done[i] = fraction
            report()

        result = worker_process.call_here(calls[i].target, *calls[i].args, progress=step, progress_kw=progress_kw)
        step(1.0)
        return result

    results: list[Any] = [None] * len(calls)
    if worker.workers() == 0:
        for i in range(len(calls)):
            results[i] = local(i)
        return results
    # Heaviest first, each lane taking the next job when it is free (list scheduling): the lanes end
    # within about one job of each other, however far the weights are from the real costs.
    for i, call in enumerate(calls):  # jobs a page sent ahead are the worker's already
        job = _take_early(call, owner) if progress_kw == "progress" else None
        if job is not None:
            jobs[i] = job
    queue.extend(sorted((i for i in range(len(calls)) if i not in jobs), key=lambda i: (-weights[i], i)))
    sharing = len(calls) > 1 and still_here()

    def feed() -> None:
        # the worker gets the next job as soon as it has none (every job at once when not sharing)
        # a job another experiment of the page sent early counts too: ours would queue behind it
        early = len(_early_running()) if sharing else 0
        with lock:
            busy = early + sum(1 for job in jobs.values() if not job.future.done())
            while queue and not stopped and (busy == 0 or not sharing):
                i = queue.popleft()
                try:
                    jobs[i] = worker.submit(calls[i].target, *calls[i].args, progress_kw=progress_kw,
                                            owner=owner)
                except BaseException:
                    queue.appendleft(i)  # not sent: a lane still takes it
                    raise
                busy += 1

    def take() -> int | None:
        with lock:
            return queue.popleft() if queue else None

    def feeder() -> None:
        # The worker's next job goes out the moment its last one ends, not at this thread's next
        # progress update: a job here may report nothing for a while (its first-use probes at a new
        # batch size took 0.2 s at batch 600). A send that fails leaves the job to this thread.
        try:
            while True:
                with lock:
                    if stopped or not sharing or not queue:
                        return
                    running = [job.future for job in jobs.values() if not job.future.done()]
                running += _early_running()
                if running:
                    cf.wait(running, timeout=worker.POLL_S, return_when=cf.FIRST_COMPLETED)
                feed()
        except Exception:  # the page thread meets the same error if it sends, or trains the job itself
            return

    try:
        feed()
        if sharing:
            threading.Thread(target=feeder, name="lanes-feeder", daemon=True).start()
        while sharing:
            if not still_here():  # no longer alone: the worker takes the rest
                with lock:
                    sharing = False
                feed()
                break
            i = take()
            if i is None:
                break
            results[i] = local(i)
        while (i := take()) is not None:  # one the feeder could not send
            results[i] = local(i)
        with lock:
            sent = list(jobs)
        for i in sent:
            while True:
                try:
                    results[i] = jobs[i].future.result(timeout=worker.POLL_S)
                    break
                except cf.TimeoutError:
                    report()
        report()
        return results
    except BaseException:
        with lock:  # the feeder sends nothing more, and every job sent is cancelled
            stopped = True
            sent = list(jobs.values())
        for job in sent:
            job.cancel()
        raise
    finally:
        with lock:
            stopped = True
