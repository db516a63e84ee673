"""The notes' batch-size sizing guides, as data: rules of thumb, not laws.

Each guide is a range of batch sizes for a situation (a dataset size band or a model family).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["GUIDES", "dataset_guide", "Guide"]


@dataclass(frozen=True)
class Guide:
    """A rule of thumb: for situation ``key`` (of ``group`` "dataset" or "model"), batch ``low``–``high``.

    ``n_low``/``n_high`` bound the dataset sizes (samples) a dataset guide applies to (``None`` = open).
    """

    key: str
    group: str
    low: int
    high: int
    n_low: int | None = None
    n_high: int | None = None


GUIDES: tuple[Guide, ...] = (
    Guide("small", "dataset", 16, 32, None, 1_000),
    Guide("medium", "dataset", 32, 64, 1_000, 10_000),
    Guide("large", "dataset", 64, 256, 10_000, None),
    Guide("huge", "dataset", 512, 1024, 1_000_000, None),
    Guide("cnn", "model", 32, 128),
    Guide("transformer", "model", 128, 1024),
    Guide("usual", "model", 128, 512),
)
"""From the notes: dataset < 1,000 → 16–32; 1,000–10,000 → 32–64; > 10,000 → 64–256; huge sets
(ImageNet, LLMs) 512–1024; CNNs 32–128; Transformers 128–1024; "128–512 is usual"."""


def dataset_guide(n: int) -> Guide:
    """The dataset-size guide for ``n`` training samples (the first band of 16–32 / 32–64 / 64–256)."""
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    for guide in GUIDES[:3]:
        if (guide.n_low is None or n >= guide.n_low) and (guide.n_high is None or n < guide.n_high):
            return guide
    raise AssertionError("the first three guides cover every n")  # pragma: no cover
