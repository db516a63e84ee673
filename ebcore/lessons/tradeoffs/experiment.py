"""Batch-size trade-offs, measured: the notes' claims about small and large batches, next to real runs.

Two experiments, all pure PyTorch (no Streamlit) and seeded only through explicit generators:

- ``seed_experiment``: the notes' loss-curve experiment (``y = 3x + 0.3·noise``, ``Linear(1,1)``,
  SGD lr 0.1, {5, 20} epochs × {16, 128} batch) over several seeds, with x-axes in epochs,
  weight updates or samples seen (``curve_rows``).
- ``sweep_run``: one batch size of a sweep on a small classification task; the verdict on each of the notes'
  claims (holds / depends / does not hold here), derived from a sweep's numbers, is ``tradeoffs.claims``.

Gradient noise and memory are in ``tradeoffs.measures``; the notes' sizing guides in ``tradeoffs.guides``.
"""

from __future__ import annotations

import math
import os
import platform
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from ebcore.lessons.tradeoffs.measures import NoisePoint, activation_bytes, gradient_noise
from ebcore.primitives import calc
from ebcore.problems import DATA, check_data, digits
from ebcore.problems.data import classification_blobs, seed_regression
from ebcore.problems.models import linear, mlp
from ebcore.stacked import fit_many
from ebcore.trainer import TrainConfig, check_budget, fit
from ebcore.trainer.loop import epoch_progress

__all__ = ["GRANULARITIES", "NOISE_DRAWS", "NOISE_FLOOR", "SCALE_BASE_BATCH", "SEED_GRID", "SEED_N",
           "SEED_NOISE", "SWEEP_HIDDEN", "SWEEP_MAX_EPOCHS", "SWEEP_TRAIN", "SWEEP_VAL", "WARMUP_EPOCHS",
           "WARMUP_START", "X_AXES", "batch_mean_error", "Curve", "curve_rows", "machine", "noise_curve",
           "Progress", "seed_experiment", "sweep_data", "sweep_model", "sweep_run", "sweep_steps", "SweepRun",
           "SweepSettings"]

Progress = Callable[[float], None]

# --- the seed experiment ---------------------------------------------------------------------------------

SEED_GRID: tuple[tuple[int, int], ...] = ((5, 16), (5, 128), (20, 16), (20, 128))
"""The notes' four runs as (epochs, batch size)."""
SEED_N = 1000
SEED_NOISE = 0.3
NOISE_FLOOR = SEED_NOISE**2
"""Best possible MSE on the seed data: the variance of the noise, 0.3² = 0.09."""
X_AXES = ("epochs", "updates", "samples")
GRANULARITIES = ("epoch", "step")


@dataclass(frozen=True)
class Curve:
    """One training run of the seed experiment.

    ``step_loss`` holds every update's batch loss (MSE, before the update), ``step_batch`` its batch
    size in samples; ``epoch_loss`` the per-epoch mean of batch losses, as the notes' loop logs it.
    """

    epochs: int
    batch: int
    seed: int
    steps_per_epoch: int
    n_samples: int
    step_loss: tuple[float, ...]
    step_batch: tuple[int, ...]
    epoch_loss: tuple[float, ...]


def seed_experiment(
    seeds: Sequence[int] = (0,), grid: Sequence[tuple[int, int]] = SEED_GRID, progress: Progress | None = None
) -> list[Curve]:
    """Run the notes' experiment for every (epochs, batch) in ``grid`` and every seed in ``seeds``.

    The data are always the notes' (``seed_regression()``, noise seed 0: the values of
    ``torch.manual_seed(0); 3*X + 0.3*randn_like(X)``); a run's ``seed`` sets the model's initial
    weights and the shuffling order, which is what differs between two re-runs of the notes' script.
    ``progress(fraction)`` is called after each run.
    """
    X, y = seed_regression(SEED_N, SEED_NOISE, seed=0)
    # A shorter run is exactly the start of a longer one at the same batch size (same batches in the
    # same order, constant learning rate), so each (seed, batch size) trains once, for the longest epoch
    # count, and the shorter runs are cut from it. All of them train as one stacked program.
    longest = {b: max(e for e, bb in grid if bb == b) for _, b in grid}
    jobs = [(seed, b) for seed in seeds for b in longest]
    configs = [TrainConfig(epochs=longest[b], batch_size=b, lr=0.1, optimizer="sgd", seed=seed) for seed, b in jobs]
    histories = fit_many([linear(seed=seed) for seed, _ in jobs], X, y, configs,
                         on_epoch=epoch_progress(progress, sum(c.epochs for c in configs)))
    full = dict(zip(jobs, histories, strict=True))
    curves = []
    for seed in seeds:
        for epochs, b in grid:
            h = full[(seed, b)]
            steps = epochs * h.steps_per_epoch
            curves.append(Curve(epochs, b, seed, h.steps_per_epoch, SEED_N, tuple(h.step_loss[:steps]),
                                tuple(h.step_batch_size[:steps]), tuple(h.epoch_loss[:epochs])))
    return curves


def curve_rows(curves: Sequence[Curve], x_axis: str = "epochs", granularity: str = "epoch") -> list[dict]:
    """Long-format points ``{run, epochs, batch, seed, x, loss}`` for plotting curves on a chosen x-axis.

    ``x_axis``: ``"epochs"`` (passes over the data, fractional within an epoch for steps),
    ``"updates"`` (weight updates so far) or ``"samples"`` (training samples seen so far), all counted
    at the *end* of the epoch or step. ``granularity``: ``"epoch"`` (per-epoch mean loss) or ``"step"``
    (every update's batch loss, the noisy view). ``run`` names the configuration (``"5 · 16"``).
    """
    if x_axis not in X_AXES:
        raise ValueError(f"x_axis must be one of {X_AXES}, got {x_axis!r}")
    if granularity not in GRANULARITIES:
        raise ValueError(f"granularity must be one of {GRANULARITIES}, got {granularity!r}")
    rows = []
    for c in curves:
        run = f"{c.epochs} · {c.batch}"
        if granularity == "epoch":
            points = [
                ((e + 1), (e + 1) * c.steps_per_epoch, (e + 1) * c.n_samples, loss)
                for e, loss in enumerate(c.epoch_loss)
            ]
        else:
            seen = 0
            points = []
            for s, (loss, size) in enumerate(zip(c.step_loss, c.step_batch, strict=True)):
                seen += size
                points.append(((s + 1) / c.steps_per_epoch, s + 1, seen, loss))
        index = X_AXES.index(x_axis)
        rows.extend(
            {"run": run, "epochs": c.epochs, "batch": c.batch, "seed": c.seed, "x": p[index], "loss": p[3]}
            for p in points
        )
    return rows


# --- the sweep ------------------------------------------------------------------------------------------

SWEEP_TRAIN = 256
"""Training samples in the sweep: small on purpose, so that over-fitting (a generalisation gap) can show."""
SWEEP_VAL = 1024
SWEEP_MAX_EPOCHS = 15
"""The epochs slider's end: batch 1 then takes 3,840 steps (within the trainer's budget, checked by a test)."""
SWEEP_HIDDEN = (64, 64)
SCALE_BASE_BATCH = 32
"""The linear scaling rule's reference batch: ``lr × B / 32``."""
WARMUP_EPOCHS = 3
WARMUP_START = 0.1
NOISE_DRAWS = 48


@dataclass(frozen=True)
class SweepSettings:
    """What a sweep depends on (hashable: pages cache on it); ``data`` is one of ``ebcore.problems.DATA``
    (made-up blobs in 2-D, the default, or the real handwritten digits).

    Batch sizes double from ``b_min`` up to ``b_max`` (``b_max`` always included); ``lr`` is the SGD
    learning rate; ``scale_lr`` applies ``lr × B/32``; ``warmup`` ramps the rate up from 10 % over the
    first 3 epochs (fewer if the run is shorter).
    """

    b_min: int = 4
    b_max: int = 256
    epochs: int = 20
    lr: float = 0.1
    scale_lr: bool = False
    warmup: bool = False
    seed: int = 0
    data: str = DATA[0]

    def batch_sizes(self) -> list[int]:
        """The swept batch sizes: b_min, 2·b_min, 4·b_min, … below b_max, then b_max."""
        low, high = min(self.b_min, self.b_max), max(self.b_min, self.b_max)
        sizes = []
        b = low
        while b < high:
            sizes.append(b)
            b *= 2
        return sizes + [high]

    def trained_epochs(self) -> int:
        """Epochs a run of these settings trains: the slider's end, of which fewer epochs are the start
        (constant rate, same shuffles) — unless a warm-up shorter than its 3 epochs makes the schedule
        depend on the total."""
        return self.epochs if self.warmup and self.epochs < WARMUP_EPOCHS else SWEEP_MAX_EPOCHS

    def training(self, batch: int) -> SweepSettings:
        """The run that serves batch size ``batch`` of these settings: narrowed to it, at ``trained_epochs``."""
        return replace(self, b_min=batch, b_max=batch, epochs=self.trained_epochs())

    def config(self, batch: int) -> TrainConfig:
        """The trainer configuration for one batch size of this sweep."""
        return TrainConfig(
            epochs=self.epochs, batch_size=batch, lr=self.lr, optimizer="sgd", loss="cross_entropy", seed=self.seed,
            lr_scale_base_batch=SCALE_BASE_BATCH if self.scale_lr else None,
            warmup_epochs=min(WARMUP_EPOCHS, self.epochs) if self.warmup else 0, warmup_start_factor=WARMUP_START,
        )


def sweep_data(seed: int = 0, data: str = DATA[0]) -> tuple[tuple[Tensor, Tensor], tuple[Tensor, Tensor]]:
    """The sweep's task, 256 training and 1,024 validation samples: two overlapping 2-D blobs drawn from
    ``seed``, or (``data="digits"``) the first 256 handwritten digits to train and the last 1,024 to validate
    (the same images for every seed)."""
    check_data(data)
    if data == "digits":
        return digits.split(SWEEP_TRAIN, SWEEP_VAL)
    X, y = classification_blobs(SWEEP_TRAIN + SWEEP_VAL, seed=seed)
    # Sliced by hand: validation_split's floor(N·(1 − s)) would leave 255 training samples, not 256.
    return (X[:SWEEP_TRAIN], y[:SWEEP_TRAIN]), (X[SWEEP_TRAIN:], y[SWEEP_TRAIN:])


def sweep_model(seed: int = 0, data: str = DATA[0]) -> nn.Sequential:
    """The sweep's model: an MLP with two hidden layers of 64 (ReLU), 2 → 64 → 64 → 2 on the blobs and
    64 → 64 → 64 → 10 on the digits, PyTorch's default initialisation from ``seed``."""
    if data == "digits":
        return mlp(digits.FEATURES, SWEEP_HIDDEN, digits.CLASSES, seed=seed)
    return mlp(2, SWEEP_HIDDEN, 2, seed=seed)


def noise_curve(seed: int = 0, data: str = DATA[0], progress: Progress | None = None) -> list[NoisePoint]:
    """Gradient noise against batch size (the powers of two up to ``SWEEP_TRAIN``) for the sweep's model at
    ``seed`` on ``data``, at its initial weights (no training); ``progress(fraction)`` once a size is done.
    Each size draws from its own generator, so its point is ``sweep_run``'s ``noise`` at that batch size."""
    (X, y), _ = sweep_data(seed, data)
    sizes = [2**k for k in range(9) if 2**k <= SWEEP_TRAIN]
    return gradient_noise(sweep_model(seed, data), X, y, sizes, loss="cross_entropy", draws=NOISE_DRAWS, seed=seed,
                          progress=progress)


def sweep_steps(settings: SweepSettings) -> int:
    """Total optimizer steps of the sweep; raises ``ValueError`` if any single run is over budget."""
    return sum(check_budget(SWEEP_TRAIN, settings.config(b), SWEEP_VAL) for b in settings.batch_sizes())


@dataclass(frozen=True)
class SweepRun:
    """One batch size of a sweep, everything measured.

    Losses are cross-entropy (nats per sample). ``epoch_loss`` is the running mean during each
    epoch, ``val_loss`` the validation loss after it. ``final_train``/``final_val`` evaluate the
    final model on the whole training/validation set (eval mode), ``gap = final_val − final_train``.
    ``seconds_per_epoch`` is measured wall time (median over epochs), ``updates_per_epoch`` from
    ``ebcore.primitives.calc``; ``noise`` the relative gradient noise at the initial weights; ``act_bytes`` the
    computed activation memory of one step; ``bn_mean_error`` how far a batch's mean of a feature
    strays from the population mean, in population standard deviations (root mean square).
    """

    batch: int
    lr: float
    epoch_loss: tuple[float, ...]
    val_loss: tuple[float, ...]
    final_train: float
    final_val: float
    gap: float
    seconds_per_epoch: float
    updates_per_epoch: int
    noise: float
    act_bytes: int
    bn_mean_error: float
    diverged: bool
    train_eval: tuple[float, ...] = ()
    """Eval-mode loss on the whole training set after each epoch (``final_train`` is the last)."""
    epoch_times: tuple[float, ...] = ()
    """Measured wall seconds of each epoch."""

    def prefix(self, epochs: int) -> SweepRun:
        """This run cut after ``epochs`` epochs: what a run of that many epochs measures (its final
        losses are those after epoch ``epochs``, its time the median over those epochs)."""
        if not 1 <= epochs <= len(self.val_loss):
            raise ValueError(f"epochs must be from 1 to {len(self.val_loss)}, got {epochs}")
        train, val = self.train_eval[epochs - 1], self.val_loss[epochs - 1]
        times = sorted(self.epoch_times[:epochs])
        return replace(self, epoch_loss=self.epoch_loss[:epochs], val_loss=self.val_loss[:epochs],
                       final_train=train, final_val=val, gap=val - train, seconds_per_epoch=times[len(times) // 2],
                       diverged=not all(math.isfinite(v) for v in self.epoch_loss[:epochs]) or not math.isfinite(val),
                       train_eval=self.train_eval[:epochs], epoch_times=self.epoch_times[:epochs])


def batch_mean_error(X: Tensor, batch: int, draws: int = 256, seed: int = 0) -> float:
    """RMS error of a batch's per-feature mean, in units of the feature's standard deviation.

    This is what BatchNorm suffers from: it normalises with the batch's own mean, which for ``batch``
    samples misses the true mean by about ``1/√batch`` standard deviations. ``inf`` for a batch of
    one: PyTorch's BatchNorm refuses it in training ("Expected more than 1 value per channel"). Features
    that never vary (a digit image's always-blank corner pixels) have no error to measure and are left out.
    """
    if batch < 2:
        return math.inf
    g = torch.Generator().manual_seed(seed)
    mu, sd = X.mean(0), X.std(0, unbiased=False)
    if not bool((sd > 0).all()):
        X = X[:, sd > 0]
        mu, sd = X.mean(0), X.std(0, unbiased=False)
    errors = [((X[torch.randperm(X.shape[0], generator=g)[:batch]].mean(0) - mu) / sd).pow(2).mean()
              for _ in range(draws)]
    return math.sqrt(float(torch.stack(errors).mean()))


def sweep_run(settings: SweepSettings, batch: int, progress: Progress | None = None) -> SweepRun:
    """One batch size of the sweep, ``settings.epochs`` epochs: the same run whatever range it is part of
    (``settings.b_min``/``b_max`` are ignored), so a cache of runs per batch size serves every range, and
    its ``prefix`` serves every shorter epoch count. ``progress(fraction)`` reports this run's
    finished epochs over its total."""
    config = settings.config(batch)
    check_budget(SWEEP_TRAIN, config, SWEEP_VAL)
    (X, y), val = sweep_data(settings.seed, settings.data)
    model = sweep_model(settings.seed, settings.data)
    (noise,) = gradient_noise(model, X, y, [batch], loss="cross_entropy", draws=NOISE_DRAWS, seed=settings.seed)
    # The training set is snapshotted after every epoch (eval mode), so every prefix has its final loss.
    h = fit(model, X, y, config, validation_data=val, on_epoch=epoch_progress(progress, config.epochs),
            snapshot_inputs=X)
    train_eval = tuple(float(F.cross_entropy(s, y)) for s in h.snapshots[1:])
    run = SweepRun(
        batch=batch, lr=config.base_lr, epoch_loss=tuple(h.epoch_loss), val_loss=tuple(h.val_loss),
        final_train=0.0, final_val=0.0, gap=0.0, seconds_per_epoch=0.0,
        updates_per_epoch=calc.plan(SWEEP_TRAIN, batch, 1).updates_per_epoch, noise=noise.relative,
        act_bytes=activation_bytes(model, X.shape[1], batch),
        bn_mean_error=batch_mean_error(X, batch, seed=settings.seed),
        diverged=False, train_eval=train_eval, epoch_times=tuple(h.epoch_time),
    )
    return run.prefix(config.epochs)


def machine() -> str:
    """A short description of where the times were measured (CPU, cores, torch threads)."""
    cpu = platform.processor() or platform.machine()
    return f"{cpu}, {os.cpu_count()} cores, torch {torch.__version__}, {torch.get_num_threads()} thread(s)"
