"""The reference: the notes' training loop (seed 000) on a real DataLoader, for tests and benchmarks.

Generalised only in what the trainer offers (optimizer class, loss, drop_last, shuffle, seed);
otherwise line for line the loop students copy: zero_grad, forward, loss, backward, step,
``running_loss += loss.item()``, ``running_loss / len(dataloader)``.
"""

from __future__ import annotations

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from ebcore import trainer

# The torch.optim class behind each of the trainer's optimizer names.
OPTIMIZERS = {
    "sgd": lambda params, cfg: torch.optim.SGD(params, lr=cfg.lr, momentum=cfg.momentum),
    "sgd_momentum": lambda params, cfg: torch.optim.SGD(params, lr=cfg.lr, momentum=cfg.momentum),
    "adam": lambda params, cfg: torch.optim.Adam(params, lr=cfg.lr),
    "rmsprop": lambda params, cfg: torch.optim.RMSprop(params, lr=cfg.lr, momentum=cfg.momentum),
}


def loader(X, y, cfg: trainer.TrainConfig) -> DataLoader:
    """The DataLoader the notes use, its shuffling seeded by an explicit generator."""
    return DataLoader(
        TensorDataset(X, y),
        batch_size=cfg.batch_size,
        shuffle=cfg.shuffle,
        drop_last=cfg.drop_last,
        generator=torch.Generator().manual_seed(cfg.seed),
    )


def reference_loop(model: nn.Module, X, y, cfg: trainer.TrainConfig) -> list[float]:
    """The notes' train_model (seed 000), generalised to the optimizer and loss under test."""
    dataloader = loader(X, y, cfg)
    criterion = nn.MSELoss() if cfg.loss == "mse" else nn.CrossEntropyLoss()
    optimizer = OPTIMIZERS[cfg.optimizer](model.parameters(), cfg)
    losses = []
    for _ in range(cfg.epochs):
        running_loss = 0.0
        for inputs, targets in dataloader:
            optimizer.zero_grad()
            outputs = model(inputs)
            loss = criterion(outputs, targets)
            loss.backward()
            optimizer.step()
            running_loss += loss.item()
        losses.append(running_loss / len(dataloader))
    return losses
