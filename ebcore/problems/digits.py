"""Real handwritten digits: the UCI "Optical Recognition of Handwritten Digits" images scikit-learn ships.

``digits.csv.gz`` beside this module is scikit-learn's own file (``sklearn/datasets/data/digits.csv.gz``,
byte for byte; the tests load it with ``sklearn.datasets.load_digits`` and compare): 1,797 images of
8 × 8 pixels, each pixel the count of ink dots in a 4 × 4 block of a 32 × 32 scan (0..16), and the digit
written. Copying the 57 KB file keeps scikit-learn and SciPy out of the app: reading it takes a few
milliseconds and about 1 MB, where importing scikit-learn takes about 0.8 s and 117 MB.

Source: E. Alpaydin and C. Kaynak (1998), UCI Machine Learning Repository (``SOURCE_URL``), licensed CC BY 4.0;
the app credits it wherever the digits are shown. These are the UCI set's 1,797 test images, written by 13 people.
"""

from __future__ import annotations

import functools
import gzip
from pathlib import Path

import numpy as np
import torch
from torch import Tensor

__all__ = ["CLASSES", "FEATURES", "FILE", "PIXEL_MAX", "SIDE", "SOURCE_URL", "pixels", "split", "tensors"]

FILE = Path(__file__).with_name("digits.csv.gz")
SIDE = 8
"""Each image is ``SIDE × SIDE`` pixels, flattened row by row into 64 columns."""
FEATURES = SIDE * SIDE
"""A model's inputs per image: its 64 pixels."""
PIXEL_MAX = 16
"""A pixel counts the ink dots in a 4 × 4 block: 0 (blank) to 16 (all ink)."""
CLASSES = 10
SOURCE_URL = "https://archive.ics.uci.edu/dataset/80/optical+recognition+of+handwritten+digits"


@functools.lru_cache(maxsize=1)
def _read() -> tuple[np.ndarray, np.ndarray]:
    with gzip.open(FILE, "rt") as f:
        table = np.loadtxt(f, delimiter=",", dtype=np.int64)
    images, labels = table[:, :-1], table[:, -1]
    images.flags.writeable = labels.flags.writeable = False  # one copy shared by every caller
    return images, labels


def pixels() -> tuple[np.ndarray, np.ndarray]:
    """All 1,797 images as ``(1797, 64)`` int64 pixel values 0..16 (row by row) and their ``(1797,)`` digits,
    in the file's order (scikit-learn's ``load_digits().data`` and ``.target``). Read-only arrays."""
    return _read()


def tensors() -> tuple[Tensor, Tensor]:
    """The images as a model's inputs: ``X`` float32 ``(1797, 64)``, each pixel divided by 16 (0..1, as the
    notes divide MNIST's 0..255 by 255), and ``y`` int64 ``(1797,)`` class labels 0..9. Fresh tensors."""
    images, labels = _read()
    return torch.tensor(images, dtype=torch.float32) / PIXEL_MAX, torch.tensor(labels)


def split(n_train: int, n_val: int) -> tuple[tuple[Tensor, Tensor], tuple[Tensor, Tensor]]:
    """``((X, y), (X_val, y_val))`` from ``tensors()``: the first ``n_train`` images train, the last ``n_val``
    validate (Keras's ``validation_split`` holds out the end the same way). Raises ``ValueError`` if they overlap."""
    X, y = tensors()
    if n_train < 1 or n_val < 1 or n_train + n_val > X.shape[0]:
        raise ValueError(f"{n_train} training and {n_val} validation images do not fit in {X.shape[0]}")
    return (X[:n_train], y[:n_train]), (X[-n_val:], y[-n_val:])
