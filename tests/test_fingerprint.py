"""devtools.fingerprint: what a page shows, to the last bit, with measured wall time and nothing else left out."""

import json
import re
from itertools import takewhile

import pytest
from conftest import ROOT
from streamlit.testing.v1 import AppTest

from devtools import fingerprint, page_content
from ui.locales import STRINGS


def shown(page: str, **query: str) -> list[str]:
    result, _ = fingerprint.run(ROOT, fingerprint.Setting("test", page, query), timeout=300)
    assert not result.failed, result.lines
    return result.lines


def test_every_parameter_edge_preset_and_lesson_step_is_a_setting():
    from ui.lesson import STEPS
    from ui.params import BY_PAGE

    names = {s.name for s in fingerprint.settings()}
    for page, params in BY_PAGE.items():
        name = page or "calculator"
        assert {f"{name}/defaults", f"{name}/defaults[ko]"} <= names
        for p in params:
            if hasattr(p, "low"):
                assert {f"{name}/{p.key}={p.low}", f"{name}/{p.key}={p.high}"} <= names
    assert sum(1 for n in names if "/lesson" in n) == len(STEPS)
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=300)
    at.switch_page("app_pages/calculator.py")
    at.run()
    presets = fingerprint.preset_settings(at, fingerprint.Setting("calculator/defaults", "", {"lang": "en"}))
    assert len(presets) == len([b for b in at.button if (b.key or "").startswith("preset_")]) > 0


def test_a_setting_shows_the_same_twice_and_any_other_number_differs():
    once, again = shown("", n="1206", batch="300"), shown("", n="1206", batch="300")
    other = shown("", n="1207", batch="300")
    assert once == again and once != other
    assert 'metric: ["Last batch", "6", ""]' in once


def table(lines: list[str], column: str) -> tuple[list[str], list[list]]:
    """The first table with ``column``: its column names and rows, as the fingerprint wrote them."""
    start = next(i for i, line in enumerate(lines) if line.startswith("table: ") and f'"{column}"' in line)
    names, _ = json.JSONDecoder().raw_decode(lines[start].removeprefix("table: "))
    rows = takewhile(lambda line: line.startswith("  row: "), lines[start + 1:])
    return names, [json.loads(line.removeprefix("  row: ")) for line in rows]


def test_the_trade_offs_wall_time_is_left_out_and_nothing_else(lang):
    s, wall = STRINGS[lang], page_content.WALL
    lines = shown("batch_tradeoffs", lang=lang, bmin="16", bmax="128")
    text = "\n".join(lines)
    # The sweep table's ms / epoch, in the table and in every phone card; the rest of the table stays.
    names, rows = table(lines, s["trade.sweep.time"])
    at = names.index(s["trade.sweep.time"])
    assert [r[at] for r in rows] == [wall] * 4
    assert [r[:3] for r in rows] == [[16, "0.1", 16], [32, "0.1", 8], [64, "0.1", 4], [128, "0.1", 2]]
    assert text.count(f"- {s['trade.sweep.time']}: **{wall}**") == 4
    # The epoch-time claim: its values, verdict and the limits in its rule go; its name and measure stay.
    names, rows = table(lines, s["trade.col.rule"])
    claim = next(r for r in rows if r[0] == s["trade.claim.faster_epochs"])
    assert claim[:5] == [s["trade.claim.faster_epochs"], s["trade.measure.faster_epochs"], wall, wall, wall]
    assert claim[5].count(wall) == 2 and not re.search(r"\d\s?ms", claim[5])
    assert re.search(r"B\s=\s128(?!\d)", claim[5]) and re.search(r"B\s=\s16(?!\d)", claim[5])
    card = next(line for line in lines if line.startswith(f'markdown: "**{s["trade.claim.faster_epochs"]}**'))
    assert card.count(wall) == 5 and s["trade.measure.faster_epochs"] in card
    # The other claims keep every number: the updates per epoch, and the limits of their rules.
    updates = next(r for r in rows if r[0] == s["trade.claim.more_updates"])
    assert updates[2:5] == ["16", "2", s["trade.verdict.holds"]] and wall not in updates[5]


@pytest.mark.parametrize("style", ["keras3", "keras3_v2", "keras2"])
def test_the_keras_logs_times_are_left_out_and_nothing_else(style):
    """Issue 28, 1: a log line's epoch seconds and time per step are wall time; its count, bar and metrics stay."""
    from ebcore.lessons import epochs as ep

    lines = shown("epochs_early_stopping", log_n="500", log_batch="64", log_epochs="3", log_style=style)
    code = next(line for line in lines if line.startswith('code: "Epoch 1/3'))
    log = json.loads(code.removeprefix("code: ")).split("\n")
    expected = ep.keras_log_run(500, 64, 3).lines(style)  # the page's run: the same numbers, other times
    assert len(log) == len(expected) == 6 and log[0::2] == expected[0::2]  # the "Epoch e/3" lines
    for mine, theirs in zip(log[1::2], expected[1::2], strict=True):
        assert mine.count(page_content.WALL) == 2 and not re.search(r"\d(s|ms|us)/step|\d+s ", mine)
        assert mine == page_content.keras_log_wall(theirs)
