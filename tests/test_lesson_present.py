"""The teacher's tools: the lesson plan's links, presentation mode, CSV downloads and the start-up warm-up."""

import pytest

from tests.conftest import ROOT, assert_clean, run_app
from ui import lesson, nav, urlstate
from ui.params import BY_PAGE, PRESETS_BY_PAGE

WIDGETS = ("number_input", "slider", "toggle", "button_group")


def widget_values(at) -> dict[str, str]:
    """Every keyed widget's value as it would be written in a link (``true``, ``300``, ``sgd``)."""
    out = {}
    for kind in WIDGETS:
        for w in at.get(kind):
            if getattr(w, "key", None):
                value = w.value
                if isinstance(value, list):  # a segmented control's selection
                    value = value[0] if value else None
                out[w.key] = str(value).lower() if isinstance(value, bool) else str(value)
    return out


def url_notes(at) -> list[str]:
    return [i.value for i in at.info if ":material/link_off:" in str(i.proto.icon)]


@pytest.mark.parametrize("step", lesson.STEPS, ids=lambda s: s.key)
def test_every_lesson_setting_is_a_setting_its_page_accepts(step):
    assert nav.find(step.page) is not None
    params = {p.key: p for p in BY_PAGE[step.page]}
    assert set(step.settings) <= params.keys()
    assert urlstate.rejected(step.settings, params.values()) == []


@pytest.mark.parametrize("step", lesson.STEPS, ids=lambda s: s.key)
def test_every_lesson_link_opens_its_page_on_exactly_those_settings(step):
    at = run_app(step.page, **step.settings)
    assert_clean(at)
    assert url_notes(at) == []
    shown = widget_values(at)
    assert {key: shown[key] for key in step.settings} == step.settings


def test_readme_carries_the_lesson_table_made_from_the_registry():
    readme = (ROOT / "README.md").read_text()
    assert lesson.readme_table() in readme, "README's lesson table is stale: paste `python -m ui.lesson`"


def test_lesson_page_lists_every_step_in_both_languages(lang):
    at = run_app("lesson_plan", lang=lang)
    assert_clean(at)
    assert len(at.get("page_link")) == len(lesson.STEPS)
    links = at.code[0].value.splitlines()
    assert links == [lesson.link(s, "", lang) for s in lesson.STEPS]
    at.toggle(key="lesson_present").set_value(True).run()
    assert all(line.endswith("&present=true") for line in at.code[0].value.splitlines())


def page_link_queries(at) -> list[dict[str, list[str]]]:
    from urllib.parse import parse_qs

    return [parse_qs(link.proto.query_string) for link in at.get("page_link")]


def test_lesson_links_add_presentation_mode_only_where_the_session_lacks_it():
    """Issue 26, item 1: a link that repeats ?present the session carries got a note and opened in normal mode."""
    plain, projected = run_app("lesson_plan", lang="ko"), run_app("lesson_plan", lang="ko", present="1")
    for at in (plain, projected):
        at.toggle(key="lesson_present").set_value(True).run()
        assert_clean(at)
    assert [q.get("present") for q in page_link_queries(plain)] == [["true"]] * len(lesson.STEPS)
    # Streamlit carries the session's ?present=true (and ?lang) over: the link must not say it again.
    assert all("present" not in q and "lang" not in q for q in page_link_queries(projected))
    assert [{k: v[0] for k, v in q.items()} for q in page_link_queries(projected)] == [s.settings for s in lesson.STEPS]


@pytest.mark.parametrize("carried", [["true", "1"], ["false", "true"]], ids=str)
def test_a_link_on_top_of_the_carried_present_flag_opens_presentation_mode(carried):
    """The address an in-app link makes: the carried value first, the link's own last; no note."""
    at = run_app("exam_analogy", present=carried)
    assert_clean(at)
    assert at.toggle(key="present").value is True
    assert url_notes(at) == []


@pytest.mark.parametrize("flag", ["1", "true"])
def test_present_flag_turns_presentation_mode_on(flag):
    normal, projected = run_app("batchnorm_last_batch"), run_app("batchnorm_last_batch", present=flag)
    assert_clean(projected)
    assert projected.toggle(key="present").value is True and normal.toggle(key="present").value is False
    assert projected.query_params["present"] == "true"  # 1 spelled the way Streamlit's toggle reads it
    assert url_notes(projected) == []
    # Explanations fold away: the intro is no longer written out, it sits in an "Explain" expander.
    assert len(projected.expander) > len(normal.expander)
    intro = normal.markdown[0].value
    folded = [m.value for e in projected.expander for m in e.markdown]
    assert intro in folded and intro not in [m.value for e in normal.expander for m in e.markdown]
    assert any(h.proto.body.startswith("<style>") for h in projected.get("html"))


def test_a_bad_present_flag_gets_a_note():
    at = run_app("", present="yes")
    assert_clean(at)
    assert at.toggle(key="present").value is False
    assert any("present" in note for note in url_notes(at))


DOWNLOADS = {
    "exam_analogy": {"exam_first_sitting", "exam_study", "exam_sittings"},
    "batch_tradeoffs": {"gradient_noise", "batch_sweep", "seed_experiment"},
    "batchnorm_last_batch": {"batchnorm_steps", "batchnorm_accuracy"},
    "epochs_early_stopping": {"curve_fit", "curve_losses", "early_stopping", "keras_log"},
    "critical_batch": {"steps_to_target", "critical_batch_runs", "noise_scale", "epoch_budget"},
}


@pytest.mark.parametrize("page", DOWNLOADS)
def test_every_chart_with_a_run_offers_its_data_as_csv(page, lang):
    at = run_app(page, lang=lang)
    buttons = at.get("download_button")
    assert {b.proto.id.rsplit("-csv_", 1)[1] for b in buttons} == DOWNLOADS[page]
    assert all(b.proto.ignore_rerun and b.proto.deferred_file_id for b in buttons)


def test_warm_up_leaves_every_default_lesson_and_preset_run_cached(monkeypatch):
    from ebcore.lessons import digits as dg
    from ebcore.lessons import epochs as ep
    from ebcore.lessons import exam
    from ebcore.lessons.batchnorm import experiment as batchnorm
    from ebcore.lessons.critical import experiment as critical_batch
    from ebcore.lessons.tradeoffs import experiment as tradeoffs
    from ui import warmup

    warmup.default_runs()
    warmup.lesson_runs()
    warmup.preset_runs()

    def no_training(*args, **kwargs):
        raise AssertionError("a page trained although the warm-up had run its settings")

    for module, name in ((exam, "sit"), (exam, "first_sitting_study"), (tradeoffs, "sweep_run"),
                         (tradeoffs, "seed_experiment"), (tradeoffs, "gradient_noise"), (tradeoffs, "noise_curve"),
                         (batchnorm, "compare"), (batchnorm, "batch_stat_spread"), (batchnorm, "single_sample_error"),
                         (ep, "train_curve"), (ep, "keras_log_run"), (critical_batch, "run_batch"),
                         (critical_batch, "noise_run"), (dg, "keras_example"), (dg, "see_batch")):
        monkeypatch.setattr(module, name, no_training)
    for page in DOWNLOADS:
        assert_clean(run_app(page))
    for step in lesson.STEPS:
        assert_clean(run_app(step.page, **step.settings))
    for page, presets in PRESETS_BY_PAGE.items():
        for key, values in presets.items():  # each preset button pressed on the page's defaults (its data's)
            at = run_app(page, **({"data": values["data"]} if "data" in values else {}))
            at.button(key=f"preset_{key}").click().run()
            assert_clean(at)


def test_with_workers_the_warm_up_sends_torch_func_first_use_just_before_the_page_that_needs_it(monkeypatch):
    # A worker the warm-up starts skips torch.func's first use (about 1 s) at its start, so it is ready
    # sooner for the first pages; the warm-up sends it as a job right before the critical-batch page's runs.
    from ui import warmup, worker

    seen: list[str] = []
    monkeypatch.setattr(worker, "workers", lambda: 1)
    monkeypatch.setattr(worker, "run", lambda target, *args, **kwargs: seen.append(target.__name__))
    monkeypatch.setattr(warmup, "page_runs", lambda page, values=None: seen.append(page))
    warmup.default_runs()
    expected = [x for p in BY_PAGE for x in (["warm_transforms"] if p == "critical_batch" else []) + [p]]
    assert seen == expected and expected.count("warm_transforms") == 1
    monkeypatch.setattr(worker, "workers", lambda: 0)  # training in-process: the warm-up paid it at its start
    seen.clear()
    warmup.default_runs()
    assert seen == list(BY_PAGE)
