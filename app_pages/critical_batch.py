"""How big can a batch get? Steps to a target against batch size, the critical batch and the noise scale.
Reads widgets, asks ebcore (through the caches in ui.runs), draws. Every sentence, card and chart below
describes the runs of the steps table (``Analysis.shown``: tuned, or at the one learning rate)."""

import math

import pandas as pd
import streamlit as st

from ebcore.lessons.critical import experiment as cb
from ebcore.lessons.critical import scaling, tables, view
from ui import layout, present, runs, urlstate
from ui.charts.critical_batch import budget_chart, noise_chart, steps_chart, tradeoff_chart
from ui.charts.draw import draw
from ui.i18n import t, tn
from ui.params import CriticalBatch

P = CriticalBatch
urlstate.guard(P.ALL)


def num(value: float) -> str:
    """A step or sample count as shown: whole numbers with thousands separators (∞ for no gradient left)."""
    return f"{value:,.0f}" if math.isfinite(value) else "∞"


def times(ratio: float) -> str:
    """A ratio as shown next to "×" or "배": one decimal."""
    return f"{ratio:,.1f}"


def saved(d: scaling.Doubling) -> str:
    """What a measured doubling saved, as a phrase: a share of the ideal halving, or the extra steps it took."""
    if d.share < 0 and f"{100 * d.growth:.0f}" != "0":
        return t("crit.doubling.cost", pct=f"{100 * d.growth:.0f}")
    return t("crit.doubling.saved", pct=f"{100 * max(d.share, 0.0):.0f}")


share = layout.header("crit")
data = urlstate.choice(P.DATA, t("crit.data"), t("crit.data.help"),
                       labels={c: t(f"crit.data.{c}") for c in P.DATA.options})
digits = data == "digits"  # the real digits: their own targets (cross-entropy), learning rates and texts
_d = "_digits" if digits else ""
layout.presets("crit", P.DIGITS_PRESETS if digits else P.PRESETS)
c1, c2 = st.columns([3, 2])
target = float(urlstate.choice(P.target_param(data), t(f"crit.target{_d}"),
                               t(f"crit.target.help{_d}", floor=f"{cb.NOISE_FLOOR:g}"), c1))
seed = urlstate.slider(P.SEED, t("crit.seed"), t(f"crit.seed.help{_d}"), c2)
c1, c2 = st.columns([2, 3], vertical_alignment="bottom")
fixed = urlstate.toggle(P.FIXED, t("crit.fixed"), t("crit.fixed.help"), c1)
lr = float(urlstate.choice(P.lr_param(data), t("crit.lr"), t(f"crit.lr.help{_d}"), c2))
settings = cb.Settings.of(data, seed)
task = settings.problem
# The noise scale (section 3) is measured in the worker while the grid trains here and in the worker.
page_runs = runs.critical(urlstate.current)  # the page's runs at its widgets' values: nothing trained yet
page_runs.noise.start_early()
trials = page_runs.trials(t("crit.running", runs=len(task.batches) * settings.runs,
                            steps=num(cb.total_steps(settings))))
if digits:
    st.caption(t("crit.digits.about", train=num(task.n_train), val=num(task.n_val)))
layout.share_button(share)
a = view.analyse(trials, target, lr if fixed else None)
fit = a.fit  # fitted to the table's points, tuned or at the one learning rate
labels_region = {r: t(f"crit.region.{r.value}") for r in scaling.Region}
shown = [p for p in a.shown if p.steps is not None]
tuned = [p for p in a.tuned if p.steps is not None]
main_series = t("crit.series.fixed", lr=f"{lr:g}") if fixed else t("crit.series.tuned")

# --- 1. steps to the target ---
st.subheader(t("crit.steps.title"))
points = [{"batch": p.batch, "steps": p.steps, "low": p.low, "high": p.high, "lr": p.lr, "series": main_series}
          for p in shown]
if fixed:
    points += [{"batch": p.batch, "steps": p.steps, "low": None, "high": None, "lr": p.lr,
                "series": t("crit.series.tuned_ghost")} for p in tuned]
lines: list[dict] = []
if fit is not None:
    lines += [{"batch": b, "steps": s, "series": t("crit.series.fit")} for b, s in view.fit_line(fit, task.batches[-1])]
if shown:
    lines += [{"batch": b, "steps": s, "series": t("crit.series.perfect", b=shown[0].batch)}
              for b, s in view.perfect_line(a.shown)]
regions = pd.DataFrame([{"low": low, "high": high, "name": labels_region[r], "code": r.value}
                        for low, high, r in view.region_spans(a.doublings)], columns=["low", "high", "name", "code"])
steps_labels = {"x": t("crit.steps.x"), "y": t("crit.steps.y"), "lr": t("crit.steps.lr"),
                "region": t("crit.table.region"), "low": t("crit.steps.low"), "high": t("crit.steps.high")}
if points:
    # Projected, the regions wait in the answer fold below: they are lesson step 8's answer.
    draw(steps_chart, pd.DataFrame(points), pd.DataFrame(lines, columns=["batch", "steps", "series"]),
         regions.iloc[:0] if present.active() else regions, steps_labels)
missed = [p.batch for p in a.shown if p.steps is None]
if missed:
    st.warning(t("crit.steps.not_reached", batches=", ".join(map(str, missed))))
sentences = [t("crit.steps.how_fixed", reps=settings.repeats, lr=f"{lr:g}") if fixed else
             t("crit.steps.how_tuned", reps=settings.repeats, lrs=len(settings.lrs),
               grid=", ".join(f"{v:g}" for v in settings.lrs))]
span = view.span(a.shown)
if span is not None:
    sentences.append(t("crit.steps.span", b0=span.small.batch, b1=span.large.batch, bratio=span.batch_ratio,
                       sratio=times(span.steps_ratio), s0=num(span.small.steps), s1=num(span.large.steps)))
if a.doublings:
    first, last = a.doublings[0], a.doublings[-1]
    until, start = scaling.perfect_until(a.doublings), scaling.maximal_from(a.doublings)
    found = [t("crit.steps.perfect_until", b=until) if until is not None else
             t("crit.steps.perfect_none", b0=first.small, b1=first.large, saved=saved(first)),
             t("crit.steps.maximal_none", b0=last.small, b1=last.large, saved=saved(last)) if start is None else
             t("crit.steps.maximal_from", b=start) if last.large == a.shown[-1].batch else
             # the sizes above did not reach the target: say how far the measurement goes
             t("crit.steps.maximal_until", b=start, end=last.large)]
else:
    found = []
st.caption(" ".join(sentences))
# Lesson step 8 asks from which batch size doubling stops saving steps: projected, where the regions start,
# B_crit and each size's region wait in this fold until the teacher opens it.
answer = present.answer() if found or fit is not None else st.container()
if found:
    answer.caption(" ".join(found))
if fit is None:
    st.warning(t("crit.fit.none"))
else:
    m1, m2, m3 = answer.columns(3)
    m1.metric(t("crit.metric.bcrit"), num(fit.b_crit))
    m2.metric(t("crit.metric.smin"), num(fit.s_min))
    m3.metric(t("crit.metric.emin"), num(fit.e_min))
    answer.caption(t("crit.metric.caption_fixed", lr=f"{lr:g}") if fixed else t("crit.metric.caption"))
    if digits:  # next to the made-up data's B_crit at its defaults (the trade-offs page reads the same runs)
        made_up = view.analyse(runs.critical(runs.defaults).trials(t("crit.running_made_up")), float(P.TARGET.default))
        if made_up.fit is not None:
            answer.caption(t("crit.digits.versus", target=P.TARGET.default, made_up=num(made_up.fit.b_crit),
                             digits_target=f"{target:g}", b_crit=num(fit.b_crit)))
versus = view.fixed_against_tuned(a.shown, a.tuned) if fixed else None
if versus is not None:
    big, best, ratio = versus
    st.caption(t("crit.steps.caption_fixed", lr=f"{lr:g}", b1=big.batch, s1=num(big.steps), t1=num(best.steps),
                 ratio=times(ratio)))
none = t("crit.table.none")
by_batch = view.region_by_batch(a.doublings)
steps_table = pd.DataFrame({
    t("crit.table.batch"): [p.batch for p in a.shown],
    t("crit.table.lr"): [f"{p.lr:g}" for p in a.shown],
    t("crit.table.steps"): [num(p.steps) if p.steps is not None else none for p in a.shown],
    t("crit.table.spread"): [f"{num(p.low)}–{num(p.high) if p.high is not None else none}"
                             if p.low is not None else none for p in a.shown],
    t("crit.table.examples"): [num(p.examples) if p.examples is not None else none for p in a.shown],
    t("crit.table.saved"): [saved(by_batch[p.batch]) if p.batch in by_batch else "–" for p in a.shown],
    t("crit.table.region"): [labels_region[by_batch[p.batch].region] if p.batch in by_batch else "–"
                             for p in a.shown],
})
region, saved_column = t("crit.table.region"), t("crit.table.saved")
layout.table(steps_table.drop(columns=[saved_column, region]) if present.active() else steps_table, "crit_steps",
             t("crit.steps.title"))
if present.active() and a.doublings:
    with answer:  # each size's doubling and region, beside B_crit in the fold
        layout.table(steps_table[[t("crit.table.batch"), saved_column, region]], "crit_regions", region)
layout.download("steps_to_target", tables.steps_to_target, a.shown, target, fit, not fixed, a.doublings)

# --- 2. samples to the target: the S–E trade-off ---
st.subheader(t("crit.tradeoff.title"))
if fit is not None and shown:
    curve = pd.DataFrame(view.tradeoff_curve(fit), columns=["steps", "examples"])
    mark_steps, mark_examples = view.critical_mark(fit)
    marks = pd.DataFrame([{"steps": mark_steps, "examples": mark_examples,
                           "name": t("crit.mark.bcrit", b=num(fit.b_crit))}])
    draw(tradeoff_chart, pd.DataFrame([{"batch": p.batch, "steps": p.steps, "examples": p.examples} for p in shown]),
         curve, marks, {"x": t("crit.tradeoff.x"), "y": t("crit.tradeoff.y"), "batch": t("crit.tradeoff.batch"),
                        "fit": t("crit.tradeoff.fit")})
    caption = t("crit.tradeoff.caption", s_min=num(fit.s_min), e_min=num(fit.e_min), b_crit=num(fit.b_crit),
                n=num(task.n_train))
    st.caption(f"{t('crit.tradeoff.fixed', lr=f'{lr:g}')} {caption}" if fixed else caption)
else:
    st.warning(t("crit.fit.none"))
layout.download("critical_batch_runs", tables.trials, trials)

# --- 3. the noise scale ---
st.subheader(t("crit.noise.title"))
present.explain(t("crit.noise.intro", small=cb.TWO_BATCH[0], big=cb.TWO_BATCH[1]))
noise = page_runs.noise(t("crit.noise_running"))
exact, estimate = t("crit.noise.exact"), t("crit.noise.two_batch", draws=task.noise_draws)
rows = pd.DataFrame([{"step": p.step, "b_simple": p.exact.b_simple, "series": exact} for p in noise]
                    + [{"step": p.step, "b_simple": p.estimate.b_simple, "series": estimate} for p in noise])
rows = rows[rows["b_simple"].map(math.isfinite)]
draw(noise_chart, rows, None if fit is None else fit.b_crit,
     {"x": t("crit.noise.x", b=task.noise_batch, lr=f"{task.noise_lr:g}"), "y": t("crit.noise.y"),
      "b_crit": t("crit.noise.bcrit", b=num(fit.b_crit)) if fit else ""})
at = cb.noise_at(noise, target)
values = {"init": num(noise[0].exact.b_simple), "init_est": num(noise[0].estimate.b_simple), "target": f"{target:g}",
          "at": num(at.exact.b_simple), "at_est": num(at.estimate.b_simple)}
if at.val_loss <= target and fit is not None:
    st.caption(t("crit.noise.caption", step=num(at.step), b_crit=num(fit.b_crit), **values))
elif at.val_loss <= target:
    st.caption(t("crit.noise.caption_nofit", step=num(at.step), **values))
else:
    st.caption(t("crit.noise.caption_missed", **values))
layout.download("noise_scale", tables.noise_scale, noise)
if fit is not None and shown:
    b_noise = at.exact.b_simple
    predicted = [{"batch": b, "steps": s, "series": t("crit.series.predicted", b=num(b_noise))}
                 for b, s in view.predicted_line(fit.s_min, b_noise, task.batches[-1])]
    fitted = [{"batch": b, "steps": s, "series": t("crit.series.fit")} for b, s in view.fit_line(fit, task.batches[-1])]
    draw(steps_chart, pd.DataFrame([{"batch": p.batch, "steps": p.steps, "low": p.low, "high": p.high, "lr": p.lr,
                                     "series": main_series} for p in shown]),
         pd.DataFrame(fitted + predicted), pd.DataFrame(columns=["low", "high", "name", "code"]), steps_labels)
    error = view.prediction_error(shown, fit.s_min, b_noise)
    caption = t("crit.predict.caption", s_min=num(fit.s_min), b_noise=num(b_noise), error=f"{100 * error:.0f}")
    st.caption(f"{caption} {t('crit.predict.fixed', lr=f'{lr:g}')}" if fixed else caption)

# --- 4. a budget of epochs is not a target ---
st.subheader(t("crit.budget.title"))
present.explain(t("crit.budget.intro"))
budget = urlstate.slider(P.BUDGET, t("crit.budget"), t("crit.budget.help", n=num(task.n_train)))
after = cb.epoch_budget(trials, budget, lr if fixed else None)
draw(budget_chart, pd.DataFrame([{"batch": b, "lr": r, "loss": v} for b, r, v in after]), target,
     {"x": t("crit.budget.x"), "y": t("crit.budget.y"), "lr": t("crit.steps.lr"),
      "target": t("crit.budget.target", target=f"{target:g}")})
(b0, _, l0), (b1, _, l1) = after[0], after[-1]
updates = {b: view.updates_in(budget, b, task.n_train) for b in (b0, b1)}
s_small, s_large = a.shown[0].steps, a.shown[-1].steps
common = {"epochs": tn("crit.count.epochs", budget), "b0": b0, "b1": b1, "l0": f"{l0:.3f}", "l1": f"{l1:.3f}",
          "u0": tn("crit.count.updates", updates[b0]), "u1": tn("crit.count.updates", updates[b1])}
if s_small is not None and s_large is not None:
    st.caption(t("crit.budget.caption", s0=num(s_small), s1=num(s_large), **common))
else:
    st.caption(t("crit.budget.caption_missed", **common))
layout.download("epoch_budget", tables.epoch_budget, after, budget)
