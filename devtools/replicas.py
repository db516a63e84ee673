"""Several replicas of the app behind HAProxy on one machine: start them all, and stop them all.

N ``streamlit run`` replicas (``devtools.live.serve``, each on its own loopback port, each opened
once so that its own warm-up starts) behind one HAProxy (Debian's ``/usr/sbin/haproxy``) filled in
from ``deploy/haproxy.cfg.template``: sessions spread by ``leastconn``, kept on their replica by the
``SERVERID`` cookie, replicas health-checked on ``/_stcore/health``.

Library (tests, benchmarks)::

    with replicas.cluster(2) as c:   # c.url is the proxy; c.replicas[i].url/.proc/.name
        c.states()                   # {"r1": "UP", "r2": "UP"} as HAProxy's health checks see them
        c.kill("r1")                 # a replica dies (SIGKILL)

CLI (a teacher or an admin)::

    python -m devtools.replicas --replicas 2 --port 8501 [--address 0.0.0.0] [--print-config]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import csv
import io
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from string import Template

from devtools import live

HAPROXY = "/usr/sbin/haproxy"
TEMPLATE = live.ROOT / "deploy" / "haproxy.cfg.template"
COOKIE = "SERVERID"  # the stickiness cookie HAProxy sets; its value is the replica's name
BACKEND = "replicas"  # the backend's name in the template


@dataclass
class Replica:
    """One ``streamlit run``: ``name`` is its HAProxy server name and its SERVERID cookie value."""

    name: str
    url: str
    proc: subprocess.Popen


def render(bind: str, backends: list[tuple[str, str]], sticky: bool = True, stats_socket: str | None = None) -> str:
    """The HAProxy configuration: listen on ``bind`` (``host:port``), balance over ``backends``
    ((name, ``host:port``) pairs).

    ``sticky=False`` is a control that shows what stickiness is for: plain round robin per request,
    no cookie (downloads then reach the wrong replica). ``stats_socket``: a Unix socket path for
    ``states``.
    """
    servers = "\n".join(f"    server {name} {address}" + (f" cookie {name}" if sticky else "")
                        for name, address in backends)
    return Template(TEMPLATE.read_text()).substitute(
        bind=bind,
        balance="leastconn" if sticky else "roundrobin",
        cookie=f"    cookie {COOKIE} insert indirect nocache httponly" if sticky
        else "    # no cookie: every request balanced on its own (a control, never a deployment)",
        servers=servers,
        stats=f"    stats socket {stats_socket} mode 600 level user" if stats_socket else "",
    )


@dataclass
class Proxy:
    """A running HAProxy: ``url`` to open, ``proc`` its process, ``socket`` its stats socket."""

    url: str
    proc: subprocess.Popen
    socket: str

    def states(self) -> dict[str, str]:
        """Each replica's state as HAProxy's health checks see it now: name -> "UP", "DOWN", ... ."""
        with socket.socket(socket.AF_UNIX) as s:
            s.settimeout(5)
            s.connect(self.socket)
            s.sendall(b"show stat\n")
            data = b"".join(iter(lambda: s.recv(65536), b""))
        rows = csv.DictReader(io.StringIO(data.decode().lstrip("# ")))
        return {r["svname"]: r["status"].split()[0] for r in rows
                if r["pxname"] == BACKEND and r["svname"] not in ("BACKEND", "FRONTEND")}


@contextlib.contextmanager
def proxy(backends: list[Replica], sticky: bool = True, port: int | None = None, address: str = "127.0.0.1",
          timeout: float = 30.0) -> Iterator[Proxy]:
    """Start HAProxy in front of ``backends`` on ``address``:``port`` (a free port if None), wait up to
    ``timeout`` s until it answers ``/_stcore/health`` through a replica; yield it; stop it after."""
    port = port or live.free_port()
    with tempfile.TemporaryDirectory(prefix="eblab-haproxy-") as tmp:
        sock = str(Path(tmp) / "stats.sock")
        config = Path(tmp) / "haproxy.cfg"
        config.write_text(render(f"{address}:{port}", [(r.name, r.url.split("://", 1)[1]) for r in backends],
                                 sticky, sock))
        check = subprocess.run([HAPROXY, "-c", "-q", "-f", str(config)], capture_output=True, text=True)
        if check.returncode:
            raise RuntimeError(f"haproxy rejected its configuration:\n{check.stdout}{check.stderr}")
        log = open(Path(tmp) / "haproxy.log", "w+")  # a file, not a pipe: see live.serve
        # -db: stay in the foreground (no daemon), so this process owns it and stops it.
        proc = subprocess.Popen([HAPROXY, "-db", "-f", str(config)], stdout=log, stderr=subprocess.STDOUT)
        url = f"http://{'127.0.0.1' if address == '0.0.0.0' else address}:{port}"
        try:
            live.wait_healthy(url, proc, log, timeout, "haproxy")
            yield Proxy(url, proc, sock)
        finally:
            _stop(proc)
            log.close()


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


async def _open_once(url: str) -> None:
    from devtools.wsclient import Session  # imports protobuf classes: only when a replica is opened

    session = await Session.connect(url)
    try:
        await session.open("")
    finally:
        await session.close()


@dataclass
class Cluster:
    """N replicas and the HAProxy in front of them: ``url`` is the one address students open."""

    url: str
    replicas: list[Replica]
    proxy: Proxy
    _stack: contextlib.ExitStack = field(repr=False, default_factory=contextlib.ExitStack)

    def states(self) -> dict[str, str]:
        """Each replica's state as HAProxy's health checks see it now (``Proxy.states``)."""
        return self.proxy.states()

    def replica(self, name: str) -> Replica:
        """The replica HAProxy calls ``name`` (the SERVERID cookie's value)."""
        return next(r for r in self.replicas if r.name == name)

    def kill(self, name: str) -> None:
        """The replica ``name`` dies at once (SIGKILL: no goodbye to its sessions)."""
        proc = self.replica(name).proc
        proc.kill()
        proc.wait()

    def control(self) -> contextlib.AbstractContextManager[Proxy]:
        """A second HAProxy on the same replicas without stickiness (``render(sticky=False)``)."""
        return proxy(self.replicas, sticky=False)


@contextlib.contextmanager
def cluster(n: int = 2, port: int | None = None, address: str = "127.0.0.1", warm: bool = True,
            timeout: float = 90.0) -> Iterator[Cluster]:
    """Start ``n`` replicas on free loopback ports (each up to ``timeout`` s) and HAProxy on
    ``address``:``port``; with ``warm``, open each replica once directly so its start-up work (torch's
    import, the warm-up unless ``EBLAB_WARMUP=0``) begins before anyone comes; stop them all after."""
    with contextlib.ExitStack() as stack:
        replicas = []
        for i in range(1, n + 1):
            url, proc = stack.enter_context(live.serve(timeout=timeout))
            replicas.append(Replica(f"r{i}", url, proc))
        if warm:
            async def warm_all() -> None:
                await asyncio.gather(*(_open_once(r.url) for r in replicas))

            live.run_async(warm_all())
        front = stack.enter_context(proxy(replicas, port=port, address=address))
        yield Cluster(front.url, replicas, front)


@contextlib.contextmanager
def serving(n: int = 1, warm: bool = True, timeout: float = 90.0) -> Iterator[tuple[str, list[subprocess.Popen]]]:
    """What a load run targets: ``n == 1`` one ``streamlit run`` (no proxy), ``n >= 2`` a ``cluster``;
    yield (the URL students open, every process serving it: the replicas, then HAProxy if any)."""
    if n == 1:
        with live.serve(timeout=timeout) as (url, proc):
            if warm:
                live.run_async(_open_once(url))
            yield url, [proc]
    else:
        with cluster(n, warm=warm, timeout=timeout) as c:
            yield c.url, [r.proc for r in c.replicas] + [c.proxy.proc]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicas", type=int, default=2, help="how many `streamlit run` processes")
    parser.add_argument("--port", type=int, default=8501, help="the port students open (HAProxy's)")
    parser.add_argument("--address", default="127.0.0.1", help="HAProxy's address (0.0.0.0: the whole network)")
    parser.add_argument("--print-config", action="store_true",
                        help="print the HAProxy configuration for replicas on ports 8601, 8602, ... and exit")
    args = parser.parse_args()
    if args.print_config:
        print(render(f"{args.address}:{args.port}",
                     [(f"r{i}", f"127.0.0.1:{8600 + i}") for i in range(1, args.replicas + 1)]))
        return
    # Ctrl-C or a plain `kill` stops everything it started (a shell may start it with SIGINT ignored).
    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    with cluster(args.replicas, port=args.port, address=args.address) as c:
        for r in c.replicas:
            print(f"replica {r.name}: {r.url} (pid {r.proc.pid})")
        print(f"open {c.url} (HAProxy, pid {c.proxy.proc.pid}); Ctrl-C stops everything", flush=True)
        try:
            while c.proxy.proc.poll() is None:
                for r in list(c.replicas):
                    if r.proc.poll() is not None:  # HAProxy keeps serving on the others
                        print(f"replica {r.name} has stopped (exit {r.proc.returncode})", flush=True)
                        c.replicas.remove(r)
                time.sleep(5)
        except KeyboardInterrupt:
            print("stopping", flush=True)


if __name__ == "__main__":
    main()
