"""The critical-batch page through Streamlit's AppTest, in both languages: defaults, presets, links."""

import pytest
from conftest import assert_clean, metrics, run_app
from streamlit.testing.v1 import AppTest

from ebcore import critical_batch as cb
from ui.locales import STRINGS
from ui.params import CriticalBatch as P


def open_page(lang: str, **query: str) -> AppTest:
    return run_app(page="critical_batch", timeout=600, lang=lang, **query)


def steps_table(at: AppTest):
    return at.dataframe[0].value


def test_defaults(lang):
    at = open_page(lang)
    assert_clean(at)
    s = STRINGS[lang]
    assert at.title[0].value == s["crit.title"]
    table = steps_table(at)
    assert list(table[s["crit.table.batch"]]) == list(cb.BATCHES)
    # The default view shows all three regions: the data size was chosen for it.
    regions = set(table[s["crit.table.region"]])
    assert regions == {s[f"crit.region.{r}"] for r in ("perfect", "diminishing", "maximal")}
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
    assert steps(fixed)[-1] > 2 * steps(tuned)[-1]


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
