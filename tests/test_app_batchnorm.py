"""The BatchNorm last-batch page through Streamlit's AppTest, in both languages."""

import pytest
from conftest import assert_clean, run_app
from streamlit.testing.v1 import AppTest

from ebcore.lessons.batchnorm import experiment as bn
from ebcore.primitives import calc
from ui.locales import STRINGS
from ui.params import BatchNorm

PAGE = "app_pages/batchnorm_last_batch.py"
ERROR = "Expected more than 1 value per channel when training"


def open_page(lang: str = "en", **query: str) -> AppTest:
    """The page opened from a link carrying ``?lang`` and ``query``."""
    return run_app(page="batchnorm_last_batch", lang=lang, **query)

def page_text(at: AppTest) -> str:
    return " ".join(e.value for kind in (at.markdown, at.caption, at.info, at.warning, at.error, at.success)
                    for e in kind)


def accuracy_metrics(lang: str, result: bn.Comparison) -> dict[str, str]:
    s = STRINGS[lang]
    v = bn.verdict(result.accuracies("keep"), result.accuracies("drop_last"))
    return {s["bn.m.keep"]: f"{100 * v.mean_a:.1f}% ± {100 * v.sd_a:.1f}",
            s["bn.m.drop"]: f"{100 * v.mean_b:.1f}% ± {100 * v.sd_b:.1f}",
            s["bn.m.diff"]: f"{100 * v.difference:+.1f}"}


def test_defaults(lang):
    at = open_page(lang)
    assert_clean(at)
    s = STRINGS[lang]
    assert at.title[0].value == s["bn.title"]
    # Section 1: 1,206 / 300 leaves a last batch of 6, rated tiny, with the reason.
    assert len(at.warning) == 1 and s["bn.sev.tiny"] in at.warning[0].value
    assert s["bn.s1.sentence"].format(n="1,206", b="300", full=4, last=6) in page_text(at)
    # Section 2: the spread table for b = 6 and b = 300.
    assert list(at.table[0].value[s["bn.s2.col.b"]]) == [6, 300]
    # Section 3: the metrics are the experiment's, recomputed here independently of the page's cache.
    result = bn.compare(1206, 300, "sgd", 0.1, 10, 5)
    assert {m.label: m.value for m in at.metric} == accuracy_metrics(lang, result)
    verdict = bn.verdict(result.accuracies("keep"), result.accuracies("drop_last"))
    assert s[f"bn.verdict.{verdict.kind}"].split("{")[0] in page_text(at)
    assert s["bn.s3.caption.loss"] in page_text(at)  # a small last batch: the captions speak of it
    # Section 4: the real PyTorch message from the N = 1201 demo run.
    assert any(ERROR in c.value for c in at.code)
    # Section 5: six samples skipped per epoch; the safer batch sizes offered as buttons.
    assert s["bn.s5.drop"].format(count=6, n="1,206").split(":")[0] in page_text(at)
    labels = [b.label for b in at.button]
    for size in calc.safer_batch_sizes(1206, 300):
        assert s["bn.s5.safer.item"].format(b=size, last=calc.loader_last_batch(1206, size)) in labels


def test_last_batch_of_one(lang):
    at = open_page(lang, n="1201", batch="300")
    assert_clean(at)
    s = STRINGS[lang]
    errors = " ".join(e.value for e in at.error)
    assert s["bn.sev.single"] in errors and s["bn.s3.crashed"].format(last=1) in errors
    assert any(ERROR in c.value for c in at.code)
    assert s["bn.s4.where"].format(epoch=1, step=5, steps=5) in page_text(at)
    assert not at.metric  # no accuracy for the BatchNorm run that crashed: nothing to compare
    assert s["bn.s4.try"] not in [b.label for b in at.button]


def test_url_values(lang):
    at = open_page(lang, n="1210", batch="200", opt="adam", lr="0.03", epochs="3", seeds="2", norm="group")
    assert_clean(at)
    assert (at.number_input(key="n").value, at.number_input(key="batch").value) == (1210, 200)
    assert (at.slider(key="epochs").value, at.slider(key="seeds").value) == (3, 2)
    assert at.segmented_control(key="opt").value == "adam" and at.segmented_control(key="norm").value == "group"
    s = STRINGS[lang]
    # 1,210 = 6 × 200 + 10: a last batch of 10 is "small" (an info box, not a warning).
    assert not at.warning and any(s["bn.sev.small"] in i.value for i in at.info)
    result = bn.compare(1210, 200, "adam", 0.03, 3, 2, other_norm="group")
    assert {m.label: m.value for m in at.metric} == accuracy_metrics(lang, result)
    assert s["bn.s3.intro"].format(epochs=3, opt=s["bn.opt.adam"], lr="0.03",
                                   which=s["bn.s3.intro.partial"]) in page_text(at)


@pytest.mark.parametrize(
    "query",
    [
        {"n": "12"},
        {"batch": "abc", "opt": "rmsprop"},
        {"lr": "10", "epochs": "99", "seeds": "0"},
        {"norm": "batch", "n": "1e3"},
        {"opt": "<b>x</b>"},
    ],
)
def test_bad_url_values_fall_back_with_a_note(query):
    at = open_page("en", **query)
    assert_clean(at)
    notes = " ".join(i.value for i in at.info)
    for key in query:
        assert f"**{key}**" in notes
    assert at.number_input(key="n").value == 1206 and at.number_input(key="batch").value == 300
    assert at.segmented_control(key="opt").value == "sgd"


def test_presets_and_suggestions():
    at = open_page("en")
    s = STRINGS["en"]
    preset = next(b for b in at.button if b.label == s["bn.preset.last2"])
    preset.click().run()
    assert_clean(at)
    assert at.number_input(key="n").value == 1202
    assert s["bn.sev.tiny"] in at.warning[0].value and list(at.table[0].value[s["bn.s2.col.b"]]) == [2, 6, 300]
    first = calc.safer_batch_sizes(1202, 300)[0]
    next(b for b in at.button if b.label.startswith(f"B = {first} ")).click().run()
    assert at.number_input(key="batch").value == first
    assert not at.warning  # the suggestion leaves a healthy last batch
    next(b for b in at.button if b.label == s["bn.s4.try"]).click().run()
    assert (at.number_input(key="n").value, at.number_input(key="batch").value) == (1201, 300)
    assert at.error


PRESET_KEYS = sorted(k.removeprefix("bn.preset.") for k in STRINGS["en"] if k.startswith("bn.preset.")
                     and not k.endswith(".help"))


@pytest.mark.parametrize("preset", PRESET_KEYS)
def test_each_preset_runs_and_lands_in_the_link(preset):
    at = open_page("ko")
    next(b for b in at.button if b.label == STRINGS["ko"][f"bn.preset.{preset}"]).click().run()
    assert_clean(at)
    n, b = at.number_input(key="n").value, at.number_input(key="batch").value
    severity = calc.plan(n, b, 1).last_batch_severity.value
    assert any(STRINGS["ko"][f"bn.sev.{severity}"] in e.value for e in (*at.warning, *at.error, *at.info, *at.success))
    opt, lr = at.segmented_control(key="opt").value, at.segmented_control(key="lr").value
    for key, value, default in (("n", n, 1206), ("opt", opt, "sgd"), ("lr", lr, "0.1")):
        in_link = at.query_params.get(key)
        assert (in_link is None) if value == default else (str(in_link).strip("[]'") == str(value))


@pytest.mark.parametrize(("n", "b", "last"), [(1206, 300, 6), (1201, 300, 1), (1202, 300, 2)])
def test_the_intro_states_this_settings_last_batch(lang, n, b, last):
    """Issue 16, point 3: the intro's numbers come from the settings (lesson step 9 is 1,201 / 300 → 1)."""
    at = open_page(lang, n=str(n), batch=str(b))
    s = STRINGS[lang]
    form = s[f"bn.intro.partial.{'one' if last == 1 else 'other'}"].format(n=f"{n:,}", b=f"{b:,}", count=last)
    assert form in page_text(at)
    if n != 1206:
        assert "1,206" not in page_text(at)


def test_what_to_look_for_when_the_kept_run_crashed(lang):
    """Issue 16, point 4: at N=1201 the kept run crashed; the hint must not talk about its spread."""
    at = open_page(lang, n="1201", batch="300")
    s = STRINGS[lang]
    hints = [i.value for i in at.info if i.value.startswith(s["bn.s3.grows"][:12])]
    assert len(hints) == 1
    assert hints[0] == s["bn.s3.grows.crashed"].format(last=1, norm=s["bn.norm.layer"])


def test_full_batches_say_the_runs_are_the_same_and_weigh_no_noise(lang):
    """N a multiple of B: drop_last drops nothing, its runs are the kept ones; no "noise" verdict, no safer run."""
    at = open_page(lang, n="1200", batch="300", epochs="2", seeds="2")
    assert_clean(at)
    s = STRINGS[lang]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[s["bn.m.diff"]] == "+0.0"
    assert metrics[s["bn.m.keep"]] == metrics[s["bn.m.drop"]]
    text = page_text(at)
    assert s["bn.s3.grows.full"] in [i.value for i in at.info]
    for kind in ("better", "worse", "unclear"):
        assert s[f"bn.verdict.{kind}"].split("{")[0] not in text
    # No "small batch" to point at in the intro and the chart captions either.
    assert s["bn.s3.intro.full"] in text and s["bn.s3.intro.partial"] not in text
    assert s["bn.s3.caption.loss.full"].format(b=300) in text
    assert s["bn.s3.caption.loss"] not in text and s["bn.s3.caption.shift.full"] in text
    result = bn.compare(1200, 300, "sgd", 0.1, 2, 2)
    assert "safer_batch" not in result.runs


@pytest.mark.parametrize(("n", "last"), [("1206", 6), ("1201", 1)])
def test_the_spread_sentence_uses_the_tables_numbers(lang, n, last):
    # Issue 26, point 9: "1/√b predicts ≈ 7.1×" beside a theory column giving 8.2×; and at N = 1201 the section
    # compared b = 6 with 300, not the page's own last batch of 1.
    at = open_page(lang, n=n, batch="300")
    assert_clean(at)
    s = STRINGS[lang]
    table = at.table[0].value
    sizes = list(table[s["bn.s2.col.b"]])
    assert sizes[0] == last and sizes[-1] == 300
    mean, theory = table[s["bn.s2.col.mean_sd"]], table[s["bn.s2.col.theory"]]
    times = "×" if lang == "en" else "배"
    sentence = next(m.value for m in at.markdown if f"**{last}**" in m.value and "**300**" in m.value
                    and mean.iloc[0] in m.value)
    for column in (mean, theory):
        small, large = column.iloc[0], column.iloc[-1]
        assert small in sentence and large in sentence  # the very cells of the table
        assert f"**{float(small) / float(large):,.1f}{times}**" in sentence
    if last == 1:  # its variance row is all zeros: said in words
        assert float(table[s["bn.s2.col.var_sd"]].iloc[0]) == 0 and s["bn.s2.one"] in page_text(at)


# --- issue 29, 1: the page on real handwritten digits --------------------------------------------------------


def test_the_digits_by_default(lang):
    at = open_page(lang, data="digits")
    assert_clean(at)
    s = STRINGS[lang]
    assert at.number_input(key="digits_n").value == 1206 and at.segmented_control(key="data").value == "digits"
    assert s["bn.digits.about"] in page_text(at)
    assert s["bn.s3.intro_digits"].split("{")[0] in page_text(at)
    result = bn.compare(1206, 300, "sgd", 0.1, 10, 5, data="digits")
    assert {m.label: m.value for m in at.metric} == accuracy_metrics(lang, result)
    assert any(ERROR in c.value for c in at.code)  # section 4: 1,201 digits in batches of 300


@pytest.mark.parametrize("preset", ["last2", "momentum"])
def test_a_digits_preset_sets_the_digits_n_and_keeps_the_digits(lang, preset):
    at = open_page(lang, data="digits", digits_n="700")
    labels = [b.label for b in at.button]
    at.button[labels.index(STRINGS[lang][f"bn.preset.{preset}"])].click().run()
    assert_clean(at)
    values = BatchNorm.PRESETS[preset]
    assert at.segmented_control(key="data").value == "digits"
    assert at.number_input(key="digits_n").value == values["n"]
    result = bn.compare(values["n"], 300, values.get("opt", "sgd"), float(values.get("lr", "0.1")), 10, 5,
                        data="digits")
    assert {m.label: m.value for m in at.metric} == accuracy_metrics(lang, result)
    assert bn.verdict(result.accuracies("keep"), result.accuracies("drop_last")).kind == "better"


def test_more_digits_than_there_are_falls_back_with_a_note():
    at = open_page(data="digits", digits_n="2000")
    assert_clean(at)
    assert "**digits_n**" in " ".join(i.value for i in at.info)
    assert at.number_input(key="digits_n").value == 1206
