"""Fingerprint what every page shows, so a refactor can prove it changed no number (issue 27's target).

    python -m devtools.fingerprint --root /work/before --out /tmp/fp_before.json
    python -m devtools.fingerprint --out /tmp/fp_after.json          # --root defaults to this tree
    python -m devtools.fingerprint --rev HEAD --out /tmp/fp_head.json  # a commit, not the edits in progress
    python -m devtools.fingerprint --diff /tmp/fp_before.json /tmp/fp_after.json

A *setting* is one page opened through the app's router (``streamlit_app.py``) in Streamlit's AppTest, in
this process (``EBLAB_WARMUP=0``, ``EBLAB_WORKERS=0``, as the tests run it): every page's defaults (in
English, in Korean, and in presentation mode), every preset button clicked on the defaults, every lesson
step's link (``ui.lesson.STEPS``), every whole-number parameter at its lowest and at its highest and every
other value of each choice and switch, one at a time with the others at their defaults. The parameters come
from ``ui.params.BY_PAGE``, so a new one is covered without an edit here; the presets are the buttons whose
label is a ``<page>.preset.<name>`` text.

Of each setting it keeps what the page shows (``devtools.page_content``: every text, metric, table, chart's
data and spec, widget, in order; floats to the last bit), with measured wall time replaced by ``<wall time>``
and nothing else.

Each setting gets a sha256 of its normalized lines; ``--diff`` names the settings that differ and prints a
short unified diff of the first ones. ``--root`` runs another checkout's app (its ``ui``, ``app_pages`` and
``ebcore`` first on ``sys.path``, and it as the working directory); this file need not exist there.
Only the app's pages, ``ui.params``, ``ui.lesson``, ``ui.nav`` and ``ui.locales`` are used, never ``ebcore``.
"""

from __future__ import annotations

import argparse
import base64
import difflib
import gzip
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from devtools import page_content

__all__ = ["Setting", "diff", "main", "run", "settings"]


@dataclass
class Setting:
    """One page state: ``page`` URL path opened with ``query``, then the preset button ``preset`` clicked."""

    name: str
    page: str
    query: dict[str, str]
    preset: str | None = None  # the button to click then: "key:<widget key>" or "label:<locale key>"


@dataclass
class Result:
    """A setting's normalized lines (``devtools.page_content.lines``), or ``failed`` and why."""

    name: str
    lines: list[str] = field(default_factory=list)
    seconds: float = 0.0
    failed: bool = False


# --- the settings ------------------------------------------------------------------------------------------

def settings(pages: list[str] | None = None, choices: bool = True) -> list[Setting]:
    """Every setting but the presets (found on the page: ``preset_settings``), page by page."""
    from ui.lesson import STEPS
    from ui.params import BY_PAGE

    out: list[Setting] = []
    for page, params in BY_PAGE.items():
        if pages is not None and _page_name(page) not in pages:
            continue
        name = _page_name(page)
        out.append(Setting(f"{name}/defaults", page, {"lang": "en"}))
        out.append(Setting(f"{name}/defaults[ko]", page, {"lang": "ko"}))
        out.append(Setting(f"{name}/defaults[present]", page, {"lang": "en", "present": "true"}))
        for i, step in enumerate(STEPS, 1):
            if step.page == page:
                out.append(Setting(f"{name}/lesson{i}:{step.key}", page, {"lang": "en", **step.settings}))
        for p in params:
            if hasattr(p, "low") and hasattr(p, "high"):  # a slider or number input
                values = [p.low, p.high]
            elif not choices:
                continue
            elif hasattr(p, "options"):
                values = [o for o in p.options if o != p.default]
            else:  # a switch
                values = [not p.default]
            for v in values:
                raw = ("true" if v else "false") if isinstance(v, bool) else str(v)
                out.append(Setting(f"{name}/{p.key}={raw}", page, {"lang": "en", p.key: raw}))
    return out


def _page_name(page: str) -> str:
    return page or "calculator"


def _preset_patterns(lang: str) -> dict[str, re.Pattern]:
    """Locale key → a pattern of its button label, for every ``<prefix>.preset.<name>`` text."""
    from ui.locales import STRINGS

    out = {}
    for key, text in STRINGS[lang].items():
        if re.fullmatch(r"[a-z_]+\.preset\.[a-z0-9_]+", key):
            parts = re.split(r"\{[^{}]*\}", text)
            out[key] = re.compile(".+?".join(re.escape(p) for p in parts), re.S)
    return out


def _preset_button(at, preset: str, lang: str):
    """The button ``preset`` names: ``key:<widget key>``, or ``label:<locale key>`` for a button without a key."""
    how, name = preset.split(":", 1)
    if how == "key":
        return at.button(key=name)
    pattern = _preset_patterns(lang)[name]
    buttons = [b for b in at.main.button if not b.key and pattern.fullmatch(b.label or "")]
    if len(buttons) != 1:
        raise LookupError(f"{len(buttons)} buttons labelled {name}")
    return buttons[0]


def preset_settings(at, base: Setting) -> list[Setting]:
    """The preset buttons on a page opened on ``base`` (in English), in the order they are drawn: those keyed
    ``preset_<name>`` (``ui.layout.presets``), and those without a key labelled by a ``<page>.preset.<name>``
    text (the epochs page's, whose labels carry the epoch they set)."""
    patterns = _preset_patterns("en")
    found: dict[str, str] = {}  # name -> how to find the button
    for b in at.main.button:
        if (b.key or "").startswith("preset_"):
            found.setdefault(b.key.removeprefix("preset_"), f"key:{b.key}")
        elif not b.key:
            for key, pattern in patterns.items():
                if pattern.fullmatch(b.label or ""):
                    found.setdefault(key.rsplit(".", 1)[1], f"label:{key}")
                    break
    page = base.name.split("/")[0]
    return [Setting(f"{page}/preset:{name}", base.page, dict(base.query), how) for name, how in found.items()]


# --- one setting -------------------------------------------------------------------------------------------

def _open(root: Path, s: Setting, timeout: float):
    from streamlit.testing.v1 import AppTest

    from ui.nav import find

    at = AppTest.from_file(str(root / "streamlit_app.py"), default_timeout=timeout)
    for key, value in s.query.items():
        at.query_params[key] = value
    spec = find(s.page)
    if spec is None:
        raise LookupError(f"no page at /{s.page}")
    at.switch_page(spec.file)
    at.run()
    return at


def run(root: Path, s: Setting, timeout: float = 900) -> tuple[Result, Any]:
    """Open ``s`` and normalize what it shows; the AppTest too (None if opening it failed)."""
    began = time.perf_counter()
    at = None
    try:
        at = _open(root, s, timeout)
        if s.preset is not None:
            _preset_button(at, s.preset, s.query.get("lang", "en")).click().run()
        lines = page_content.lines(at, s.query.get("lang", "en"), root)
    except Exception as e:  # noqa: BLE001 - a page that fails is a result to compare, not a crash
        return Result(s.name, [f"failed: {type(e).__name__}: {str(e).replace(str(root), '<root>')}"],
                      time.perf_counter() - began, failed=True), None
    return Result(s.name, lines, time.perf_counter() - began), at


# --- the whole run -----------------------------------------------------------------------------------------

def _digest(lines: list[str]) -> str:
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def _setup(root: Path) -> None:
    """Make ``root``'s app the one imported: first on sys.path, the working directory (its config)."""
    os.environ.setdefault("EBLAB_WARMUP", "0")
    os.environ.setdefault("EBLAB_WORKERS", "0")
    here = str(Path(__file__).resolve().parent.parent)
    sys.path[:] = [p for p in sys.path if p not in ("", ".", here, os.getcwd())] if str(root) != here else sys.path
    sys.path.insert(0, str(root))
    os.chdir(root)


def _export(repo: Path, rev: str) -> tuple[Path, str]:
    """``rev`` of the git repository ``repo`` as files in a new temporary directory (``git archive``): a
    commit's app, unaffected by edits in progress in the working tree. Returns the directory and the commit."""
    commit = subprocess.run(["git", "rev-parse", "--verify", f"{rev}^{{commit}}"], cwd=repo, capture_output=True,
                            text=True, check=True).stdout.strip()
    target = Path(tempfile.mkdtemp(prefix=f"fingerprint_{commit[:10]}_"))
    archive = subprocess.run(["git", "archive", commit], cwd=repo, capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")
    return target, commit


def _describe(root: Path) -> dict[str, str]:
    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, timeout=30).stdout.strip()
        except OSError:
            return ""

    import streamlit
    import torch

    dirty, head = git("status", "--porcelain", "--untracked-files=no"), git("rev-parse", "HEAD")
    # The code that ran: the commit and the tracked files' edits (equal digests, same code).
    code = hashlib.sha256((head + git("diff", "HEAD")).encode()).hexdigest()[:16]
    return {"root": str(root), "commit": head, "dirty_files": str(len(dirty.splitlines())), "code": code,
            "python": sys.version.split()[0], "torch": torch.__version__, "streamlit": streamlit.__version__,
            "when": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())}


def fingerprint_all(root: Path, pages: list[str] | None, reverse: bool, choices: bool, timeout: float,
                    keep_content: bool) -> dict[str, Any]:
    """Every setting of ``root``'s app: {"meta", "settings": {name: {"sha256", "seconds", "content_gz"?}}}."""
    import logging

    # AppTest's "missing ScriptRunContext" warning, once per setting (the level is reset by every run).
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(
        lambda record: "missing ScriptRunContext" not in record.getMessage())
    meta = _describe(root)
    todo = settings(pages, choices)
    by_page: dict[str, list[Setting]] = {}
    for s in todo:
        by_page.setdefault(s.name.split("/")[0], []).append(s)
    order = list(by_page.items())[::-1] if reverse else list(by_page.items())
    results: dict[str, Result] = {}
    began = time.perf_counter()

    def record(r: Result) -> None:
        results[r.name] = r
        failed = f" FAILED {r.lines[0]}" if r.failed else ""
        print(f"[{len(results):3d}] {r.seconds:6.1f} s  {r.name}{failed}", flush=True)

    for page, group in order:
        # The defaults first (their page lists the presets), or, reversed, last: the caches fill in another order.
        group = group[::-1] if reverse else group
        base = next(s for s in group if s.name == f"{page}/defaults")
        for s in group:
            if s is base:
                continue
            record(run(root, s, timeout)[0])
        result, at = run(root, base, timeout)
        record(result)
        presets = preset_settings(at, base) if at is not None else []
        for s in presets[::-1] if reverse else presets:
            record(run(root, s, timeout)[0])
    meta["seconds"] = f"{time.perf_counter() - began:.1f}"
    end = _describe(root)
    if end["code"] != meta["code"]:  # edited or committed while it ran: which code was it?
        meta["code_at_end"] = end["code"]
        print(f"warning: {root}'s code changed while it ran (commit or tracked files): run it again", flush=True)
    meta["settings"] = str(len(results))
    out: dict[str, Any] = {"meta": meta, "settings": {}}
    for name in sorted(results):
        r = results[name]
        entry: dict[str, Any] = {"sha256": _digest(r.lines), "lines": len(r.lines), "seconds": round(r.seconds, 2),
                                 "failed": r.failed}
        if keep_content:
            entry["content_gz"] = base64.b64encode(gzip.compress("\n".join(r.lines).encode(), 6)).decode()
        out["settings"][name] = entry
    return out


def _content(entry: dict[str, Any]) -> list[str] | None:
    if "content_gz" not in entry:
        return None
    return gzip.decompress(base64.b64decode(entry["content_gz"])).decode().split("\n")


def diff(a_path: str, b_path: str, show: int = 3, context: int = 2, max_lines: int = 40) -> int:
    """Print the settings whose fingerprints differ between two files, and a short diff of the first ``show``.
    Returns how many differ (or exist in one file only)."""
    a, b = (json.loads(Path(p).read_text()) for p in (a_path, b_path))
    sa, sb = a["settings"], b["settings"]
    only_a, only_b = sorted(set(sa) - set(sb)), sorted(set(sb) - set(sa))
    differ = sorted(n for n in set(sa) & set(sb) if sa[n]["sha256"] != sb[n]["sha256"])
    for label, meta in (("a", a["meta"]), ("b", b["meta"])):
        print(f"{label}: {meta.get('root')} {meta.get('commit', '')[:10]} (+{meta.get('dirty_files')} changed files), "
              f"{meta.get('settings')} settings, {meta.get('when')}")
    print(f"{len(set(sa) & set(sb))} settings in both: {len(differ)} differ; "
          f"{len(only_a)} only in a, {len(only_b)} only in b")
    for n in only_a:
        print(f"  only in a: {n}")
    for n in only_b:
        print(f"  only in b: {n}")
    for n in differ:
        print(f"  differs: {n}")
    for n in differ[:show]:
        ca, cb = _content(sa[n]), _content(sb[n])
        if ca is None or cb is None:
            print(f"--- {n}: no content stored (run without --no-content)")
            continue
        lines = list(difflib.unified_diff(ca, cb, f"a/{n}", f"b/{n}", n=context, lineterm=""))
        print("\n".join(line if len(line) <= 400 else line[:400] + " …" for line in lines[:max_lines]))
        if len(lines) > max_lines:
            print(f"… {len(lines) - max_lines} more diff lines")
    return len(differ) + len(only_a) + len(only_b)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m devtools.fingerprint", description=__doc__.split("\n\n")[0])
    ap.add_argument("--root", default=str(Path(__file__).resolve().parent.parent),
                    help="the checkout whose app to fingerprint (default: this one)")
    ap.add_argument("--rev", help="fingerprint this commit of --root's repository instead of its working tree "
                    "(exported to a temporary directory: edits in progress do not count)")
    ap.add_argument("--out", help="write the fingerprints here (JSON)")
    ap.add_argument("--diff", nargs=2, metavar=("A", "B"), help="compare two fingerprint files and exit")
    ap.add_argument("--pages", nargs="*", help="only these pages (calculator, exam_analogy, …)")
    ap.add_argument("--reverse", action="store_true", help="pages and settings in reverse order (a second run's "
                    "check that what a page shows does not depend on what ran before)")
    ap.add_argument("--no-choices", action="store_true", help="sliders' edges only: skip choices and switches")
    ap.add_argument("--no-content", action="store_true", help="store only the hashes (no diff possible)")
    ap.add_argument("--timeout", type=float, default=900, help="seconds one page run may take")
    args = ap.parse_args(argv)
    if args.diff:
        return 1 if diff(*args.diff) else 0
    if not args.out:
        ap.error("--out is required (or --diff A B)")
    out = Path(args.out).resolve()
    root, commit = Path(args.root).resolve(), None
    if args.rev:
        root, commit = _export(root, args.rev)
    try:
        _setup(root)
        result = fingerprint_all(root, args.pages, args.reverse, not args.no_choices, args.timeout,
                                 not args.no_content)
    finally:
        if args.rev:
            shutil.rmtree(root, ignore_errors=True)
    if commit:
        result["meta"].update(root=f"{args.root} at {args.rev}", commit=commit, dirty_files="0")
    out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    failed = [n for n, e in result["settings"].items() if e["failed"]]
    print(f"{result['meta']['settings']} settings in {result['meta']['seconds']} s -> {out}"
          + (f"; {len(failed)} failed: {', '.join(failed)}" if failed else ""))
    return 2 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
