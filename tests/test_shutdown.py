"""A server stopped while its warm-up trains ends cleanly: no traceback, the warm-up and the workers stop with it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time

import pytest

from devtools import live

WARM_UP_BUSY_S = 3.0
"""How long the server runs before it is stopped: its warm-up (about 20 s of training) is mid-way."""


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_stopping_the_server_mid_warm_up_prints_no_traceback(sig):
    port = live.free_port()
    cmd = [sys.executable, "-m", "streamlit", "run", "serve.py", "--server.port", str(port),
           "--server.address", "127.0.0.1", "--server.headless", "true"]
    env = {**os.environ, "EBLAB_WORKERS": "1", "EBLAB_WARMUP": "1"}
    with tempfile.TemporaryFile(mode="w+") as log:
        proc = subprocess.Popen(cmd, cwd=live.ROOT, stdout=log, stderr=subprocess.STDOUT, text=True, env=env)
        try:
            live.wait_healthy(f"http://127.0.0.1:{port}", proc, log, 90, "streamlit")
            time.sleep(WARM_UP_BUSY_S)  # serve.py starts the warm-up before the server answers
            workers = children(proc.pid)
            assert workers, "no training worker started"
            proc.send_signal(sig)
            proc.wait(timeout=60)  # the warm-up stops with the server, not at its end
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        log.seek(0)
        output = log.read()
    assert "Traceback" not in output and "Error" not in output, output
    deadline = time.monotonic() + 30  # an orphaned worker would leave on its own within a second or two
    while any(map(alive, workers)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(map(alive, workers))


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (the server's training workers)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == pid:
                        found.append(int(entry))
            except (FileNotFoundError, ProcessLookupError):
                continue
    return found


def alive(pid: int) -> bool:
    """Whether process ``pid`` still runs (a zombie counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(") ", 1)[-1][0] != "Z"
    except FileNotFoundError:
        return False
