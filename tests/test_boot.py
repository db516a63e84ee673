"""The start-up hook's preload: after it, a first page run imports none of the libraries it would
otherwise import while the first visitor waits."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from devtools import live

LAZY = ("streamlit.emojis", "narwhals", "pyarrow", "PIL")
"""Packages a page's first run imported on a fresh server before the preload (about 0.2 s)."""

_SCRIPT = """
import json, sys
from ui import boot
from streamlit.testing.v1 import AppTest
from ui.nav import find
{preload}
before = set(sys.modules)
for page in ("", "batchnorm_last_batch"):
    at = AppTest.from_file("streamlit_app.py", default_timeout=300)
    at.query_params["lang"] = "ko"
    at.switch_page(find(page).file)
    at.run()
    assert not at.exception, at.exception
print(json.dumps(sorted(set(sys.modules) - before)))
"""


def _imported_by_first_runs(preload: bool) -> list[str]:
    env = {**os.environ, "EBLAB_WORKERS": "0", "EBLAB_WARMUP": "0"}
    code = _SCRIPT.format(preload="boot.preload()" if preload else "import torch, pandas, altair, ui.layout")
    out = subprocess.run([sys.executable, "-c", code], cwd=live.ROOT, env=env, capture_output=True, text=True,
                         check=True, timeout=300)
    return [m for m in json.loads(out.stdout.splitlines()[-1]) if m.startswith(LAZY)]


def test_after_the_preload_the_first_page_runs_import_none_of_the_lazy_libraries():
    assert _imported_by_first_runs(preload=True) == []


def test_without_it_they_do():  # so the test above can fail
    late = _imported_by_first_runs(preload=False)
    assert {name for name in LAZY if any(m.startswith(name) for m in late)} == set(LAZY) - {"PIL"}
