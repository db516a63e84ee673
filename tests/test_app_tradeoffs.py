"""The batch-size trade-offs page through Streamlit's AppTest, in both languages."""

import re
from decimal import Decimal

import pytest
from conftest import assert_clean, run_app
from streamlit.testing.v1 import AppTest
from test_tradeoffs_claims import oracle

from ebcore.lessons.tradeoffs import claims as tc
from ui.locales import STRINGS

PAGE = "app_pages/batch_tradeoffs.py"


def open_page(lang: str, **query: str) -> AppTest:
    """The page opened from a link carrying ``?lang`` and ``query``."""
    return run_app(page="batch_tradeoffs", lang=lang, **query)

def claims_table(at: AppTest):
    return at.table[0].value


def test_defaults(lang):
    at = open_page(lang)
    assert_clean(at)
    s = STRINGS[lang]
    assert at.title[0].value == s["trade.title"]
    table = claims_table(at)
    assert list(table.columns) == [s["trade.col.claim"], s["trade.col.measure"], "B = 4", "B = 256",
                                   s["trade.col.verdict"], s["trade.col.rule"]]
    assert len(table) == 6
    verdicts = set(table[s["trade.col.verdict"]])
    assert verdicts <= {s[f"trade.verdict.{v}"] for v in ("holds", "depends", "fails")}
    # Updates per epoch at B = 4 and B = 256 on 256 training samples: 64 and 1.
    assert list(table.iloc[1, 2:4]) == ["64", "1"]
    assert len(at.get("vega_lite_chart")) == 4 or len(at.get("arrow_vega_lite_chart")) == 4
    assert not at.warning


@pytest.mark.parametrize("preset", ["notes", "extremes", "scaling"])
def test_presets(preset):
    at = open_page("en")
    labels = [b.label for b in at.button]
    at.button[labels.index(STRINGS["en"][f"trade.preset.{preset}"])].click().run()
    assert_clean(at)
    expected = {"notes": (16, 128), "extremes": (1, 256), "scaling": (8, 256)}[preset]
    assert (at.slider(key="bmin").value, at.slider(key="bmax").value) == expected
    assert list(claims_table(at).columns)[2:4] == [f"B = {b}" for b in expected]
    assert at.toggle(key="scale").value is (preset == "scaling")


def test_url_values_and_toggles(lang):
    at = open_page(lang, bmin="16", bmax="128", epochs="5", lr="0.3", scale="true", warmup="true", seeds="2",
                   x="updates", view="step")
    assert_clean(at)
    s = STRINGS[lang]
    assert list(claims_table(at).columns)[2:4] == ["B = 16", "B = 128"]
    sweep = at.table[2].value
    # Linear scaling rule: lr × B/32 from 0.3.
    assert list(sweep[s["trade.sweep.lr"]]) == ["0.15", "0.3", "0.6", "1.2"]
    assert at.slider(key="seeds").value == 2 and at.segmented_control(key="x").value == "updates"


def test_bad_url_values_fall_back_with_a_note(lang):
    at = open_page(lang, bmin="0", bmax="9999", lr="fast", x="weeks", scale="maybe")
    assert_clean(at)
    assert len(at.info) == 1
    note = at.info[0].value
    assert all(f"**{key}**" in note for key in ("bmin", "bmax", "lr", "x", "scale"))
    assert list(claims_table(at).columns)[2:4] == ["B = 4", "B = 256"]


def test_one_batch_size_warns_instead_of_comparing():
    at = open_page("en", bmin="32", bmax="32")
    assert_clean(at)
    assert at.warning[0].value == STRINGS["en"]["trade.table.one"]


def test_ghosts_appear_and_clear():
    at = open_page("en", bmin="16", bmax="128", epochs="3")
    clear = next(b for b in at.button if b.label == STRINGS["en"]["trade.sweep.clear"])
    assert clear.disabled
    at.slider(key="epochs").set_value(4).run()
    clear = next(b for b in at.button if b.label == STRINGS["en"]["trade.sweep.clear"])
    assert not clear.disabled
    clear.click().run()
    assert_clean(at)
    clear = next(b for b in at.button if b.label == STRINGS["en"]["trade.sweep.clear"])
    assert clear.disabled


def test_a_new_range_reuses_the_batch_sizes_it_shares(monkeypatch):
    from ebcore.lessons.tradeoffs import experiment as tr
    from ui import runs

    runs.sweep(tr.SweepSettings(b_min=4, b_max=256, epochs=3))
    trained = []
    real = tr.sweep_run
    monkeypatch.setattr(tr, "sweep_run", lambda s, b, **kw: trained.append(b) or real(s, b, **kw))
    narrowed = runs.sweep(tr.SweepSettings(b_min=16, b_max=128, epochs=3))
    assert [r.batch for r in narrowed] == [16, 32, 64, 128] and trained == []
    runs.sweep(tr.SweepSettings(b_min=3, b_max=128, epochs=3))
    assert trained == [3, 6, 12, 24, 48, 96]  # a new ladder trains its own sizes, once each (128 is cached)


def test_phone_cards_name_a_number_that_titles_them(lang):
    # On a phone each table row is a card titled by its first cell; the memory table's first cell is a
    # batch size, so its card reads "Batch size: 4", not a bare "4". A text first cell (a claim) stays as is.
    at = open_page(lang)
    s = STRINGS[lang]
    titles = [m.value.split("\n")[0] for m in at.markdown if m.value.startswith("**")]
    assert f"**{s['trade.memory.batch']}: 4**" in titles
    assert not any(t in ("**4**", "**256**") for t in titles)
    claim = claims_table(at).iloc[0, 0]
    assert any(t.startswith("**") and claim[:20] in t and ":" not in t[:3] for t in titles)


@pytest.mark.parametrize("query", [{"bmin": "16", "bmax": "128", "epochs": "15"},  # lesson step 5
                                   {"bmin": "1", "bmax": "256", "epochs": "10", "lr": "1"},
                                   {"bmin": "32", "bmax": "256", "epochs": "4", "lr": "0.3"},
                                   {"bmin": "1", "bmax": "256", "epochs": "15", "data": "digits"},
                                   {"bmin": "16", "bmax": "128", "epochs": "15", "lr": "0.3", "data": "digits"}])
def test_each_verdict_follows_the_rule_written_beside_it(lang, query):
    # Issue 26, point 8: "0.24 vs 0.07, does not hold here" with no threshold in sight. Every row states its
    # rule with its limits, and its verdict is that rule applied to the row's numbers as printed.
    at = open_page(lang, **query)
    s = STRINGS[lang]
    table = claims_table(at)
    small, large = table.columns[2], table.columns[3]
    labels = {s[f"trade.verdict.{v}"]: v for v in ("holds", "depends", "fails")}
    for key, (_, row) in zip(tc.CLAIMS, table.iterrows(), strict=True):
        rule, verdict = row[s["trade.col.rule"]], labels[row[s["trade.col.verdict"]]]
        if key == "memory":  # printed in KB / MB: more is more
            assert verdict == "holds"
            continue

        def number(cell: str) -> Decimal:
            return Decimal(cell.split()[0].replace(",", "")) if cell[0].isdigit() else Decimal("Infinity")

        values = number(row[small]), number(row[large])
        expected, hold, fail = oracle(key, *values)
        assert verdict == expected.value, (key, row.to_dict())
        if all(v.is_finite() for v in values):  # the limits are written out in the rule, in full
            written = {Decimal(n.replace(",", "")) for n in re.findall(r"\d[\d,]*(?:\.\d+)?", rule)}
            assert {hold, fail} <= written, (key, hold, fail, rule)


def test_the_real_digits_sweep_is_the_lessons_and_its_claims_read_the_digits_critical_runs(lang):
    """``?data=digits``: the table's numbers are ``sweep_run`` on the digits, the caption names them, and the
    note under the table quotes the critical-batch page's runs on the digits (and links there with them)."""
    from ebcore.lessons.critical import experiment as cb
    from ebcore.lessons.critical import view
    from ebcore.lessons.tradeoffs import experiment as tr

    at = open_page(lang, bmin="16", bmax="128", data="digits")
    assert_clean(at)
    s = STRINGS[lang]
    settings = tr.SweepSettings(16, 128, 15, 0.1, data="digits")
    runs = [tr.sweep_run(settings.training(b), b).prefix(15) for b in (16, 128)]
    table = claims_table(at)
    row = list(tc.CLAIMS).index("generalise")
    assert list(table.iloc[row, 2:4]) == [f"{r.final_val:.3f}" for r in runs]
    captions = " ".join(c.value for c in at.caption)
    assert s["trade.table.caption_digits"].split("{")[0] in captions
    trials = [t for b in cb.Settings.of("digits").problem.batches for t in cb.run_batch(cb.Settings.of("digits"), b)]
    c = view.claim_conditions(trials, 0.5, 0.4)
    note = " ".join(md.value for md in at.markdown)
    assert f"{c.best_small:.3f}" in note and f"{c.large_fixed:.3f}" in note
    assert [link.proto.query_string for link in at.get("page_link") if link.proto.page == "critical_batch"] == [
        "data=digits"]
