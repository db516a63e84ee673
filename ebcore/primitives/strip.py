"""One epoch drawn as a strip of batch blocks, readable from 1 batch to millions.

A block is one unit wide per full batch; a partial last batch is as wide as its share of a
batch, and the samples ``drop_last`` skips get a grey block of their own width. When an epoch
has more batches than fit, the middle is folded into one "gap" block that says how many it hides.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from ebcore.primitives.calc import EpochPlan

__all__ = ["GAP_WIDTH", "MIN_PARTIAL_WIDTH", "Block", "BlockKind", "epoch_strip", "folded"]


class BlockKind(StrEnum):
    """What a block of the strip stands for."""

    FULL = "full"  # a batch of batch_size samples
    PARTIAL = "partial"  # the smaller last batch
    DROPPED = "dropped"  # leftover samples drop_last skips
    GAP = "gap"  # batches folded away to keep the strip readable


# The gap block's width in batch units: wide enough to hold its label ("⋯ 142,842 ⋯").
GAP_WIDTH = 3.0
# A partial last batch is drawn at least this wide (in batch units) so that a last batch of 1 in
# batches of 300 is still a visible block; its label and tooltip give the true size.
MIN_PARTIAL_WIDTH = 0.35


@dataclass(frozen=True)
class Block:
    """One block: ``x0``..``x1`` in batch units (a partial batch at least ``MIN_PARTIAL_WIDTH`` wide);
    samples ``first_sample`` .. ``first_sample + size - 1``.

    ``batch`` is the 1-based batch number (the first folded one for a gap); ``hidden_batches``
    counts the batches a gap stands for (0 otherwise).
    """

    kind: BlockKind
    batch: int
    first_sample: int
    size: int
    x0: float
    x1: float
    hidden_batches: int = 0


def epoch_strip(plan: EpochPlan, max_blocks: int = 16) -> list[Block]:
    """Blocks of one replica's epoch, in order, folding the middle when there are > ``max_blocks``.

    Shown when folded: the first ``max_blocks - 4`` batches, a gap, then the last 3 batches.
    Samples are counted within the replica's share (``plan.samples_per_replica``). The one batch of a
    batch size larger than the data (``plan.one_batch_holds_all``) is a full block of the data's size.
    """
    if max_blocks < 6:
        raise ValueError(f"max_blocks must be at least 6; got {max_blocks}")
    b = plan.batch_size
    n_batches = plan.iterations_per_epoch
    blocks: list[Block] = []
    x = 0.0

    def add_batch(index: int) -> None:
        nonlocal x
        size = plan.last_batch_size if index == n_batches - 1 else b
        # A batch larger than the data yields one batch of all of it: the whole epoch, not a leftover.
        kind = BlockKind.FULL if size == b or plan.one_batch_holds_all else BlockKind.PARTIAL
        width = 1.0 if kind is BlockKind.FULL else max(size / b, MIN_PARTIAL_WIDTH)
        blocks.append(Block(kind, index + 1, index * b, size, x, x + width))
        x += width

    if n_batches <= max_blocks:
        for i in range(n_batches):
            add_batch(i)
    else:
        head, tail = max_blocks - 4, 3
        for i in range(head):
            add_batch(i)
        hidden = n_batches - head - tail
        blocks.append(Block(BlockKind.GAP, head + 1, head * b, hidden * b, x, x + GAP_WIDTH, hidden))
        x += GAP_WIDTH
        for i in range(n_batches - tail, n_batches):
            add_batch(i)

    used = (n_batches - 1) * b + plan.last_batch_size if n_batches else 0
    leftover = plan.samples_per_replica - used
    if leftover > 0:
        # Only drop_last leaves samples unused; draw them at their share of a batch (visible at least).
        width = max(leftover / b, MIN_PARTIAL_WIDTH)
        blocks.append(Block(BlockKind.DROPPED, n_batches + 1, used, leftover, x, x + width))
    return blocks


def folded(blocks: list[Block]) -> bool:
    """Whether ``blocks`` (from ``epoch_strip``) fold batches away into a gap block: only then does the
    strip need to say what a gap's number means."""
    return any(block.kind is BlockKind.GAP for block in blocks)
