"""Fuzz every page at scale and count what happened: the suite's properties (tests/test_fuzz.py), hundreds of times.

Per page, four kinds of example, drawn by hypothesis from ``devtools.fuzz``'s strategies and judged by
its oracles (nothing here is a second copy of either):

- url: a fresh session opening a fuzzed link (``link_case``);
- session: an open page rerun with a fuzzed query string, as the back button can (``session_case``);
- widget: browser-possible widget moves (``widget_case`` with ``browser_actions``);
- crafted: hand-written websocket widget messages a browser cannot send (``crafted_actions``), reported
  apart, with where each exception came from (Streamlit's own code or the app's).

Usage: python benchmarks/fuzz_pages.py [examples per page and kind, default 200] [--seed N] [--jobs J]
                                       [--pages home,exam_analogy,...] [--timeout S]
"""

from __future__ import annotations

import argparse
import collections
import multiprocessing
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
# Each example computes what it shows (as in the tests); no start-up warm-up competing in every worker.
os.environ.setdefault("EBLAB_WARMUP", "0")

from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from devtools import fuzz  # noqa: E402

KINDS = ("url", "session", "widget", "crafted")
SAMPLES_PER_FAILURE = 2  # examples kept per kind of failure, for the report


def _kind_of_failure(message: str) -> str:
    # Group failures by what broke, not by the fuzzed value: "exception: TypeError", "markdown leak", …
    head = message.split(":", 2)
    if message.startswith("exception: "):
        return "exception: " + head[1].strip()
    if "neither taken" in message:
        return "neither taken nor noted"
    if message.startswith("hang: "):
        return "hang: a run never finished (rerun loop)"
    if "does not echo" in message:
        return "note does not echo the value in a code span"
    if "got a note" in message:
        return "valid value noted"
    if "not the default" in message:
        return "noted but not the default"
    return head[0]


def _property(page, kind, strategy, case, tally, samples, examples, seed_value):
    """The suite's property for ``kind`` as a hypothesis test that counts verdicts instead of asserting."""

    @seed(seed_value)
    @settings(max_examples=examples, deadline=None, database=None, phases=(Phase.generate,),
              suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def run(data):
        steps = data.draw(strategy)
        try:
            verdict = case(page, steps)
        except Exception as exc:  # the harness itself failed (AppTest raised): count it, keep going
            verdict = fuzz.Verdict(problems=[f"harness: {type(exc).__name__}: {exc}"[:300]])
        tally["examples"] += 1
        tally["notes"] += len(verdict.noted)
        tally["accepted"] += len(verdict.accepted)
        tally["exceptions"] += bool(verdict.exceptions)
        tally["html_leaks"] += bool(verdict.html_leaks)
        tally["markdown_leaks"] += bool(verdict.markdown_leaks)
        for origin in ("app", "streamlit"):
            tally[f"exc_{origin}"] += f"origin: {origin}" in verdict.problems
        hang = any(p.startswith("hang: ") for p in verdict.problems)
        tally["hangs"] += hang
        tally["other"] += not hang and any(not p.startswith("origin: ") for p in verdict.problems)
        for failure in verdict.failures:
            if failure.startswith("origin: "):
                continue
            what = _kind_of_failure(failure)
            bucket = samples[(kind, what)]
            if len(bucket) < SAMPLES_PER_FAILURE:
                bucket.append(f"{steps!r}\n      -> {failure[:400]}")
            tally[f"fail:{what}"] += 1

    return run


def fuzz_page(page: str, examples: int, seed_value: int) -> dict:
    """Run every kind ``examples`` times on ``page``; return the counts, sample failures and timings."""
    info = fuzz.discover(page)
    counts: dict[str, collections.Counter] = {kind: collections.Counter() for kind in KINDS}
    samples: dict[tuple[str, str], list[str]] = collections.defaultdict(list)
    seconds: dict[str, float] = {}
    strategies = {
        "url": fuzz.url_queries(info),
        "session": fuzz.url_queries(info),
        "widget": fuzz.browser_actions(info),
        "crafted": fuzz.crafted_actions(info),
    }
    cases = {
        "url": fuzz.link_case,
        "session": fuzz.session_case,
        "widget": fuzz.widget_case,
        "crafted": fuzz.widget_case,
    }
    for kind in KINDS:
        run = _property(page, kind, strategies[kind], cases[kind], counts[kind], samples, examples, seed_value)
        start = time.perf_counter()
        run()
        seconds[kind] = time.perf_counter() - start
        print(f"fuzz_pages: /{page} {kind}: {examples} examples in {seconds[kind]:.0f} s", file=sys.stderr, flush=True)
    return {"page": page, "counts": {k: dict(v) for k, v in counts.items()}, "samples": dict(samples),
            "seconds": seconds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("examples", nargs="?", type=int, default=200, help="examples per page and kind")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1), help="pages fuzzed in parallel")
    parser.add_argument("--pages", help="comma-separated URL paths ('home' for the home page); default all")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds after which a run counts as a hang")
    args = parser.parse_args()
    os.environ["EBLAB_FUZZ_TIMEOUT"] = str(args.timeout)  # read by devtools.fuzz in the worker processes
    pages = fuzz.page_paths()
    if args.pages:
        wanted = {"" if p == "home" else p for p in args.pages.split(",")}
        pages = [p for p in pages if p in wanted]

    start = time.perf_counter()
    # A fresh process per page: AppTest runs the app as ``__main__`` in the worker, after which the
    # pool could not unpickle its next task (this script's functions live in ``__main__`` too).
    with ProcessPoolExecutor(max_workers=args.jobs, mp_context=multiprocessing.get_context("spawn"),
                             max_tasks_per_child=1) as pool:
        results = list(pool.map(fuzz_page, pages, [args.examples] * len(pages), [args.seed] * len(pages)))
    wall = time.perf_counter() - start

    columns = [("URL ex", "url", "examples"), ("session ex", "session", "examples"),
               ("widget ex", "widget", "examples"), ("notes", "url", "notes"), ("accepted", "url", "accepted"),
               ("exceptions", None, "exceptions"), ("hangs", None, "hangs"), ("HTML leaks", None, "html_leaks"),
               ("md leaks", None, "markdown_leaks"), ("other", None, "other"),
               ("crafted ex", "crafted", "examples"), ("crafted exc (st/app)", "crafted", None), ("time s", None, None)]
    print(f"fuzz_pages: {args.examples} examples per page and kind, seed {args.seed}, {args.jobs} jobs\n")
    print(f"{'page':<24}" + "".join(f"{name:>{max(len(name) + 2, 10)}}" for name, _, _ in columns))
    totals: collections.Counter = collections.Counter()

    def cell(result: dict, kind: str | None, field: str | None) -> str:
        counts = result["counts"]
        if field is None and kind == "crafted":
            crafted = counts["crafted"]
            totals["crafted_st"] += crafted.get("exc_streamlit", 0)
            totals["crafted_app"] += crafted.get("exc_app", 0)
            return f"{crafted.get('exc_streamlit', 0)}/{crafted.get('exc_app', 0)}"
        if field is None:
            value = sum(result["seconds"].values())
            return f"{value:.0f}"
        # Real-frontend kinds only: crafted messages are reported in their own columns.
        value = counts[kind].get(field, 0) if kind else sum(counts[k].get(field, 0) for k in KINDS[:3])
        totals[(kind, field)] += value
        return str(value)

    for result in results:
        name = result["page"] or "home"
        print(f"{name:<24}" + "".join(f"{cell(result, k, f):>{max(len(n) + 2, 10)}}" for n, k, f in columns))
    total_cells = []
    for name, kind, field in columns:
        if field is None and kind == "crafted":
            text = f"{totals['crafted_st']}/{totals['crafted_app']}"
        elif field is None:
            text = f"{wall:.0f} wall"
        else:
            text = str(totals[(kind, field)])
        total_cells.append(f"{text:>{max(len(name) + 2, 10)}}")
    print(f"{'total':<24}" + "".join(total_cells))
    print("\nexceptions / hangs / leaks / other count examples (url + session + widget) with at least one; notes and "
          "accepted count keys in the url examples; crafted exc = crafted examples whose exception was raised in "
          "Streamlit's code / the app's; a hang is a run that did not finish within --timeout.")

    by_kind: collections.Counter = collections.Counter()
    for result in results:
        for kind in KINDS:
            for key, value in result["counts"][kind].items():
                if key.startswith("fail:"):
                    by_kind[(kind, key[5:])] += value
    if by_kind:
        print("\nfailures by kind of example and what broke:")
        for (kind, what), n in sorted(by_kind.items()):
            print(f"  {kind:<8} {n:>6}  {what}")
        print("\nsamples:")
        for result in results:
            for (kind, what), lines in sorted(result["samples"].items()):
                for line in lines:
                    print(f"  /{result['page']} [{kind}] {what}\n      {line}")
    else:
        print("\nno failures")


if __name__ == "__main__":
    main()
