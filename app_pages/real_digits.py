"""Real handwritten digits: the notes' Keras example trained for real on the UCI digits, and one batch's
single update watched image by image. Reads the widgets, asks ebcore.lessons.digits, draws the answers."""

import pandas as pd
import streamlit as st

from ebcore.lessons import digits as dg
from ebcore.lessons import epochs as ep
from ebcore.lessons import tables
from ebcore.problems import digits
from ui import layout, nav, present, runs, urlstate
from ui.charts.digits import digit_images
from ui.charts.draw import draw
from ui.charts.epochs import train_val_chart
from ui.i18n import t, tn
from ui.params import Digits

P = Digits
urlstate.guard(P.ALL)

share = layout.header("digits")
pixels, labels = digits.pixels()

# --- 1. the data ---
st.header(t("digits.data.title"))
present.explain(t("digits.data.body"))
shown = dg.examples()
st.image(digit_images(pixels[shown]), caption=[str(labels[i]) for i in shown],
         alt=[t("digits.data.alt", digit=labels[i]) for i in shown])
st.caption(t("digits.data.caption") + " " + t("digits.credit", url=digits.SOURCE_URL))

# --- 2. the notes' Keras example ---
st.header(t("digits.keras.title"))
present.explain(t("digits.keras.intro"))
layout.presets("digits", P.PRESETS)
c1, c2, c3 = st.columns(3)
with c1:
    batch = int(urlstate.choice(P.BATCH, t("digits.batch"), t("digits.batch.help"),
                                labels={o: t("digits.batch.all", b=f"{int(o):,}") if o == P.BATCH.options[-1] else o
                                        for o in P.BATCH.options}))
epochs = urlstate.slider(P.EPOCHS, t("digits.epochs"), t("digits.epochs.help", max=dg.EPOCHS_MAX), c2)
seed = urlstate.slider(P.SEED, t("digits.seed"), t("digits.seed.help"), c3)
st.code(f"model.fit(X_train, y_train, batch_size={batch}, epochs={epochs}, validation_split=0.2)",
        language="python", wrap_lines=True)
a = dg.arithmetic(batch, epochs)
if a.steps == 1:
    batches = t("digits.calc.one", b=f"{a.batch:,}")
elif a.last == a.batch:
    batches = t("digits.calc.even", full=f"{a.full:,}", b=a.batch)
else:
    batches = t("digits.calc.last", full=f"{a.full:,}", b=a.batch, last=f"{a.last:,}")
st.markdown(t("digits.calc", images=f"{a.images:,}", train=f"{a.train:,}", val=f"{a.val:,}", b=f"{a.batch:,}",
              ratio=f"{a.ratio:,.2f}", steps_text=tn("digits.count.steps", a.steps), batches=batches,
              epochs=epochs, total_text=tn("digits.count.updates", a.total)))

page_runs = runs.real_digits(urlstate.current)
run = page_runs.example(t("digits.training"))
best = run.best_epoch
m = st.columns(3)
m[0].metric(t("digits.m.val_acc"), f"{run.val_accuracy[-1]:.1%}", border=True)
m[1].metric(t("digits.m.updates"), f"{a.total:,}", border=True)
m[2].metric(t("digits.m.best"), str(best), border=True)
st.markdown(t("digits.result", epochs=epochs, total=f"{a.total:,}", acc=f"{run.val_accuracy[-1]:.1%}",
              val=f"{a.val:,}", best=best))
left, right = st.columns(2)
draw(train_val_chart, run.loss, run.val_loss, {k: t(f"digits.loss.{k}") for k in ("train", "val", "y")}
     | {"x": t("digits.x")}, percent=False, container=left)
draw(train_val_chart, run.accuracy, run.val_accuracy, {k: t(f"digits.acc.{k}") for k in ("train", "val", "y")}
     | {"x": t("digits.x")}, percent=True, container=right)
layout.download("digits_keras", tables.keras_log, run)
# The epochs page's lesson step 12 on these digits: Keras's EarlyStopping replayed on this run's val_loss.
stop = ep.keras_early_stopping(run.val_loss, dg.PATIENCE)
st.markdown(t("digits.stop" if stop.stop_epoch else "digits.stop.never", patience=dg.PATIENCE, epochs=epochs,
              stop=stop.stop_epoch, best=stop.best_epoch, restored=f"{stop.val_loss_restored:.4f}",
              last=f"{stop.val_loss_last:.4f}"))
nav.link("epochs_early_stopping", t("digits.stop.link"), {"patience": str(dg.PATIENCE), "restore": "true",
                                                          "data": "digits"})
st.subheader(t("digits.log.title"))
st.code("\n".join(run.lines()), language=None, wrap_lines=True)
st.caption(t("digits.log.caption"))

# --- 3. see a batch ---
st.header(t("digits.look.title"))
present.explain(t("digits.look.intro"))
l1, l2 = st.columns([1, 2])
with l1:
    look_batch = int(urlstate.choice(P.LOOK_BATCH, t("digits.look.batch"), t("digits.look.batch.help")))
update = urlstate.slider(P.UPDATE, t("digits.look.update"), t("digits.look.update.help"), l2)
look = page_runs.look(t("digits.training"))
before, after = look.answers("before"), look.answers("after")
st.markdown(t("digits.look.where", update=look.update, step=look.step, steps=look.steps_per_epoch, epoch=look.epoch))
if len(look.labels) < look_batch:  # the epoch's last batch holds what is left over
    short = dg.arithmetic(look_batch, 1)
    st.markdown(t("digits.look.last", train=f"{short.train:,}", full=short.full, b=look_batch, last=short.last))
answers = list(zip(look.labels, before, after, strict=True))
st.image(digit_images(pixels[list(look.indices)]), caption=[t("digits.look.cap", label=y, before=b, after=f)
                                                            for y, b, f in answers],
         alt=[t("digits.look.alt", i=i, label=y, before=b, after=f) for i, (y, b, f) in enumerate(answers, 1)])
st.markdown(t("digits.look.result.down" if look.loss_after < look.loss_before else "digits.look.result.up",
              b=len(look.labels), adam=t("digits.look.adam") if look.update > 1 else "",  # no earlier batch at 1
              before=f"{look.loss_before:.4f}", after=f"{look.loss_after:.4f}",
              right_before=look.right("before"), right_after=look.right("after"),
              change=f"{100 * look.mean_change():+.2f}"))
layout.table(pd.DataFrame({
    t("digits.look.col.image"): list(range(1, len(look.labels) + 1)),
    t("digits.look.col.digit"): list(look.labels),
    t("digits.look.col.before"): list(before),
    t("digits.look.col.p_before"): [f"{p:.1%}" for p in look.right_probabilities("before")],
    t("digits.look.col.after"): list(after),
    t("digits.look.col.p_after"): [f"{p:.1%}" for p in look.right_probabilities("after")],
}), "digits_batch", t("digits.look.table"))

layout.share_button(share)
