"""The exam analogy: batch size = questions solved before checking the key, epochs = retaking the exam."""

import streamlit as st

from ebcore.lessons import exam, tables
from ebcore.problems import digits as digit_images
from ui import layout, nav, present, runs, urlstate
from ui.charts.digits import exam_sheet
from ui.charts.draw import draw
from ui.charts.exam import answers_chart, sheet_chart, sittings_chart, study_chart
from ui.i18n import t, tn
from ui.params import Exam

P = Exam
urlstate.guard(P.ALL)

share = layout.header("exam")
data = urlstate.choice(P.DATA, t("exam.data"), t("exam.data.help"),
                       labels={c: t(f"exam.data.{c}") for c in P.DATA.options})
digits = data == "digits"  # real handwritten digits: a row per digit, ten choices, no trick questions
_d = "_digits" if digits else ""
if digits:
    st.caption(t("exam.digits.about") + " " + t("digits.credit", url=digit_images.SOURCE_URL))


def answer_sheet(run: exam.ExamRun, sitting: int, tiles: list[exam.Tile], labels: dict[str, str]) -> None:
    """The sheet as answered in ``sitting`` (0-based): the digits drawn with ✓/✗, or the made-up exam's tiles."""
    if not digits:
        draw(answers_chart, tiles, run, labels, sitting)
        return
    wrong = run.mistakes[sitting]
    st.image(exam_sheet(run, sitting, tiles), alt=t("exam.digits.alt", n=sitting + 1, right=len(tiles) - wrong,
                                                    wrong=wrong))


# --- 1. the exam sheet ---
st.header(t("exam.sheet.title"), divider="gray")
layout.presets("exam", P.DIGITS_PRESETS if digits else P.PRESETS, copy_of="digits_")
c1, c2 = st.columns([3, 1])
b = urlstate.slider(P.BATCH, t("exam.batch"), t("exam.batch.help"), c1)
seed = urlstate.number_input(P.SEED, t("exam.seed"), t("exam.seed.help"), c2)
counts = exam.sheet_counts(b)
m = st.columns(3)
m[0].metric(t("exam.m.checks"), counts.checks, help=t("exam.m.checks.help"), border=True)
m[1].metric(t("exam.m.last"), counts.last_batch, help=t("exam.m.last.help"), border=True)
m[2].metric(t("exam.m.memory"), counts.memory, help=t("exam.m.memory.help"), border=True)
st.markdown(t("exam.sheet.sentence", b=b, times=tn("exam.count.times", counts.checks)))
page_runs = runs.exam_analogy(urlstate.current)  # the page's runs at its widgets' values: nothing trained yet
page_runs.student.start_early()  # the worker trains the student while this thread shares the study's jobs
studies = page_runs.study(t("exam.study.progress"))
by_batch = {s.batch_size: s for s in studies}
within = exam.checked_within_topic(b)
st.caption(t("exam.within", within=within))
if within == 0:
    # The default batch is one whole topic: say at once why its first sitting does not improve (measured).
    note = t(f"exam.topic_batches{_d}", b=b, per_topic=exam.QUESTIONS // exam.TOPICS)
    if b in by_batch:
        note += " " + t("exam.topic_batches.measured", b=b, seeds=len(exam.STUDY_SEEDS), mean=by_batch[b].mean,
                        chance=exam.chance_mistakes(data), five=by_batch[5].mean, one=by_batch[1].mean)
    present.answer().info(note, icon=":material/lightbulb:")  # why checking often helps: lesson step 3's answer
tiles = exam.sheet(b)
tile_labels = {"topic": t(f"exam.topic{_d}"), "question": t("exam.question"), "batch": t("exam.batch_n"),
               "right": t("exam.right"), "wrong": t("exam.wrong"), "answer": t("exam.answer"),
               "trick": t("exam.trick")}
st.caption(t(f"exam.sheet.caption{_d}"))
draw(sheet_chart, tiles, tile_labels)

# --- 2. similar questions ---
st.header(t("exam.similar.title"), divider="gray")
present.explain(t(f"exam.similar.intro{_d}"))
student = page_runs.student(t("exam.epochs.progress"))  # every sitting the slider offers, trained once
first = student.prefix(1)
left, right = st.columns(2, gap="large")
with left:
    st.subheader(t("exam.answers.title"))
    st.caption(t(f"exam.answers.caption{_d}", seed=seed, b=b, mistakes=first.mistakes[0]))
    answer_sheet(first, 0, tiles, tile_labels)
    if digits:
        layout.download("exam_digit_answers", tables.exam_digit_answers, first)
    else:
        layout.download("exam_first_sitting", tables.exam_first_sitting, first)
with right:
    st.subheader(t("exam.study.title"))
    st.caption(t("exam.study.caption", seeds=len(exam.STUDY_SEEDS), lr=exam.LR))
    study_labels = {key: t(f"exam.study.{key}") for key in ("x", "y", "mean", "low", "high")}
    study_labels["chance"] = t("exam.study.chance", chance=exam.chance_mistakes(data))
    draw(study_chart, studies, exam.chance_mistakes(data), study_labels, highlight=b)
    layout.download("exam_study", tables.exam_study, studies, exam.STUDY_SEEDS)
st.markdown(t("exam.study.sentence", one=by_batch[1].mean, hundred=by_batch[100].mean))

# --- 3. epochs ---
st.header(t("exam.epochs.title"), divider="gray")
present.explain(t(f"exam.epochs.intro{_d}"))
epochs = urlstate.slider(P.EPOCHS, t("exam.epochs"), t("exam.epochs.help"))
run = student.prefix(epochs)  # the first `epochs` sittings: the slider reads the run, it does not retrain
verdict = exam.new_exam_verdict(run)  # the sentence below, the cards and the summary read the same counts
best, best_score, final_score = verdict.best, verdict.best_score, verdict.final_score
m = st.columns(3)
m[0].metric(t("exam.m.last_mistakes"), run.mistakes[-1], help=t("exam.m.last_mistakes.help"), border=True)
# Lesson step 4 asks when the student should have stopped: the best sitting is folded while projected.
present.answer(m[1]).metric(t("exam.m.best"), f"{best_score:.1f}%", delta=t("exam.m.best.delta", n=best),
                            delta_color="off", help=t("exam.m.best.help"), border=True)
m[2].metric(t("exam.m.final"), f"{final_score:.1f}%", help=t("exam.m.final.help"), border=True)
sit_labels = {key: t(f"exam.sit.{key}") for key in ("x", "y", "this", "series")} | {"new": t(f"exam.sit.new{_d}")}
if not present.active():
    sit_labels["best"] = t("exam.sit.best")  # the chart's rule at the best sitting
draw(sittings_chart, run, sit_labels)
layout.download("exam_sittings", tables.exam_sittings, run)
st.caption(t("exam.epochs.lr", lr=exam.LR))
with present.answer():
    key = "exam.epochs." + ("more" if verdict.kind == "rising" else "level" if verdict.kind == "level"
                            else "overfit" if verdict.this_improved else "worse")
    # The digits have no trick questions to memorise: their "no drop yet" says so, not "try more epochs".
    key += _d if verdict.kind in ("rising", "level") else ""
    st.markdown(t(key, best=best, best_score=best_score, final_score=final_score, drop=verdict.drop,
                  margin=verdict.margin, questions=exam.WORSE_BY_QUESTIONS, new=exam.NEW_QUESTIONS,
                  this=exam.QUESTIONS - run.mistakes[-1]))
st.subheader(t("exam.last_sheet.title", n=epochs))
st.caption(t(f"exam.last_sheet.caption{_d}", n=epochs, mistakes=run.mistakes[-1]))
answer_sheet(run, epochs - 1, tiles, tile_labels)
if digits:
    layout.download("exam_digit_answers_all", tables.exam_digit_answers, run)
nav.link("epochs_early_stopping", t("exam.epochs.link"))

# --- summary ---
st.header(t("exam.summary.title"), divider="gray")
present.explain(t("exam.summary.body", b=b, every=tn("exam.count.questions", b),
              updates=tn("exam.count.updates", counts.checks), memory=tn("exam.count.questions", counts.memory),
              mistakes=run.mistakes[0], seeds=len(exam.STUDY_SEEDS), one=by_batch[1].mean,
              hundred=by_batch[100].mean, epochs=tn("exam.count.epochs", epochs),
              sittings=tn("exam.count.sittings", epochs), first=run.mistakes[0], last=run.mistakes[-1], best=best,
              best_score=best_score,
              final_score=final_score))
layout.share_button(share)
