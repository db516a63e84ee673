"""The home page as a student sees it, driven through Streamlit's AppTest in both languages."""

import pytest
from conftest import assert_clean, metrics, run_app

from ebcore.primitives import calc
from ebcore.primitives.examples import WORKED_EXAMPLES
from ui.i18n import fill
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
    # Keras 3's lines for the defaults: 10 steps per epoch, first and last epoch shown, no time (nothing trains).
    keras = next(c.value for c in at.code if c.value.startswith("Epoch "))
    assert keras == "\n".join(["Epoch 1/10", "10/10 " + "━" * 20, "…", "Epoch 10/10", "10/10 " + "━" * 20])


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
    at = run_app(lang=lang, n="1000", batch="30", epochs="3", drop_last="true", accum="4", gpus="2",
                 sampler_drop_last="true")
    assert_clean(at)
    p = calc.plan(1000, 30, 3, drop_last=True, sampler_drop_last=True, accumulation_steps=4, world_size=2)
    assert metrics(at) == expected_metrics(lang, p)
    table = at.table[0].value
    s = STRINGS[lang]
    names = [fill(s[f"calc.table.row.{key}"], {"b": "30", "k": "4", "r": "2", "train": "800"}) for key in (
        "keras", "keras_split", "torch", "torch_drop", "keras_accum", "accum", "lightning_ddp", "ddp")]
    shown = table.iloc[:, 0].tolist()
    assert [any(name in row for row in shown) for name in names] == [True] * 8, shown
    # Both drop_lasts are named on the PyTorch row; Lightning's row leaves the sampler's off.
    assert s["calc.table.opt.sampler_drop"] in shown[-1] and s["calc.table.opt.sampler_drop"] not in shown[-2]


@pytest.mark.parametrize(("n", "b", "updates", "skipped"), [(11, 3, 2, 0), (7, 4, 1, 0)])
def test_the_loaders_drop_last_alone_over_two_gpus(lang, n, b, updates, skipped):
    """The issue's cases: the loader's drop_last on, the sampler's off (its default, and Lightning's)."""
    at = run_app(lang=lang, n=str(n), batch=str(b), drop_last="true", gpus="2")
    assert_clean(at)
    found = metrics(at)
    assert found[STRINGS[lang]["calc.m.updates_epoch"]] == str(updates)
    assert found[STRINGS[lang]["calc.m.skipped"]] == str(skipped)
    assert any(fill(STRINGS[lang]["calc.table.flags"], {"r": "2", "sampler": "False", "loader": "True"}) == m.value
               for m in at.markdown)


def test_keras_accumulation_sentence_counts_over_the_run(lang):
    """10 samples, batch 3, K 3: Keras 3 updates 1, 1, 2 (then again); 4 epochs make 5 (16 batches: 1 left over)."""
    at = run_app(lang=lang, n="10", batch="3", epochs="4", accum="3")
    assert_clean(at)
    assert calc.keras_updates_per_epoch(10, 3, 4, 3) == [1, 1, 2, 1]
    opening = STRINGS[lang]["calc.table.keras_accum"].split("**")[1]  # the sentence's bold opening
    text = next(m.value for m in at.markdown if opening in m.value)
    assert "1, 1, 2" in text and "**5**" in text and "**8**" in text  # Lightning: ceil(4/3) = 2 a epoch, 8
    left = fill(STRINGS[lang]["calc.count.batches.one"], {"count": "1"})
    assert fill(STRINGS[lang]["calc.table.keras_accum.left"], {"left": left}) in text


def test_keras_refusing_the_split_is_said_in_its_words(lang):
    at = run_app(lang=lang, n="1", batch="1")
    assert_clean(at)
    assert any("Training data contains 1 samples, which is not sufficient" in c.value for c in at.caption)
    assert len(at.table[0].value) == 3  # no validation_split row


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


# --- issue 26, 10 and 15: every sentence and row follows the settings the cards count ------------------------

OPTION_CASES = [  # (n, batch, accumulation, GPUs, drop_last): the case first
    (1000, 32, 2, 4, True),
    (1000, 32, 2, 1, False),
    (1000, 32, 1, 4, False),
    (1000, 32, 3, 2, False),
    (777, 50, 4, 3, True),
    (320, 32, 1, 1, True),
    (320, 32, 1, 1, False),
]


def intro(at, lang: str) -> str:
    """The intro paragraph: every variant opens with the same definition of an epoch."""
    opening = STRINGS[lang]["calc.intro"][:20]
    return next(md.value for md in at.markdown if md.value.startswith(opening))


@pytest.mark.parametrize(("n", "b", "k", "r", "drop_last"), OPTION_CASES)
def test_intro_and_translator_agree_with_the_cards(lang, n, b, k, r, drop_last):
    at = run_app(lang=lang, n=str(n), batch=str(b), accum=str(k), gpus=str(r), drop_last=str(drop_last).lower())
    assert_clean(at)
    p = calc.plan(n, b, drop_last=drop_last, accumulation_steps=k, world_size=r)
    s = STRINGS[lang]
    text = intro(at, lang)
    # "One batch = one weight update" only where it is true: no accumulation, one GPU.
    plain = s["calc.intro"]
    assert (text == plain) == (k == 1 and r == 1)
    if k > 1:
        assert f"{k}" in text and (f"every {k} iterations" in text if lang == "en" else f"이터레이션 {k}번마다" in text)
    if r > 1:
        assert (f"{r} GPUs" if lang == "en" else f"GPU {r}개") in text
    # Every ★ row of the translator is counted with the cards' settings: its numbers are the cards'.
    table = at.table[0].value
    name, updates, last = s["calc.table.framework"], s["calc.table.updates"], s["calc.table.last"]
    starred = table[table[name].str.startswith("★")]
    assert len(starred) >= 1
    assert set(starred[updates].astype(int)) == {p.updates_per_epoch}
    assert set(starred[last].astype(int)) == {p.last_batch_size}
    assert metrics(at)[s["calc.m.updates_epoch"]] == f"{p.updates_per_epoch:,}"
    # A row that names accumulation or GPUs says drop_last when it was counted with it.
    for label in table[name]:
        if "K = " in label or "R = " in label:
            assert ("drop_last=True" in label) == drop_last, label


@pytest.mark.parametrize(("n", "b", "r", "kind"), [
    (10, 32, 1, "small"), (100, 1000, 4, "whole"), (40, 41, 1, "whole"), (1, 5, 1, "single"), (12, 64, 2, "small"),
])
def test_a_batch_larger_than_the_data_is_full_batch_training_not_a_tiny_last_batch(lang, n, b, r, kind):
    """`/?n=10&batch=32` warned about a tiny last batch; there is one batch, all of the data."""
    at = run_app(lang=lang, n=str(n), batch=str(b), gpus=str(r))
    assert_clean(at)
    s = STRINGS[lang]
    p = calc.plan(n, b, world_size=r)
    share = f"{p.samples_per_replica:,}"
    notes = [x.value for x in at.info] + [x.value for x in at.warning]
    assert len(notes) == 1
    assert notes[0] == fill(STRINGS[lang][f"calc.whole.{kind}" if kind != "whole" else "calc.whole"],
                            {"b": f"{b:,}", "n": share, "reliable": calc.BN_RELIABLE_BATCH})
    assert not [x for x in at.button if x.label.startswith("B = ")]  # no "nearby batch size" to pick
    samples = s[f"calc.count.samples.{'one' if p.samples_per_replica == 1 else 'other'}"].format(count=share)
    sentence = next(md.value for md in at.markdown if md.value.startswith(samples))
    assert s["calc.sentence.partial"].split("{")[0].strip() not in sentence  # no "1 last batch of"
    assert s["calc.count.full.other"].format(count="0") not in sentence  # no "0 full batches"
    assert sentence == fill(s["calc.sentence.whole"], {"samples": samples, "b": f"{b:,}", "n": share,
                                                       "iters": s["calc.count.iters.one"].format(count="1")})


@pytest.mark.parametrize(("n", "b"), [(11, 10), (1206, 300), (1201, 300), (40, 40)])
def test_a_real_last_batch_still_warns(lang, n, b):
    at = run_app(lang=lang, n=str(n), batch=str(b))
    p = calc.plan(n, b)
    warned = bool(at.warning) or any(s in x.value for x in at.info for s in (str(p.last_batch_size),))
    assert warned == (p.last_batch_severity in (calc.LastBatchSeverity.TINY, calc.LastBatchSeverity.SINGLE,
                                                calc.LastBatchSeverity.SMALL))


def test_no_batch_over_gpus_names_the_share(lang):
    """N = 7 over 2 GPUs: each loader batches a share of 4, so B = 5 with the loader's drop_last yields none."""
    at = run_app(lang=lang, n="7", batch="5", drop_last="true", gpus="2")
    assert_clean(at)
    assert calc.plan(7, 5, drop_last=True, world_size=2).iterations_per_epoch == 0
    assert at.error[0].value == fill(STRINGS[lang]["calc.none.gpus"], {"b": "5", "n": "7", "share": "4"})
    # the rows count per GPU, but what is left out is the whole data's: said so
    notes = at.table[0].value.iloc[:, -2].tolist()
    assert notes[-1] == fill(STRINGS[lang]["calc.table.skipped.all"], {"count": "7"})
