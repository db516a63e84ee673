"""Benchmark ``ebcore.train.fit`` against the notes' reference DataLoader loop, side by side.

Part 1 runs the seed experiment ({5, 20} epochs × {16, 128} batch, N = 1000, Linear(1,1), SGD lr 0.1,
MSE) both ways from the same initial weights, alternating the two in every repeat so background
load hits both alike, and prints the best and median wall times, the ratios and whether the epoch
losses agree bit for bit. Target: fit ≤ 0.5 × reference.

Part 2 runs the most expensive configs ``STEP_BUDGET`` / ``SAMPLE_BUDGET`` still allow for the
app's models, Linear(1,1) and an MLP 2→64→64→2 with BatchNorm (Adam, with validation): the most
steps at a tiny batch, the most sample passes at full and medium batches, the most epochs on a
tiny set. It prints wall and CPU time of each; the worst must stay well inside ~3 s.

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

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from devtools import reference  # noqa: E402
from ebcore import data, models, train  # noqa: E402
from ebcore.train import TrainConfig  # noqa: E402

EXPERIMENTS = [(5, 16), (5, 128), (20, 16), (20, 128)]


class LinearModel(nn.Module):
    """The notes' model, verbatim: a module wrapping one ``nn.Linear(1, 1)``."""

    def __init__(self, linear: nn.Linear) -> None:
        super().__init__()
        self.linear = linear

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.linear(x)


def reference_loop(model: nn.Module, X: torch.Tensor, y: torch.Tensor, epochs: int, batch_size: int) -> list[float]:
    """The notes' ``train_model`` (seed 000): SGD lr 0.1, MSE, shuffled DataLoader seeded with 0."""
    return reference.reference_loop(model, X, y, TrainConfig(epochs, batch_size, lr=0.1))


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
        f"{'total':>12} | {ref[0] * 1e3:8.1f} {ref[1] * 1e3:8.1f} | {fit[0] * 1e3:8.1f} "
        f"{fit[1] * 1e3:8.1f} | {fit[0] / ref[0]:10.2f} {fit[1] / ref[1]:9.2f} | target <= 0.50"
    )


def budget_case(
    model_kind: str, n: int, batch_size: int, epochs: int, n_val: int
) -> tuple[float, float, int]:
    """Run one fit at the edge of the budget; return (wall seconds, CPU seconds, steps)."""
    if model_kind == "linear":
        X, y = data.seed_regression(n=n + n_val)
        model, loss = models.linear(), "mse"
    else:
        X, y = data.classification_blobs(max(n + n_val, 2))
        model, loss = models.mlp(2, (64, 64), 2, norm="batch"), "cross_entropy"
    (X_train, y_train), validation = (X[:n], y[:n]), (X[n : n + n_val], y[n : n + n_val])
    config = train.TrainConfig(epochs, batch_size, lr=0.01, optimizer="adam", loss=loss)
    steps = train.check_budget(n, config, n_val)
    wall, cpu = time.perf_counter(), time.process_time()
    train.fit(model, X_train, y_train, config, validation_data=validation if n_val else None)
    return time.perf_counter() - wall, time.process_time() - cpu, steps


def budget_worst_case() -> None:
    steps, samples, epochs = train.STEP_BUDGET, train.SAMPLE_BUDGET, train.EPOCH_BUDGET
    print(
        f"\nPart 2 - worst cases within STEP_BUDGET = {steps:,} steps, SAMPLE_BUDGET = {samples:,} "
        f"sample passes, EPOCH_BUDGET = {epochs} (Adam, default recording, one run each)"
    )
    print(
        f"{'model':>9} {'case':>26} {'N':>5} {'B':>5} {'epochs':>6} {'val':>4} {'steps':>6} | "
        f"{'wall s':>6} {'cpu s':>6}"
    )
    cases = [  # (name, N, B, validation samples); each runs train.max_epochs epochs
        ("most steps at batch 2", 2000, 2, 400),
        ("full batch, most samples", 2000, 2000, 400),
        ("batch 48, steps and samples", 2000, 48, 400),
        # every epoch validates, and each one holds steps/epochs batches of 2: all three budgets at once
        ("most epochs and steps", 2 * (steps // epochs), 2, samples // epochs - 2 * (steps // epochs)),
    ]
    worst = (0.0, "")
    for model_kind in ("linear", "mlp_bn"):
        for name, n, batch_size, n_val in cases:
            most = train.max_epochs(n, batch_size, n_val=n_val)
            wall, cpu, used = budget_case(model_kind, n, batch_size, most, n_val)
            print(
                f"{model_kind:>9} {name:>26} {n:>5} {batch_size:>5} {most:>6} {n_val:>4} {used:>6} | "
                f"{wall:6.2f} {cpu:6.2f}"
            )
            worst = max(worst, (wall, f"{model_kind}, {name}"))
    print(f"worst case: {worst[0]:.2f} s wall ({worst[1]}); target: well inside 3 s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--skip-budget", action="store_true", help="only run part 1")
    args = parser.parse_args()
    print(f"torch {torch.__version__}, {torch.get_num_threads()} intra-op thread(s), load average {load()}\n")
    seed_experiment(args.repeats)
    if not args.skip_budget:
        budget_worst_case()


def load() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


if __name__ == "__main__":
    main()
