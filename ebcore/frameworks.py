"""The framework translator: one (N, B) setting in each framework's own terms.

Each row is computed with ``ebcore.calc``; the page only translates the row names.
"""

from __future__ import annotations

from dataclasses import dataclass

from ebcore import calc

# Keras's most common hold-out fraction; the translator shows what it does to the step count.
KERAS_VALIDATION_SPLIT = 0.2


@dataclass(frozen=True)
class FrameworkRow:
    """One way of running the same data: counts per epoch (per GPU for the distributed row).

    ``samples_per_update`` is what one optimizer step sees when batches are full (K x B x R).
    """

    key: str  # stable id: keras, keras_split, torch, torch_drop, accum, ddp
    rule: str  # the formula, in code notation shared by both languages
    batches: int
    updates: int
    last_batch: int
    skipped: int
    padded: int
    samples_per_update: int
    train_samples: int  # samples the framework trains on (Keras's split keeps fewer)


def _row(key: str, rule: str, p: calc.EpochPlan, train_samples: int) -> FrameworkRow:
    return FrameworkRow(
        key=key,
        rule=rule,
        batches=p.iterations_per_epoch,
        updates=p.updates_per_epoch,
        last_batch=p.last_batch_size,
        skipped=p.dropped_per_epoch,
        padded=p.padded_per_epoch,
        samples_per_update=p.effective_batch,
        train_samples=train_samples,
    )


def translate(n_samples: int, batch_size: int, accumulation_steps: int = 1, world_size: int = 1) -> list[FrameworkRow]:
    """Rows for Keras, Keras with a validation split, PyTorch with and without drop_last, and —
    when ``accumulation_steps`` > 1 or ``world_size`` > 1 — gradient accumulation and
    DistributedSampler (keep drop_last off, the default)."""
    n, b = n_samples, batch_size
    split_n = calc.keras_train_samples(n, KERAS_VALIDATION_SPLIT)
    rows = [_row("keras", "ceil(N/B)", calc.plan(n, b), n)]
    if split_n > 0:  # Keras refuses to train on an empty split; the row would mean nothing
        rows.append(_row("keras_split", "ceil(floor(N·0.8)/B)", calc.plan(split_n, b), split_n))
    rows += [
        _row("torch", "ceil(N/B)", calc.plan(n, b), n),
        _row("torch_drop", "floor(N/B)", calc.plan(n, b, drop_last=True), n),
    ]
    if accumulation_steps > 1:
        rows.append(_row("accum", "ceil(ceil(N/B)/K)", calc.plan(n, b, accumulation_steps=accumulation_steps), n))
    if world_size > 1:
        rows.append(_row("ddp", "ceil(ceil(N/R)/B)", calc.plan(n, b, world_size=world_size), n))
    return rows
