"""The batch calculator: how many batches, updates and samples an epoch holds, framework-true.

Every count here follows what the frameworks really do:

- PyTorch ``DataLoader`` over a map-style dataset: ``ceil(N / B)`` batches, or ``floor(N / B)``
  with ``drop_last=True`` (the ``N mod B`` leftover samples are skipped that epoch).
- Keras ``model.fit`` on arrays: ``ceil(N / B)`` steps, the partial batch always used.
- Keras ``validation_split=s``: trains on the first ``floor(N * (1 - s))`` samples, and raises when that
  leaves no training or no validation sample.
- ``DistributedSampler`` over ``R`` replicas: ``ceil(N / R)`` samples each (the tail padded by
  repeating samples), or ``floor(N / R)`` with the *sampler's* ``drop_last=True``; each replica's loader
  then batches its share with the *loader's* own ``drop_last``. The two flags are separate: the
  sampler's defaults to False, and PyTorch Lightning never sets it, whatever the loader's is.
- Gradient accumulation over ``K`` micro-batches, PyTorch Lightning's ``accumulate_grad_batches``: one
  update per ``K`` batches, the final partial window of each epoch included: ``ceil(batches / K)``.
- Keras 3's ``gradient_accumulation_steps=K`` counts batches over the whole run instead: an update after
  every ``K``-th batch since training began, so the count per epoch can vary and a window left open at
  the end is never applied (``keras_updates_per_epoch``).

Pure Python: no torch, no Streamlit. Tests compare it with a real DataLoader and DistributedSampler.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

__all__ = ["BN_RELIABLE_BATCH", "BN_TINY_BATCH", "MAX_ACCUMULATION", "MAX_BATCH", "MAX_EPOCHS", "MAX_SAMPLES",
           "MAX_WORLD_SIZE", "SAFER_SCAN", "distributed_share", "EpochPlan", "healthy_last_batch", "keras_steps",
           "keras_train_samples", "keras_updates_per_epoch", "last_batch_severity", "LastBatchSeverity",
           "loader_last_batch", "loader_length", "plan", "Regime", "safer_batch_sizes"]

# Upper bounds keep every number printable and every argument check meaningful; they are far
# beyond any dataset a student would type (10^12 samples is a large web-scale corpus).
MAX_SAMPLES = 10**12
MAX_BATCH = 10**12
MAX_EPOCHS = 10**6
MAX_ACCUMULATION = 10**6
MAX_WORLD_SIZE = 10**6

# BatchNorm's batch statistics are usually trusted from about 16 samples up (see CONTENT.md);
# below 8 they are shaky, and a batch of exactly 1 makes BatchNorm1d raise in training mode.
BN_RELIABLE_BATCH = 16
BN_TINY_BATCH = 8


class Regime(StrEnum):
    """Which gradient-descent flavour one update is, judged by the samples it uses."""

    BATCH = "batch"  # every sample in one update: batch gradient descent
    STOCHASTIC = "stochastic"  # one sample per update: stochastic gradient descent
    MINI_BATCH = "mini_batch"  # anything between: mini-batch gradient descent
    NONE = "none"  # no update at all (drop_last with a batch larger than the data)


class LastBatchSeverity(StrEnum):
    """How worrying the last batch of an epoch is for batch-statistics layers (BatchNorm)."""

    FULL = "full"  # the batch size divides the data: every batch is full
    FINE = "fine"  # partial, but at least BN_RELIABLE_BATCH samples
    SMALL = "small"  # BN_TINY_BATCH .. BN_RELIABLE_BATCH - 1 samples: noticeably noisy statistics
    TINY = "tiny"  # 2 .. BN_TINY_BATCH - 1 samples: shaky statistics, a bad update
    SINGLE = "single"  # exactly 1 sample: BatchNorm1d raises in training mode
    NONE = "none"  # the loader yields no batch at all


@dataclass(frozen=True)
class EpochPlan:
    """What one epoch (and the whole run) looks like for one device's loader.

    Counts are per replica where replicas step together (``iterations_per_epoch``,
    ``updates_per_epoch``, ``last_batch_size``) and over all replicas where they add up
    (``samples_per_epoch``, ``padded_per_epoch``, ``dropped_per_epoch``).
    """

    n_samples: int
    batch_size: int
    epochs: int
    drop_last: bool  # the DataLoader's
    sampler_drop_last: bool  # the DistributedSampler's (only matters with world_size > 1)
    accumulation_steps: int
    world_size: int
    samples_per_replica: int  # what DistributedSampler hands each replica (padding included)
    iterations_per_epoch: int  # batches one replica's loader yields: len(DataLoader)
    last_batch_size: int  # size of the final batch the loader yields; 0 when it yields none
    updates_per_epoch: int  # optimizer steps per epoch: ceil(iterations / accumulation_steps)
    total_updates: int  # updates_per_epoch * epochs
    samples_per_epoch: int  # samples all replicas process in one epoch, padded duplicates included
    padded_per_epoch: int  # DistributedSampler's padded duplicates the loaders yield (not dropped by them)
    dropped_per_epoch: int  # dataset samples no replica sees this epoch (drop_last leftovers)
    effective_batch: int  # samples behind one full update: K * B * R
    last_update_micro_batches: int  # micro-batches in the final accumulation window (1..K, 0 if none)

    @property
    def regime(self) -> Regime:
        """Batch GD when one update sees every sample, SGD when it sees one, else mini-batch.

        Judged by the effective batch (K x B x R samples per update); with K = R = 1 that is the
        plain rule: batch GD when B >= N, SGD when B = 1.
        """
        if self.updates_per_epoch == 0:
            return Regime.NONE
        if self.effective_batch >= self.n_samples:
            return Regime.BATCH
        if self.effective_batch == 1:
            return Regime.STOCHASTIC
        return Regime.MINI_BATCH

    @property
    def last_batch_severity(self) -> LastBatchSeverity:
        """How risky the last batch is for BatchNorm (see ``LastBatchSeverity``)."""
        return last_batch_severity(self.last_batch_size, self.batch_size)

    @property
    def has_partial_last_batch(self) -> bool:
        """True when the loader's final batch holds fewer than ``batch_size`` samples."""
        return 0 < self.last_batch_size < self.batch_size

    @property
    def one_batch_holds_all(self) -> bool:
        """True when the batch size is larger than a replica's share, so its loader yields exactly one
        batch holding the whole share: full-batch training, where "the last batch" is the only one
        (its size is the data's, not a leftover). Never with drop_last, which then yields no batch."""
        return self.iterations_per_epoch == 1 and self.batch_size > self.samples_per_replica

    @property
    def largest_update(self) -> int:
        """The most samples (all replicas, padded duplicates included) any one weight update of the
        epoch is computed from: ``effective_batch`` (K x B x R) when a whole window of full batches
        exists, fewer when the epoch holds fewer samples than that (a batch larger than the data, or
        fewer than K batches). 0 when there is no update."""
        if self.updates_per_epoch == 0:
            return 0
        if self.iterations_per_epoch > self.accumulation_steps:
            return self.effective_batch
        # One window holds the whole epoch: every batch the loader yields, the last one as it is.
        used = (self.iterations_per_epoch - 1) * self.batch_size + self.last_batch_size
        return used * self.world_size


def _check_int(name: str, value: object, low: int, high: int) -> int:
    """Return ``value`` if it is a true int in ``[low, high]``; else raise a ValueError naming it."""
    # bool is a subclass of int; True must not silently mean a batch of 1.
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} must be a whole number from {low:,} to {high:,}; got {value!r}")
    if not low <= value <= high:
        raise ValueError(f"{name} must be from {low:,} to {high:,}; got {value:,}")
    return value


def _check_bool(name: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{name} must be True or False; got {value!r}")
    return value


def loader_length(n_samples: int, batch_size: int, drop_last: bool = False) -> int:
    """Batches a DataLoader yields over ``n_samples``: ceil(N/B), or floor(N/B) with drop_last.

    Exactly ``len(DataLoader(range(n_samples), batch_size=batch_size, drop_last=drop_last))``.
    """
    if drop_last:
        return n_samples // batch_size
    return -(-n_samples // batch_size)


def loader_last_batch(n_samples: int, batch_size: int, drop_last: bool = False) -> int:
    """Size (samples) of the final batch that loader yields; 0 when it yields none."""
    if loader_length(n_samples, batch_size, drop_last) == 0:
        return 0
    remainder = n_samples % batch_size
    if remainder == 0 or drop_last:
        return batch_size
    return remainder


def distributed_share(n_samples: int, world_size: int, drop_last: bool = False) -> int:
    """Samples ``DistributedSampler(num_replicas=world_size, drop_last=...)`` gives each replica.

    ceil(N/R) with the tail padded by repeated samples; with drop_last and N not divisible by R,
    ceil((N - R) / R), which is floor(N/R) (the sampler's own formula).
    """
    if drop_last and n_samples % world_size:
        return math.ceil((n_samples - world_size) / world_size)
    return math.ceil(n_samples / world_size)


def keras_steps(n_samples: int, batch_size: int, validation_split: float = 0.0) -> int:
    """Steps per epoch Keras ``model.fit`` shows (``800/800``): ceil(N_train / B), partial batch used.

    With ``validation_split=s`` Keras trains on the first floor(N * (1 - s)) samples; where that leaves no
    training or no validation sample, ``ValueError`` with Keras's own message (``keras_train_samples``).
    """
    return -(-keras_train_samples(n_samples, validation_split) // batch_size)


def keras_train_samples(n_samples: int, validation_split: float = 0.0) -> int:
    """Training samples Keras keeps for ``validation_split=s``: floor(N * (1 - s)), its own formula.

    Raises ``ValueError`` where Keras 3's ``model.fit`` does, with its message: when the split leaves
    every sample on one side. ``s`` must be from 0 up to (not including) 1; 0 means no split.
    """
    if not 0.0 <= validation_split < 1.0:
        raise ValueError(f"validation_split must be from 0 up to (not including) 1; got {validation_split!r}")
    split_at = int(math.floor(n_samples * (1.0 - validation_split)))
    if validation_split and split_at in (0, n_samples):
        raise ValueError(
            f"Training data contains {n_samples} samples, which is not sufficient to split it into a "
            f"validation and training set as specified by `validation_split={validation_split}`. Either "
            "provide more data, or a different value for the `validation_split` argument.")
    return split_at


def keras_updates_per_epoch(n_samples: int, batch_size: int, epochs: int, accumulation_steps: int) -> list[int]:
    """Weight updates in each of ``epochs`` epochs of Keras 3's ``model.fit`` with an optimizer built with
    ``gradient_accumulation_steps=K``, on ``n_samples`` training samples in batches of ``batch_size``.

    Keras counts batches over the whole run (its optimizer's ``iterations``) and updates after every
    ``K``-th one, so epoch ``e`` (0-based) of ``S`` batches makes ``floor((e+1)S/K) - floor(eS/K)`` updates:
    10 samples, batch 3, K 3 → 1, 1, 2, 1. Batches after the last full window are never applied.
    """
    _check_int("n_samples", n_samples, 1, MAX_SAMPLES)
    _check_int("batch_size", batch_size, 1, MAX_BATCH)
    _check_int("epochs", epochs, 1, MAX_EPOCHS)
    _check_int("accumulation_steps", accumulation_steps, 1, MAX_ACCUMULATION)
    steps, k = loader_length(n_samples, batch_size), accumulation_steps
    return [(e + 1) * steps // k - e * steps // k for e in range(epochs)]


def plan(
    n_samples: int,
    batch_size: int,
    epochs: int = 1,
    *,
    drop_last: bool = False,
    sampler_drop_last: bool = False,
    accumulation_steps: int = 1,
    world_size: int = 1,
) -> EpochPlan:
    """Plan ``epochs`` epochs of ``n_samples`` samples in batches of ``batch_size``.

    ``drop_last`` is the DataLoader's; ``sampler_drop_last`` the DistributedSampler's, used only when
    ``world_size`` > 1. ``iterations_per_epoch`` equals ``len(DataLoader(...))`` of one replica (replicas
    step together); ``updates_per_epoch`` is ``ceil(iterations / accumulation_steps)``, the last partial
    accumulation window included (Lightning's rule). Invalid arguments raise ValueError naming the
    argument and its allowed range; nothing is coerced.
    """
    _check_int("n_samples", n_samples, 1, MAX_SAMPLES)
    _check_int("batch_size", batch_size, 1, MAX_BATCH)
    _check_int("epochs", epochs, 1, MAX_EPOCHS)
    _check_bool("drop_last", drop_last)
    _check_bool("sampler_drop_last", sampler_drop_last)
    _check_int("accumulation_steps", accumulation_steps, 1, MAX_ACCUMULATION)
    _check_int("world_size", world_size, 1, MAX_WORLD_SIZE)

    sampler_drop_last = sampler_drop_last and world_size > 1
    share = distributed_share(n_samples, world_size, sampler_drop_last) if world_size > 1 else n_samples
    iterations = loader_length(share, batch_size, drop_last)
    last = loader_last_batch(share, batch_size, drop_last)
    used_per_replica = (iterations - 1) * batch_size + last if iterations else 0
    processed = used_per_replica * world_size
    # Replica r takes positions r, r + R, … of the sampler's list (padding appended at its end, copies
    # of its first samples), so the positions used are exactly the first `processed`: every dataset
    # sample among them is seen, and a padded copy the loader drops loses nothing.
    dropped = n_samples - min(n_samples, processed)
    padded = max(0, processed - n_samples)  # the padded copies actually trained on
    updates = -(-iterations // accumulation_steps)
    last_window = iterations - (updates - 1) * accumulation_steps if updates else 0
    return EpochPlan(
        n_samples=n_samples,
        batch_size=batch_size,
        epochs=epochs,
        drop_last=drop_last,
        sampler_drop_last=sampler_drop_last,
        accumulation_steps=accumulation_steps,
        world_size=world_size,
        samples_per_replica=share,
        iterations_per_epoch=iterations,
        last_batch_size=last,
        updates_per_epoch=updates,
        total_updates=updates * epochs,
        samples_per_epoch=processed,
        padded_per_epoch=padded,
        dropped_per_epoch=dropped,
        effective_batch=accumulation_steps * batch_size * world_size,
        last_update_micro_batches=last_window,
    )


def last_batch_severity(last_batch_size: int, batch_size: int) -> LastBatchSeverity:
    """Classify a last batch of ``last_batch_size`` samples (batches of ``batch_size``) for BatchNorm."""
    if last_batch_size == 0:
        return LastBatchSeverity.NONE
    if last_batch_size == batch_size:
        return LastBatchSeverity.FULL
    if last_batch_size == 1:
        return LastBatchSeverity.SINGLE
    if last_batch_size < BN_TINY_BATCH:
        return LastBatchSeverity.TINY
    if last_batch_size < BN_RELIABLE_BATCH:
        return LastBatchSeverity.SMALL
    return LastBatchSeverity.FINE


SAFER_SCAN = 10_000
"""How far (in batch sizes either way) ``safer_batch_sizes`` looks at most."""


def safer_batch_sizes(n_samples: int, batch_size: int, count: int = 4) -> list[int]:
    """Batch sizes near ``batch_size`` whose last batch is full or a healthy size.

    Healthy means the batch size divides ``n_samples`` or the leftover is at least half a batch
    and at least ``BN_RELIABLE_BATCH`` samples. Returns up to ``count`` sizes, nearest first
    (ties: the smaller first), never ``batch_size`` itself, only sizes from 1 to ``n_samples``,
    at most half the batch size (and at most ``SAFER_SCAN``) away.
    """
    _check_int("n_samples", n_samples, 1, MAX_SAMPLES)
    _check_int("batch_size", batch_size, 1, MAX_BATCH)
    found: list[int] = []
    # Look within half the batch size either way; that is "nearby" for a student choosing B. Sizes
    # above n_samples are never candidates, so a batch far larger than the data starts where they end,
    # and the scan has a cap: a billion-sample request must not keep a shared server busy for minutes.
    reach = min(max(batch_size // 2, 8), SAFER_SCAN)
    for distance in range(max(1, batch_size - n_samples), reach + 1):
        for candidate in (batch_size - distance, batch_size + distance):
            if 1 <= candidate <= n_samples and healthy_last_batch(n_samples, candidate):
                found.append(candidate)
                if len(found) == count:
                    return found
    return found


def healthy_last_batch(n_samples: int, batch_size: int) -> bool:
    """Whether ``n_samples`` in batches of ``batch_size`` end on a healthy last batch: none left over, or
    at least half a batch and at least ``BN_RELIABLE_BATCH`` samples (what ``safer_batch_sizes`` looks for)."""
    remainder = n_samples % batch_size
    return remainder == 0 or (remainder >= BN_RELIABLE_BATCH and 2 * remainder >= batch_size)
