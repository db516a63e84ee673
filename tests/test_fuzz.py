"""Every page's link parameters and widgets, fuzzed: never an exception, always a clear note, no markup from the link.

The strategies and oracles live in ``devtools.fuzz`` (shared with ``benchmarks/fuzz_pages.py``,
which runs the same properties at a larger scale and prints the counts). Each page's bound
parameters are read off a default run, so new parameters are fuzzed without editing this file.

``EBLAB_FUZZ_EXAMPLES`` sets the examples per page and property (default 3: the training pages
make every example cost up to a few seconds; the suite's budget for this file is about a minute
on two cores with ``-n 2``). Examples are derandomized, so a run is reproducible.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from devtools import fuzz

EXAMPLES = int(os.environ.get("EBLAB_FUZZ_EXAMPLES", "3"))
PAGES = fuzz.page_paths()
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,  # a training cache miss takes seconds; that is not a failure
    derandomize=True,  # the same examples on every run and every machine, no example database
    database=None,
    # No shrinking: an example costs up to seconds, and a failure message already reproduces its case.
    phases=(Phase.explicit, Phase.generate),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
# The values most likely to crash a widget, break out of a note or loop the guard, given to every bound key
# of every page at once (a page that forgot a key in its guard fails here whatever hypothesis draws).
# "1" is a valid number for most keys and on/off shorthand for the switches, which the guard rewrites.
EVERY_KEY = ("inf", "nan", "9" * 400, "-1", "1.5", "", "\x00", "<script>alert(1)</script>", "\r\r![](//x.invalid/a)",
             "[link](javascript:alert(1))", "1")


# Links the fuzzer found breaking a page (benchmarks/fuzz_pages.py), kept as fixed regression cases.
FOUND = [
    ("batchnorm_last_batch", {"n": "94"}),  # n < batch: the one batch is the whole dataset, its spread is 0
    ("", {"drop_last": ["true", "false"]}),  # a repeated on/off key
    ("", {"n": "\r\r![](//x.invalid/a)"}),  # a bare \r ends the note's code span; the image renders
    ("lesson_plan", {"present": "maybe"}),  # a page without the header's notes
    ("epochs_early_stopping", {"restore": ["0", "0"]}),  # on/off shorthand, repeated: neither taken nor noted
    ("batch_tradeoffs", {"bmin": ["1", "1"], "view": "step"}),  # a repeated value: the slider did not read it
]


def page_id(page: str) -> str:
    return page or "home"


# A link opened in a new session; or given to an open page as its new query string: the browser's back/forward
# button to an entry of the same page, or any websocket client. Both: no exception and no markup from the link.
# A new session must also take or note every value; an open page's widgets may keep theirs (Streamlit's business).
LINK_CASES = pytest.mark.parametrize("case", [fuzz.link_case, fuzz.session_case], ids=["link", "in_session"])


@LINK_CASES
@pytest.mark.parametrize("page", PAGES, ids=page_id)
@FUZZ
@given(data=st.data())
def test_fuzzed_link(page, case, data):
    query = data.draw(fuzz.url_queries(fuzz.discover(page)), label="query")
    verdict = case(page, query)
    assert not verdict.failures, fuzz.describe(page, query, verdict)


@LINK_CASES
@pytest.mark.parametrize("value", EVERY_KEY, ids=lambda v: repr(v)[:16])
@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_hostile_value_in_every_key(page, value, case):
    query = {b.key: value for b in fuzz.discover(page).bounds}
    verdict = case(page, query)
    assert not verdict.failures, fuzz.describe(page, query, verdict)


@pytest.mark.parametrize("page", PAGES, ids=page_id)
@FUZZ
@given(data=st.data())
def test_fuzzed_widgets(page, data):
    """What a browser can send: in-range numbers, on/off, listed options (see devtools.fuzz on crafted ones)."""
    actions = data.draw(fuzz.browser_actions(fuzz.discover(page)), label="actions")
    verdict = fuzz.widget_case(page, actions)
    assert not verdict.failures, fuzz.describe(page, actions, verdict)


@pytest.mark.parametrize(("page", "query"), FOUND, ids=lambda v: page_id(v) if isinstance(v, str) else None)
def test_found_by_the_fuzzer(page, query):
    if page not in PAGES:
        pytest.skip(f"/{page} is not part of the app")
    verdict = fuzz.link_case(page, query)
    assert not verdict.failures, fuzz.describe(page, query, verdict)
