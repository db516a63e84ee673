"""BatchNorm and the last batch: where a tiny last batch comes from, why it hurts, and the fixes, run live."""

import pandas as pd
import streamlit as st

from ebcore.lessons import tables
from ebcore.lessons.batchnorm import experiment as bn
from ebcore.primitives import calc
from ebcore.primitives.strip import BlockKind, epoch_strip
from ebcore.problems import digits as digit_images
from ui import layout, present, runs, urlstate
from ui.charts.batchnorm import accuracy_chart, spread_chart, steps_chart
from ui.charts.draw import draw
from ui.charts.strip import epoch_strip_chart
from ui.i18n import t, tn
from ui.params import BatchNorm

P = BatchNorm
urlstate.guard(P.ALL)
SEVERITY_ALERT = {"single": st.error, "tiny": st.warning, "small": st.info}


def pct(x: float) -> str:
    return f"{100 * x:.1f}%"


# The real digits hold fewer training images than the made-up points: their N has its own key and range.
N = P.n_param(urlstate.current(P.DATA))
# The intro states this setting's last batch; the widgets come later, so read their values as they will be.
intro_plan = calc.plan(urlstate.current(N), urlstate.current(P.BATCH))
intro_values = {"n": f"{intro_plan.n_samples:,}", "b": f"{intro_plan.batch_size:,}"}
share = layout.header("bn", t("bn.intro", setting=tn("bn.intro.partial", intro_plan.last_batch_size, **intro_values)
                              if intro_plan.has_partial_last_batch else t("bn.intro.full", **intro_values)))

# --- settings ---
data = urlstate.choice(P.DATA, t("bn.data"), t("bn.data.help"), labels={c: t(f"bn.data.{c}") for c in P.DATA.options})
on_digits = data == "digits"
_d = "_digits" if on_digits else ""
if on_digits:
    st.caption(t("bn.digits.about") + " " + t("digits.credit", url=digit_images.SOURCE_URL))
layout.presets("bn", P.DIGITS_PRESETS if on_digits else P.PRESETS, copy_of="digits_")
c1, c2, c3, c4 = st.columns(4)
n = urlstate.number_input(N, t("bn.n"), t(f"bn.n.help{_d}"), c1)
b = urlstate.number_input(P.BATCH, t("bn.batch"), t("bn.batch.help"), c2)
epochs = urlstate.slider(P.EPOCHS, t("bn.epochs"), t("bn.epochs.help"), c3)
seeds = urlstate.slider(P.SEEDS, t("bn.seeds"), t("bn.seeds.help"), c4)
# Optimizer, learning rate and norm together need more than a desktop's width (a learning rate wrapped to a
# line of its own): the optimizer and its learning rate share a row, the replacement norm gets the next.
c1, c2 = st.columns(2)
opt = urlstate.choice(P.OPT, t("bn.opt"), t("bn.opt.help"), c1, labels={o: t(f"bn.opt.{o}") for o in P.OPT.options})
lr = urlstate.choice(P.LR, t("bn.lr"), t("bn.lr.help"), c2)
c3, _ = st.columns(2)
norm = urlstate.choice(P.NORM, t("bn.norm"), t("bn.norm.help"), c3,
                       labels={o: t(f"bn.norm.{o}") for o in P.NORM.options})
layout.share_button(share)
# The comparison (section 3) is the long part: the worker starts on it while sections 1 and 2 are drawn.
page_runs = runs.batchnorm(urlstate.current)  # the page's runs at its widgets' values: nothing trained yet
page_runs.comparison.start_early()

# --- 1. where the tiny batch comes from ---
st.header(t("bn.s1.title"), divider="gray")
p = calc.plan(n, b, epochs)
severity = p.last_batch_severity.value
full = p.iterations_per_epoch - int(p.has_partial_last_batch)
st.markdown(t("bn.s1.sentence", n=f"{n:,}", b=f"{b:,}", full=full, last=p.last_batch_size))
strip_labels = {kind.value: t(f"bn.strip.{kind.value}") for kind in BlockKind} | {
    key: t(f"bn.strip.{key}") for key in ("batch", "samples", "size", "gap")
} | {"x_title": t("bn.strip.x")}
draw(epoch_strip_chart, epoch_strip(p), strip_labels)
SEVERITY_ALERT.get(severity, st.success)(
    f"**{t('bn.sev.label')}: {t(f'bn.sev.{severity}')}** — {t(f'bn.sev.{severity}.why', last=p.last_batch_size)}",
)

# --- 2. how noisy a batch's statistics are ---
st.header(t("bn.s2.title"), divider="gray")
present.explain(t("bn.s2.intro"))
spread = page_runs.spreads()
left, right = st.columns(2)
spread_labels = {"row": t("bn.s2.row"), "true": t("bn.s2.true")}
draw(spread_chart, spread, "mean", spread_labels | {"x_title": t("bn.s2.x_mean")}, container=left)
draw(spread_chart, spread, "var", spread_labels | {"x_title": t("bn.s2.x_var")}, container=right)
decimals = bn.SPREAD_DECIMALS
layout.table(pd.DataFrame({
    t("bn.s2.col.b"): [s.size for s in spread],
    t("bn.s2.col.mean_sd"): [f"{s.mean_sd:.{decimals}f}" for s in spread],
    t("bn.s2.col.theory"): [f"{s.mean_sd_theory:.{decimals}f}" for s in spread],
    t("bn.s2.col.var_sd"): [f"{s.var_sd:.{decimals}f}" for s in spread],
}), "spread", t("bn.s2.title"))
# The ratios come from the table's own numbers; none when the largest batch is the whole set (no spread).
ratio = bn.spread_ratio(spread)
if ratio is not None:
    m_small, m_large, t_small, t_large = (f"{v:.{decimals}f}" for v in ratio.shown)
    st.markdown(t("bn.s2.ratio", small=ratio.small, large=ratio.large, ratio=f"{ratio.measured:,.1f}",
                  m_small=m_small, m_large=m_large, t_small=t_small, t_large=t_large,
                  theory=f"{ratio.theory:,.1f}", sqrt=f"{ratio.sqrt:.1f}", n=f"{n:,}"))
if spread[0].size == 1:  # the page's last batch of 1: its variance row is all zeros
    st.markdown(t("bn.s2.one"))

# --- 3. what it does to training ---
st.header(t("bn.s3.title"), divider="gray")
# With every batch full there is no small batch to point at: the texts say what the charts show instead.
full_batches = "" if p.has_partial_last_batch else ".full"
present.explain(t(f"bn.s3.intro{_d}", epochs=epochs, opt=t(f"bn.opt.{opt}"), lr=lr,
                  which=t(f"bn.s3.intro{full_batches or '.partial'}")))
result = page_runs.comparison(t("bn.running"))
keep, dropped = result.runs["keep"], result.runs.get("drop_last")
run_names = {f"run.{key}": t(f"bn.run.{key}", b=seeded[0].variant.batch_size, norm=t(f"bn.norm.{norm}"))
             for key, seeded in result.runs.items()}
if keep[0].error:
    st.error(t("bn.s3.crashed", last=p.last_batch_size), icon=":material/error:")
shown = [keep[0]] + ([dropped[0]] if dropped else [])
step_labels = run_names | {"x_title": t("bn.s3.x"), "size": t("bn.s3.size")}
# Charts side by side, not in tabs: a chart in a hidden tab is not drawn until clicked (nor projected).
row1, row2 = st.columns(2), st.columns(2)
for cell, metric in ((row1[0], "loss"), (row1[1], "grad_norm"), (row2[0], "shift")):
    cell.markdown(f"**{t(f'bn.s3.tab.{metric}')}**")
    draw(steps_chart, shown, metric, step_labels | {"y_title": t(f"bn.s3.y.{metric}")}, b, container=cell)
row2[1].markdown("\n".join(f"- **{t(f'bn.s3.tab.{m}')}**: {t(f'bn.s3.caption.{m}{full_batches}', b=b)}"
                           for m in ("loss", "grad_norm", "shift")))
if dropped and result.accuracies("keep"):
    v = bn.verdict(result.accuracies("keep"), result.accuracies("drop_last"))
    m1, m2, m3 = st.columns(3)
    m1.metric(t("bn.m.keep"), f"{pct(v.mean_a)} ± {100 * v.sd_a:.1f}", help=t("bn.m.spread", k=result.seeds),
              border=True)
    m2.metric(t("bn.m.drop"), f"{pct(v.mean_b)} ± {100 * v.sd_b:.1f}", help=t("bn.m.spread", k=result.seeds),
              border=True)
    m3.metric(t("bn.m.diff"), f"{100 * v.difference:+.1f}", help=t("bn.m.diff.help"), border=True)
    # With full batches the two sides are the same runs (the box below says so): no noise to weigh.
    if p.has_partial_last_batch:
        st.markdown(t(f"bn.verdict.{v.kind}", k=result.seeds, diff=f"{100 * abs(v.difference):.1f}",
                      noise=f"{100 * v.noise:.1f}", sd_a=pct(v.sd_a), sd_b=pct(v.sd_b)))
layout.download("batchnorm_steps", tables.bn_steps, result.runs)
# What to look for depends on what happened: no spread to read when the kept run crashed or nothing was tiny.
look_for = (t("bn.s3.grows.crashed", last=p.last_batch_size, norm=t(f"bn.norm.{norm}")) if keep[0].error
            else t("bn.s3.grows.full") if not p.has_partial_last_batch else t("bn.s3.grows"))
# With a tiny (or single) last batch the box says why the kept run varies and what fixes it: the answers to
# lesson steps 9 and 10, folded while projected.
(present.answer() if p.has_partial_last_batch else st).info(look_for, icon=":material/science:")

# --- 4. a last batch of exactly 1 ---
st.header(t("bn.s4.title"), divider="gray")
crash_n, crash_b = bn.crash_example(n, b)
crash = page_runs.crash()  # at (crash_n, crash_b)
st.markdown(t("bn.s4.intro", n=f"{crash_n:,}", b=crash_b))
if crash is not None:
    st.code(f"ValueError: {crash.message}", language=None, wrap_lines=True)
    st.markdown(t("bn.s4.where", epoch=crash.epoch, step=crash.step, steps=crash.steps_per_epoch))
    present.explain(t("bn.s4.why"))
if p.last_batch_size != 1:
    st.button(t("bn.s4.try"), on_click=urlstate.set_values, kwargs=(P.DIGITS_PRESETS["digits_last1"] if on_digits
                                                                    else P.PRESETS["last1"]))

# --- 5. the fixes ---
st.header(t("bn.s5.title"), divider="gray")
skipped = bn.skipped_samples(n, b, 3)
with present.answer():  # lesson step 10 asks for the one-line fixes: projected, they wait for the teacher
    if p.has_partial_last_batch and len(skipped[0]) < n:
        st.markdown(t("bn.s5.drop", count=len(skipped[0]), n=f"{n:,}"))
        layout.table(pd.DataFrame({
            t("bn.s5.col.epoch"): [1, 2, 3],
            t("bn.s5.col.skipped"): [", ".join(map(str, ids[:12])) + (" …" if len(ids) > 12 else "")
                                     for ids in skipped],
        }), "skipped", t("bn.s5.col.skipped"))
    st.code(f"DataLoader(dataset, batch_size={b}, shuffle=True, drop_last=True)", language="python",
            wrap_lines=True)
    safer = calc.safer_batch_sizes(n, b)
    if safer:
        st.markdown(t("bn.s5.safer"))
        with st.container(horizontal=True, gap="small"):
            for size in safer:
                st.button(t("bn.s5.safer.item", b=size, last=calc.loader_last_batch(n, size)),
                          key=f"bn_safer_{size}", on_click=urlstate.set_values, kwargs={"batch": size})
    st.markdown(t("bn.s5.norm", norm=t(f"bn.norm.{norm}")))  # written out: inside the answer, not folded twice
st.subheader(t("bn.s5.chart"))
points = [{"run": run_names[f"run.{key}"], "accuracy": 100 * acc}
          for key in result.runs for acc in result.accuracies(key)]
if points:
    draw(accuracy_chart, points, {"x_title": t("bn.s5.x"), "seed_dot": t("bn.s5.seed_dot"),
                                  "mean_bar": t("bn.s5.mean_bar")})
    layout.download("batchnorm_accuracy", tables.bn_accuracy, result.runs)
st.caption(t("bn.s5.caption", k=result.seeds))
present.explain(t("bn.s5.honest"))
