"""The epoch strip and the Keras progress line."""

from hypothesis import example, given, settings
from hypothesis import strategies as st

from ebcore.primitives import calc, keraslog
from ebcore.primitives.keraslog import progress_bar
from ebcore.primitives.strip import BlockKind, epoch_strip, folded


@settings(max_examples=300, deadline=None)
@given(n=st.integers(1, 10**7), b=st.integers(1, 5000), drop_last=st.booleans(), max_blocks=st.integers(6, 40))
def test_strip_accounts_for_every_sample(n, b, drop_last, max_blocks):
    p = calc.plan(n, b, drop_last=drop_last)
    blocks = epoch_strip(p, max_blocks=max_blocks)
    shown_batches = [x for x in blocks if x.kind in (BlockKind.FULL, BlockKind.PARTIAL)]
    hidden = sum(x.hidden_batches for x in blocks)
    assert len(shown_batches) + hidden == p.iterations_per_epoch
    assert len(blocks) <= max_blocks + 1  # the folded strip plus a dropped block at most
    assert sum(x.size for x in blocks) == n
    assert sum(x.size for x in blocks if x.kind is BlockKind.DROPPED) == p.dropped_per_epoch
    for left, right in zip(blocks, blocks[1:], strict=False):
        assert left.x1 == right.x0 and left.first_sample + left.size == right.first_sample
    partial = [x for x in blocks if x.kind is BlockKind.PARTIAL]
    # A batch larger than the data is the whole epoch in one batch, drawn as one full block, not a leftover.
    assert len(partial) == int(p.has_partial_last_batch and not p.one_batch_holds_all)
    # The strip folds (and its x title explains the gap's number) exactly when it hides batches.
    assert folded(blocks) == (hidden > 0) == (p.iterations_per_epoch > max_blocks)


# Each example builds and serialises a chart (about 0.1 s): fewer drawn, and the edges given, where random
# draws rarely land: the strip's fold at 16 batches (16 and 17, with and without a dropped batch).
@settings(max_examples=50, deadline=None)
@given(n=st.integers(1, 10**6), b=st.integers(1, 10**6), drop_last=st.booleans())
@example(n=16, b=1, drop_last=False)
@example(n=17, b=1, drop_last=False)
@example(n=33, b=2, drop_last=True)
@example(n=35, b=2, drop_last=True)
@example(n=1206, b=300, drop_last=False)
@example(n=10, b=32, drop_last=False)
@example(n=10, b=32, drop_last=True)
@example(n=10**6, b=1, drop_last=False)
def test_home_strip_explains_the_gap_only_when_it_draws_one(n, b, drop_last):
    """Issue 26, 15: the fold caption under a strip that folds nothing."""
    from ui.charts.strip import epoch_strip_chart
    from ui.locales import STRINGS

    p = calc.plan(n, b, drop_last=drop_last)
    if p.iterations_per_epoch == 0:
        return
    blocks = epoch_strip(p)
    s = STRINGS["en"]
    title = s["calc.strip.x.folded" if folded(blocks) else "calc.strip.x"]
    gap_text = s["calc.strip.gap"].split("{")[0].strip()  # "⋯"
    spec = epoch_strip_chart(blocks, {k.value: s[f"calc.strip.{k.value}"] for k in BlockKind}
                             | {k: s[f"calc.strip.{k}"] for k in ("batch", "samples", "size", "gap")}
                             | {"x_title": title}).to_dict()
    texts = [row["text"] for rows in spec["datasets"].values() for row in rows]
    # The title mentions the gap's "⋯ number ⋯" only when a "⋯ number ⋯" block is drawn.
    assert (gap_text in title) == any(gap_text in text for text in texts)


def test_a_batch_larger_than_the_data_is_one_full_block():
    blocks = epoch_strip(calc.plan(10, 32))
    assert [(x.kind, x.size, x.x1 - x.x0) for x in blocks] == [(BlockKind.FULL, 10, 1.0)]


def test_strip_of_the_batchnorm_case_ends_with_the_tiny_batch():
    blocks = epoch_strip(calc.plan(1206, 300))
    assert [x.size for x in blocks] == [300, 300, 300, 300, 6]
    assert blocks[-1].kind is BlockKind.PARTIAL and blocks[-1].batch == 5


def test_progress_bar_is_keras_shaped():
    assert progress_bar(800, 800) == "[" + "=" * 30 + "]"
    assert progress_bar(0, 800) == "[" + "." * 30 + "]"
    half = progress_bar(400, 800)
    assert half == "[" + "=" * 14 + ">" + "." * 15 + "]"
    for step in range(0, 801, 37):
        assert len(progress_bar(step, 800)) == 32


def test_progress_line():
    log = keraslog.log(10, 5, {"loss": [0.45612] * 10}, [0.02] * 10)
    # Keras prints "Epoch e/E" on a line of its own, unpadded (Keras 3 and 2.15 alike) ...
    assert log[0] == "Epoch 1/10" and log[18] == "Epoch 10/10"
    # ... so every epoch's bar starts in the same column (issue 16, point 8) without padding the epoch.
    assert log[1] == log[19] == "5/5 ━━━━━━━━━━━━━━━━━━━━ 0s 4ms/step - loss: 0.4561"
    assert keraslog.progress_line(800, {"loss": 0.45612}, style=keraslog.KERAS2, epoch_seconds=1.6) == (
        "800/800 [==============================] - 2s 2ms/step - loss: 0.4561")
