"""The epochs & early stopping page through AppTest, in both languages."""

import conftest
import pytest
from conftest import assert_clean, metrics
from streamlit.testing.v1 import AppTest

from ebcore.lessons import epochs as ep
from ui.locales import STRINGS

PAGE = "epochs_early_stopping"


def run_app(page: str = PAGE, lang: str = "en", **query: str) -> AppTest:
    """The page opened from a link carrying ``?lang`` and ``query``."""
    return conftest.run_app(page=page, lang=lang, **query)

@pytest.fixture(scope="module")
def default_run():
    return ep.train_curve(12, 0)


def test_defaults(lang, default_run):
    at = run_app(page=PAGE, lang=lang)
    assert_clean(at)
    s = STRINGS[lang]
    assert at.title[0].value == s["epochs.title"]
    m = metrics(at)
    val = default_run.val_loss
    assert m[s["epochs.m.val"]] == f"{val[59]:.3f}"  # default epoch 60
    best = min(range(len(val)), key=val.__getitem__) + 1
    assert m[s["epochs.m.best"]] == str(best)
    stop = ep.keras_early_stopping(val, 3)
    assert m[s["epochs.m.stopped"]] == str(stop.stop_epoch)
    assert m[s["epochs.m.final"]] == f"{stop.val_loss_restored:.3f}"
    assert any("patience=3" in c.value and "restore_best_weights=True" in c.value for c in at.code)
    log = next(c.value for c in at.code if c.value.startswith("Epoch 1/10\n")).split("\n")
    assert len(log) == 20 and log[18] == "Epoch 10/10"  # Keras 3, verbose=1: the default
    assert log[1].startswith("25/25 " + "━" * 20 + " ") and " - accuracy: " in log[1] and " - val_loss: " in log[-1]
    assert any("800/800" not in md.value and "25" in md.value for md in at.markdown)
    assert len(at.expander) >= 3 and len(at.table) == 1  # the patience table


def test_scrub_changes_the_view_not_the_run(lang, default_run):
    at = run_app(page=PAGE, lang=lang)
    s = STRINGS[lang]
    for epoch in (3, 14, 150):
        at.slider(key="epoch").set_value(epoch).run()
        assert_clean(at)
        assert metrics(at)[s["epochs.m.val"]] == f"{default_run.val_loss[epoch - 1]:.3f}"
    assert any(s["epochs.phase.over"].split(":")[1][:8] in md.value for md in at.markdown)
    at.slider(key="epoch").set_value(0).run()
    assert metrics(at)[s["epochs.m.val"]] == "—"


def test_preset_buttons_jump_to_phases(lang, default_run):
    at = run_app(page=PAGE, lang=lang)
    best = min(range(150), key=default_run.val_loss.__getitem__) + 1
    label = STRINGS[lang]["epochs.preset.good"].format(epoch=best)
    next(b for b in at.button if b.label == label).click().run()
    assert at.slider(key="epoch").value == best
    assert at.query_params.get("epoch") is not None  # lands in the link


def test_patience_change_moves_the_stop(lang, default_run):
    at = run_app(page=PAGE, lang=lang)
    s = STRINGS[lang]
    at.slider(key="patience").set_value(20).run()
    assert_clean(at)
    stop = ep.keras_early_stopping(default_run.val_loss, 20)
    assert metrics(at)[s["epochs.m.stopped"]] == str(stop.stop_epoch)
    at.toggle(key="restore").set_value(False).run()
    assert metrics(at)[s["epochs.m.final"]] == f"{stop.val_loss_last:.3f}"


def test_url_values(lang):
    at = run_app(page=PAGE, lang=lang, points="20", seed="3", epoch="7", patience="5", min_delta="0.01",
                 restore="false", log_n="500", log_batch="64", log_epochs="4", log_style="keras2")
    assert_clean(at)
    run = ep.train_curve(20, 3)
    s = STRINGS[lang]
    stop = ep.keras_early_stopping(run.val_loss, 5, 0.01)
    m = metrics(at)
    assert m[s["epochs.m.val"]] == f"{run.val_loss[6]:.3f}"
    assert m[s["epochs.m.final"]] == f"{stop.val_loss_last:.3f}"
    assert not at.info
    assert any(c.value.startswith("Epoch 1/4\n7/7 [==============================] - ") for c in at.code)
    assert at.segmented_control(key="log_style").value == "keras2"


@pytest.mark.parametrize(("baseline", "start"), [("0.15", "0"), ("none", "40"), ("0.1", "10")])
def test_baseline_and_start_from_epoch_stop_as_keras_does(lang, default_run, baseline, start):
    """The two rarer options of Keras 3's callback, from a link: the code line names them, and the stop,
    the best epoch and the loss kept are the rule's (pinned against real Keras in test_oracle_early_stopping)."""
    at = run_app(page=PAGE, lang=lang, baseline=baseline, start_from_epoch=start)
    assert_clean(at)
    s = STRINGS[lang]
    value = None if baseline == "none" else float(baseline)
    stop = ep.keras_early_stopping(default_run.val_loss, 3, 0.0, value, int(start))
    plain = ep.keras_early_stopping(default_run.val_loss, 3)
    assert (stop.stop_epoch, stop.best_epoch) != (plain.stop_epoch, plain.best_epoch)  # each case moves the stop
    m = metrics(at)
    assert (m[s["epochs.m.stopped"]], m[s["epochs.m.best_epoch"]]) == (str(stop.stop_epoch), str(stop.best_epoch))
    assert m[s["epochs.m.final"]] == f"{stop.val_loss_restored:.3f}"
    assert any(f"baseline={value}, start_from_epoch={start}," in c.value for c in at.code)


@pytest.mark.parametrize("query", [
    {"baseline": "0.5", "start_from_epoch": "51"},
    {"epoch": "151"}, {"points": "abc", "seed": "-1"}, {"patience": "9" * 40},
    {"min_delta": "0.5", "restore": "maybe"}, {"log_n": "10000", "log_batch": "1", "log_epochs": "99"},
    {"log_style": "keras4"},
])
def test_bad_url_values_fall_back_with_a_note(query, default_run):
    at = run_app(page=PAGE, **query)
    assert_clean(at)
    notes = " ".join(i.value for i in at.info)
    for key in query:
        assert f"**{key}**" in notes
    assert metrics(at)[STRINGS["en"]["epochs.m.val"]] == f"{default_run.val_loss[59]:.3f}"


@pytest.mark.parametrize("style", ["keras3", "keras3_v2", "keras2"])
def test_the_log_style_choice_prints_that_keras(lang, style):
    """Issue 28, 1: each version's own lines, named by version; the link keeps the code, not the label."""
    at = run_app(page=PAGE, lang=lang, log_n="500", log_batch="64", log_epochs="3")
    s = STRINGS[lang]
    widget = at.segmented_control(key="log_style")
    assert [o.content for o in widget.proto.options] == [s[f"epochs.log.style.{o}"] for o in
                                                         ("keras3", "keras3_v2", "keras2")]
    assert widget.value == "keras3"
    widget.set_value(style).run()
    assert_clean(at)
    assert at.query_params.get("log_style") == (None if style == "keras3" else style)
    run = ep.keras_log_run(500, 64, 3)  # the page's run: same settings, same numbers (not the same times)
    log = next(c.value for c in at.code if c.value.startswith("Epoch 1/3\n")).split("\n")
    assert [line for line in log if line.startswith("Epoch")] == ["Epoch 1/3", "Epoch 2/3", "Epoch 3/3"]
    bar = {"keras3": "7/7 " + "━" * 20 + " ", "keras3_v2": "7/7 - ", "keras2": "7/7 [" + "=" * 30 + "] - "}[style]
    assert log[5].startswith(bar) and log[5].endswith(run.lines(style)[5].split("/step")[1])
    assert any(s["epochs.log.times"] == c.value for c in at.caption)


# --- issue 26, 13: "best: 14" was drawn on the "stop: 17" rule ------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as hst  # noqa: E402
from label_geometry import check_labels_in_their_rows  # noqa: E402

from ui.charts.epochs import stopping_chart  # noqa: E402


def _stop_labels(lang: str) -> dict[str, str]:
    return {k: STRINGS[lang][f"epochs.stopchart.{k}"] for k in ("ran", "skipped", "best", "stop", "x", "y")}


@settings(max_examples=60, deadline=None)
@given(val=hst.lists(hst.floats(0.001, 50.0), min_size=1, max_size=300), patience=hst.integers(0, 30),
       min_delta=hst.sampled_from([0.0, 0.001, 0.01, 0.05]), lang=hst.sampled_from(["en", "ko"]))
def test_best_and_stop_labels_never_meet_a_label_rule_or_the_curve(val, patience, min_delta, lang):
    stop = ep.keras_early_stopping(val, patience, min_delta)
    spec = stopping_chart(val, stop.best_epoch, stop.stop_epoch, _stop_labels(lang)).to_dict()
    assert check_labels_in_their_rows(spec, 340, 2, ["loss"]) == []


@pytest.mark.parametrize("patience", [0, 1, 3, 5, 30])
def test_the_pages_own_runs_place_their_labels_apart(lang, default_run, patience):
    stop = ep.keras_early_stopping(default_run.val_loss, patience)
    spec = stopping_chart(default_run.val_loss, stop.best_epoch, stop.stop_epoch, _stop_labels(lang)).to_dict()
    assert check_labels_in_their_rows(spec, 340, 2, ["loss"]) == []


def test_the_patience_table_keeps_every_column_on_a_phone(lang, default_run):
    """Issue 26, 14: at 390 px the grid showed "0.…" and no "last weights" column (lesson step 12 needs it).
    A phone shows the table as one card per row: every column, values at the 3 decimals of the sentence above."""
    at = run_app(page=PAGE, lang=lang)
    s = STRINGS[lang]
    cards = "\n".join(md.value for md in at.markdown)
    for p in (0, 1, 2, 3, 5, 10, 20, 30):
        r = ep.keras_early_stopping(default_run.val_loss, p)
        assert f"**{s['epochs.table.patience']}: {p}**" in cards
        for column, value in (("restored", r.val_loss_restored), ("last", r.val_loss_last)):
            assert f"- {s[f'epochs.table.{column}']}: **{value:.3f}**" in cards


# --- issue 29, 1: early stopping on real handwritten digits --------------------------------------------------


@pytest.mark.parametrize(("seed", "patience", "start"), [(0, 3, 0), (0, 20, 0), (4, 5, 10)])
def test_early_stopping_watches_the_digits_run(lang, seed, patience, start):
    """``data=digits``: the stop, the best epoch, the table and the chart read the notes' Keras run on the
    digits (batch 32, 60 epochs), not the curve; its first 25 epochs are the digits page's own run."""
    from ebcore.lessons import digits as dg

    at = run_app(lang=lang, data="digits", seed=str(seed), patience=str(patience), start_from_epoch=str(start))
    assert_clean(at)
    s = STRINGS[lang]
    assert at.segmented_control(key="data").value == "digits"
    run = dg.stopping_run(seed)
    assert run.prefix(dg.EPOCHS_MAX) == dg.keras_example(32, dg.EPOCHS_MAX, seed)
    stop = ep.keras_early_stopping(run.val_loss, patience, start_from_epoch=start)
    m = metrics(at)
    assert m[s["epochs.m.stopped"]] == (str(stop.stop_epoch) if stop.stop_epoch else s["epochs.m.never"])
    assert m[s["epochs.m.best_epoch"]] == str(stop.best_epoch)
    assert m[s["epochs.m.final"]] == f"{stop.val_loss_restored:.3f}"
    assert m[s["epochs.m.val"]] == f"{ep.train_curve(12, seed).val_loss[59]:.3f}"  # section 1 keeps its curve
    captions = " ".join(c.value for c in at.caption)
    assert s["epochs.stop.digits"].format(train="1,437", val="360", b=32, epochs=60, seed=seed) in captions
    table = at.table[0].value
    stops = [ep.keras_early_stopping(run.val_loss, p, start_from_epoch=start) for p in (0, 1, 2, 3, 5, 10, 20, 30)]
    assert table.iloc[:, 1].tolist() == [str(r.stop_epoch) if r.stop_epoch else s["epochs.m.never"] for r in stops]


def test_on_real_digits_a_larger_patience_finds_a_lower_validation_loss():
    """What the caption tells the class to look for, on every seed tried: patience 3 stops near the start of
    the noisy low plateau; patience 20 runs on to a lower point."""
    from ebcore.lessons import digits as dg

    for seed in (0, 1, 2, 5):
        val = dg.stopping_run(seed).val_loss
        short, long = ep.keras_early_stopping(val, 3), ep.keras_early_stopping(val, 20)
        assert long.best_epoch > short.best_epoch and long.val_loss_restored < short.val_loss_restored, seed
        assert min(val) < val[-1]  # it passes its lowest point within the run
