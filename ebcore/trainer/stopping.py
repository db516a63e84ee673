"""Keras 3's ``EarlyStopping(mode="min")``, exactly: as ``fit`` and ``fit_many`` apply it after every epoch,
and as the epochs page replays it on a finished run's losses.

Keras 3.15's rule, read from its source and checked against the real callback in the tests:

- Epochs before ``start_from_epoch`` (0-based) are ignored: no counting, no best.
- The first epoch counted is always the best so far, even when its value is NaN (then nothing beats it).
- An epoch improves when ``current + min_delta < best``, the sum taken in float64 and the comparison in
  float32 (Keras's ``ops.less`` on Python floats), so a gain of exactly ``min_delta`` is no improvement.
- ``wait`` grows by one every counted epoch; an improvement resets it to 0 only if ``current + min_delta``
  also beats ``baseline`` (when one is set); training stops after the epoch where ``wait >= patience``,
  never after the first epoch (0-based epoch 0).
- ``restore_best_weights`` keeps the weights of the best epoch and puts them back when training ends,
  stopped early or not (nothing to restore when no epoch was counted).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from torch import Tensor, nn

__all__ = ["EarlyStopping", "KerasRule", "state_copy"]


def state_copy(model: nn.Module) -> dict[str, Tensor]:
    """A detached copy of every parameter and buffer: what ``restore_best_weights`` keeps."""
    return {name: value.detach().clone() for name, value in model.state_dict().items()}


def _less(value: float, reference: float) -> bool:
    """Keras's ``ops.less`` on two Python floats: both rounded to float32, then compared (NaN never less)."""
    with np.errstate(over="ignore"):  # a float64 beyond float32's range rounds to ±inf, as torch rounds it
        return bool(np.float32(value) < np.float32(reference))


@dataclass
class KerasRule:
    """Keras 3's early-stopping rule on the monitored values alone (no weights): ``update`` once per epoch.

    ``best`` is ``None`` until the first counted epoch; ``best_epoch`` (0-based) likewise; ``stopped_epoch``
    is the 0-based epoch after which training stops, ``None`` while it goes on.
    """

    patience: int
    min_delta: float = 0.0
    baseline: float | None = None
    start_from_epoch: int = 0
    best: float | None = None
    best_epoch: int | None = None
    wait: int = 0
    stopped_epoch: int | None = None

    def update(self, epoch: int, current: float) -> bool:
        """Take 0-based ``epoch``'s value; return True if it is the new best (the weights to keep).
        Afterwards ``stopped_epoch`` says whether training stops here."""
        if epoch < self.start_from_epoch:
            return False
        self.wait += 1
        shifted = current + abs(self.min_delta)  # Keras: monitor_value - (-min_delta), in float64
        if self.best is None or _less(shifted, self.best):
            self.best, self.best_epoch = current, epoch
            if self.baseline is None or _less(shifted, self.baseline):
                self.wait = 0
            return True
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
        return False


class EarlyStopping:
    """Keras 3 ``EarlyStopping(mode="min")`` on a model: ``update`` is its on_epoch_end, ``restore`` its
    on_train_end (the best weights back, when ``restore_best_weights`` and an epoch was counted)."""

    def __init__(self, patience: int, min_delta: float = 0.0, restore_best_weights: bool = False,
                 baseline: float | None = None, start_from_epoch: int = 0) -> None:
        self.rule = KerasRule(patience, min_delta, baseline, start_from_epoch)
        self.restore_best_weights = restore_best_weights
        self.best_state: dict[str, Tensor] | None = None

    @property
    def best_epoch(self) -> int | None:
        return self.rule.best_epoch

    def update(self, epoch: int, current: float, model: nn.Module) -> bool:
        """Take the epoch's monitored value; return True if training should stop after this epoch."""
        if self.rule.update(epoch, current) and self.restore_best_weights:
            self.best_state = state_copy(model)
        return self.rule.stopped_epoch is not None

    def restore(self, model: nn.Module) -> None:
        if self.restore_best_weights and self.best_state is not None:
            model.load_state_dict(self.best_state)
