"""ui.worker: a job in a worker process returns the solo result, reports progress, and stops when the page goes."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import Interrupted

from ebcore.lessons import epochs as ep
from ebcore.lessons import exam
from ebcore.lessons.tradeoffs import experiment as tr
from ui import worker


def test_a_worker_job_equals_the_solo_run_and_reports_progress(one_worker):
    seen: list[float] = []
    result = worker.run(exam.sit, 20, exam.MAX_EPOCHS, 3, progress=seen.append)
    assert result == exam.sit(20, exam.MAX_EPOCHS, 3)
    assert seen and seen == sorted(seen) and seen[-1] == pytest.approx(1.0)


def test_rows_carry_the_live_keras_log(one_worker):
    rows: list[list[float]] = []
    run = worker.run(ep.keras_log_run, 500, 64, 3, on_row=rows.append)
    assert run == ep.keras_log_run(500, 64, 3)
    assert [r[:4] for r in rows] == [list(m) for m in zip(run.loss, run.accuracy, run.val_loss, run.val_accuracy,
                                                           strict=True)]


def test_an_interrupted_page_gets_its_exception_and_the_pool_goes_on(one_worker):
    def interrupt(_fraction: float) -> None:
        raise Interrupted

    with pytest.raises(Interrupted):
        worker.run(exam.sit, 1, exam.MAX_EPOCHS, 0, progress=interrupt)
    # the cancelled job frees its slot; the next job runs and is exact
    assert worker.run(exam.sit, 50, exam.MAX_EPOCHS, 1) == exam.sit(50, exam.MAX_EPOCHS, 1)


def test_errors_of_the_job_reach_the_caller(one_worker):
    with pytest.raises(ValueError):
        worker.run(exam.sit, 0, exam.MAX_EPOCHS, 0)


def test_without_workers_the_job_runs_here(monkeypatch):
    monkeypatch.setenv("EBLAB_WORKERS", "0")
    seen: list[float] = []
    assert worker.run(tr.seed_experiment, range(1), progress=seen.append) == tr.seed_experiment(range(1))
    assert seen[-1] == pytest.approx(1.0)


PARENT = """
import os, sys, time
sys.path.insert(0, sys.argv[1])
os.environ["EBLAB_WORKERS"] = "1"
from ui import worker
worker.start()
worker.run(os.getpid, progress_kw=None)  # the worker is up and answering
print(" ".join(str(p) for p in worker._get_pool().executor._processes), flush=True)
time.sleep(600)
"""


def test_a_worker_leaves_when_its_server_is_killed(tmp_path):
    """A server killed outright (no shutdown) leaves no worker behind holding its memory."""

    script = tmp_path / "parent.py"
    script.write_text(PARENT)
    root = str(Path(__file__).resolve().parents[1])
    parent = subprocess.Popen([sys.executable, str(script), root], stdout=subprocess.PIPE, text=True)
    pids: list[int] = []
    try:
        pids = [int(p) for p in parent.stdout.readline().split()]
        assert pids and all(alive(p) for p in pids)
        parent.send_signal(signal.SIGKILL)
        parent.wait()
        deadline = time.monotonic() + 30  # the worker checks every second
        while any(alive(p) for p in pids) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(alive(p) for p in pids)
    finally:
        parent.kill()
        for p in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(p, signal.SIGKILL)


def alive(pid: int) -> bool:
    """Whether process ``pid`` still runs (a zombie, waiting for its reaper, counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ")[-1][0] != "Z"
    except FileNotFoundError:
        return False
