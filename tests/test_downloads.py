"""CSV downloads on one live server under a small class: every file a click was given answers, however
many script runs (the student's own, or other students') come between the click and the GET.

Streamlit alone drops a clicked file after any two script runs on the server; ``ui.downloads`` keeps it.
No timing is asserted: the order of events (click, reruns, GET) makes the old failure certain, not load.
"""

from __future__ import annotations

import asyncio

from devtools import live
from devtools.wsclient import Session

PAGES = ("epochs_early_stopping",)  # 4 CSV buttons, and its default runs train fast
STUDENTS = 4
ROUNDS = 2


async def student(url: str, index: int, given: list[tuple[int, str, str]], problems: list[str]) -> Session:
    """Open a page, click every CSV button, then leave for the lesson plan and come back (two more runs
    of this session, while the others run theirs) and fetch every URL given so far; twice. The session
    stays open (the caller closes it after a last fetch of everything)."""
    page, lang = PAGES[index % len(PAGES)], ("en", "ko")[index % 2]
    session = await Session.connect(url)
    run = await session.open(page, lang=lang)
    problems.extend(f"student {index} /{page}: {e}" for e in run.errors)
    if not session.downloads:
        problems.append(f"student {index}: no CSV button on /{page}")
    for _ in range(ROUNDS):
        for key in list(session.downloads):
            file_url, error = await session.file_url(key)
            if not file_url:
                problems.append(f"student {index} {key}: no URL ({error})")
                continue
            given.append((index, key, file_url))
        for where in ("lesson_plan", page):  # later runs of the same session: the buttons are redrawn
            run = await session.open(where)
            problems.extend(f"student {index} /{where}: {e}" for e in run.errors)
        await fetch_all(session, [g for g in given if g[0] == index], problems)
    return session


async def fetch_all(session: Session, given: list[tuple[int, str, str]], problems: list[str]) -> None:
    for index, key, file_url in given:
        got = await session.get_file(file_url, key)
        if got.status != 200 or "," not in got.first_line:
            problems.append(f"student {index} {key}: HTTP {got.status} for {file_url} {got.error}")


def test_every_csv_url_answers_after_later_runs_of_any_session():
    async def lesson(url: str) -> tuple[list[str], int]:
        given: list[tuple[int, str, str]] = []
        problems: list[str] = []
        sessions = await asyncio.gather(*(student(url, i, given, problems) for i in range(STUDENTS)))
        try:  # after everyone's runs, every URL ever given, fetched once more by the student it was given to
            for i, session in enumerate(sessions):
                await fetch_all(session, [g for g in given if g[0] == i], problems)
        finally:
            for session in sessions:
                await session.close()
        return problems, len(given)

    with live.serve() as (url, _):
        problems, given = live.run_async(lesson(url))
    assert given == STUDENTS * ROUNDS * 4, given  # every student clicked each of the page's buttons twice
    assert not problems, "\n".join(problems[:20]) + f"\n({len(problems)} problems, {given} URLs given)"


def test_kept_files_stay_within_the_budget_newest_kept(monkeypatch):
    """The server keeps clicked CSVs up to ``BUDGET_BYTES``: the oldest go first, the newest always stays."""
    from ui import downloads

    downloads.ServeKept(app=None)  # switches keeping on, as serve.py's app does
    monkeypatch.setattr(downloads, "BUDGET_BYTES", 2_500)
    files = [f"n,{i}\n".encode() + b"0" * 1_000 for i in range(4)]
    addresses = [downloads.keep(data, f"t{i}.csv") for i, data in enumerate(files)]
    assert all(a.endswith(".csv") for a in addresses) and len(set(addresses)) == 4
    assert downloads.kept_bytes() <= 2_500
    held = [downloads.kept(a) for a in addresses]
    assert held[:2] == [None, None]
    assert [(f.content, f.filename, f.mimetype) for f in held[2:]] == [(files[2], "t2.csv", "text/csv"),
                                                                       (files[3], "t3.csv", "text/csv")]
