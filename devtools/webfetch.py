"""What a browser does over plain HTTP beside its websocket: keep cookies, fetch a file.

Behind HAProxy the cookie that matters is ``SERVERID`` (which replica a browser belongs to); the
``X-Replica`` response header says which replica answered.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass
from http.cookies import SimpleCookie


@dataclass
class Download:
    """One CSV download: the button, the HTTP status of the file's GET (0: no URL came back), which
    replica served the file, seconds from the click to the whole file, its size in bytes and first
    line, and what went wrong ('' if nothing)."""

    key: str
    status: int
    replica: str
    seconds: float
    size: int = 0
    first_line: str = ""
    error: str = ""


def remember_cookies(cookies: dict[str, str] | None, set_cookie: Iterable[str]) -> None:
    """Keep the cookies of ``Set-Cookie`` header values in ``cookies`` (name -> value), as a browser does."""
    if cookies is None:
        return
    for header in set_cookie:
        jar = SimpleCookie()
        jar.load(header)
        cookies.update({name: morsel.value for name, morsel in jar.items()})


def cookie_header(cookies: dict[str, str] | None) -> dict[str, str]:
    """The ``Cookie`` request header for ``cookies`` (none if there are none)."""
    return {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())} if cookies else {}


def fetch(url: str, cookies: dict[str, str] | None, timeout: float) -> tuple[int, str, bytes, str]:
    """GET ``url`` on a new connection (a proxy balances each one), sending ``cookies`` and keeping the
    ones the answer sets; (HTTP status or 0 if none, the ``X-Replica`` header, body, error or '')."""
    request = urllib.request.Request(url, headers=cookie_header(cookies))
    try:
        with urllib.request.urlopen(request, timeout=timeout) as r:
            remember_cookies(cookies, r.headers.get_all("Set-Cookie") or [])
            return r.status, r.headers.get("X-Replica", ""), r.read(), ""
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("X-Replica", ""), b"", f"HTTP {exc.code} for {url}"
    except OSError as exc:
        return 0, "", b"", repr(exc)
