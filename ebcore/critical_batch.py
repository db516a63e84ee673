"""How big can a batch get? Steps to a target loss against batch size, measured (Shallue et al. 2018).

For every batch size (powers of two, from 8 up to the whole training set) a small MLP trains once
per learning rate of a grid; the grid for one batch size is one ``fit_many`` call (runs of one batch
size and one optimizer stack into one program). After every epoch each run's validation loss is
recorded, so one set of runs answers every target loss a student picks:

- ``steps_to_target``: the earliest optimizer step at which a run's validation loss reaches the
  target (interpolated between the per-epoch evaluations);
- ``best_per_batch``: per batch size, the best learning rate's steps (the tuned comparison), or the
  steps at one learning rate for all sizes (the untuned one), with examples = steps × batch size;
- ``epoch_budget``: the notes' comparison instead: validation loss after a fixed number of epochs.

The fit of these points to the model of McCandlish et al. and the regions live in ``ebcore.scaling``;
the gradient noise scale along one run is ``noise_run`` (the estimators: ``ebcore.noise_scale``).
All randomness comes from explicit generators.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from ebcore import noise_scale, scaling
from ebcore.calc import loader_length
from ebcore.models import mlp
from ebcore.stacked import fit_many
from ebcore.train import TrainConfig, fit, max_epochs

Progress = Callable[[float], None]

N_TRAIN = 1024
"""Training samples: enough that the largest batches (up to all 1,024) sit well past the bend."""
N_VAL = 512
IN_FEATURES = 8
HIDDEN = (8,)
NOISE = 0.5
SCALE_RATIO = 0.8
NOISE_FLOOR = NOISE**2
"""The best possible expected MSE: the variance of the label noise, 0.5² = 0.25."""
BATCHES: tuple[int, ...] = tuple(2**k for k in range(3, 11))
"""Batch sizes 8, 16, …, 1,024 (the whole training set)."""
LR_GRID: tuple[float, ...] = (0.025, 0.05, 0.1, 0.2, 0.4)
"""SGD learning rates tried at every batch size (factors of two)."""
TARGETS: tuple[float, ...] = (0.5, 0.4, 0.35, 0.32)
"""Validation-loss targets (MSE) a student can pick; the runs are long enough for the lowest."""
# Each run lasts about STEP_ALLOWANCE + SAMPLE_ALLOWANCE / B steps (rounded up to whole epochs):
# the shape S_min + E_min / B of the steps a batch size needs, with room for the lowest target.
STEP_ALLOWANCE = 100
SAMPLE_ALLOWANCE = 4 * N_TRAIN


@dataclass(frozen=True)
class Settings:
    """What the experiment depends on (hashable: pages cache on it): the seed of data, weights and
    shuffling, and the learning-rate grid (SGD, no momentum)."""

    seed: int = 0
    lrs: tuple[float, ...] = LR_GRID

    def config(self, batch: int, lr: float) -> TrainConfig:
        """The trainer configuration of one trial."""
        return TrainConfig(epochs=epochs_for(batch), batch_size=batch, lr=lr, optimizer="sgd", seed=self.seed)


def epochs_for(batch: int) -> int:
    """Epochs every run at ``batch`` trains for: enough steps for the lowest target, within the budget."""
    per_epoch = loader_length(N_TRAIN, batch, False)
    wanted = math.ceil((STEP_ALLOWANCE + SAMPLE_ALLOWANCE / batch) / per_epoch)
    return max(1, min(wanted, max_epochs(N_TRAIN, batch, n_val=N_VAL)))


def total_steps(settings: Settings) -> int:
    """Optimizer steps of the whole experiment: runs × steps, summed over batch sizes."""
    return sum(len(settings.lrs) * epochs_for(b) * loader_length(N_TRAIN, b, False) for b in BATCHES)


def data(seed: int = 0) -> tuple[tuple[Tensor, Tensor], tuple[Tensor, Tensor]]:
    """The task: 1,024 training and 512 validation samples of ``y = f(x) + 0.5·ε``, ``x`` in 8-D.

    ``x`` is standard normal with coordinate ``k`` scaled by ``s_k = 0.8^k`` (an unevenly curved loss,
    so even full-batch steps make slow progress along the flat directions), ``f(x) = ½ Σ_k x_k/s_k +
    tanh(x_0)``, ``ε`` standard normal. Float32, ``X`` of shape ``(n, 8)``, ``y`` of shape ``(n, 1)``.
    """
    g = torch.Generator().manual_seed(1000 + seed)
    n = N_TRAIN + N_VAL
    scales = torch.tensor([SCALE_RATIO**k for k in range(IN_FEATURES)])
    X = torch.randn(n, IN_FEATURES, generator=g) * scales
    f = (X / scales).sum(1) / 2 + torch.tanh(X[:, 0])
    y = (f + NOISE * torch.randn(n, generator=g)).unsqueeze(1)
    return (X[:N_TRAIN], y[:N_TRAIN]), (X[N_TRAIN:], y[N_TRAIN:])


def model(seed: int = 0) -> nn.Sequential:
    """The model: an MLP 8 → 8 → 1 (ReLU), PyTorch's default initialisation from ``seed``."""
    return mlp(IN_FEATURES, HIDDEN, 1, seed=seed)


@dataclass(frozen=True)
class Trial:
    """One run: batch size, learning rate, and its validation loss (MSE) at ``steps`` optimizer steps
    (0 = before training, then after each epoch). ``diverged``: a training loss was not finite."""

    batch: int
    lr: float
    steps: tuple[int, ...]
    val_loss: tuple[float, ...]
    diverged: bool


def _mse(net: nn.Module, X: Tensor, y: Tensor) -> float:
    with torch.no_grad():
        return float(F.mse_loss(net(X), y))


def run_batch(settings: Settings, batch: int, on_progress: Progress | None = None) -> list[Trial]:
    """Every learning rate of the grid at one batch size, as one ``fit_many`` call (one stacked program).

    All trials start from the same weights on the same data and batches; ``on_progress(fraction)``
    reports finished epochs over the call's epochs.
    """
    (X, y), val = data(settings.seed)
    start = _mse(model(settings.seed), *val)
    configs = [settings.config(batch, lr) for lr in settings.lrs]
    total = len(configs) * configs[0].epochs
    done = [0]

    def report(_history, _epoch) -> None:
        done[0] += 1
        if on_progress is not None:
            on_progress(done[0] / total)

    models = [model(settings.seed) for _ in configs]
    histories = fit_many(models, X, y, configs, validation_data=val, on_epoch=report)
    per_epoch = loader_length(N_TRAIN, batch, False)
    return [
        Trial(batch, c.lr, tuple(e * per_epoch for e in range(len(h.val_loss) + 1)), (start, *h.val_loss), h.diverged)
        for c, h in zip(configs, histories, strict=True)
    ]


def batch_steps(settings: Settings, batch: int) -> int:
    """Training steps of ``run_batch`` at ``batch``: every learning rate of the grid, all its epochs."""
    return len(settings.lrs) * epochs_for(batch) * loader_length(N_TRAIN, batch, False)


STEP_OVERHEAD_ROWS = 320
"""A stacked step's fixed cost (Python and kernel calls), in rows of batch it is worth: a step of the
grid at batch ``b`` cost about 190 ns × (320 + b) per run here, for every batch size from 8 to 1,024."""


def batch_work(settings: Settings, batch: int) -> float:
    """``run_batch``'s cost at ``batch``, in row-steps (``batch_steps`` × (``STEP_OVERHEAD_ROWS`` + batch)):
    to order the batch sizes' jobs heaviest first and weight one progress bar over them. Batch 8 has the
    most steps, batch 1,024 the widest ones: by steps alone it looked the third lightest of eight."""
    return batch_steps(settings, batch) * (STEP_OVERHEAD_ROWS + batch)


def plan(settings: Settings) -> list[tuple[int, float, float]]:
    """Per batch size: (batch, start, share) of its steps within the whole experiment, for one progress bar."""
    steps = [batch_steps(settings, b) for b in BATCHES]
    total, done, out = sum(steps), 0, []
    for b, n in zip(BATCHES, steps, strict=True):
        out.append((b, done / total, n / total))
        done += n
    return out


def run(settings: Settings, on_progress: Progress | None = None) -> list[Trial]:
    """The whole experiment: ``run_batch`` for every batch size, trials in batch then grid order."""
    trials: list[Trial] = []
    for b, start, share in plan(settings):
        def report(fraction: float, _start: float = start, _share: float = share) -> None:
            if on_progress is not None:
                on_progress(_start + _share * fraction)

        trials.extend(run_batch(settings, b, report))
    return trials


# --- reading the runs ---------------------------------------------------------------------------------


def steps_to_target(steps: Sequence[int], losses: Sequence[float], target: float) -> float | None:
    """The earliest step at which the recorded curve reaches ``target`` (None if it never does).

    The curve is the validation loss at the recorded ``steps`` (increasing), joined between
    evaluations by straight lines in log-loss (losses fall roughly exponentially between two epochs);
    the result is where it first crosses ``target``, in (fractional) optimizer steps. A point at or
    below the target at step 0 gives 0; a non-finite loss ends the curve (the run diverged).
    """
    if len(steps) != len(losses):
        raise ValueError("steps and losses must have the same length")
    if not target > 0:
        raise ValueError(f"target must be > 0, got {target}")
    previous = None
    for s, loss in zip(steps, losses, strict=True):
        if not math.isfinite(loss):
            return None
        if loss <= target:
            if previous is None:
                return float(s)
            s0, l0 = previous
            share = (math.log(l0) - math.log(target)) / (math.log(l0) - math.log(loss))
            return s0 + (s - s0) * share
        previous = (s, loss)
    return None


@dataclass(frozen=True)
class Point:
    """One batch size's answer: the learning rate used, steps to the target (None: not reached) and
    examples = steps × batch (training samples processed)."""

    batch: int
    lr: float
    steps: float | None

    @property
    def examples(self) -> float | None:
        """Training samples processed until the target: steps × batch size."""
        return None if self.steps is None else self.steps * self.batch


def best_per_batch(trials: Sequence[Trial], target: float, lr: float | None = None) -> list[Point]:
    """Per batch size (ascending), the trial that reaches ``target`` in the fewest steps.

    ``lr=None`` tunes: the best of the grid per size (Shallue et al.'s comparison). With ``lr`` set
    every size uses that one learning rate (the untuned comparison). A size none of whose candidate
    trials reaches the target gets ``steps=None`` (and the learning rate asked for, or the grid's first).
    """
    out = []
    for b in sorted({t.batch for t in trials}):
        candidates = [t for t in trials if t.batch == b and (lr is None or t.lr == lr)]
        if not candidates:
            raise ValueError(f"no trial at batch {b} with learning rate {lr}")
        reached = [(s, t.lr) for t in candidates if (s := steps_to_target(t.steps, t.val_loss, target)) is not None]
        if reached:
            steps, best_lr = min(reached)
            out.append(Point(b, best_lr, steps))
        else:
            out.append(Point(b, candidates[0].lr, None))
    return out


def epoch_budget(trials: Sequence[Trial], epochs: int, lr: float | None = None) -> list[tuple[int, float, float]]:
    """The notes' comparison: per batch size, (batch, learning rate, validation loss after ``epochs``
    epochs), the best of the grid (``lr=None``) or at one learning rate. Diverged runs count as ``inf``."""
    out = []
    for b in sorted({t.batch for t in trials}):
        candidates = [t for t in trials if t.batch == b and (lr is None or t.lr == lr)]
        if any(len(t.val_loss) <= epochs for t in candidates):
            raise ValueError(f"the runs at batch {b} are shorter than {epochs} epochs")
        scored = [(t.val_loss[epochs] if math.isfinite(t.val_loss[epochs]) else math.inf, t.lr) for t in candidates]
        loss, best_lr = min(scored)
        out.append((b, best_lr, loss))
    return out


def max_budget_epochs() -> int:
    """The longest epoch budget every batch size's runs cover (the shortest run, at the smallest batch)."""
    return min(epochs_for(b) for b in BATCHES)


# --- the gradient noise scale along one run ----------------------------------------------------------

NOISE_BATCH = 128
"""Batch size of the run along which the noise scale is measured (8 steps an epoch: a checkpoint every 8)."""
NOISE_LR = 0.1
NOISE_EPOCHS = 16
TWO_BATCH = (8, 256)
"""The two batch sizes of McCandlish et al.'s estimator."""
TWO_BATCH_DRAWS = 64


@dataclass(frozen=True)
class NoiseCheckpoint:
    """The noise scale at one point of the run: after ``step`` optimizer steps (0 = initialisation),
    with the training and validation loss there (MSE), measured exactly and by the two-batch estimator."""

    step: int
    train_loss: float
    val_loss: float
    exact: noise_scale.NoiseScale
    estimate: noise_scale.NoiseScale


def noise_run(seed: int = 0) -> list[NoiseCheckpoint]:
    """Train at ``NOISE_BATCH`` (128) with SGD at ``NOISE_LR`` (0.1) for 16 epochs and measure the noise
    scale at initialisation and after every epoch, on the whole training set (``noise_scale.exact``)
    and by the two-batch estimator (batches of 8 and 256 drawn with replacement, 64 pairs)."""
    (X, y), val = data(seed)
    net = model(seed)
    config = TrainConfig(epochs=NOISE_EPOCHS, batch_size=NOISE_BATCH, lr=NOISE_LR, optimizer="sgd", seed=seed)
    per_epoch = loader_length(N_TRAIN, NOISE_BATCH, False)
    points: list[NoiseCheckpoint] = []

    def measure(step: int) -> None:
        g = noise_scale.per_sample_gradients(net, X, y)
        exact = noise_scale.from_gradients(g)
        estimate = noise_scale.two_batch(net, X, y, *TWO_BATCH, draws=TWO_BATCH_DRAWS, seed=seed + step,
                                         per_sample=g)
        points.append(NoiseCheckpoint(step, _mse(net, X, y), _mse(net, *val), exact, estimate))

    measure(0)
    # ``fit`` trains ``net`` in place and calls back after each epoch: the weights are that epoch's.
    fit(net, X, y, config, on_epoch=lambda _h, epoch: measure((epoch + 1) * per_epoch))
    return points


def noise_at(points: Sequence[NoiseCheckpoint], target: float) -> NoiseCheckpoint:
    """The first checkpoint whose validation loss is at or below ``target`` (the last one if none is):
    the noise scale where the runs reach the target, which predicts the critical batch there."""
    return next((p for p in points if p.val_loss <= target), points[-1])


# --- one target, everything the page shows ------------------------------------------------------------


def best_val_loss(trials: Sequence[Trial]) -> list[tuple[int, float, float]]:
    """Per batch size: (batch, learning rate, lowest validation loss any epoch of that trial reached)."""
    out = []
    for b in sorted({t.batch for t in trials}):
        scored = [(min((v for v in t.val_loss if math.isfinite(v)), default=math.inf), t.lr)
                  for t in trials if t.batch == b]
        loss, lr = min(scored)
        out.append((b, lr, loss))
    return out


@dataclass(frozen=True)
class Analysis:
    """The runs read at one target: ``tuned`` points (best learning rate per size), ``shown`` (the tuned
    ones, or those at the one learning rate ``lr``), and the hyperbola fitted to the tuned points that
    reached the target (``fit``: None when fewer than two did or they do not bend like the model)."""

    target: float
    lr: float | None
    tuned: list[Point]
    shown: list[Point]
    fit: scaling.Hyperbola | None


def analyse(trials: Sequence[Trial], target: float, lr: float | None = None) -> Analysis:
    """Steps to ``target`` per batch size, tuned and (if ``lr`` is given) at that one learning rate, and the fit."""
    tuned = best_per_batch(trials, target)
    shown = tuned if lr is None else best_per_batch(trials, target, lr)
    reached = [(p.batch, p.steps) for p in tuned if p.steps]
    try:
        hyperbola = scaling.fit(reached)
    except ValueError:
        hyperbola = None
    return Analysis(target, lr, tuned, shown, hyperbola)


def prediction_error(points: Sequence[Point], s_min: float, b_noise: float) -> float | None:
    """Mean relative gap |measured − predicted| / predicted between the measured steps and
    ``S_min(1 + B_noise/B)`` over the points that reached the target (None if none did)."""
    gaps = [abs(p.steps - s_min * (1 + b_noise / p.batch)) / (s_min * (1 + b_noise / p.batch))
            for p in points if p.steps]
    return sum(gaps) / len(gaps) if gaps else None


@dataclass(frozen=True)
class ClaimConditions:
    """What the experiment says about two folk claims (for the trade-offs page's claims table).

    ``b_crit`` and ``high`` (where maximal data parallelism starts) from the tuned fit at ``target``
    (None if it failed); per smallest and largest batch, the lowest validation loss reached tuned
    (``best_small``, ``best_large``) and at the one learning rate ``lr`` (``large_fixed``)."""

    target: float
    lr: float
    b_crit: float | None
    high: float | None
    small: int
    large: int
    best_small: float
    best_large: float
    large_fixed: float


def claim_conditions(trials: Sequence[Trial], target: float, lr: float) -> ClaimConditions:
    """Read ``ClaimConditions`` off the runs at ``target`` (tuned fit) and the one learning rate ``lr``."""
    fitted = analyse(trials, target).fit
    best = best_val_loss(trials)
    fixed = best_val_loss([t for t in trials if t.lr == lr])
    return ClaimConditions(
        target, lr, None if fitted is None else fitted.b_crit,
        None if fitted is None else scaling.region_bounds(fitted.b_crit)[1],
        best[0][0], best[-1][0], best[0][2], best[-1][2], fixed[-1][2],
    )
