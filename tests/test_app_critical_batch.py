"""The critical-batch page through Streamlit's AppTest, in both languages: defaults, presets, links, and
every sentence, card and chart against the steps table, tuned and at one learning rate."""

import json
import re

import pyarrow as pa
import pytest
from conftest import assert_clean, metrics, run_app
from streamlit.testing.v1 import AppTest

from ebcore.lessons.critical import experiment as cb
from ebcore.lessons.critical import scaling
from ui.locales import STRINGS
from ui.params import CriticalBatch as P


def open_page(lang: str, **query: str) -> AppTest:
    return run_app(page="critical_batch", timeout=600, lang=lang, **query)


def steps_table(at: AppTest):
    return at.table[0].value


def charts(at: AppTest) -> list[dict[str, object]]:
    """Each chart's datasets, as DataFrames by name, in page order."""
    out = []
    for chart in list(at.get("arrow_vega_lite_chart")) + list(at.get("vega_lite_chart")):
        json.loads(chart.proto.spec)
        out.append({d.name: pa.ipc.open_stream(d.data.data).read_all().to_pandas() for d in chart.proto.datasets})
    return out


def frames_with(at: AppTest, *columns: str):
    """Every chart dataset that has ``columns``, in page order."""
    return [f for chart in charts(at) for f in chart.values() if set(columns) <= set(f.columns)]


def parse(template: str, text: str) -> dict[str, str] | None:
    """The placeholders' values if ``text`` contains ``template`` filled in (None if it does not)."""
    pattern, names = "", []
    for literal, field in re.findall(r"([^{]*)(\{[^}]*\}|$)", template):
        pattern += re.escape(literal)
        if field:
            name = field[1:-1].split(":")[0].split("|")[0]
            value = ".+?" if name == "saved" else r"[\d.,–-]+" + (r"\S?" if "|" in field else "")
            pattern += f"(?P<{name}>{value})" if name not in names else f"(?P={name})"
            names.append(name)
    found = re.search(pattern, text)
    return found.groupdict() if found else None


def number(text: str) -> float:
    return float(text.replace(",", ""))


def test_defaults(lang):
    at = open_page(lang)
    assert_clean(at)
    s = STRINGS[lang]
    assert at.title[0].value == s["crit.title"]
    table = steps_table(at)
    assert list(table[s["crit.table.batch"]]) == list(cb.BATCHES)
    # The default view shows all three regions, in order, as the lesson's step 8 asks about them.
    order = [s[f"crit.region.{r}"] for r in ("perfect", "diminishing", "maximal")]
    regions = list(table[s["crit.table.region"]])[1:]
    assert set(regions) == set(order) and regions == sorted(regions, key=order.index)
    shown = metrics(at)
    b_crit = int(shown[s["crit.metric.bcrit"]].replace(",", ""))
    assert cb.BATCHES[0] < b_crit < cb.BATCHES[-1]
    assert len(at.get("arrow_vega_lite_chart")) + len(at.get("vega_lite_chart")) == 5
    assert {b.proto.id.rsplit("-csv_", 1)[1] for b in at.get("download_button")} == {
        "steps_to_target", "critical_batch_runs", "noise_scale", "epoch_budget"}
    assert not at.warning


@pytest.mark.parametrize("preset", list(P.PRESETS))
def test_presets(preset):
    at = open_page("en")
    at.button(key=f"preset_{preset}").click().run()
    assert_clean(at)
    values = P.PRESETS[preset]
    assert at.segmented_control(key="target").value == values["target"]
    assert at.toggle(key="fixed").value is values["fixed"]
    lrs = set(steps_table(at)[STRINGS["en"]["crit.table.lr"]])
    if values["fixed"]:
        assert lrs == {values["lr"]}


def test_one_learning_rate_for_all_sizes_makes_large_batches_slower(lang):
    tuned, fixed = open_page(lang), open_page(lang, fixed="true", lr="0.05")
    assert_clean(fixed)
    s = STRINGS[lang]
    col = s["crit.table.steps"]
    def steps(at):
        return [float(v.replace(",", "")) if v != s["crit.table.none"] else float("inf")
                for v in steps_table(at)[col]]
    assert all(f >= t - 0.5 for f, t in zip(steps(fixed), steps(tuned), strict=True))
    assert steps(fixed)[-1] > 1.5 * steps(tuned)[-1]


def test_bad_url_values_fall_back_with_a_note(lang):
    at = open_page(lang, target="0.1", fixed="maybe", lr="9", budget="99", seed="-1")
    assert_clean(at)
    assert len(at.info) == 1
    note = at.info[0].value
    assert all(f"**{key}**" in note for key in ("target", "fixed", "lr", "budget", "seed"))
    assert at.segmented_control(key="target").value == P.TARGET.default


def test_url_values_are_taken(lang):
    at = open_page(lang, target="0.5", budget="4")
    assert_clean(at)
    assert at.slider(key="budget").value == 4 and at.segmented_control(key="target").value == "0.5"
    s = STRINGS[lang]
    assert any(c.value.startswith(s["crit.budget.caption"].split("{")[0]) for c in at.caption)


def test_trade_offs_claims_link_here_with_their_conditions():
    at = run_app(page="batch_tradeoffs", timeout=600, lang="en")
    assert_clean(at)
    links = [link for link in at.get("page_link") if link.proto.page.endswith("critical_batch")
             or "critical_batch" in link.proto.page]
    assert links and links[0].proto.label == STRINGS["en"]["crit.claims.link"]
    text = " ".join(m.value for m in at.markdown)
    assert "**Large batches train faster**" in text and "**Small batches generalise better**" in text


# --- every sentence, card and chart describes the runs in the table ----------------------------------------

CASES = {"tuned": {}, "fixed": {"fixed": "true"}, "seed9": {"seed": "9", "target": "0.32"},
         "seed9_fixed": {"seed": "9", "target": "0.32", "fixed": "true"},
         "seed9_fixed_slow": {"seed": "9", "target": "0.32", "fixed": "true", "lr": "0.025"},
         "seed3_loose": {"seed": "3", "target": "0.5", "fixed": "true", "lr": "0.1"},
         # the real digits: their own targets and learning rates
         "digits": {"data": "digits"}, "digits_fixed": {"data": "digits", "fixed": "true"},
         "digits_seed4_loose": {"data": "digits", "seed": "4", "digits_target": "1", "fixed": "true",
                                "digits_lr": "0.8"}}


def read_table(at: AppTest, s: dict[str, str]) -> list[tuple[int, int | None, str]]:
    """The steps table as (batch, steps or None, region label) rows."""
    table = steps_table(at)
    none = s["crit.table.none"]
    return [(int(b), None if v == none else int(number(v)), r) for b, v, r in
            zip(table[s["crit.table.batch"]], table[s["crit.table.steps"]], table[s["crit.table.region"]], strict=True)]


def expected_region(s0: int, s1: int) -> str | None:
    """The region the table's own (rounded) steps put a doubling in; None too close to a threshold to tell."""
    share = (s0 - s1) / (s0 / 2)
    if min(abs(share - scaling.PERFECT_SHARE), abs(share - scaling.MAXIMAL_SHARE)) < 2.5 / s0:
        return None
    return scaling.region_of_share(share).value


def check_page_against_its_table(at: AppTest, lang: str) -> None:
    s = STRINGS[lang]
    rows = read_table(at, s)
    reached = [(b, v) for b, v, _ in rows if v is not None]
    captions = " ".join(c.value for c in at.caption)
    labels = {s[f"crit.region.{r.value}"]: r.value for r in scaling.Region}

    # the Region column: each doubling's share of the ideal halving, from the table's own steps
    doubling_rows = []
    for (b0, v0, _), (b1, v1, region) in zip(rows, rows[1:], strict=False):
        if v0 is None or v1 is None:
            assert region == "–", (b1, region)
            continue
        want = expected_region(v0, v1)
        assert want is None or labels[region] == want, (b0, b1, v0, v1, region)
        doubling_rows.append((b0, b1, labels[region]))

    # the shading: every doubling inside one band of its own region; the bands are the doublings
    points = frames_with(at, "batch", "steps", "series", "lr")
    bands = [f for f in frames_with(at, "low", "high", "name", "code")]
    if points:
        main = points[0][points[0]["series"] == points[0]["series"].iloc[0]]
        assert sorted((int(b), round(v)) for b, v in zip(main["batch"], main["steps"], strict=True)) == reached
        shading = bands[0] if bands else None
        for b0, b1, code in doubling_rows:
            inside = shading[(shading["low"] <= max(b0, 6)) & (shading["high"] >= b1)] if shading is not None else []
            assert list(inside["code"]) == [code], (b0, b1, code)
    else:
        assert len(reached) == 0

    # the sentences on the regions name the sizes the Region column shows
    codes = [c for _, _, c in doubling_rows]
    perfect_end = next((b1 for i, (_, b1, c) in enumerate(doubling_rows)
                        if c == "perfect" and (i + 1 == len(codes) or codes[i + 1] != "perfect")
                        and all(x == "perfect" for x in codes[:i + 1])), None)
    if doubling_rows:
        found = parse(s["crit.steps.perfect_until"], captions)
        assert (found and int(found["b"])) == perfect_end or (perfect_end is None and found is None)
        found = parse(s["crit.steps.maximal_from"], captions) or parse(s["crit.steps.maximal_until"], captions)
        if found:
            start = int(found["b"])
            assert all(c == "maximal" for b0, _, c in doubling_rows if b0 >= start)
            assert any(b0 == start for b0, _, _ in doubling_rows)
            # "on" only when the measured doublings reach the table's largest size
            last = doubling_rows[-1][1]
            assert ("end" not in found) is (last == rows[-1][0]) and int(found.get("end", last)) == last
        else:
            assert codes[-1] != "maximal"
    else:
        assert parse(s["crit.steps.perfect_until"], captions) is None

    # the span sentence quotes the first and last reached sizes of the table
    span = parse(s["crit.steps.span"], captions)
    if len(reached) >= 2:
        (b0, v0), (b1, v1) = reached[0], reached[-1]
        assert span and (int(span["b0"]), int(span["b1"]), number(span["s0"]), number(span["s1"])) == (b0, b1, v0, v1)
        assert abs(number(span["sratio"]) - v0 / v1) <= 0.05 + v0 / v1 * 2 / v1
    else:
        assert span is None

    # the cards and chart 2: the curve fitted to the table's dots
    cards = metrics(at)
    try:
        fit = scaling.fit(reached)
    except ValueError:
        fit = None
    trade = frames_with(at, "batch", "steps", "examples")
    if fit is None:
        assert s["crit.metric.bcrit"] not in cards and not trade
        return
    for key, value in (("bcrit", fit.b_crit), ("smin", fit.s_min), ("emin", fit.e_min)):
        assert abs(number(cards[s[f"crit.metric.{key}"]]) - value) <= 0.03 * value + 1, (key, cards, value)
    assert sorted((int(b), round(v)) for b, v in zip(trade[0]["batch"], trade[0]["steps"], strict=True)) == reached
    # the prediction chart plots the same dots; the noise chart's B_crit line is the card's
    assert sorted((int(b), round(v)) for b, v in zip(points[-1]["batch"], points[-1]["steps"], strict=True)) == reached
    line = [f for f in frames_with(at, "step", "b_simple", "series") if s["crit.noise.bcrit"].split("{")[0] in
            " ".join(f["series"])]
    assert line and number(cards[s["crit.metric.bcrit"]]) == pytest.approx(line[0]["b_simple"].iloc[0], abs=0.5)


@pytest.mark.parametrize("case", list(CASES))
def test_sentences_cards_and_charts_describe_the_table(lang, case):
    at = open_page(lang, **CASES[case])
    assert_clean(at)
    if CASES[case].get("fixed"):
        digits = CASES[case].get("data") == "digits"
        lr = CASES[case].get("digits_lr", P.DIGITS_LR.default) if digits else CASES[case].get("lr", P.LR.default)
        assert set(steps_table(at)[STRINGS[lang]["crit.table.lr"]]) == {lr}
    check_page_against_its_table(at, lang)


@pytest.mark.parametrize("fixed", ["false", "true"])
def test_when_no_size_reaches_the_target_nothing_quotes_a_step(lang, fixed, monkeypatch):
    monkeypatch.setattr(cb, "steps_to_target", lambda *_: None)
    at = open_page(lang, fixed=fixed)
    assert_clean(at)
    s = STRINGS[lang]
    rows = read_table(at, s)
    assert all(v is None and r == "–" for _, v, r in rows)
    assert not at.metric and not frames_with(at, "batch", "steps", "examples")
    assert not frames_with(at, "batch", "steps", "series", "lr")
    warnings = " ".join(w.value for w in at.warning)
    assert s["crit.fit.none"] in warnings and ", ".join(map(str, cb.BATCHES)) in warnings
    captions = " ".join(c.value for c in at.caption)
    for key in ("crit.steps.span", "crit.steps.perfect_until", "crit.steps.maximal_from", "crit.tradeoff.caption",
                "crit.predict.caption", "crit.budget.caption"):
        assert parse(s[key], captions) is None, key
    check_page_against_its_table(at, lang)


def test_the_real_digits_have_their_own_targets_rates_and_texts(lang):
    at = open_page(lang, data="digits")
    assert_clean(at)
    s = STRINGS[lang]
    assert at.segmented_control(key="digits_target").value == P.DIGITS_TARGET.default
    assert not [w for w in at.segmented_control if w.key in ("target", "lr")]  # the made-up data's widgets
    assert list(steps_table(at)[s["crit.table.batch"]]) == [8, 16, 32, 64, 128, 256, 512]
    assert set(steps_table(at)[s["crit.table.lr"]]) <= {"0.2", "0.4", "0.8"}
    captions = " ".join(c.value for c in at.caption)
    made_up = parse(s["crit.digits.versus"], captions)
    assert made_up and made_up["b_crit"] == metrics(at)[s["crit.metric.bcrit"]]
    assert parse(s["crit.digits.about"], captions) == {"train": "512", "val": "360"}
    default = open_page(lang)  # the made-up data's B_crit, as its own page shows it
    assert made_up["made_up"] == metrics(default)[s["crit.metric.bcrit"]]


@pytest.mark.parametrize("preset", list(P.DIGITS_PRESETS))
def test_digits_presets(preset):
    at = open_page("en", data="digits")
    at.button(key=f"preset_{preset}").click().run()
    assert_clean(at)
    values = P.DIGITS_PRESETS[preset]
    assert at.segmented_control(key="data").value == "digits"
    assert at.segmented_control(key="digits_target").value == values["digits_target"]
    if values["fixed"]:
        assert set(steps_table(at)[STRINGS["en"]["crit.table.lr"]]) == {values["digits_lr"]}


def test_bad_digits_values_fall_back_with_a_note():
    at = open_page("en", data="images", digits_target="0.35", digits_lr="0.05")
    assert_clean(at)
    note = at.info[0].value
    assert all(f"**{key}**" in note for key in ("data", "digits_target", "digits_lr"))
    assert at.segmented_control(key="data").value == "synthetic"
