"""The digits page's pictures: 8 × 8 images drawn large and sharp, dark ink on white."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ebcore.problems import digits

SCALE = 9
"""Screen pixels per image pixel: 8 × 9 = 72 px a digit, each block kept square (no smoothing)."""


def digit_images(rows: Sequence[Sequence[int]]) -> list[np.ndarray]:
    """Each row of 64 pixel values (0..16, ``digits.pixels()``) as an ``(72, 72)`` uint8 greyscale image:
    white where the scan was blank, black where all 16 dots were ink."""
    side = digits.SIDE
    images = []
    for row in rows:
        ink = np.asarray(row, dtype=np.float64).reshape(side, side) / digits.PIXEL_MAX
        grey = np.round(255 * (1 - ink)).astype(np.uint8)
        images.append(np.kron(grey, np.ones((SCALE, SCALE), dtype=np.uint8)))
    return images
