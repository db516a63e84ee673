"""The start-up hook's preload: after it, a first page run imports none of the libraries that Streamlit,
Altair and pandas import only when first used (without it, the first visitor's page run waits for them)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from devtools import live

LAZY = ("streamlit.emojis", "narwhals._pandas_like", "pyarrow.pandas_compat")
"""Modules a page's first run imported on a fresh server before the preload (about 0.2 s in all)."""

_SCRIPT = """
import json, sys
from ui import boot
from streamlit.testing.v1 import AppTest
from ui.nav import find
boot.preload()
before = set(sys.modules)
for page in ("", "batchnorm_last_batch"):
    at = AppTest.from_file("streamlit_app.py", default_timeout=300)
    at.query_params["lang"] = "ko"
    at.switch_page(find(page).file)
    at.run()
    assert not at.exception, at.exception
print(json.dumps({"preloaded": sorted(before), "then": sorted(set(sys.modules) - before)}))
"""


def test_after_the_preload_the_first_page_runs_import_none_of_the_lazy_libraries():
    env = {**os.environ, "EBLAB_WORKERS": "0", "EBLAB_WARMUP": "0"}
    out = subprocess.run([sys.executable, "-c", _SCRIPT], cwd=live.ROOT, env=env, capture_output=True, text=True,
                         check=True, timeout=300)
    modules = json.loads(out.stdout.splitlines()[-1])
    assert all(any(m.startswith(name) for m in modules["preloaded"]) for name in LAZY)
    assert [m for m in modules["then"] if m.startswith(LAZY)] == []
