"""Under the trade-offs page's claims table: when "large batches train faster" and "small batches
generalise better" hold, as the critical-batch page measured it at its default settings, with a link there."""

from __future__ import annotations

import streamlit as st

from ebcore.lessons.critical import experiment as cb
from ebcore.lessons.critical import view
from ebcore.lessons.tradeoffs import claims as tc
from ui import nav
from ui.i18n import t
from ui.params import CriticalBatch as P
from ui.runs import Run


def show(claims: Run, data: str = P.DATA.default) -> None:
    """Two conditions from the critical-batch runs ``claims`` on ``data`` (``runs.tradeoffs``: seed, target and
    learning rate at that data's defaults) and a link.

    "Small batches generalise better" counts as refuted when, tuned, the largest batch's lowest validation
    loss is within the trade-offs page's tolerance (``GAP_TOLERANCE``) of the smallest batch's."""
    target, lr = float(P.target_param(data).default), float(P.lr_param(data).default)
    settings = cb.Settings.of(data)
    c = view.claim_conditions(claims(t("crit.running", runs=len(settings.problem.batches) * settings.runs,
                                       steps=f"{cb.total_steps(settings):,}")), target, lr)
    common = {"target": f"{target:g}", "n": f"{settings.problem.n_train:,}", "reps": settings.repeats,
              "b_crit": f"{c.b_crit:,.0f}" if c.b_crit is not None else "–"}
    if c.b_crit is None:
        faster = t("crit.claims.faster_none")
    elif c.high is None:
        faster = t("crit.claims.faster_all", **common)
    else:
        faster = t("crit.claims.faster", high=c.high, **common)
    lines = [faster,
             t("crit.claims.generalise" if c.best_large <= c.best_small + tc.GAP_TOLERANCE else
               "crit.claims.generalise_holds", small=f"{c.best_small:.3f}", b0=c.small, large=f"{c.best_large:.3f}",
               b1=c.large, lr=f"{lr:g}", large_fixed=f"{c.large_fixed:.3f}")]
    with st.container(border=True):
        st.markdown(f"**{t('crit.claims.title')}**")
        st.markdown("\n".join(f"- {line}" for line in lines))
        nav.link("critical_batch", t("crit.claims.link"), {"data": data} if data != P.DATA.default else None)
