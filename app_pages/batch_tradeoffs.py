"""Batch-size trade-offs: the notes' claims next to measurements made live. Reads widgets, asks ebcore, draws."""

import math

import pandas as pd
import streamlit as st

from ebcore.lessons import tables
from ebcore.lessons.tradeoffs import claims as tc
from ebcore.lessons.tradeoffs import experiment as tr
from ebcore.lessons.tradeoffs import measures
from ebcore.lessons.tradeoffs.guides import GUIDES, dataset_guide
from ui import critical_note, layout, present, runs, urlstate
from ui.charts.draw import draw
from ui.charts.tradeoffs import guides_chart, loss_curves_chart, noise_chart, sweep_chart
from ui.i18n import t
from ui.params import Tradeoffs

P = Tradeoffs
urlstate.guard(P.ALL)
GHOSTS = "_trade_ghosts"


NBSP = "\u00a0"  # keeps a number with its unit in a narrow table column


def fmt_bytes(n: float) -> str:
    for unit, size in (("GB", 1e9), ("MB", 1e6), ("KB", 1e3)):
        if n >= size:
            return f"{n / size:,.1f}{NBSP}{unit}"
    return f"{n:,.0f}{NBSP}B"


def claim_value(key: str, v: float) -> str:
    """A claim's value as the claims table shows it: at the decimals its verdict is judged at."""
    if not math.isfinite(v):
        return t("trade.diverged" if key == "generalise" else "trade.bn_error")
    unit = NBSP + "ms" if key == "faster_epochs" else ""
    return fmt_bytes(v) if key == "memory" else f"{v:,.{tc.DECIMALS[key]}f}{unit}"


def claim_rule(c: tc.Claim, small: int, large: int) -> str:
    """The rule behind a claim's verdict, its limits written out (B = ``small`` against B = ``large``)."""
    def limit(v) -> str:
        return fmt_bytes(v) if c.key == "memory" else tc.decimal_text(v, tc.DECIMALS[c.key])

    diverged = c.key == "generalise" and not (math.isfinite(c.small) and math.isfinite(c.large))
    text = t(f"trade.rule.{c.key}{'.diverged' * diverged}", small=small, large=large, hold=limit(c.hold),
             fail=limit(c.fail), under=tc.BN_UNRELIABLE_BELOW, reliable=tc.BN_RELIABLE_FROM)
    one = c.key == "batchnorm" and not math.isfinite(c.small)  # a batch of 1: BatchNorm refuses it
    text += " " + t("trade.rule.batchnorm.one", hold=limit(c.hold)) if one else ""
    return text.replace("B = ", f"B{NBSP}={NBSP}")  # "B = 128" never split over two lines


share = layout.header("trade")

# --- the sweep's settings (they feed the table, the noise chart and the sweep chart) ---
data = urlstate.choice(P.DATA, t("trade.data"), t("trade.data.help"),
                       labels={c: t(f"trade.data.{c}") for c in P.DATA.options})
layout.presets("trade", P.PRESETS)
c1, c2, c3 = st.columns(3)
b_min = urlstate.slider(P.BMIN, t("trade.bmin"), t("trade.bmin.help"), c1)
b_max = urlstate.slider(P.BMAX, t("trade.bmax"), t("trade.bmax.help"), c2)
epochs = urlstate.slider(P.EPOCHS, t("trade.epochs"), t("trade.epochs.help"), c3)
c1, c2, c3 = st.columns(3)
lr = urlstate.choice(P.LR, t("trade.lr"), t("trade.lr.help"), c1)
scale = urlstate.toggle(P.SCALE, t("trade.scale"), t("trade.scale.help"), c2)
warmup = urlstate.toggle(P.WARMUP, t("trade.warmup"), t("trade.warmup.help"), c3)
settings = tr.SweepSettings(b_min, b_max, epochs, float(lr), scale, warmup, data=data)
# The seed experiment (section 2, drawn last) trains in the worker while the sweep trains here.
page_runs = runs.tradeoffs(urlstate.current)  # the page's runs at its widgets' values: nothing trained yet
page_runs.seeds.start_early()
page_runs.noise.start_early()
sweep = page_runs.sweep(t("trade.running", steps=f"{tr.sweep_steps(settings):,}"))
layout.share_button(share)

# --- 1. the claims, with verdicts from the numbers ---
st.subheader(t("trade.table.title"))
small, large = sweep[0], sweep[-1]
if len(sweep) < 2:
    st.warning(t("trade.table.one"))
else:
    rows = tc.claims(sweep)
    table = pd.DataFrame({
        t("trade.col.claim"): [t(f"trade.claim.{c.key}") for c in rows],
        t("trade.col.measure"): [t(f"trade.measure.{c.key}") for c in rows],
        t("trade.col.small", b=small.batch): [claim_value(c.key, c.small) for c in rows],
        t("trade.col.large", b=large.batch): [claim_value(c.key, c.large) for c in rows],
        t("trade.col.verdict"): [t(f"trade.verdict.{c.verdict.value}") for c in rows],
        t("trade.col.rule"): [claim_rule(c, small.batch, large.batch) for c in rows],
    })
    # Lesson steps 5 and 7 ask which claims held: projected, the verdicts wait in the answer fold.
    verdict, asking = t("trade.col.verdict"), present.active()
    layout.table(table.drop(columns=verdict) if asking else table, "claims", t("trade.table.title"))
    if asking:
        with present.answer():
            layout.table(table[[t("trade.col.claim"), verdict]], "verdicts", verdict)
    st.caption(t(f"trade.table.caption{'_digits' * (data == 'digits')}", small=small.batch, large=large.batch,
                 n=tr.SWEEP_TRAIN, val=f"{tr.SWEEP_VAL:,}", machine=tr.machine()))
    # when "large batches train faster" and "small batches generalise better" hold, on the same data
    critical_note.show(page_runs.claims, data)

# --- gradient noise and memory ---
st.subheader(t("trade.noise.title"))
points = page_runs.noise()
swept = set(settings.batch_sizes())
draw(noise_chart,
    [(p.batch, p.relative, p.batch in swept) for p in points],
    measures.inverse_sqrt_reference(points),
    {"x": t("trade.noise.x"), "y": t("trade.noise.y"), "measured": t("trade.noise.measured"),
     "reference": t("trade.noise.reference")})
st.caption(t("trade.noise.caption", n=tr.SWEEP_TRAIN))
layout.download("gradient_noise", tables.gradient_noise, points)

st.subheader(t("trade.memory.title"))
layout.table(pd.DataFrame({
    t("trade.memory.batch"): [r.batch for r in sweep],
    t("trade.memory.ours"): [fmt_bytes(r.act_bytes) for r in sweep],
    t("trade.memory.gpt2"): [fmt_bytes(measures.transformer_activation_bytes(r.batch)) for r in sweep],
}), "memory", t("trade.memory.title"))
st.caption(t("trade.memory.caption", params=fmt_bytes(measures.parameter_bytes(tr.sweep_model(data=data)))))

# --- 3. your sweep, with ghosts of earlier sweeps ---
st.subheader(t("trade.sweep.title"))
ghosts = st.session_state.setdefault(GHOSTS, [])
if not ghosts or ghosts[-1]["settings"] != settings:
    ghosts.append({"settings": settings, "runs": sweep})
    del ghosts[:-4]  # the current sweep plus three ghosts
current = pd.DataFrame([{"batch": f"B = {r.batch}", "epoch": e + 1, "loss": v}
                        for r in sweep for e, v in enumerate(r.val_loss) if math.isfinite(v)])
old = pd.DataFrame([{"batch": f"B = {r.batch}", "epoch": e + 1, "loss": v, "sweep": f"#{i + 1}",
                     "key": f"{i}-{r.batch}"}
                    for i, g in enumerate(ghosts[:-1]) for r in g["runs"] for e, v in enumerate(r.val_loss)
                    if math.isfinite(v)], columns=["batch", "epoch", "loss", "sweep", "key"])
draw(sweep_chart, current, old, {"x": t("trade.sweep.x"), "y": t("trade.sweep.y"),
                                 "batch": t("trade.sweep.batch"), "ghost": t("trade.sweep.ghost"),
                                 "ghosts": t("trade.sweep.ghosts")})
layout.table(pd.DataFrame({
    t("trade.sweep.batch"): [r.batch for r in sweep],
    t("trade.sweep.lr"): [f"{r.lr:g}" for r in sweep],
    t("trade.sweep.updates"): [r.updates_per_epoch for r in sweep],
    t("trade.sweep.time"): [f"{r.seconds_per_epoch * 1000:,.1f}" for r in sweep],
    t("trade.sweep.train"): [f"{r.final_train:.3f}" if not r.diverged else t("trade.diverged") for r in sweep],
    t("trade.sweep.val"): [f"{r.final_val:.3f}" if not r.diverged else t("trade.diverged") for r in sweep],
    t("trade.sweep.gap"): [f"{r.gap:+.3f}" if not r.diverged else "–" for r in sweep],
}), "sweep", t("trade.sweep.title"))
layout.download("batch_sweep", tables.sweep_epochs, sweep)
left, right = st.columns([3, 1], vertical_alignment="center")
left.caption(t("trade.sweep.caption", ghosts=len(ghosts) - 1))
right.button(t("trade.sweep.clear"), on_click=lambda: st.session_state.pop(GHOSTS, None),
             disabled=len(ghosts) < 2, icon=":material/delete_sweep:")

# --- 2. the seed experiment ---
st.subheader(t("trade.seed.title"))
present.explain(t("trade.seed.intro"))
c1, c2, c3 = st.columns([4, 3, 2])  # the x-axis labels are the longest
x_axis = urlstate.choice(P.XAXIS, t("trade.seed.x"), t("trade.seed.x.help"), c1,
                         labels={o: t(f"trade.seed.axis.{o}") for o in P.XAXIS.options})
view = urlstate.choice(P.VIEW, t("trade.seed.view"), t("trade.seed.view.help"), c2,
                       labels={o: t(f"trade.seed.view.{o}") for o in P.VIEW.options})
n_seeds = urlstate.slider(P.SEEDS, t("trade.seed.seeds"), t("trade.seed.seeds.help"), c3)
curves = page_runs.seeds(t("trade.seed.running"))  # at n_seeds
points = pd.DataFrame(tr.curve_rows(curves, x_axis, view))
# Weight updates differ 8× between the batches: on a log axis both runs spread over the chart.
log_x = x_axis == "updates"
axis_title = t(f"trade.seed.axis.{x_axis}")
draw(loss_curves_chart,
    points, {"x": t("trade.seed.log", axis=axis_title) if log_x else axis_title, "y": t("trade.seed.y"),
             "run": t("trade.seed.run"), "floor": t("trade.seed.floor", floor=f"{tr.NOISE_FLOOR:.3f}")},
    floor=tr.NOISE_FLOOR, band=n_seeds > 1, log_x=log_x,
    under=list(points.loc[points["epochs"] < points["epochs"].max(), "run"].unique()))  # the start of a longer run
layout.download("seed_experiment", tables.seed_curves, curves, x_axis, view)
final = {f"{c.epochs} · {c.batch}": c.epoch_loss[-1] for c in curves if c.seed == 0}
st.caption(t("trade.seed.caption", e5b16=f"{final['5 · 16']:.3f}", e5b128=f"{final['5 · 128']:.3f}",
             e20b16=f"{final['20 · 16']:.3f}", e20b128=f"{final['20 · 128']:.3f}", floor=f"{tr.NOISE_FLOOR:.3f}"))

# --- 4. sizing guides ---
st.subheader(t("trade.guides.title"))
mine = dataset_guide(tr.SWEEP_TRAIN)
draw(guides_chart, pd.DataFrame({
    "name": [t(f"trade.guide.{g.key}") for g in GUIDES], "low": [g.low for g in GUIDES],
    "high": [g.high for g in GUIDES], "current": [g == mine for g in GUIDES]}),
    settings.batch_sizes(), {"x": t("trade.noise.x"), "swept": t("trade.guides.swept"),
                             "current": t("trade.guides.current", n=tr.SWEEP_TRAIN), "other": t("trade.guides.other")})
st.caption(t("trade.guides.caption"))
