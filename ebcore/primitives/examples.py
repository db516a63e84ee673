"""The worked examples of the notes (shared/CONTENT.md), as calculator presets.

Each is (key, samples N, batch size B, epochs); the page names them, the tests check their numbers.
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["WORKED_EXAMPLES", "WorkedExample"]


class WorkedExample(NamedTuple):
    """One example: ``n`` samples in batches of ``batch`` for ``epochs`` epochs."""

    key: str
    n: int
    batch: int
    epochs: int


WORKED_EXAMPLES: tuple[WorkedExample, ...] = (
    WorkedExample("notes320", 320, 32, 10),  # 10 updates per epoch, 100 in total
    WorkedExample("notes200", 200, 20, 10),  # 10 updates per epoch
    WorkedExample("exam100", 100, 100, 1),  # check the answer key once
    WorkedExample("exam10", 100, 10, 1),  # ten checks
    WorkedExample("exam1", 100, 1, 1),  # a check after every question
    WorkedExample("n1000", 1000, 50, 20),  # 20 per epoch, 400 in total
    WorkedExample("keras800", 8000, 10, 20),  # Keras prints 800/800
    WorkedExample("q1600", 1600, 64, 1),  # 25 updates per epoch, not 10
    WorkedExample("bn1206", 1206, 300, 10),  # last batch of 6: the BatchNorm problem
)
