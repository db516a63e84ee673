"""CSV downloads that answer whenever they are fetched: the server keeps each file a click made.

Streamlit (1.67) makes a deferred download's file when the button is clicked and stores it under
no session: the next two script runs of *any* session on the server delete it
(``MediaFileManager.remove_orphaned_files``). Under a class that can come before the browser's GET
(a 404: 78 of 300 one-click downloads, 60 students on one server, ``benchmarks/load.py --downloads``),
and a GET after the student's next moves always finds it gone. So ``keep`` holds every CSV a click
made, under the same ``/media/<id>.csv`` address Streamlit answers with (its id is a hash of the bytes,
MIME type and file name: the same file has the same address), and ``ServeKept``, a middleware
``serve.py`` puts in front of the app, answers those addresses from here. Memory is bounded: the
oldest files go once the kept ones pass ``BUDGET_BYTES`` (a file is dropped only after that many
bytes of newer downloads on the server).

Without ``serve.py`` (``streamlit run streamlit_app.py``) nothing is kept: no middleware would serve it.
Not covered (Streamlit's own, before any file exists): a click on a button still shown from the last
run while the student's next run is training; Streamlit may have dropped that button's generator
("Failed to generate file for download" under it), and the redrawn button works.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from starlette.responses import Response
from streamlit.runtime.media_file_storage import MediaFileKind
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

__all__ = ["BUDGET_BYTES", "MIME", "ServeKept", "keep", "kept", "kept_bytes"]

MIME = "text/csv"
BUDGET_BYTES = 32 * 2**20  # the largest CSV (the BatchNorm page's 19,200 step rows) is about 1.2 MB

_store = MemoryMediaFileStorage("/media")  # Streamlit's own class: the same ids as its /media answers
_sizes: OrderedDict[str, int] = OrderedDict()  # file id -> bytes, oldest first
_total = 0  # sum of _sizes
_lock = threading.Lock()  # clicks run in worker threads, the middleware in the event loop
_serving = False  # set by ServeKept: without it nobody would serve what is kept


def keep(data: bytes, file_name: str) -> str:
    """Keep ``data`` (a CSV a click just made, ``file_name`` as the button names it) for its address;
    the address's last part, ``<id>.csv`` ('' when nothing is kept: no ``ServeKept`` serves it)."""
    global _total
    if not _serving:
        return ""
    with _lock:
        file_id = _store.load_and_get_id(data, MIME, MediaFileKind.DOWNLOADABLE, file_name)
        _total += len(data) - _sizes.pop(file_id, 0)
        _sizes[file_id] = len(data)  # newest last
        while _total > BUDGET_BYTES and len(_sizes) > 1:
            old, size = _sizes.popitem(last=False)
            _store.delete_file(old)
            _total -= size
        return f"{file_id}.csv"


def kept(file_name: str):
    """The kept file at ``/media/<file_name>`` (``<id>.csv``) as a ``MemoryFile``, or None."""
    with _lock:
        file_id = file_name.rsplit(".", 1)[0]
        return _store.get_file(file_name) if file_id in _sizes else None


def kept_bytes() -> int:
    """How many bytes of CSV are kept now."""
    return _total


class ServeKept:
    """ASGI middleware: a GET (or HEAD) of ``…/media/<id>.csv`` that ``keep`` holds is answered from
    here, with the headers Streamlit's own media route sends; everything else goes on to the app."""

    def __init__(self, app) -> None:
        global _serving
        self.app = app
        _serving = True

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http" and scope["method"] in ("GET", "HEAD"):
            *_, folder, name = ("", "", *scope["path"].split("/"))
            file = kept(name) if folder == "media" and name.endswith(".csv") else None
            if file is not None:
                headers = {"Content-Disposition": f'attachment; filename="{file.filename}"'}
                await Response(file.content, media_type=file.mimetype, headers=headers)(scope, receive, send)
                return
        await self.app(scope, receive, send)
