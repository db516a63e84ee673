"""Benchmark ``ebcore.trainer.single_run`` against the notes' reference DataLoader loop, side by side.

Part 1 runs the seed experiment ({5, 20} epochs × {16, 128} batch, N = 1000, Linear(1,1), SGD lr 0.1,
MSE) both ways from the same initial weights, alternating the two in every repeat so background
load hits both alike, and prints the best and median wall times, the ratios and whether the epoch
losses agree bit for bit. Target: fit ≤ 0.5 × reference.

Part 2 runs the most expensive configs ``STEP_BUDGET`` / ``SAMPLE_BUDGET`` still allow for the
app's models, Linear(1,1) and an MLP 2→64→64→2 with BatchNorm (Adam, with validation): the most
steps at a tiny batch, the most sample passes at full and medium batches, the most epochs on a
tiny set. It prints wall and CPU time of each; the worst must stay well inside ~3 s.

Part 3 runs K independent runs both ways: ``fit_many`` (one stacked program) against K ``fit`` calls
one after another, for the pages' models and optimizers, alternating, and checks every history is equal.

Run: ``python benchmarks/bench_trainer.py [--repeats 9] [--skip-budget] [--skip-stacked]``.
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
from ebcore import trainer as train  # noqa: E402
from ebcore.problems import data, models
from ebcore.trainer import TrainConfig  # noqa: E402

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
        f"{fit[1] * 1e3:8.1f} | {fit[0] / ref[0]:10.2f} {fit[1] / ref[1]:9.2f} | target <= 0.40"
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
    # the exam page at batch 1 for 50 sittings, the largest single run a page now asks for
    wall, cpu = timed_exam()
    print(f"{'exam':>9} {'batch 1, 50 sittings':>26} {100:>5} {1:>5} {50:>6} {200:>4} {5000:>6} | "
          f"{wall:6.2f} {cpu:6.2f}")
    worst = max(worst, (wall, "exam, batch 1, 50 sittings"))
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


def timed_exam() -> tuple[float, float]:
    from ebcore.lessons import exam

    wall, cpu = time.perf_counter(), time.process_time()
    exam.sit(1, exam.MAX_EPOCHS, 0)
    return time.perf_counter() - wall, time.process_time() - cpu


STACKED_CASES = [  # (name, model builder, data, config kwargs, K)
    ("BatchNorm MLP, Adam (bn page)", lambda s: models.mlp(2, (32, 32), 2, norm="batch", seed=s), 1206,
     dict(epochs=10, batch_size=32, lr=0.01, optimizer="adam", loss="cross_entropy"), 5),
    ("BatchNorm MLP, SGD, 8 seeds", lambda s: models.mlp(2, (32, 32), 2, norm="batch", seed=s), 1206,
     dict(epochs=10, batch_size=300, lr=0.1, loss="cross_entropy"), 8),
    ("LayerNorm MLP, momentum", lambda s: models.mlp(2, (32, 32), 2, norm="layer", seed=s), 1206,
     dict(epochs=10, batch_size=300, lr=0.1, optimizer="sgd_momentum", loss="cross_entropy"), 8),
    ("Linear(1,1), batch 16 (seeds)", lambda s: models.linear(seed=s), 1000, dict(epochs=20, batch_size=16), 8),
    ("sweep MLP 64x64, batch 4", lambda s: models.mlp(2, (64, 64), 2, seed=s), 256,
     dict(epochs=15, batch_size=4, lr=0.1, loss="cross_entropy"), 5),
]


def stacked_vs_loop(repeats: int) -> None:
    from ebcore.stacked import fit_many

    print("\nPart 3 - K runs: fit_many (stacked) against K fit calls, best of "
          f"{repeats} alternating repeats, wall seconds")
    print(f"{'case':>32} {'K':>3} {'steps':>6} | {'K x fit':>8} {'fit_many':>8} | {'ratio':>6} {'cpu ratio':>9} "
          "| bit-exact")
    for name, build, n, kwargs, k in STACKED_CASES:
        if kwargs.get("loss") == "cross_entropy":
            X, y = data.classification_blobs(n)
        else:
            X, y = data.seed_regression(n)
        configs = [TrainConfig(seed=s, **kwargs) for s in range(k)]
        loop_t, many_t, loop_c, many_c, exact = [], [], [], [], True
        for _ in range(repeats):
            start, cpu = time.perf_counter(), time.process_time()
            alone = [train.fit(build(s), X, y, c) for s, c in enumerate(configs)]
            loop_t.append(time.perf_counter() - start)
            loop_c.append(time.process_time() - cpu)
            start, cpu = time.perf_counter(), time.process_time()
            many = fit_many([build(s) for s in range(k)], X, y, configs)
            many_t.append(time.perf_counter() - start)
            many_c.append(time.process_time() - cpu)
            exact &= all(a.step_loss == b.step_loss and a.epoch_loss == b.epoch_loss
                         and a.step_grad_norm == b.step_grad_norm for a, b in zip(alone, many, strict=True))
        steps = len(alone[0].step_loss)
        print(f"{name:>32} {k:>3} {steps:>6} | {min(loop_t):8.3f} {min(many_t):8.3f} | "
              f"{min(many_t) / min(loop_t):6.2f} {min(many_c) / min(loop_c):9.2f} | {exact}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--skip-budget", action="store_true", help="skip part 2")
    parser.add_argument("--skip-stacked", action="store_true", help="skip part 3")
    args = parser.parse_args()
    print(f"torch {torch.__version__}, {torch.get_num_threads()} intra-op thread(s), load average {load()}\n")
    seed_experiment(args.repeats)
    if not args.skip_budget:
        budget_worst_case()
    if not args.skip_stacked:
        stacked_vs_loop(max(1, args.repeats // 3))


def load() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


if __name__ == "__main__":
    main()
