"""The framework translator: one (N, B) setting in each framework's own terms.

Every row is ``calc.plan`` for the settings the row names (its ``drop_last``, ``sampler_drop_last``,
``accumulation_steps`` and ``world_size`` fields, on its ``train_samples``), so a row's counts are exactly
what those settings give, except Keras 3's accumulation row, whose updates come from
``calc.keras_updates_per_epoch`` (Keras counts its windows over the whole run, Lightning per epoch).
The rows that carry options carry the page's own values of the *other* options too, so the PyTorch rows
with accumulation and several GPUs always have all of the page's settings and their counts are the
cards' (``yours``). The page only translates the row names.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ebcore.primitives import calc

__all__ = ["KERAS_VALIDATION_SPLIT", "FrameworkRow", "KerasAccumulation", "keras_accumulation",
           "keras_accumulation_cycle", "keras_largest_update", "keras_split_error", "rule", "translate"]

# Keras's most common hold-out fraction; the translator shows what it does to the step count.
KERAS_VALIDATION_SPLIT = 0.2


@dataclass(frozen=True)
class FrameworkRow:
    """One way of running the same data: counts per epoch (per GPU where ``world_size`` > 1).

    ``samples_per_update`` is the most samples one optimizer step of the epoch is computed from
    (``EpochPlan.largest_update``: K x B x R when the batches are full, the whole data when it is smaller).
    ``updates_by_epoch`` is empty unless the updates vary from epoch to epoch (Keras 3's accumulation):
    then it holds one cycle of them, epoch 1 first, and ``updates`` is epoch 1's.
    ``yours`` is true when the row's settings are the page's (same N, both drop_lasts, K and R): its
    numbers are the cards'.
    """

    key: str  # stable id: keras, keras_split, torch, torch_drop, accum, keras_accum, ddp, lightning_ddp
    rule: str  # updates per epoch as a formula, in code notation shared by both languages
    batches: int
    updates: int
    last_batch: int
    skipped: int
    padded: int
    samples_per_update: int
    train_samples: int  # samples the framework trains on (Keras's split keeps fewer)
    drop_last: bool  # the DataLoader's
    sampler_drop_last: bool  # the DistributedSampler's (rows with world_size > 1)
    accumulation_steps: int
    world_size: int
    yours: bool
    updates_by_epoch: tuple[int, ...] = ()


def rule(drop_last: bool, accumulation_steps: int = 1, world_size: int = 1, data: str = "N",
         sampler_drop_last: bool = False) -> str:
    """Updates per epoch as a formula: ``ceil(N/B)``, ``floor(N/B)`` with the loader's drop_last, the
    replica's share ``ceil(N/R)`` (``floor(N/R)`` with the sampler's drop_last) in place of N over several
    GPUs, and ``ceil(…/K)`` around the batches with Lightning's accumulation (the last partial window
    still updates)."""
    share = f"{'floor' if sampler_drop_last else 'ceil'}({data}/R)" if world_size > 1 else data
    batches = f"{'floor' if drop_last else 'ceil'}({share}/B)"
    return f"ceil({batches}/K)" if accumulation_steps > 1 else batches


def keras_split_error(n_samples: int, validation_split: float = KERAS_VALIDATION_SPLIT) -> str | None:
    """Keras's own message where ``model.fit(validation_split=...)`` refuses ``n_samples``; else None."""
    try:
        calc.keras_train_samples(n_samples, validation_split)
    except ValueError as refused:
        return str(refused)
    return None


def keras_accumulation_cycle(n_samples: int, batch_size: int, accumulation_steps: int) -> list[int]:
    """Keras 3's updates per epoch over one full cycle (they repeat after ``K / gcd(batches, K)`` epochs),
    from ``calc.keras_updates_per_epoch``."""
    batches = calc.loader_length(n_samples, batch_size)
    cycle = accumulation_steps // math.gcd(batches, accumulation_steps)
    return calc.keras_updates_per_epoch(n_samples, batch_size, cycle, accumulation_steps)


@dataclass(frozen=True)
class KerasAccumulation:
    """Keras 3's accumulation over a whole run of ``epochs`` epochs: ``batches`` per epoch, one ``cycle`` of
    per-epoch updates, ``total`` updates, ``left_over`` batches never applied (the window open at the end),
    and ``lightning_total``: Lightning's ``accumulate_grad_batches`` on the same batches (no drop_last)."""

    batches: int
    cycle: tuple[int, ...]
    total: int
    left_over: int
    lightning_total: int


def keras_accumulation(n_samples: int, batch_size: int, epochs: int, accumulation_steps: int) -> KerasAccumulation:
    """The numbers the calculator's Keras-accumulation sentence states, from ``calc``'s pinned functions."""
    batches = calc.loader_length(n_samples, batch_size)
    total = sum(calc.keras_updates_per_epoch(n_samples, batch_size, epochs, accumulation_steps))
    cycle = tuple(keras_accumulation_cycle(n_samples, batch_size, accumulation_steps))
    lightning = calc.plan(n_samples, batch_size, epochs, accumulation_steps=accumulation_steps)
    return KerasAccumulation(batches, cycle, total, epochs * batches - total * accumulation_steps,
                             lightning.total_updates)


def keras_largest_update(n_samples: int, batch_size: int, accumulation_steps: int) -> int:
    """The most samples one of Keras 3's accumulated updates is computed from: its windows of ``K``
    batches run on across epochs, so a window holds K full batches minus what the epochs' short last
    batches it contains are short of."""
    b, k = batch_size, accumulation_steps
    batches, last = calc.loader_length(n_samples, b), calc.loader_last_batch(n_samples, b)
    if batches > k:  # more windows than epoch ends in a cycle: some window holds no short batch
        fewest_ends = 0
    else:  # window j covers batches jK .. jK+K-1; it holds floor((j+1)K/S) - floor(jK/S) epoch ends
        fewest_ends = min((j + 1) * k // batches - j * k // batches for j in range(batches // math.gcd(batches, k)))
    return k * b - (b - last) * fewest_ends


def translate(
    n_samples: int, batch_size: int, accumulation_steps: int = 1, world_size: int = 1, drop_last: bool = False,
    sampler_drop_last: bool = False,
) -> list[FrameworkRow]:
    """Rows for Keras, Keras with a validation split (where Keras accepts it), PyTorch with and without
    drop_last; when ``accumulation_steps`` > 1, Lightning's accumulation on one GPU (with the page's
    ``drop_last``) and Keras 3's; when ``world_size`` > 1, PyTorch's DistributedSampler with both of the
    page's flags and the accumulation, and Lightning over the GPUs, which leaves the sampler's drop_last off.
    """
    n, b, k, r = n_samples, batch_size, accumulation_steps, world_size
    mine = (drop_last, sampler_drop_last and r > 1, k, r)

    def row(key: str, formula: str, train: int, drop: bool = False, steps: int = 1, gpus: int = 1,
            sampler_drop: bool = False) -> FrameworkRow:
        p = calc.plan(train, b, drop_last=drop, sampler_drop_last=sampler_drop, accumulation_steps=steps,
                      world_size=gpus)
        return FrameworkRow(
            key=key, rule=formula, batches=p.iterations_per_epoch, updates=p.updates_per_epoch,
            last_batch=p.last_batch_size, skipped=p.dropped_per_epoch, padded=p.padded_per_epoch,
            samples_per_update=p.largest_update, train_samples=train, drop_last=drop,
            sampler_drop_last=p.sampler_drop_last, accumulation_steps=steps, world_size=gpus,
            yours=train == n and (drop, p.sampler_drop_last, steps, gpus) == mine,
        )

    rows = [row("keras", rule(False), n)]
    if keras_split_error(n) is None:  # Keras refuses a split that leaves a side empty: no row, the page says why
        rows.append(row("keras_split", rule(False, data="floor(N·0.8)"), calc.keras_train_samples(n, 0.2)))
    rows += [row("torch", rule(False), n), row("torch_drop", rule(True), n, drop=True)]
    if k > 1:
        cycle = keras_accumulation_cycle(n, b, k)
        keras = row("keras_accum", "floor((e+1)·S/K) − floor(e·S/K)", n)
        rows.append(FrameworkRow(**{**keras.__dict__, "updates": cycle[0], "accumulation_steps": k, "yours": False,
                                    "samples_per_update": keras_largest_update(n, b, k),
                                    "updates_by_epoch": tuple(cycle)}))
        rows.append(row("accum", rule(drop_last, k), n, drop_last, k))
    if r > 1:
        rows.append(row("lightning_ddp", rule(drop_last, k, r), n, drop_last, k, r))
        rows.append(row("ddp", rule(drop_last, k, r, sampler_drop_last=sampler_drop_last), n, drop_last, k, r,
                        sampler_drop_last))
    return rows
