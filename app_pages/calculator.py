"""Home: the epochs & batches calculator. Reads the widgets, asks ebcore, draws the answers."""

import pandas as pd
import streamlit as st

from ebcore.primitives import calc, frameworks, keraslog
from ebcore.primitives.examples import WORKED_EXAMPLES
from ebcore.primitives.strip import BlockKind, epoch_strip, folded
from ui import layout, nav, present, urlstate
from ui.charts.draw import draw
from ui.charts.strip import epoch_strip_chart
from ui.i18n import t, tn
from ui.params import Calculator

P = Calculator
urlstate.guard(P.ALL)

# The intro's "one batch = one weight update" holds only without accumulation and on one GPU; with
# either, it says what one update waits for (the link's values: the widgets come after the intro).
k_now, r_now = urlstate.current(P.ACCUM), urlstate.current(P.GPUS)
intro_key = "calc.intro" + (".both" if k_now > 1 and r_now > 1 else ".accum" if k_now > 1
                            else ".gpus" if r_now > 1 else "")
share = layout.header("calc", t(intro_key, k=f"{k_now:,}", r=f"{r_now:,}"))

# --- presets and inputs ---
layout.presets("calc", {
    ex.key: {"n": ex.n, "batch": ex.batch, "epochs": ex.epochs, "drop_last": False} for ex in WORKED_EXAMPLES
})
c1, c2, c3 = st.columns(3)
n = urlstate.number_input(P.N, t("calc.n"), t("calc.n.help"), c1)
b = urlstate.number_input(P.BATCH, t("calc.batch"), t("calc.batch.help"), c2)
epochs = urlstate.number_input(P.EPOCHS, t("calc.epochs"), t("calc.epochs.help"), c3)
# Open when a setting inside is in use (a shared link's too), so the cards' numbers have their reason in view.
advanced_in_use = (urlstate.current(P.ACCUM) > 1 or urlstate.current(P.GPUS) > 1 or urlstate.current(P.DROP_LAST)
                   or urlstate.current(P.SAMPLER_DROP_LAST))
with st.expander(t("calc.advanced"), expanded=advanced_in_use):
    a1, a2, a3 = st.columns(3)
    drop_last = urlstate.toggle(P.DROP_LAST, t("calc.drop_last"), t("calc.drop_last.help"), a1)
    k = urlstate.number_input(P.ACCUM, t("calc.accum"), t("calc.accum.help"), a2)
    r = urlstate.number_input(P.GPUS, t("calc.gpus"), t("calc.gpus.help"), a3)
    # The sampler's flag is apart from the loader's; it acts only over several GPUs (the help says so).
    sampler_drop = urlstate.toggle(P.SAMPLER_DROP_LAST, t("calc.sampler_drop_last"), t("calc.sampler_drop_last.help"),
                                   a3)

p = calc.plan(n, b, epochs, drop_last=drop_last, sampler_drop_last=sampler_drop, accumulation_steps=k, world_size=r)
layout.share_button(share)

# --- the answer ---
cards = {"updates_epoch": p.updates_per_epoch, "total": p.total_updates, "last": p.last_batch_size,
         "skipped": p.dropped_per_epoch}
layout.fit_metrics({f"calc_card_{key}": f"{value:,}" for key, value in cards.items()})
for column, (key, value) in zip(st.columns(4), cards.items(), strict=True):
    column.container(key=f"calc_card_{key}").metric(t(f"calc.m.{key}"), f"{value:,}", help=t(f"calc.m.{key}.help"),
                                                    border=True)

if p.iterations_per_epoch == 0:
    # Over several GPUs the loader batches one GPU's share, not the whole data: name the number that decides.
    st.error(t("calc.none.gpus" if r > 1 else "calc.none", b=f"{b:,}", n=f"{n:,}", share=f"{p.samples_per_replica:,}"))
else:
    # Iterations (batches a loader yields), weight updates (optimizer steps) and samples per update are
    # counted apart: they are equal only without accumulation, and the cards above count updates.
    iters = tn("calc.count.iters", p.iterations_per_epoch)
    samples = tn("calc.count.samples", p.samples_per_replica)
    if p.one_batch_holds_all:  # no full batch and no "last" one: the only batch is the whole data
        st.markdown(t("calc.sentence.whole", samples=samples, b=f"{b:,}", n=f"{p.samples_per_replica:,}",
                      iters=iters))
    else:
        partial = t("calc.sentence.partial", last=f"{p.last_batch_size:,}") if p.has_partial_last_batch else ""
        full = p.iterations_per_epoch - int(p.has_partial_last_batch)
        st.markdown(t("calc.sentence", samples=samples, b=f"{b:,}", full=tn("calc.count.full", full),
                      partial=partial, iters=iters))
    if r > 1:
        st.markdown(t("calc.sentence.gpus", r=r, share=f"{p.samples_per_replica:,}", iters=iters,
                      processed=f"{p.samples_per_epoch:,}"))
    if k > 1:
        st.markdown(t("calc.sentence.accum", k=k, times=tn("calc.count.times", p.updates_per_epoch)))
    per_epoch, total = tn("calc.count.updates", p.updates_per_epoch), tn("calc.count.updates", p.total_updates)
    if k == 1 and r == 1:
        st.markdown(t("calc.sentence.plain", per_epoch=per_epoch, epochs=tn("calc.count.epochs", epochs), total=total))
    else:
        st.markdown(t("calc.sentence.total", per_epoch=per_epoch, epochs=tn("calc.count.epochs", epochs), total=total,
                      eff=f"{p.largest_update:,}"))
    st.markdown(f"{t('calc.m.regime')}: :blue-badge[{t(f'calc.regime.{p.regime.value}')}] "
                f"{t(f'calc.regime.explain.{p.regime.value}')}")

# --- the tiny-last-batch warning ---
severity = p.last_batch_severity
if p.one_batch_holds_all:
    # Full-batch training: there is no "tiny last batch" to avoid (every batch size from the share up gives
    # the same single batch, and drop_last would leave no batch at all); what matters is the batch's own size.
    whole = "calc.whole.single" if p.last_batch_size == 1 else (
        "calc.whole.small" if p.last_batch_size < calc.BN_RELIABLE_BATCH else "calc.whole")
    st.info(t(whole, b=f"{b:,}", n=f"{p.samples_per_replica:,}", reliable=calc.BN_RELIABLE_BATCH),
            icon=":material/info:")
elif severity in (calc.LastBatchSeverity.TINY, calc.LastBatchSeverity.SINGLE, calc.LastBatchSeverity.SMALL):
    alert = st.warning if severity is not calc.LastBatchSeverity.SMALL else st.info
    alert(t(f"calc.warn.{severity.value}", last=p.last_batch_size, b=f"{b:,}"), icon=":material/warning:")
    suggestions = calc.safer_batch_sizes(p.samples_per_replica, b)
    if suggestions:  # lesson step 2 asks for such a batch size: projected, they wait for the teacher
        with present.answer():
            st.caption(t("calc.warn.suggest"))
            with st.container(horizontal=True, gap="small"):  # each button as wide as its label
                for size in suggestions:
                    last = calc.plan(p.samples_per_replica, size).last_batch_size
                    st.button(
                        t("calc.warn.suggest.item", b=f"{size:,}", last=f"{last:,}"),
                        on_click=urlstate.set_values, kwargs={"batch": size}, key=f"suggest_{size}",
                    )
    st.caption(t("calc.warn.fix_drop", last=p.last_batch_size))
    nav.link("batchnorm_last_batch", t("calc.warn.link"), {"n": str(n), "batch": str(b)})

# --- one epoch as a strip ---
st.subheader(t("calc.strip.title"))
if r > 1:
    st.caption(t("calc.strip.caption.replica", share=f"{p.samples_per_replica:,}"))
blocks = epoch_strip(p)
strip_labels = {kind.value: t(f"calc.strip.{kind.value}") for kind in BlockKind} | {
    key: t(f"calc.strip.{key}") for key in ("batch", "samples", "size", "gap")
} | {"x_title": t("calc.strip.x.folded" if folded(blocks) else "calc.strip.x")}  # explain ⋯ only when drawn
draw(epoch_strip_chart, blocks, strip_labels)

# --- Keras's view ---
st.subheader(t("calc.keras.title"))
steps = calc.keras_steps(n, b)
st.code("\n".join(keraslog.outline(epochs, steps)), language=None, wrap_lines=True)
st.caption(t("calc.keras.caption"))

# --- framework translator ---
st.subheader(t("calc.table.title"))
st.caption(t("calc.table.caption", n=f"{n:,}", b=f"{b:,}"))
rows = frameworks.translate(n, b, k, r, drop_last, sampler_drop)


def row_label(row: frameworks.FrameworkRow) -> str:
    """The row's name with every option it was counted with; ★ where those are the cards' settings."""
    label = t(f"calc.table.row.{row.key}", b=f"{b:,}", k=f"{row.accumulation_steps:,}", r=f"{row.world_size:,}",
              train=f"{row.train_samples:,}")
    if row.key in ("ddp", "lightning_ddp") and row.accumulation_steps > 1:
        label += t("calc.table.opt.k", k=f"{row.accumulation_steps:,}")
    if row.key in ("accum", "ddp", "lightning_ddp") and row.drop_last:
        label += t("calc.table.opt.drop")
    if row.sampler_drop_last:
        label += t("calc.table.opt.sampler_drop")
    return t("calc.table.yours.mark", label=label) if row.yours else label


table = pd.DataFrame(
    {
        t("calc.table.framework"): [row_label(row) for row in rows],
        t("calc.table.formula"): [row.rule for row in rows],
        t("calc.table.batches"): [row.batches for row in rows],
        t("calc.table.updates"): [", ".join(f"{u:,}" for u in row.updates_by_epoch[:6])
                                  + (", …" if len(row.updates_by_epoch) > 1 else "")
                                  if row.updates_by_epoch else f"{row.updates:,}" for row in rows],
        t("calc.table.last"): [row.last_batch for row in rows],
        t("calc.table.note"): [
            # over several GPUs the rows count per GPU, but what is left out or repeated is the whole data's
            t("calc.table.skipped" + (".all" if row.world_size > 1 else ""), count=f"{row.skipped:,}") if row.skipped
            else t("calc.table.padded" + (".all" if row.world_size > 1 else ""), count=f"{row.padded:,}")
            if row.padded
            else t("calc.table.none")
            for row in rows
        ],
        t("calc.table.effective"): [row.samples_per_update for row in rows],
    }
)
layout.table(table, "translator", t("calc.table.title"))
st.caption(t("calc.table.yours"))
refused = frameworks.keras_split_error(n)
if refused:
    st.caption(t("calc.table.keras_refuses", message=refused))
if k > 1:  # Keras 3 counts its windows over the whole run: say what that comes to
    acc = frameworks.keras_accumulation(n, b, epochs, k)
    st.markdown(t("calc.table.keras_accum" if len(acc.cycle) > 1 else "calc.table.keras_accum.even",
                  k=f"{k:,}", s=f"{acc.batches:,}", c=len(acc.cycle), cycle=", ".join(f"{u:,}" for u in acc.cycle),
                  epochs=tn("calc.count.epochs", epochs), total=tn("calc.count.updates", acc.total),
                  lightning=tn("calc.count.updates", acc.lightning_total))
                + (" " + t("calc.table.keras_accum.left", left=tn("calc.count.batches", acc.left_over))
                   if acc.left_over else ""))
if r > 1:
    st.markdown(t("calc.table.flags", r=f"{r:,}", sampler=str(sampler_drop), loader=str(drop_last)))

with st.expander(t("calc.definitions")):
    st.markdown(t("calc.definitions.body"))
