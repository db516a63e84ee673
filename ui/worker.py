"""Training in worker processes, so the server's threads keep the GIL for rendering.

Streamlit runs every session's script in a thread of one process. Small-model training is Python-bound,
so a student's training run used to hold the GIL and every other student's page — even one served from
the cache — waited behind it. Here an experiment runs in a worker process (``EBLAB_WORKERS`` of them,
1 by default; 0 trains in the calling thread, as the AppTest suite does) and the server thread only waits.

Progress and cancellation cross the process boundary through shared memory, one slot per running job:
the worker writes the fraction done (and, for the live Keras log, one row of numbers per epoch); the
server polls it into the page's progress bar. A rerun that interrupts the page raises inside that
progress update, as before, so nothing partial is cached; the slot's cancel flag then stops the worker
at its next update. A result is the same function of the same settings in any process (every random
draw comes from explicit generators), so a worker's numbers equal a solo run's, bit for bit.

Jobs wait in one queue a session (``ui.activity.owner``), and a worker that comes free takes the rest
of the page run it is serving, then the next session's, in turn: a student who keeps moving a slider
gets one page run in turn like anyone else, and never the class's cores. A session's newer page run
replaces its older runs' jobs (cancelled, the queued ones dropped before they start). A restless
session's jobs (``Owner.restless``: a student dragging a slider without waiting for the page) go after
every other session's, and one already training stops at its next update when another session's job
would otherwise wait for it: it goes back to the head of its queue and starts again later.

This module does not import Streamlit; what runs in the workers is ``ui.worker_process``.
"""

from __future__ import annotations

import atexit
import concurrent.futures as cf
import contextlib
import multiprocessing as mp
import os
import sys
import threading
import types
from collections import deque
from collections.abc import Callable, Hashable
from concurrent.futures.process import BrokenProcessPool

from ui import activity
from ui.worker_process import MAX_ROWS, ROW_WIDTH, call, call_here, init
from ui.worker_process import Cancelled as Cancelled  # what a cancelled job raises, for callers

SLOTS = 64
"""Jobs that may be in flight at once (queued or running), across all sessions."""
POLL_S = 0.05
"""How often a waiting page refreshes its progress bar from the worker."""
SERVED_KEPT = 4096
"""Sessions whose last turn is remembered (``_Pool.dispatch``); beyond it the half served longest ago go."""

Progress = Callable[..., None]


class Closed(Exception):
    """Raised by ``submit`` (and so ``run``) once the workers are shut down for good (``close``: the
    server is stopping), instead of starting new ones or leaving the executor's own RuntimeError."""


# --- the server side ----------------------------------------------------------------------------------


class _Pool:
    def __init__(self, workers: int, transforms: bool = True) -> None:
        ctx = mp.get_context("spawn")  # never fork a threaded server
        self.fraction = ctx.Array("d", SLOTS, lock=False)
        self.cancel = ctx.Array("b", SLOTS, lock=False)
        self.rows = ctx.Array("d", SLOTS * MAX_ROWS * ROW_WIDTH, lock=False)
        self.row_count = ctx.Array("i", SLOTS, lock=False)
        self.executor = cf.ProcessPoolExecutor(
            max_workers=workers, mp_context=ctx, initializer=init,
            initargs=(self.fraction, self.cancel, self.rows, self.row_count, transforms))
        self.free = list(range(SLOTS))
        self.lock = threading.Condition()
        # The sessions' queues (``enqueue``): the executor is handed a job only when a worker is free, so
        # that the next is chosen then, in turn, and a job cancelled before it starts never runs.
        self.capacity = workers
        self.sent = 0  # jobs handed to the executor and not finished
        self.queues: dict[Hashable, deque[Job]] = {}  # a session's jobs not sent yet (never empty), in order
        self.served: dict[Hashable, int] = {}  # when a session last had a job sent (``dispatches`` counts)
        self.dispatches = 0
        self.turn: tuple[Hashable, int | None] = (None, None)  # the session and page run last served
        self.live: dict[Hashable, set[Job]] = {}  # a session's jobs not finished (queued or sent)
        self.queue_lock = threading.RLock()
        # Start every worker now, inside _plain_main: the executor starts processes only while it has
        # fewer than max_workers, so no later submit starts one with the app script as __main__ (``init``
        # warms each worker up).
        with _plain_main():
            for _ in range(workers):
                self.executor.submit(os.getpid)

    def enqueue(self, job: Job) -> None:
        """Queue ``job`` in its session's queue; the session's jobs of older page runs are cancelled."""
        session = job.owner.session if job.owner is not None else None
        with self.queue_lock:
            for old in list(self.live.get(session, ())) if job.owner is not None else ():
                if old.owner.run < job.owner.run:
                    self._cancel(old)
            self.live.setdefault(session, set()).add(job)
            self.queues.setdefault(session, deque()).append(job)
            if not job.restless and self.sent >= self.capacity:
                self._stop_a_restless_job()
        self.dispatch()

    def _stop_a_restless_job(self) -> None:
        # (under queue_lock) a job of a calm session would wait for every worker: a restless session's job
        # in training stops at its next update, and ``_finished`` queues it again, at its session's head
        job = next((j for jobs in self.live.values() for j in jobs if j.sent and j.restless
                    and not (j.preempted or j.cancelled or j.future.done())), None)
        if job is not None:
            job.preempted, self.cancel[job.slot] = True, 1

    def _cancel(self, job: Job) -> None:
        # (under queue_lock) a queued job leaves its queue and never runs; a sent one stops at its next update
        job.cancelled = True
        if job.sent:
            if not job.future.done():
                self.cancel[job.slot] = 1
            return
        _discard(self.queues, job.session, job)
        self._forget(job)
        if not job.future.cancel():  # queued again after it was stopped for another session (running)
            job.future.set_exception(Cancelled("a newer page run replaced it"))

    def _forget(self, job: Job) -> None:
        # (under queue_lock) the job's slot is free and the session's record of it gone
        if _discard(self.live, job.session, job):
            with self.lock:
                self.free.append(job.slot)
                self.lock.notify()

    def adopt(self, job: Job, owner: activity.Owner | None) -> bool:
        """Make ``job`` (sent early by some page run) ``owner``'s, so only ``owner``'s newer runs replace
        it; False if it was cancelled already (its result may never come)."""
        with self.queue_lock:
            if job.cancelled:
                return False
            if owner is not None and job.owner != owner:
                if _discard(self.live, job.session, job):
                    self.live.setdefault(owner.session, set()).add(job)
                if _discard(self.queues, job.session, job):  # not sent yet: into its new session's queue
                    self.queues.setdefault(owner.session, deque()).append(job)
                job.owner = owner
            return True

    def dispatch(self) -> None:
        """Hand the executor the next job while a worker is free: the next job of the page run whose turn
        it is, else the first queued job of the session served longest ago (never served: first). So
        sessions take turns a page run at a time (a run's jobs back to back, as its page waits for all
        of them), and a student who has waited goes before one who was just served, however many jobs
        that one keeps sending."""
        while True:
            with self.queue_lock:
                if self.sent >= self.capacity or not self.queues:
                    return
                session, run = self.turn
                queue = self.queues.get(session)
                calm_waits = any(not waiting[0].restless for waiting in self.queues.values())
                if (not queue or queue[0].owner is None or queue[0].owner.run != run
                        or (queue[0].restless and calm_waits)):
                    # calm sessions first, then the one served longest ago (ties: first queued)
                    session = min(self.queues, key=lambda s: (self.queues[s][0].restless, self.served.get(s, 0)))
                job = self.queues[session].popleft()
                self.turn = (session, None if job.owner is None else job.owner.run)
                if not self.queues[session]:
                    del self.queues[session]
                self.dispatches += 1
                self.served[session] = self.dispatches
                if len(self.served) > SERVED_KEPT:  # forget the sessions gone longest ago
                    for gone in sorted(self.served, key=self.served.get)[:len(self.served) - SERVED_KEPT // 2]:
                        del self.served[gone]
                job.sent = True
                self.sent += 1
                if not job.future.running():  # (a job stopped for another session's is running already)
                    job.future.set_running_or_notify_cancel()
            try:
                inner = self.executor.submit(call, job.slot, *job.call)
            except cf.BrokenExecutor as error:
                self._finished(job, error=error)
            except RuntimeError as error:  # shut down meanwhile (``close``, or interpreter exit's own)
                self._finished(job, error=Closed(str(error)))
            else:
                inner.add_done_callback(lambda done, job=job: self._finished(job, done))

    def _finished(self, job: Job, done: cf.Future | None = None, error: BaseException | None = None) -> None:
        if done is not None:
            if done.cancelled():
                error = Closed("the workers were shut down")
            else:
                error = done.exception()
        with self.queue_lock:
            self.sent -= 1
            again = job.preempted and not job.cancelled and isinstance(error, Cancelled)
            job.preempted = False
            if again:  # stopped for another session's job: back to the head of its session's queue
                job.sent = False
                self.fraction[job.slot], self.cancel[job.slot], self.row_count[job.slot] = 0.0, 0, 0
                self.queues.setdefault(job.session, deque()).appendleft(job)
        if not again:
            if error is not None:
                job.future.set_exception(error)
            else:
                job.future.set_result(done.result())
            with self.queue_lock:
                self._forget(job)
        self.dispatch()

    def close_queues(self) -> None:
        """Every queued job fails with ``Closed`` (the workers are shut down)."""
        with self.queue_lock:
            queued = [job for queue in self.queues.values() for job in queue]
            self.queues.clear()
            for job in queued:
                self._forget(job)
        for job in queued:
            job.future.set_exception(Closed("the workers were shut down"))


def _discard(groups: dict, key: Hashable, job: Job) -> bool:
    """Take ``job`` out of ``groups[key]`` (a session's set or queue), and the key out once it holds no
    job; False if ``job`` was not there."""
    group = groups.get(key)
    if group is None or job not in group:
        return False
    group.remove(job)
    if not group:
        del groups[key]
    return True


@contextlib.contextmanager
def _plain_main():
    """A spawned child imports its parent's ``__main__`` first; inside Streamlit that is the app script
    (which would run again, without a server). While workers start, ``__main__`` is an empty module."""
    saved = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = saved


_pool: _Pool | None = None
_pool_lock = threading.Lock()
_closed = False  # set by ``close``: no pool starts again in this process


def workers() -> int:
    """Worker processes configured (``EBLAB_WORKERS``, default 1; 0 means train in the calling thread)."""
    try:
        return max(0, int(os.environ.get("EBLAB_WORKERS", "1")))
    except ValueError:
        return 1


def _get_pool(transforms: bool = True) -> _Pool:
    global _pool
    with _pool_lock:
        if _closed:
            raise Closed
        if _pool is None:
            _pool = _Pool(workers(), transforms)
            atexit.register(close)
        return _pool


def start(transforms: bool = True) -> None:
    """Start the worker processes now (they import torch), so the first training does not wait for them.

    ``transforms=False``: a worker does not pay ``torch.func``'s first use (``startup.warm_transforms``,
    about 1 s) at its start; the caller sends ``startup.warm_transforms`` when it suits (the warm-up
    does, before the critical-batch page's defaults, the only ones that need it)."""
    if workers() > 0:
        _get_pool(transforms)


def close() -> None:
    """Stop the workers for good (``shutdown``), as the server stops: its lifespan's end (``serve.py``) and
    interpreter exit. A job sent after this raises ``Closed``: a thread still running (the warm-up) ends
    quietly instead of starting new workers or meeting the executor's RuntimeError."""
    global _closed
    with _pool_lock:
        _closed = True
    shutdown()


def shutdown() -> None:
    """Stop the workers (cancelling what they run); the next job starts new ones (tests use this)."""
    global _pool
    with _pool_lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.close_queues()
        for slot in range(SLOTS):
            pool.cancel[slot] = 1
        pool.executor.shutdown(wait=False, cancel_futures=True)


def run(target: Callable, *args, progress: Progress | None = None, progress_kw: str | None = "progress",
        on_row: Callable[[list[float]], None] | None = None, **kwargs):
    """``target(*args, **kwargs)`` in a worker; see ``_run`` (and ``retried``)."""
    return retried(_run, target, *args, progress=progress, progress_kw=progress_kw, on_row=on_row, **kwargs)


def retried(fn: Callable, *args, **kwargs):
    """``fn(*args, **kwargs)``, which sends jobs to the workers; if a worker died (``BrokenProcessPool``),
    its pool is dropped and ``fn`` called once more, on a new one."""
    global _pool
    try:
        return fn(*args, **kwargs)
    except BrokenProcessPool:
        with _pool_lock:
            if _pool is not None and _pool.executor._broken:
                _pool.executor.shutdown(wait=False, cancel_futures=True)
                _pool = None
        return fn(*args, **kwargs)


class Job:
    """A job sent to a worker (``submit``): its result, how far it got, and a way to stop it."""

    def __init__(self, pool: _Pool, slot: int, call: tuple, owner: activity.Owner | None) -> None:
        self.pool, self.slot, self.call, self.owner = pool, slot, call, owner
        self.future: cf.Future = cf.Future()
        self.sent = False  # handed to the executor (``_Pool.dispatch``)
        self.cancelled = False  # ``cancel`` was called (or a newer run of its session replaced it)
        self.preempted = False  # told to stop for another session's job, to be queued again

    @property
    def session(self) -> Hashable:
        return None if self.owner is None else self.owner.session

    @property
    def restless(self) -> bool:  # its page run's session is dragging a slider (``activity.Owner.restless``)
        return self.owner is not None and self.owner.restless

    def fraction(self) -> float:
        """The fraction the job last reported (1.0 once it is done)."""
        return 1.0 if self.future.done() else self.pool.fraction[self.slot] if self.sent else 0.0

    def cancel(self) -> None:
        """Drop the job if it still waits its turn, else ask the worker to stop it at its next progress
        update (its result is then never read)."""
        with self.pool.queue_lock:
            self.pool._cancel(self)


def submit(target: Callable, *args, progress_kw: str | None = "progress", owner: activity.Owner | None = None,
           **kwargs) -> Job:
    """Send ``target(*args, **kwargs)`` to a worker and return at once (workers must be on).

    Jobs queue in their session's queue (``owner``: this thread's page run if not given) and the
    sessions take turns, one job at a time per worker. ``progress_kw`` names the function's progress
    argument, as for ``run``; read it with ``Job.fraction``."""
    pool = _get_pool()
    with pool.lock:
        while not pool.free:
            pool.lock.wait()
        slot = pool.free.pop()
    pool.fraction[slot], pool.cancel[slot], pool.row_count[slot] = 0.0, 0, 0
    # The slot is free again only when the worker is done with it, even if this caller left early.
    job = Job(pool, slot, (target, progress_kw, args, kwargs), activity.owner() if owner is None else owner)
    pool.enqueue(job)
    return job


def _run(target: Callable, *args, progress: Progress | None = None, progress_kw: str | None = "progress",
         on_row: Callable[[list[float]], None] | None = None, **kwargs):
    """``target(*args, **kwargs)`` in a worker; return its result. ``target`` is a module-level function
    (pickled by reference), every experiment's takes ``progress(fraction, row=None)``.

    ``progress_kw`` names the function's progress argument (None: it takes none); it is handed a callback
    ``cb(fraction, row=None)`` there, and the caller's ``progress(fraction)`` is called with what the
    worker reported, ``on_row(row)`` with each reported row. If ``progress`` or ``on_row`` raises (a
    rerun interrupting the page), the job is cancelled and the exception goes on up: nothing is returned.
    """
    if workers() == 0:
        return call_here(target, *args, progress=progress, progress_kw=progress_kw, on_row=on_row, **kwargs)
    job = submit(target, *args, progress_kw=progress_kw, **kwargs)
    pool, slot, future = job.pool, job.slot, job.future
    seen = 0
    try:
        while True:
            try:
                return future.result(timeout=POLL_S)
            except cf.TimeoutError:
                pass
            finally:
                count = pool.row_count[slot] if job.sent else 0
                if on_row is not None:
                    while seen < count:
                        base = (slot * MAX_ROWS + seen) * ROW_WIDTH
                        on_row(list(pool.rows[base:base + ROW_WIDTH]))
                        seen += 1
                if progress is not None:
                    progress(job.fraction())
    except BaseException:
        job.cancel()
        raise
