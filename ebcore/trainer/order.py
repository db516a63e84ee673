"""Which samples go in which batch, epoch by epoch, exactly as the notes' ``DataLoader`` draws them.

``DataLoader(TensorDataset(X, y), batch_size, shuffle=True, generator=torch.Generator().manual_seed(seed))``
draws from its generator in a fixed pattern every epoch; ``epoch_orders`` consumes the same draws, so
its orders are the loader's (``tests/test_calc.py`` and ``tests/test_train_exact.py`` compare them).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import torch
from torch import Tensor

from ebcore.trainer.config import TrainConfig, require_int

__all__ = ["epoch_batches", "epoch_orders", "gather_batches", "split_batches"]


def epoch_orders(n: int, *, shuffle: bool, seed: int) -> Iterator[Tensor]:
    """Endless per-epoch sample orders (int64 index tensors), consuming randomness like the DataLoader."""
    if not shuffle:
        order = torch.arange(n)
        while True:
            yield order
    g = torch.Generator().manual_seed(seed)
    while True:
        # Each `for ... in dataloader` builds a new iterator whose constructor draws a 64-bit base
        # seed (meant for worker processes) from the loader's generator, before any sampling.
        torch.empty((), dtype=torch.int64).random_(generator=g)
        order = torch.randperm(n, generator=g)
        # RandomSampler then draws a second permutation for its `num_samples % n` tail (empty by
        # default) when the epoch runs it to exhaustion; it is discarded but advances the generator.
        torch.randperm(n, generator=g)
        yield order


def split_batches(rows: Tensor, batch_size: int, drop_last: bool, dim: int = 0) -> tuple[Tensor, ...]:
    """``rows`` cut into batches of ``batch_size`` along ``dim`` (the last one shorter, or dropped)."""
    batches = rows.split(batch_size, dim)
    if drop_last and batches[-1].shape[dim] < batch_size:
        batches = batches[:-1]
    return batches


def gather_batches(X: Tensor, y: Tensor, order: Tensor, config: TrainConfig) -> tuple[list[Tensor], list[Tensor]]:
    """One epoch's input and target batches, each a fresh tensor as the DataLoader's collate makes it.

    One ``index_select`` per batch replaces the DataLoader's per-sample indexing and stacking: the very
    same values, and, like a collated batch, each in an allocation of its own (BLAS may take another
    path for data that starts at an offset inside a larger tensor).
    """
    if not config.shuffle:
        return ([xb.clone() for xb in split_batches(X, config.batch_size, config.drop_last)],
                [yb.clone() for yb in split_batches(y, config.batch_size, config.drop_last)])
    index = split_batches(order, config.batch_size, config.drop_last)
    return [X.index_select(0, i) for i in index], [y.index_select(0, i) for i in index]


def epoch_batches(
    n: int, batch_size: int, *, shuffle: bool = True, drop_last: bool = False, seed: int = 0, epochs: int = 1
) -> Iterator[tuple[Tensor, ...]]:
    """Yield, for each of ``epochs`` epochs, the tuple of int64 index tensors forming its batches.

    Exactly the batches of ``DataLoader(TensorDataset(...n samples...), batch_size, shuffle=shuffle,
    drop_last=drop_last, generator=torch.Generator().manual_seed(seed))`` in its successive passes
    (in order ``0..n-1`` when not shuffling). With ``drop_last`` the ``n mod batch_size`` samples
    missing from an epoch's batches are that epoch's skipped samples.
    """
    require_int("n", n, 1)
    require_int("batch_size", batch_size, 1)
    require_int("epochs", epochs, 0)
    for order in itertools.islice(epoch_orders(n, shuffle=shuffle, seed=seed), epochs):
        yield split_batches(order, batch_size, drop_last)
