"""The exam-analogy page through AppTest, in both languages: defaults, presets, URL values, bad URL values."""

import pytest
from conftest import assert_clean, metrics, run_app

from ebcore import exam
from ui.locales import STRINGS

PAGE = "exam_analogy"


def open_page(lang: str, **query: str):
    """The page opened from a link carrying ``?lang`` and ``query``."""
    return run_app(page=PAGE, lang=lang, **query)

def expected(lang: str, b: int, epochs: int, seed: int = 0) -> dict[str, str]:
    s, counts, run = STRINGS[lang], exam.sheet_counts(b), exam.sit(b, epochs, seed)
    return {
        s["exam.m.checks"]: str(counts.checks),
        s["exam.m.last"]: str(counts.last_batch),
        s["exam.m.memory"]: str(counts.memory),
        s["exam.m.last_mistakes"]: str(run.mistakes[-1]),
        s["exam.m.best"]: f"{100 * max(run.new_score):.0f}%",
        s["exam.m.final"]: f"{100 * run.new_score[-1]:.0f}%",
    }


def test_defaults(lang):
    at = open_page(lang)
    assert_clean(at)
    assert at.title[0].value == STRINGS[lang]["exam.title"]
    assert metrics(at) == expected(lang, 10, 30)
    charts = [e for e in at.get("vega_lite_chart")]
    assert len(charts) == 4
    # The default run overfits: the overfitting sentence (not the "try more epochs" one) is shown.
    first = exam.sit(10, 30)
    assert any(f"{first.best_sitting + 1}" in md.value and "→" in md.value for md in at.markdown)


@pytest.mark.parametrize("size", [1, 10, 100])
def test_presets(lang, size):
    at = open_page(lang, batch="37")
    labels = [b.label for b in at.button]
    at.button[labels.index(STRINGS[lang][f"exam.preset.{size}"])].click().run()
    assert_clean(at)
    assert at.slider(key="batch").value == size
    assert metrics(at) == expected(lang, size, 30)
    assert metrics(at)[STRINGS[lang]["exam.m.checks"]] == {1: "100", 10: "10", 100: "1"}[size]


def test_url_values(lang):
    at = open_page(lang, batch="7", epochs="5", seed="3")
    assert_clean(at)
    assert (at.slider(key="batch").value, at.slider(key="epochs").value, at.number_input(key="seed").value) == (7, 5, 3)
    assert metrics(at) == expected(lang, 7, 5, 3)
    assert metrics(at)[STRINGS[lang]["exam.m.last"]] == "2"  # 100 = 14 × 7 + 2


def test_fifty_sittings_at_batch_one_run_in_full(lang):
    at = open_page(lang, batch="1", epochs="50")
    assert_clean(at)
    assert metrics(at) == expected(lang, 1, 50)
    assert not any("50" in i.value and "**" in i.value for i in at.info)  # no note that the run was shortened


@pytest.mark.parametrize(
    "query",
    [{"batch": "0"}, {"batch": "101", "epochs": "51"}, {"epochs": "abc", "seed": "-1"}, {"seed": "1e9"},
     {"batch": "<b>x</b>"}],
)
def test_bad_url_values_fall_back_with_a_note(query):
    at = run_app(page=PAGE, **query)
    assert_clean(at)
    notes = " ".join(i.value for i in at.info)
    for key in query:
        assert f"**{key}**" in notes
    assert metrics(at) == expected("en", 10, 30)


@pytest.mark.parametrize("size", [10, 100])
def test_the_default_says_why_a_whole_topic_batch_does_not_help_the_first_sitting(lang, size):
    """Issue 16, point 2: at a batch of one topic or more the page says so at the top, with the study's numbers."""
    at = open_page(lang, batch=str(size))
    study = {s.batch_size: s for s in exam.first_sitting_study()}
    note = at.info[0].value
    s = STRINGS[lang]
    assert s["exam.topic_batches"].split("{b}")[0] in note
    assert f"{study[size].mean:.1f}" in note and f"{study[1].mean:.1f}" in note


def test_a_batch_inside_a_topic_gets_no_such_note(lang):
    at = open_page(lang, batch="1")
    assert not [i for i in at.info if STRINGS[lang]["exam.topic_batches"].split("{b}")[0] in i.value]
