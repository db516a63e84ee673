"""The framework translator: one (N, B) setting in each framework's own terms.

Every row is ``calc.plan`` for the settings the row names (its ``drop_last``, ``accumulation_steps`` and
``world_size`` fields, on its ``train_samples``), so a row's counts are exactly what those settings give.
The rows that carry options (drop_last, accumulation, several GPUs) carry the page's own values of the
*other* options too, so the last row always has all of the page's settings and its counts are the cards'
(``yours``). The page only translates the row names.
"""

from __future__ import annotations

from dataclasses import dataclass

from ebcore.primitives import calc

__all__ = ["KERAS_VALIDATION_SPLIT", "FrameworkRow", "rule", "translate"]

# Keras's most common hold-out fraction; the translator shows what it does to the step count.
KERAS_VALIDATION_SPLIT = 0.2


@dataclass(frozen=True)
class FrameworkRow:
    """One way of running the same data: counts per epoch (per GPU where ``world_size`` > 1).

    ``samples_per_update`` is the most samples one optimizer step of the epoch is computed from
    (``EpochPlan.largest_update``: K x B x R when the batches are full, the whole data when it is smaller).
    ``yours`` is true when the row's settings are the page's (same N, drop_last, K and R): its numbers
    are the cards'.
    """

    key: str  # stable id: keras, keras_split, torch, torch_drop, accum, ddp
    rule: str  # updates per epoch as a formula, in code notation shared by both languages
    batches: int
    updates: int
    last_batch: int
    skipped: int
    padded: int
    samples_per_update: int
    train_samples: int  # samples the framework trains on (Keras's split keeps fewer)
    drop_last: bool
    accumulation_steps: int
    world_size: int
    yours: bool


def rule(drop_last: bool, accumulation_steps: int = 1, world_size: int = 1, data: str = "N") -> str:
    """Updates per epoch as a formula: ``ceil(N/B)``, ``floor(N/B)`` with drop_last, the replica's share
    ``ceil(N/R)`` (``floor(N/R)`` with drop_last) in place of N over several GPUs, and ``ceil(…/K)``
    around the batches with accumulation (the last partial window still updates)."""
    rounding = "floor" if drop_last else "ceil"
    share = f"{rounding}({data}/R)" if world_size > 1 else data
    batches = f"{rounding}({share}/B)"
    return f"ceil({batches}/K)" if accumulation_steps > 1 else batches


def translate(
    n_samples: int, batch_size: int, accumulation_steps: int = 1, world_size: int = 1, drop_last: bool = False,
) -> list[FrameworkRow]:
    """Rows for Keras, Keras with a validation split, PyTorch with and without drop_last and, when
    ``accumulation_steps`` > 1, gradient accumulation on one GPU, and when ``world_size`` > 1,
    DistributedSampler over the GPUs with the accumulation: both with the page's ``drop_last``.
    """
    n, b, k, r = n_samples, batch_size, accumulation_steps, world_size
    mine = (drop_last, k, r)

    def row(key: str, formula: str, train: int, drop: bool = False, steps: int = 1, gpus: int = 1) -> FrameworkRow:
        p = calc.plan(train, b, drop_last=drop, accumulation_steps=steps, world_size=gpus)
        return FrameworkRow(
            key=key, rule=formula, batches=p.iterations_per_epoch, updates=p.updates_per_epoch,
            last_batch=p.last_batch_size, skipped=p.dropped_per_epoch, padded=p.padded_per_epoch,
            samples_per_update=p.largest_update, train_samples=train, drop_last=drop, accumulation_steps=steps,
            world_size=gpus, yours=train == n and (drop, steps, gpus) == mine,
        )

    split_n = calc.keras_train_samples(n, KERAS_VALIDATION_SPLIT)
    rows = [row("keras", rule(False), n)]
    if split_n > 0:  # Keras refuses to train on an empty split; the row would mean nothing
        rows.append(row("keras_split", rule(False, data="floor(N·0.8)"), split_n))
    rows += [row("torch", rule(False), n), row("torch_drop", rule(True), n, drop=True)]
    if k > 1:
        rows.append(row("accum", rule(drop_last, k), n, drop_last, k))
    if r > 1:
        rows.append(row("ddp", rule(drop_last, k, r), n, drop_last, k, r))
    return rows
