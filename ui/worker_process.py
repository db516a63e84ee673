"""The worker processes' side of ``ui.worker``: what runs in each of them.

A worker imports only torch and ``ebcore`` (never Streamlit). ``init`` runs once in each: one thread,
the shared memory the server reads (the fraction done, the live log's rows, the cancel flags, a slot
a job), torch's first-use costs paid, and a watch on the server that started it. ``call`` runs a job,
handing the experiment a ``progress(fraction, row=None)`` that writes its slot, and raises
``Cancelled`` once the server set the slot's cancel flag. ``call_here`` runs one in the calling thread
instead, with the same callbacks (no workers, or the page's own lane).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence

__all__ = ["MAX_ROWS", "ORPHAN_CHECK_S", "ROW_WIDTH", "Cancelled", "call", "call_here", "init"]

ROW_WIDTH = 8
MAX_ROWS = 64
ORPHAN_CHECK_S = 1.0
"""How often a worker checks that the server that started it is still there."""

_shared: dict[str, object] = {}


class Cancelled(Exception):
    """Raised inside a worker's progress update once the page that asked for the job went away."""


def init(fraction, cancel, rows, row_count, transforms: bool) -> None:  # runs once in each worker process
    import torch

    torch.set_num_threads(1)
    _shared.update(fraction=fraction, cancel=cancel, rows=rows, row_count=row_count)
    # A server killed outright (SIGKILL, an OOM kill, a crashed test) never shuts its pool down, and
    # an idle worker blocked on its queue would live on with its few hundred MB: leave with the parent.
    parent = os.getppid()
    threading.Thread(target=_leave_with, args=(parent,), daemon=True, name="orphan-check").start()
    from ebcore import startup

    # torch's first-use costs now, not in the first job; torch.func's (about 1 s) later, as a job,
    # when the server's warm-up sends it (``transforms`` False: see ``start``)
    if transforms:
        startup.warm()
    else:
        startup.warm_training()


def _leave_with(parent: int) -> None:
    while os.getppid() == parent:
        threading.Event().wait(ORPHAN_CHECK_S)
    os._exit(0)


def call(slot: int, fn: Callable, progress_kw: str | None, args: tuple, kwargs: dict):
    if progress_kw is not None:
        fraction, cancel, rows, row_count = (_shared[k] for k in ("fraction", "cancel", "rows", "row_count"))

        def progress(value: float, row: Sequence[float] | None = None) -> None:
            if cancel[slot]:
                raise Cancelled
            if row is not None and row_count[slot] < MAX_ROWS:
                base = (slot * MAX_ROWS + row_count[slot]) * ROW_WIDTH
                for i, v in enumerate(row[:ROW_WIDTH]):
                    rows[base + i] = float(v)
                row_count[slot] += 1
            fraction[slot] = float(value)

        kwargs = {**kwargs, progress_kw: progress}
    return fn(*args, **kwargs)


def call_here(target: Callable, *args, progress: Callable[[float], None] | None = None,
              progress_kw: str | None = "progress", on_row: Callable[[list[float]], None] | None = None, **kwargs):
    """``target(*args, **kwargs)`` in this thread, with ``run``'s progress and row callbacks."""
    if progress_kw is not None:
        def local(value: float, row: Sequence[float] | None = None) -> None:
            if row is not None and on_row is not None:
                on_row(list(row))
            if progress is not None:
                progress(value)

        kwargs = {**kwargs, progress_kw: local}
    return target(*args, **kwargs)
