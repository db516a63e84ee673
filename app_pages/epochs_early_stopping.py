"""Epochs & early stopping: scrub a real run from underfitting to overfitting, stop it Keras's way,
and read the Keras log. Reads the widgets, asks ebcore.lessons.epochs, draws the answers."""

import pandas as pd
import streamlit as st

from ebcore.lessons import digits as dg
from ebcore.lessons import epochs as ep
from ebcore.lessons import tables
from ebcore.problems import digits
from ui import layout, present, runs, urlstate
from ui.charts.draw import draw
from ui.charts.epochs import accuracy_chart, fit_chart, loss_chart, stopping_chart
from ui.i18n import t
from ui.params import Epochs

P = Epochs
urlstate.guard(P.ALL)

share = layout.header("epochs")

# --- 1. scrub through training ---
st.header(t("epochs.scrub.title"))
c1, c2 = st.columns(2)
points = urlstate.slider(P.POINTS, t("epochs.points"), t("epochs.points.help"), c1)
seed = urlstate.slider(P.SEED, t("epochs.seed"), t("epochs.seed.help"), c2)
page_runs = runs.epochs(urlstate.current)  # the page's runs at its widgets' values: nothing trained yet
run = page_runs.curve(t("epochs.training"))
val = run.val_loss
phases = ep.regions(val)
best = min(range(run.epochs), key=val.__getitem__) + 1

st.caption(t("epochs.presets"))
with st.container(horizontal=True, gap="small"):
    first_good = [p.value for p in phases].index("good") + 1
    for key, epoch in (("under", max(1, first_good // 3)), ("good", best), ("over", run.epochs)):
        if key == "good" and present.active():
            continue  # lesson step 11 asks for this epoch: projected, its button waits in the answer fold below
        st.button(t(f"epochs.preset.{key}", epoch=epoch), on_click=urlstate.set_values, kwargs={"epoch": epoch})
epoch = urlstate.slider(P.EPOCH, t("epochs.epoch"), t("epochs.epoch.help"))

phase = "start" if epoch == 0 else phases[epoch - 1].value
left, right = st.columns(2)
fit_labels = {k: t(f"epochs.fit.{k}") for k in ("truth", "model", "points", "x", "y")}
draw(fit_chart, run.task.grid.squeeze(1).tolist(), ep.target(run.task.grid).squeeze(1).tolist(),
     run.snapshots[epoch].tolist(), run.task.x.squeeze(1).tolist(), run.task.y.squeeze(1).tolist(), fit_labels,
     container=left)
loss_labels = {k: t(f"epochs.loss.{k}") for k in ("train", "val", "under", "good", "over", "x", "y", "current")}
draw(loss_chart, run.train_loss, val, [p.value for p in phases], epoch, loss_labels, container=right)
layout.download("curve_fit", tables.curve_fit, run, epoch, container=left)
layout.download("curve_losses", tables.curve_losses, run, container=right)
m = st.columns(3)
train_now = run.train_loss[epoch - 1] if epoch else float("nan")
m[0].metric(t("epochs.m.train"), f"{train_now:.3f}" if epoch else "—", border=True)
m[1].metric(t("epochs.m.val"), f"{val[epoch - 1]:.3f}" if epoch else "—", border=True)
with present.answer(m[2]):
    st.metric(t("epochs.m.best"), f"{best}", help=t("epochs.m.best.help"), border=True)
    if present.active():
        st.button(t("epochs.preset.good", epoch=best), on_click=urlstate.set_values, kwargs={"epoch": best})
st.markdown(t(f"epochs.phase.{phase}", epoch=epoch, best=best))

# --- 2. early stopping ---
st.header(t("epochs.stop.title"))
present.explain(t("epochs.stop.intro"))
data = urlstate.choice(P.DATA, t("epochs.data"), t("epochs.data.help"),
                       labels={c: t(f"epochs.data.{c}") for c in P.DATA.options})
watched = page_runs.stopping(t("epochs.training")).val_loss  # the curve's, or the notes' Keras run on real digits
if data == "digits":
    a = dg.arithmetic(dg.KERAS_BATCH, dg.STOPPING_EPOCHS)
    st.caption(t("epochs.stop.digits", train=f"{a.train:,}", val=f"{a.val:,}", b=a.batch,
                 epochs=dg.STOPPING_EPOCHS, seed=seed) + " " + t("digits.credit", url=digits.SOURCE_URL))
s1, s2, s3 = st.columns([2, 2, 2], vertical_alignment="bottom")
patience = urlstate.slider(P.PATIENCE, t("epochs.patience"), t("epochs.patience.help"), s1)
with s2:
    min_delta = urlstate.choice(P.MIN_DELTA, t("epochs.min_delta"), t("epochs.min_delta.help"))
restore = urlstate.toggle(P.RESTORE, t("epochs.restore"), t("epochs.restore.help"), s3)
s4, s5 = st.columns(2, vertical_alignment="bottom")
baseline_labels = {o: t("epochs.baseline.none") if o == "none" else o for o in P.BASELINE.options}
with s4:
    baseline_code = urlstate.choice(P.BASELINE, t("epochs.baseline"), t("epochs.baseline.help"), labels=baseline_labels)
start = urlstate.slider(P.START, t("epochs.start"), t("epochs.start.help"), s5)
baseline = None if baseline_code == "none" else float(baseline_code)
stop = ep.keras_early_stopping(watched, patience, float(min_delta), baseline, start)
st.code(f"EarlyStopping(monitor='val_loss', patience={patience}, min_delta={min_delta}, baseline={baseline}, "
        f"start_from_epoch={start}, restore_best_weights={restore})", language="python", wrap_lines=True)
stop_labels = {k: t(f"epochs.stopchart.{k}") for k in ("ran", "skipped", "best", "stop", "x", "y")}
draw(stopping_chart, watched, stop.best_epoch, stop.stop_epoch, stop_labels)
layout.download("early_stopping", tables.early_stopping, watched, stop)
final = stop.val_loss_restored if restore else stop.val_loss_last
k = st.columns(3)
k[0].metric(t("epochs.m.stopped"), str(stop.stop_epoch) if stop.stop_epoch else t("epochs.m.never"), border=True)
k[1].metric(t("epochs.m.best_epoch"), str(stop.best_epoch), border=True)
k[2].metric(t("epochs.m.final"), f"{final:.3f}", help=t("epochs.m.final.help"), border=True)
st.markdown(t("epochs.stop.result", stop=stop.epochs_run, best=stop.best_epoch, total=len(watched),
              restored=f"{stop.val_loss_restored:.3f}", last=f"{stop.val_loss_last:.3f}"))

st.subheader(t("epochs.patience.table"))
rows = [ep.keras_early_stopping(watched, p, float(min_delta), baseline, start) for p in (0, 1, 2, 3, 5, 10, 20, 30)]
with present.answer():  # lesson step 12 asks what a larger patience buys and costs: this table answers it
    layout.table(pd.DataFrame({
        t("epochs.table.patience"): [r.patience for r in rows],
        t("epochs.table.stop"): [str(r.stop_epoch) if r.stop_epoch else t("epochs.m.never") for r in rows],
        t("epochs.table.best"): [r.best_epoch for r in rows],
        t("epochs.table.restored"): [f"{r.val_loss_restored:.3f}" for r in rows],
        t("epochs.table.last"): [f"{r.val_loss_last:.3f}" for r in rows],
    }), "patience", t("epochs.patience.table"))

# --- 3. the Keras log ---
st.header(t("epochs.log.title"))
present.explain(t("epochs.log.intro"))
l1, l2, l3 = st.columns(3)
with l1:
    log_n = urlstate.choice(P.LOG_N, t("epochs.log.n"), t("epochs.log.n.help"))
with l2:
    log_batch = urlstate.choice(P.LOG_BATCH, t("epochs.log.batch"))
log_epochs = urlstate.slider(P.LOG_EPOCHS, t("epochs.log.epochs"), container=l3)
style = urlstate.choice(P.LOG_STYLE, t("epochs.log.style"), t("epochs.log.style.help"),
                        labels={s: t(f"epochs.log.style.{s}") for s in P.LOG_STYLE.options})
n, b = int(log_n), int(log_batch)
steps = ep.log_steps(n, b)
log = page_runs.log(t("epochs.training"))  # at (n, b, log_epochs, style)
st.markdown(t("epochs.log.steps", n=f"{n:,}", train=f"{log.n_train:,}", b=b, steps=f"{steps:,}"))
# Wrapped: val_loss and val_accuracy, what early stopping watches, sit at the end of long lines.
st.code("\n".join(log.lines(style)), language=None, wrap_lines=True)
st.caption(t("epochs.log.times"))
notes_n, notes_b = ep.NOTES_LOG
st.caption(t("epochs.log.notes", steps=f"{ep.log_steps(notes_n, notes_b):,}",
             train=f"{ep.log_train_samples(notes_n):,}", b=notes_b))
acc_labels = {k: t(f"epochs.acc.{k}") for k in ("train", "val", "x", "y")}
draw(accuracy_chart, log.accuracy, log.val_accuracy, acc_labels)
layout.download("keras_log", tables.keras_log, log)

# --- 4. questions ---
st.header(t("epochs.qa.title"))
for q in ("more", "same_exam", "start"):
    with st.expander(t(f"epochs.qa.{q}.q")):
        st.markdown(t(f"epochs.qa.{q}.a"))

layout.share_button(share)
