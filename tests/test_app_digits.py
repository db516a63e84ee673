"""The real handwritten digits page through AppTest, in both languages: every number it states is the
lesson's (the Keras run, the arithmetic, the watched update), presets and links move it, bad links get a note."""

import conftest
import pytest
from conftest import assert_clean, metrics

from ebcore.lessons import digits as dg
from ui.locales import STRINGS

PAGE = "real_digits"


def run_app(lang: str = "en", **query: str):
    return conftest.run_app(page=PAGE, lang=lang, **query)


def _markdown(at) -> str:
    return "\n".join(md.value for md in at.markdown)


def test_defaults_are_the_notes_example(lang):
    at = run_app(lang)
    assert_clean(at)
    s = STRINGS[lang]
    assert at.title[0].value == s["digits.title"]
    run = dg.keras_example(32, 10)
    m = metrics(at)
    assert m[s["digits.m.val_acc"]] == f"{run.val_accuracy[-1]:.1%}"
    assert m[s["digits.m.updates"]] == "450"
    assert m[s["digits.m.best"]] == str(min(range(10), key=run.val_loss.__getitem__) + 1)
    text = _markdown(at)
    assert "1,437" in text and "**45" in text and "450" in text and "29" in text
    log = next(c.value for c in at.code if c.value.startswith("Epoch 1/10\n")).split("\n")
    assert len(log) == 20 and log[1].startswith("45/45 " + "━" * 20 + " ")
    assert f"val_accuracy: {run.val_accuracy[-1]:.4f}" in log[-1]
    assert any("batch_size=32, epochs=10, validation_split=0.2" in c.value for c in at.code)
    assert len(at.get("image")) == 2  # the data's examples and the watched batch


def test_the_watched_update_is_the_lessons(lang):
    at = run_app(lang, look_batch="10", update="144")  # the last step of epoch 1: 1,437 = 143 × 10 + 7
    assert_clean(at)
    look = dg.see_batch(10, 144, 0)
    assert len(look.labels) == 7 and (look.epoch, look.step) == (1, 144)
    text = _markdown(at)
    assert f"{look.loss_before:.4f}" in text and f"{look.loss_after:.4f}" in text
    assert f"{100 * look.mean_change():+.2f}" in text
    s = STRINGS[lang]
    assert s["digits.look.last"].format(train="1,437", full=143, b=10, last=7) in text  # only 7 images: why
    cards = [md.value for md in at.markdown if STRINGS[lang]["digits.look.col.p_after"] in md.value]
    assert len(cards) == 7
    for card, probs, label in zip(cards, look.after, look.labels, strict=True):
        assert f"**{probs[label]:.1%}**" in card


@pytest.mark.parametrize("preset", ["8", "256", "1437"])
def test_presets_set_the_notes_batch_sizes(lang, preset):
    at = run_app(lang)
    label = STRINGS[lang][f"digits.preset.{preset}"]
    next(b for b in at.button if b.label == label).click().run()
    assert_clean(at)
    assert at.query_params["batch"] == preset
    a = dg.arithmetic(int(preset), 10)
    assert metrics(at)[STRINGS[lang]["digits.m.updates"]] == f"{a.total:,}"
    log = next(c.value for c in at.code if c.value.startswith("Epoch 1/10\n")).split("\n")
    assert log[1].startswith(f"{a.steps}/{a.steps} ")


def test_links_open_on_their_settings():
    at = run_app("ko", batch="8", epochs="3", seed="4")
    assert_clean(at)
    run = dg.keras_example(8, 3, 4)
    assert metrics(at)[STRINGS["ko"]["digits.m.val_acc"]] == f"{run.val_accuracy[-1]:.1%}"
    assert "540" in _markdown(at)  # 180 steps × 3 epochs


def test_the_whole_set_as_one_batch_is_one_step(lang):
    at = run_app(lang, batch="1437", epochs="1")
    assert_clean(at)
    s = STRINGS[lang]
    text = _markdown(at)
    assert s["digits.count.steps.one"].format(count="1") in text
    assert s["digits.count.updates.one"].format(count="1") in text


@pytest.mark.parametrize("query", [{"batch": "33"}, {"epochs": "0"}, {"update": "9999"}, {"look_batch": "x"}])
def test_bad_links_fall_back_with_a_note(query):
    at = run_app("en", **query)
    assert_clean(at)
    notes = " ".join(i.value for i in at.info)
    assert all(f"**{key}**" in notes for key in query)
    assert metrics(at)[STRINGS["en"]["digits.m.updates"]] == "450" or "epochs" in query


def test_early_stopping_is_keras_rule_on_this_run(lang):
    """Batch 8 for 25 epochs overfits the digits: the sentence is Keras's rule replayed on the run's val_loss."""
    from ebcore.lessons import epochs as ep

    at = run_app(lang, batch="8", epochs="25")
    assert_clean(at)
    stop = ep.keras_early_stopping(dg.keras_example(8, 25).val_loss, dg.PATIENCE)
    assert stop.stop_epoch is not None and stop.best_epoch < stop.stop_epoch < 25
    text = _markdown(at)
    assert f"{stop.val_loss_restored:.4f}" in text and f"{stop.val_loss_last:.4f}" in text
    # the link opens the epochs page watching the digits (its own run: batch 32, 60 epochs)
    assert [link.proto.query_string for link in at.get("page_link")] == ["patience=3&restore=true&data=digits"]
