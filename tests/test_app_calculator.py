"""The home page as a student sees it, driven through Streamlit's AppTest in both languages."""

import pytest
from conftest import assert_clean, metrics, run_app

from ebcore import calc
from ebcore.examples import WORKED_EXAMPLES
from ui.locales import STRINGS


def expected_metrics(lang, p: calc.EpochPlan) -> dict[str, str]:
    s = STRINGS[lang]
    return {
        s["calc.m.updates_epoch"]: f"{p.updates_per_epoch:,}",
        s["calc.m.total"]: f"{p.total_updates:,}",
        s["calc.m.last"]: f"{p.last_batch_size:,}",
        s["calc.m.skipped"]: f"{p.dropped_per_epoch:,}",
    }


def test_defaults(lang):
    at = run_app(lang=lang)
    assert_clean(at)
    assert at.title[0].value == STRINGS[lang]["calc.title"]
    assert metrics(at) == expected_metrics(lang, calc.plan(320, 32, 10))
    assert not at.warning
    # Keras's line for the defaults: 10 steps per epoch, first and last epoch shown.
    keras = at.code[-1].value if at.code[-1].value.startswith("Epoch ") else at.code[0].value
    assert "Epoch  1/10  10/10 [" in keras and "Epoch 10/10" in keras


@pytest.mark.parametrize("example", WORKED_EXAMPLES, ids=lambda e: e.key)
def test_each_preset(lang, example):
    at = run_app(lang=lang)
    labels = [b.label for b in at.button]
    at.button[labels.index(STRINGS[lang][f"calc.preset.{example.key}"])].click().run()
    assert_clean(at)
    p = calc.plan(example.n, example.batch, example.epochs)
    assert metrics(at) == expected_metrics(lang, p)
    regime_line = STRINGS[lang][f"calc.regime.{p.regime.value}"]
    assert any(regime_line in md.value for md in at.markdown)
    assert (at.number_input(key="n").value, at.number_input(key="batch").value) == (example.n, example.batch)
    # The preset lands in the link (Streamlit leaves defaults out), so a teacher can share it at once.
    for key, value, default in (("n", example.n, 320), ("batch", example.batch, 32)):
        in_link = at.query_params.get(key)
        assert (in_link is None) if value == default else (str(in_link).strip("[]'") == str(value))


def test_url_parameters_open_the_batchnorm_case(lang):
    at = run_app(lang=lang, n="1206", batch="300", epochs="10")
    assert_clean(at)
    assert metrics(at) == expected_metrics(lang, calc.plan(1206, 300, 10))
    assert len(at.warning) == 1 and "6" in at.warning[0].value
    suggestion_labels = [b.label for b in at.button if b.label.startswith("B = ")]
    assert len(suggestion_labels) == len(calc.safer_batch_sizes(1206, 300))


def test_all_url_parameters(lang):
    at = run_app(lang=lang, n="1000", batch="30", epochs="3", drop_last="true", accum="4", gpus="2")
    assert_clean(at)
    p = calc.plan(1000, 30, 3, drop_last=True, accumulation_steps=4, world_size=2)
    assert metrics(at) == expected_metrics(lang, p)
    table = at.table[0].value
    assert len(table) == 6  # Keras, Keras split, PyTorch, drop_last, accumulation, DistributedSampler


def test_single_sample_last_batch_warns_about_the_batchnorm_error(lang):
    at = run_app(lang=lang, n="1201", batch="300")
    assert "Expected more than 1 value per channel" in at.warning[0].value


def test_suggestion_button_sets_the_batch_size(lang):
    at = run_app(lang=lang, n="1206", batch="300")
    first = next(b for b in at.button if b.label.startswith("B = "))
    first.click().run()
    chosen = at.number_input(key="batch").value
    assert chosen == calc.safer_batch_sizes(1206, 300)[0]
    assert not at.warning


def test_drop_last_with_batch_larger_than_data(lang):
    at = run_app(lang=lang, n="50", batch="64", drop_last="true")
    assert_clean(at)
    assert metrics(at)[STRINGS[lang]["calc.m.updates_epoch"]] == "0"
    assert len(at.error) == 1


@pytest.mark.parametrize(
    "query",
    [
        {"n": "abc"},
        {"n": "-5", "batch": "0"},
        {"n": "9" * 400},
        {"n": "inf", "epochs": "1e999"},
        {"batch": "<script>alert(1)</script>"},
        {"drop_last": "maybe", "accum": "NaN", "gpus": "99999999"},
        {"n": "12.5"},
        {"lang": "xx", "n": "[evil](javascript:alert(1))"},
        {"n": ""},
    ],
)
def test_bad_url_parameters_fall_back_with_a_note(query):
    at = run_app(**query)
    assert_clean(at)
    assert metrics(at) == expected_metrics("en", calc.plan(320, 32, 10))
    notes = " ".join(i.value for i in at.info)
    for key in query:
        assert f"**{key}**" in notes
    # The echoed value sits in a code span: markdown and HTML in it are shown, never rendered.
    assert "<script>" not in notes.replace("`<script>", "")


def test_language_switch():
    at = run_app()
    assert at.title[0].value == STRINGS["en"]["calc.title"]
    at.segmented_control(key="lang").set_value("ko").run()
    assert at.title[0].value == STRINGS["ko"]["calc.title"]
    assert set(metrics(at)) == set(expected_metrics("ko", calc.plan(320, 32, 10)))
