"""Keras 3's ``EarlyStopping(mode="min")``, as ``fit`` and ``fit_many`` apply it after every epoch."""

from __future__ import annotations

import math

from torch import Tensor, nn

__all__ = ["EarlyStopping", "state_copy"]


def state_copy(model: nn.Module) -> dict[str, Tensor]:
    """A detached copy of every parameter and buffer: what ``restore_best_weights`` keeps."""
    return {name: value.detach().clone() for name, value in model.state_dict().items()}


class EarlyStopping:
    """Keras 3 ``EarlyStopping(mode="min")``; ``update`` is its on_epoch_end, ``restore`` its on_train_end."""

    def __init__(self, patience: int, min_delta: float, restore_best_weights: bool) -> None:
        self.patience = patience
        self.min_delta = min_delta
        self.restore_best_weights = restore_best_weights
        self.best = math.inf
        self.best_epoch = 0
        self.best_state: dict[str, Tensor] | None = None
        self.wait = 0

    def update(self, epoch: int, current: float, model: nn.Module) -> bool:
        """Take the epoch's monitored value; return True if training should stop after this epoch."""
        if self.restore_best_weights and self.best_state is None:
            self.best_state, self.best_epoch = state_copy(model), epoch
        self.wait += 1
        # Keras negates min_delta in "min" mode and tests `current - min_delta < best`: a gain of
        # min_delta or less does not count. A NaN loss never improves.
        if current + self.min_delta < self.best:
            self.best, self.best_epoch, self.wait = current, epoch, 0
            if self.restore_best_weights:
                self.best_state = state_copy(model)
            return False
        return self.wait >= self.patience and epoch > 0

    def restore(self, model: nn.Module) -> None:
        if self.restore_best_weights and self.best_state is not None:
            model.load_state_dict(self.best_state)
