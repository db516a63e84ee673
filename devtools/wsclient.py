"""One Streamlit session over the app's own websocket protocol, as the browser speaks it.

The protocol (Streamlit 1.67, read from its server code; messages are the protobuf classes the
``streamlit`` package ships):

- Connect to ``ws://HOST/_stcore/stream`` with subprotocol ``streamlit``. Nothing runs until the
  client sends ``BackMsg.rerun_script`` (a ``ClientState``): the query string, the page (its URL
  path as ``page_name`` on the first visit, then the ``page_script_hash`` that
  ``ForwardMsg.navigation`` names), every widget's current value, and the browser context.
- We never send ``cached_message_hashes``, so the server never swaps a message for a ``ref_hash``.
- A run starts with ``new_session`` and ends with ``script_finished``. ``FINISHED_EARLY_FOR_RERUN``
  means another run follows (``st.rerun()`` in the app's URL guard, or a newer request), so a
  request is done at the first successful finish of a run that started after it was sent.
- ``page_info_changed`` carries the query string the address bar should show now (the guard and
  the URL-bound widgets change it); like the browser, the next request sends it back. A widget
  move writes a bound widget's value into it (or drops it at the default) before sending.
- A page change (checked against Chromium's own messages) sends the target's ``page_script_hash``
  with only the entry script's widgets (the sidebar's): from the sidebar the whole query string goes
  along, from an ``st.page_link`` the link's query after the address bar's sidebar parameters.
- A widget's element carries its default, and its value only when the server sets it
  (``set_value``: a link seeded it, or a preset wrote it). The client keeps the values, as the
  frontend's widget manager does, and sends all of them with each request.
- A CSV download (``st.download_button`` with a callable) is a ``BackendOperationRequest`` over the
  websocket naming the button's ``deferred_file_id`` and the session's id (from ``new_session``);
  the answer is a ``/media/...`` URL that the browser then fetches over plain HTTP (twice, in fact:
  Streamlit's frontend checks the URL with a GET, then downloads it).
- Cookies: like a browser, a session sends the cookies it was given (``connect(cookies=)``, one
  dict shared by a student's tabs) and keeps what the server sets, on the websocket upgrade and on
  downloads; behind HAProxy that is the ``SERVERID`` cookie that keeps a browser on its replica.
  The ``X-Replica`` header HAProxy adds says which replica answered (``Session.replica``).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode

import pyarrow as pa
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.Element_pb2 import Element
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from devtools.webfetch import Download, cookie_header, fetch, remember_cookies

FINISHED = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_WITH_COMPILE_ERROR,
            ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}
WIDGETS = ("slider", "number_input", "button_group", "checkbox", "button")
LOCALES = {"en": "en-US", "ko": "ko-KR"}
Path = tuple[int, ...]


@dataclass
class Widget:
    """A widget as the page last drew it: ``value`` is what the client would send now."""

    id: str
    kind: str  # one of WIDGETS
    key: str  # its URL parameter if bound, else the user key from its id
    label: str
    value: Any  # int/float (slider, number input), str | None (segmented control), bool (toggle)
    default: Any
    bound: bool
    low: float | None = None
    high: float | None = None
    options: tuple[str, ...] = ()
    integer: bool = False

    def state(self, value: Any) -> WidgetState:
        """The wire state for ``value`` (a button's state is a click)."""
        s = WidgetState(id=self.id)
        if self.kind == "slider":
            s.double_array_value.data[:] = [float(value)]
        elif self.kind == "number_input":
            if self.integer:
                s.int_value = int(value)
            else:
                s.double_value = float(value)
        elif self.kind == "button_group":
            s.string_array_value.data[:] = [] if value is None else [str(value)]
        elif self.kind == "checkbox":
            s.bool_value = bool(value)
        else:
            s.trigger_value = True
        return s


def url_text(value: Any) -> str:
    """How the frontend writes a widget value into its bound URL parameter."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def parse_widget(element: Element, stored: dict[str, Any]) -> Widget | None:
    """The widget an element draws (None for other elements); its value from the element or ``stored``."""
    kind = element.WhichOneof("type")
    if kind not in WIDGETS:
        return None
    p = getattr(element, kind)
    key = getattr(p, "query_param_key", "") or p.id.rsplit("-", 1)[-1]
    if key == "None":  # no user key (the id ends in "-None"): the label names it
        key = p.label
    w = Widget(p.id, kind, key, p.label, None, None, bool(getattr(p, "query_param_key", "")))
    if kind in ("slider", "number_input"):
        w.integer = p.data_type == p.INT
        cast = int if w.integer else float
        w.low, w.high = p.min, p.max
        w.default = cast(p.default[0] if kind == "slider" else p.default)
        if p.set_value:
            stored[p.id] = cast(p.value[0] if kind == "slider" else p.value)
    elif kind == "button_group":
        w.options = tuple(o.content for o in p.options)
        w.default = w.options[p.default[0]] if p.default else None
        if p.set_value:
            stored[p.id] = p.raw_values[0] if p.raw_values else None
    elif kind == "checkbox":
        w.default = p.default
        if p.set_value:
            stored[p.id] = p.value
    if kind != "button":
        w.value = stored.setdefault(p.id, w.default)
    return w


@dataclass
class Run:
    """What one request produced, once its last run finished."""

    seconds: float  # from sending the request to the final script_finished
    page: str  # URL path of the page that ran
    query_string: str  # the address bar after the run
    elements: dict[Path, Element]  # the final run's elements by delta path (last write wins)
    errors: list[str]  # exception elements, page_not_found, compile errors, protocol surprises
    progressed: bool  # a progress bar moved: some cached function computed (a cache miss)
    reruns: int  # runs that ended early for a rerun (the URL guard's st.rerun, or an interruption)
    # What a link carries: the URL-bound widgets' values, and the codes the link holds for labelled choices
    settings: dict[str, Any] = field(default_factory=dict)

    def shown(self) -> list[tuple[str, Any]]:
        """The numbers and text the run shows, in page order, as (kind, value); widgets, progress left out.

        Tables (static tables, dataframes, chart datasets) are decoded to ``pyarrow.Table``; a chart's spec is left
        out (titles, colours, encodings), its numbers are in its datasets.
        """
        out: list[tuple[str, Any]] = []
        for _, e in sorted(self.elements.items()):
            kind = e.WhichOneof("type")
            if kind in ("markdown", "heading", "alert", "text"):
                out.append((kind, getattr(e, kind).body))
            elif kind == "code":
                out.append((kind, e.code.code_text))
            elif kind == "metric":
                out.append((kind, (e.metric.label, e.metric.body, e.metric.delta)))
            elif kind == "exception":
                out.append((kind, e.exception.message))
            elif kind == "dataframe":
                df = e.dataframe
                out.append((kind, _table(df.arrow_data.data or df.lazy_data.initial_chunk.data)))
            elif kind == "table":  # st.table: the pages' static tables (``ui.layout.table``)
                out.append((kind, _table(e.table.arrow_data.data)))
            elif kind == "vega_lite_chart":
                c = e.vega_lite_chart
                tables = [_table(d.data.data) for d in c.datasets] + ([_table(c.data.data)] if c.data.data else [])
                out.append((kind, tables))
        return out


def _table(data: bytes) -> pa.Table:
    return pa.ipc.open_stream(data).read_all()


def fingerprint(shown: Iterable[tuple[str, Any]]) -> str:
    """A short hash of what a run shows (the output of ``Run.shown``, possibly filtered)."""
    h = hashlib.sha256()
    for kind, value in shown:
        tables = value if isinstance(value, list) else [value] if isinstance(value, pa.Table) else None
        if tables is not None:  # by content: column names and values, not Arrow's byte layout
            value = [(t.column_names, t.to_pydict()) for t in tables]
        h.update(f"{kind}\x00{value!r}\x01".encode())
    return h.hexdigest()[:16]


class SessionError(RuntimeError):
    """The server did not finish a run in time, or the connection broke."""


class Session:
    """One browser tab: ``await Session.connect(url)``, then ``open``, ``set``, ``click``; ``close`` after."""

    def __init__(self, ws, base_url: str, timeout: float, cookies: dict[str, str] | None = None) -> None:
        self._ws = ws
        self.base_url = base_url
        self.timeout = timeout
        self.cookies = cookies  # the browser's cookies, shared with its other tabs (None: keep none)
        self.replica = ws.response.headers.get("X-Replica", "")  # who took the websocket ('' without a proxy)
        self._session_id = ""  # the server's id for this session, from new_session
        self.downloads: dict[str, str] = {}  # button key -> deferred_file_id, from the last finished run
        self._operations: dict[str, asyncio.Future] = {}  # request_id -> its backend_operation_response
        self._broken = False  # a send found the connection closed before the reader did
        self.page = ""  # URL path of the page the session is on
        self.page_hashes: dict[str, str] = {}  # URL path -> page_script_hash, from ForwardMsg.navigation
        self.query_string = ""
        self.lang = "en"
        self._values: dict[str, Any] = {}  # widget id -> value, as the frontend's widget manager keeps them
        self.widgets: dict[str, Widget] = {}  # key -> widget, from the last finished run
        self._main_hash = ""  # the entry script's page_script_hash
        self._shell: set[str] = set()  # ids of the widgets the entry script (not the page) drew
        self._reset_run()
        self._sent_at = 0.0
        self._started = False  # a run started since the last request was sent
        self._done = asyncio.Event()
        self._progress = asyncio.Event()
        self._reader = asyncio.create_task(self._read())

    @classmethod
    async def connect(cls, base_url: str, timeout: float = 120.0, cookies: dict[str, str] | None = None) -> Session:
        """Open a session on the server at ``base_url`` (``http://127.0.0.1:PORT``); ``timeout`` s per run.

        ``cookies`` (name -> value) go along with the upgrade and collect what the server sets.
        """
        ws = await connect(base_url.replace("http", "ws", 1) + "/_stcore/stream", subprotocols=["streamlit"],
                           max_size=None, ping_interval=None, additional_headers=cookie_header(cookies),
                           open_timeout=timeout)
        remember_cookies(cookies, ws.response.headers.get_all("Set-Cookie"))
        return cls(ws, base_url, timeout, cookies)

    @property
    def lost(self) -> bool:
        """True once the connection is gone (the server, or a proxy's replica, closed it or died)."""
        return self._broken or self._reader.done()

    async def reopen(self) -> Session:
        """What the browser does when its connection is lost: connect again (same cookies, so a proxy
        picks the replica) and run the page the address bar shows, from its URL; the new session,
        its first run finished (``wait()`` returns it)."""
        new = await Session.connect(self.base_url, self.timeout, self.cookies)
        new.lang, new.page = self.lang, self.page
        await new._send(self.query_string, [])
        await new.wait()
        return new

    async def close(self) -> None:
        """Disconnect (the server then drops the session's state)."""
        self._reader.cancel()
        with contextlib.suppress(Exception):  # already gone with its server
            await self._ws.close()

    # --- requests ---

    async def open(self, page: str, query: dict[str, Any] | None = None, lang: str | None = None) -> Run:
        """Go to ``page`` (URL path, '' = home) as the browser would, and wait for the run.

        The session's first request is the address it was opened with: ``query`` plus ``?lang=``.
        Later, with ``query`` or ``lang`` it is a page link (``st.page_link``): the browser keeps the
        address bar's sidebar parameters (``lang``, ``present``) and appends the link's, repeats and
        all. Without, it is the sidebar: the whole query string goes along, and the server drops what
        belonged to the old page.
        """
        params = [(k, url_text(v)) for k, v in (query or {}).items()] + ([("lang", lang)] if lang else [])
        self.lang = lang or self.lang
        if not self.page_hashes:
            query_string = urlencode(params)
        elif params:
            shell = {w.key for w in self.widgets.values() if w.id in self._shell and w.bound}
            query_string = urlencode([(k, v) for k, v in parse_qsl(self.query_string) if k in shell] + params)
        else:
            query_string = self.query_string
        # With a page change the browser sends the entry script's widgets (the sidebar's), not the page's.
        states = [self._state(w) for w in self.widgets.values() if w.id in self._shell]
        await self._send(query_string, states, page)
        return await self.wait()

    async def set(self, key: str, value: Any, wait: bool = True) -> Run | None:
        """Change the widget ``key`` to ``value`` as a user would; wait for the run unless ``wait`` is False."""
        widget = self.widgets[key]
        query = dict(parse_qsl(self.query_string))
        if widget.bound:  # the frontend writes a bound widget's value into the URL, defaults left out
            if value == widget.default:
                query.pop(key, None)
            else:
                query[key] = url_text(value)
        if widget.kind != "button":
            self._values[widget.id] = value
        states = [self._state(w) for w in self.widgets.values() if w.kind != "button"]
        await self._send(urlencode(query), states)
        return await self.wait() if wait else None

    async def click(self, key: str) -> Run:
        """Click the button ``key`` (its user key, or its label for a button without one)."""
        button = self.widgets[key]
        states = [self._state(w) for w in self.widgets.values() if w.kind != "button"]
        await self._send(self.query_string, [*states, button.state(True)])
        return await self.wait()

    async def download(self, key: str) -> Download:
        """Click the CSV button ``key`` and fetch its file as the browser does: ask the server for the
        file over the websocket (``file_url``), then GET the URL it answers with (``get_file``). One click:
        a file gone before its GET is an error, not a second try.
        """
        began = time.perf_counter()
        url, error = await self.file_url(key)
        if not url:
            return Download(key, 0, self.replica, time.perf_counter() - began, error=error)
        got = await self.get_file(url, key)
        got.seconds = time.perf_counter() - began
        return got

    async def get_file(self, url: str, key: str = "") -> Download:
        """GET ``url`` (a path the server gave) over plain HTTP as the browser does (cookies sent and
        kept): status, replica, size and first line, as a ``Download`` of button ``key``."""
        began = time.perf_counter()
        status, replica, body, error = await asyncio.to_thread(fetch, self.base_url + url, self.cookies,
                                                               self.timeout)
        return Download(key, status, replica, time.perf_counter() - began, len(body),
                        body.split(b"\n", 1)[0].decode(errors="replace"), error)

    async def file_url(self, key: str) -> tuple[str, str]:
        """Click the CSV button ``key``: the server makes the file and answers with its URL (a path,
        ``/media/...``); (URL, '') or ('', what went wrong)."""
        request_id = str(uuid.uuid4())
        msg = BackMsg()
        op = msg.backend_operation_request
        op.request_id, op.session_id = request_id, self._session_id
        op.deferred_file.file_id = self.downloads[key]
        if self.lost:
            raise SessionError("the connection is closed")
        answer = self._operations[request_id] = asyncio.get_running_loop().create_future()
        await self._write(msg)
        try:
            response = await asyncio.wait_for(answer, self.timeout)
        except TimeoutError:
            raise SessionError(f"no answer to the download of {key!r} within {self.timeout:.0f} s") from None
        finally:
            self._operations.pop(request_id, None)
        url = response.deferred_file.url if response.HasField("deferred_file") else ""
        return url, "" if url else response.error_msg or "no URL"

    async def wait(self) -> Run:
        """Wait until the last request's final run finished; the run's result."""
        try:
            await asyncio.wait_for(self._done.wait(), self.timeout)
        except TimeoutError:
            raise SessionError(f"no finished run within {self.timeout:.0f} s on /{self.page}") from None
        return self._result

    async def wait_progress(self) -> bool:
        """Wait until a progress bar of the running request moves (True: a cached function is computing),
        or the run finishes without one (False)."""
        waits = [asyncio.ensure_future(self._progress.wait()), asyncio.ensure_future(self._done.wait())]
        _, pending = await asyncio.wait(waits, timeout=self.timeout, return_when=asyncio.FIRST_COMPLETED)
        for task in pending:
            task.cancel()
        return self._progress.is_set()

    def _state(self, widget: Widget) -> WidgetState:
        # The value the client holds now: a change sent while a run is going is not in ``self.widgets`` yet.
        return widget.state(self._values.get(widget.id, widget.value))

    async def _send(self, query_string: str, states: list[WidgetState], page: str | None = None) -> None:
        # A lost connection fails the request before anything moves: page and address bar stay as they
        # were, as in a browser that never got the click through (``reopen`` then starts from them).
        if self.lost:
            raise SessionError("the connection is closed")
        self.page = self.page if page is None else page
        msg = BackMsg()
        cs = msg.rerun_script
        cs.query_string = query_string
        cs.page_name = self.page
        cs.page_script_hash = self.page_hashes.get(self.page, "")
        cs.widget_states.widgets.extend(states)
        info = cs.context_info
        info.locale, info.timezone, info.timezone_offset = LOCALES[self.lang], "UTC", 0
        info.url = f"{self.base_url}/{self.page}" + (f"?{query_string}" if query_string else "")
        info.is_embedded, info.color_scheme = False, "light"
        self._done.clear()
        self._progress.clear()
        self._reset_run()
        self._started = False
        self.query_string = query_string  # the frontend updates its address bar at once
        self._sent_at = time.perf_counter()
        await self._write(msg)

    async def _write(self, msg: BackMsg) -> None:
        try:
            await self._ws.send(msg.SerializeToString())
        except ConnectionClosed as exc:
            self._broken = True
            raise SessionError(f"connection: {exc!r}") from None

    # --- what the server says ---

    def _reset_run(self) -> None:
        self._elements: dict[Path, Element] = {}
        self._owners: dict[Path, str] = {}  # which script drew each element
        self._bars: dict[Path, int] = {}  # progress deltas per bar
        self._errors: list[str] = []
        self._reruns = 0
        self._progressed = False

    async def _read(self) -> None:
        try:
            async for data in self._ws:
                msg = ForwardMsg()
                msg.ParseFromString(data)
                self._handle(msg)
        except Exception as exc:  # the connection broke: fail the waiting request instead of hanging it
            self._fail(f"connection: {exc!r}")
        else:
            self._fail("connection closed by the server")

    def _fail(self, error: str) -> None:
        for answer in self._operations.values():
            if not answer.done():
                answer.set_exception(SessionError(error))
        if not self._done.is_set():
            self._errors.append(error)
            self._finish()

    def _handle(self, msg: ForwardMsg) -> None:
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            self._elements, self._owners, self._bars = {}, {}, {}
            self._main_hash = msg.new_session.main_script_hash
            self._session_id = msg.new_session.initialize.session_id or self._session_id
            self._started = True
        elif kind == "delta":
            self._delta(msg)
        elif kind == "navigation":
            self.page_hashes = {p.url_pathname: p.page_script_hash for p in msg.navigation.app_pages}
            self.page = next((p for p, h in self.page_hashes.items() if h == msg.navigation.page_script_hash),
                             self.page)
        elif kind == "page_info_changed":
            self.query_string = msg.page_info_changed.query_string
        elif kind == "page_not_found":
            self._errors.append(f"page not found: {msg.page_not_found.page_name!r}")
        elif kind == "session_event" and msg.session_event.HasField("script_compilation_exception"):
            self._errors.append(f"compile error: {msg.session_event.script_compilation_exception.message}")
        elif kind == "backend_operation_response":
            answer = self._operations.get(msg.backend_operation_response.request_id)
            if answer is not None and not answer.done():
                answer.set_result(msg.backend_operation_response)
        elif kind == "ref_hash":  # we advertise no cached messages, so this would be a protocol change
            self._errors.append("unexpected ref_hash message")
        elif kind == "script_finished" and self._started:
            if msg.script_finished in FINISHED:
                self._finish()
            else:
                self._reruns += 1

    def _delta(self, msg: ForwardMsg) -> None:
        path = tuple(msg.metadata.delta_path)
        delta = msg.delta
        if delta.WhichOneof("type") == "add_block":  # a new container replaces what was at and below it
            self._elements = {p: e for p, e in self._elements.items() if p[: len(path)] != path}
            return
        if delta.WhichOneof("type") != "new_element":
            return
        element = delta.new_element
        self._elements[path] = element
        self._owners[path] = msg.metadata.active_script_hash
        kind = element.WhichOneof("type")
        if kind == "exception":
            self._errors.append(f"{element.exception.type}: {element.exception.message}")
        elif kind == "progress" and self._started:
            # A bar that moves is a cached function computing now (a miss); a hit replays it once, then empties it.
            self._bars[path] = self._bars.get(path, 0) + 1
            if self._bars[path] > 1:
                self._progressed = True
                self._progress.set()

    def _finish(self) -> None:
        widgets = {}
        self._shell = set()
        self.downloads = {e.download_button.id.rsplit("-", 1)[-1]: e.download_button.deferred_file_id
                          for e in self._elements.values()
                          if e.WhichOneof("type") == "download_button" and e.download_button.deferred_file_id}
        for path, element in self._elements.items():
            if (w := parse_widget(element, self._values)) is not None:
                widgets[w.key] = w
                if self._owners.get(path) == self._main_hash:
                    self._shell.add(w.id)
        live = {w.id for w in widgets.values()}
        self._values = {k: v for k, v in self._values.items() if k in live}  # like the frontend's cleanup
        self.widgets = widgets
        settings = {w.key: w.value for w in widgets.values() if w.bound}
        # A choice with translated labels is tied to the link by the app, not bound (its value here is
        # the label): the link carries its code, and leaves it out at the default, as bound ones do.
        labelled = {w.key for w in widgets.values() if not w.bound}
        settings.update((k, v) for k, v in parse_qsl(self.query_string) if k in labelled)
        self._result = Run(time.perf_counter() - self._sent_at, self.page, self.query_string, dict(self._elements),
                           list(self._errors), self._progressed, self._reruns, settings)
        self._done.set()
