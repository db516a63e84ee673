"""Issue 26, item 4: in presentation mode the answer to each lesson step's "ask the class" question waits
behind a closed "Show the answer" fold the teacher opens; in normal mode (a student alone) it is all there.

Each step names what answers its question as the locale templates that render it (a button, a card, a
sentence, a table cell) or as text its chart draws; the test opens the step's link both ways and looks
for those texts inside and outside the fold.
"""

from __future__ import annotations

import json
import re

import pytest
from conftest import assert_clean, run_app

from ui import lesson
from ui.locales import STRINGS


def pattern(template: str) -> re.Pattern:
    """A regex matching ``template`` rendered with any values (each ``{placeholder}`` as any text)."""
    parts = re.split(r"\{[^{}]*\}", template)
    return re.compile(".+?".join(map(re.escape, parts)), re.S)


# What answers each step's question, as locale keys whose rendered text is shown: (key, how it is shown).
# "card": a metric's label; "text": a sentence, caption, info box, code or button label (the start of it);
# "sentence": a sentence anywhere inside a caption; "cell": a table cell or column header, exactly; "code":
# literal text at the start of a code block.
# Step 1's answer (1,600 at batch 64) is on no screen (only in a preset's tooltip); step 6's is the trade-offs
# seed experiment's explanation, already folded under "Explain".
ANSWERS: dict[str, list[tuple[str, str]]] = {
    "last_batch": [("calc.warn.suggest.item", "text")],
    "exam_checks": [("exam.topic_batches", "text")],
    "exam_retakes": [("exam.m.best", "card"), ("exam.epochs.overfit", "text")],
    "tradeoffs": [("trade.col.verdict", "cell"), ("trade.verdict.holds", "cell")],
    "scaling": [("trade.col.verdict", "cell")],
    "critical": [("crit.metric.bcrit", "card"), ("crit.table.region", "cell"), ("crit.steps.maximal_from", "sentence")],
    "digits_exam": [("exam.topic_batches_digits", "text")],
    "bn_digits": [("bn.s3.grows", "text"), ("bn.s5.drop", "text")],
    "digits_critical": [("crit.metric.bcrit", "card"), ("crit.digits.versus", "sentence")],
    "bn_last6": [("bn.s3.grows", "text"), ("bn.s5.drop", "text"), ("DataLoader(dataset, batch_size=300", "code")],
    "bn_crash": [("bn.s3.grows.crashed", "text"), ("bn.s5.safer", "text"), ("bn.s5.safer.item", "text")],
    "overfit": [("epochs.m.best", "card"), ("epochs.preset.good", "text")],
    "early_stop": [("epochs.table.last", "cell"), ("epochs.table.restored", "cell")],
}
# Text a step's chart draws that answers the question: in presentation mode the chart leaves it out.
CHART_ANSWERS = {
    "exam_retakes": ["exam.sit.best"],
    "critical": ["crit.region.diminishing", "crit.region.maximal"],  # ("perfect scaling" also names a line)
}
STEPS = {step.key: step for step in lesson.STEPS}


def shown_texts(node, skip_answers: str | None = None, inside: bool = False) -> list[tuple[str, str, bool]]:
    """Every text a reader sees under ``node`` as (kind, text, inside an answer fold). Folds labelled
    ``skip_answers`` mark what they hold as inside."""
    out: list[tuple[str, str, bool]] = []
    kind = type(node).__name__
    if kind == "Expander" and node.label == skip_answers:
        inside = True
    if kind == "Metric":
        out.append(("card", node.label, inside))
    elif kind == "Button":
        out.append(("text", node.label, inside))
    elif kind == "Table":
        frame = node.value
        out += [("cell", str(v), inside) for v in list(frame.columns) + list(frame.to_numpy().ravel())]
    elif kind == "Code":
        out.append(("code", node.value, inside))
    elif isinstance(getattr(node, "value", None), str) and kind != "Html":
        out.append(("text", node.value, inside))
    for child in getattr(node, "children", {}).values():
        out += shown_texts(child, skip_answers, inside)
    return out


def matches(key: str, how: str, kind: str, text: str, s: dict[str, str]) -> bool:
    """Whether ``text`` (shown as ``kind``) is the rendering of ``key`` shown as ``how``."""
    if how == "code":
        return kind == "code" and text.startswith(key)
    if how == "cell":
        return kind == "cell" and text == s[key]
    if how == "card":
        return kind == "card" and text == s[key]
    if how == "sentence":
        return kind == "text" and pattern(s[key]).search(text) is not None
    return kind == "text" and pattern(s[key]).match(text) is not None


def chart_text(at) -> str:
    """Everything the page's charts could draw: their specs and their datasets (Arrow bytes as text)."""
    charts = at.get("vega_lite_chart") + at.get("arrow_vega_lite_chart")
    return "\n".join(json.dumps(json.loads(c.proto.spec), ensure_ascii=False)
                     + "".join(d.data.data.decode("utf-8", "ignore") for d in c.proto.datasets) for c in charts)


@pytest.mark.parametrize("key", list(ANSWERS))
def test_the_answer_is_folded_in_presentation_mode_and_shown_otherwise(key, lang):
    step, s = STEPS[key], STRINGS[lang]
    fold = s["present.answer"]
    normal = run_app(step.page, timeout=600, lang=lang, **step.settings)
    projected = run_app(step.page, timeout=600, lang=lang, present="1", **step.settings)
    assert_clean(normal)
    assert_clean(projected)
    assert not [e for e in normal.expander if e.label == fold], "a student alone sees every answer"
    assert [e for e in projected.expander if e.label == fold]
    seen = shown_texts(normal.main, fold)
    folded = shown_texts(projected.main, fold)
    for answer, how in ANSWERS[key]:
        in_normal = [t for kind, t, _ in seen if matches(answer, how, kind, t, s)]
        assert in_normal, f"{answer} is not on the page at all"
        shown = [(t, inside) for kind, t, inside in folded if matches(answer, how, kind, t, s)]
        assert shown, f"{answer} is not in presentation mode's answer fold"
        assert all(inside for _, inside in shown), f"{answer} is on screen before the teacher asks: {shown}"
        # The same answers, only folded: what the fold holds is what a student alone sees.
        assert sorted(t for t, _ in shown) == sorted(in_normal)
    for answer in CHART_ANSWERS.get(key, []):
        drawn = s[answer].split("{")[0]
        assert drawn in chart_text(normal) and drawn not in chart_text(projected)


def test_explanations_inside_an_answer_are_not_folded_twice():
    """The BatchNorm fixes' third fix (a replacement norm) is written out inside the answer fold."""
    at = run_app("batchnorm_last_batch", timeout=600, present="1", n="1201", batch="300")
    s = STRINGS["en"]
    fixes = [e for e in at.expander if e.label == s["present.answer"]][-1]
    assert any(pattern(s["bn.s5.norm"]).match(m.value) for m in fixes.markdown)
    assert not [e for e in fixes.children.values() if type(e).__name__ == "Expander"]
