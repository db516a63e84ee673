"""How big can a batch get? Steps to a target loss against batch size, measured (Shallue et al. 2018).

For every batch size (powers of two, from 8 up to the whole training set) a small MLP trains
``REPEATS`` times (other starting weights and shuffling, same data) per learning rate of a grid; the
runs of one batch size are one ``fit_many`` call (runs of one batch size and one optimizer stack into
one program). After every epoch each run's validation loss is recorded, so one set of runs answers
every target loss a student picks:

- ``steps_to_target``: the earliest optimizer step at which a run's validation loss reaches the
  target (interpolated between the per-epoch evaluations);
- ``best_per_batch``: per batch size, the median over the repeats of the steps at the learning rate
  whose median is lowest (the tuned comparison, as Shallue et al. 2018 measure it), or at one learning
  rate for all sizes (the untuned one), with the repeats' spread and examples = steps × batch size;
- ``epoch_budget``: the notes' comparison instead: validation loss after a fixed number of epochs.

The fit of these points to the model of McCandlish et al. and the regions live in ``ebcore.lessons.critical.scaling``
(read at one target by ``ebcore.lessons.critical.view.analyse``);
the gradient noise scale along one run is ``noise_run`` (the estimators: ``ebcore.lessons.critical.noise_scale``).
All randomness comes from explicit generators.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from torch import nn

from ebcore.lessons.critical import noise_scale, tasks
from ebcore.primitives.calc import loader_length
from ebcore.stacked import fit_many
from ebcore.trainer import TrainConfig, fit, max_epochs
from ebcore.trainer.loop import epoch_progress, evaluate

__all__ = ["BATCHES", "HIDDEN", "IN_FEATURES", "LR_GRID", "N_TRAIN", "N_VAL", "NOISE", "NOISE_BATCH", "NOISE_EPOCHS",
           "NOISE_FLOOR", "NOISE_LR", "REPEATS", "SAMPLE_ALLOWANCE", "SCALE_RATIO", "STEP_ALLOWANCE",
           "STEP_OVERHEAD_ROWS", "SYNTHETIC", "TARGETS", "TWO_BATCH", "TWO_BATCH_DRAWS", "batch_steps", "batch_work",
           "best_per_batch", "by_batch", "data", "epoch_budget", "epochs_for", "max_budget_epochs", "median", "model",
           "noise_at", "noise_run", "NoiseCheckpoint", "Point", "Progress", "run_batch", "Settings",
           "steps_to_target", "total_steps", "Trial"]

Progress = Callable[[float], None]

SYNTHETIC = tasks.SYNTHETIC
N_TRAIN, N_VAL = SYNTHETIC.n_train, SYNTHETIC.n_val
"""The made-up task's training samples (enough that the largest batches, up to all 1,024, sit well past
the bend) and validation samples."""
IN_FEATURES = tasks.IN_FEATURES
HIDDEN = (8,)
NOISE = tasks.NOISE
SCALE_RATIO = tasks.SCALE_RATIO
NOISE_FLOOR = SYNTHETIC.floor
"""The best possible expected MSE: the variance of the label noise, 0.5² = 0.25."""
BATCHES: tuple[int, ...] = SYNTHETIC.batches
"""Batch sizes 8, 16, …, 1,024 (the whole training set)."""
LR_GRID: tuple[float, ...] = SYNTHETIC.lrs
"""SGD learning rates tried at every batch size of the made-up task (factors of two; ``tasks``)."""
REPEATS = 3
"""Runs per batch size and learning rate (other starting weights and shuffling): the page reads their median."""
TARGETS: tuple[float, ...] = SYNTHETIC.targets
"""Validation-loss targets (MSE) a student can pick; the runs are long enough for the lowest."""
# Each run lasts about step_allowance + sample_allowance / B steps (rounded up to whole epochs): the shape
# S_min + E_min / B of the steps a batch size needs, with room for the lowest target at the best learning
# rate. No longer: three repeats per rate made the grid 1.8 times as many runs, and the page must stay fast.
STEP_ALLOWANCE = SYNTHETIC.step_allowance
SAMPLE_ALLOWANCE = SYNTHETIC.sample_allowance


@dataclass(frozen=True)
class Settings:
    """What the experiment depends on (hashable: pages cache on it): the seed of the data and of the
    repeats' weights and shuffling, the learning-rate grid (SGD, no momentum), the repeats per rate and the
    data set (``task``, a ``tasks.TASKS`` code). ``Settings.of(task, seed)`` takes the task's own grid."""

    seed: int = 0
    lrs: tuple[float, ...] = LR_GRID
    repeats: int = REPEATS
    task: str = SYNTHETIC.code

    @classmethod
    def of(cls, task: str, seed: int = 0) -> Settings:
        """The settings of ``task`` (a ``tasks.TASKS`` code) at ``seed``, with that task's learning-rate grid."""
        return cls(seed, tasks.TASKS[task].lrs, REPEATS, task)

    @property
    def problem(self) -> tasks.Task:
        """The task the runs train on."""
        return tasks.TASKS[self.task]

    def run_seed(self, rep: int) -> int:
        """Seed of repeat ``rep``'s starting weights and shuffling (repeat 0: ``seed`` itself)."""
        return self.seed * self.repeats + rep if rep else self.seed

    def config(self, batch: int, lr: float, rep: int = 0) -> TrainConfig:
        """The trainer configuration of one trial."""
        return TrainConfig(epochs=epochs_for(batch, self.problem), batch_size=batch, lr=lr, optimizer="sgd",
                           seed=self.run_seed(rep), loss=self.problem.loss)

    @property
    def runs(self) -> int:
        """Runs per batch size: learning rates × repeats."""
        return len(self.lrs) * self.repeats


def epochs_for(batch: int, task: tasks.Task = SYNTHETIC) -> int:
    """Epochs every run at ``batch`` trains for: enough steps for the lowest target, within the budget."""
    per_epoch = loader_length(task.n_train, batch, False)
    wanted = math.ceil((task.step_allowance + task.sample_allowance / batch) / per_epoch)
    return max(1, min(wanted, max_epochs(task.n_train, batch, n_val=task.n_val)))


def total_steps(settings: Settings) -> int:
    """Optimizer steps of the whole experiment: runs × steps, summed over batch sizes."""
    return sum(batch_steps(settings, b) for b in settings.problem.batches)


data = tasks.synthetic_data
"""The made-up task's data (``tasks.synthetic_data``)."""


def model(seed: int = 0) -> nn.Module:
    """The made-up task's model: an MLP 8 → 8 → 1 (ReLU), PyTorch's default initialisation from ``seed``."""
    return SYNTHETIC.model(seed)


@dataclass(frozen=True)
class Trial:
    """One run: batch size, learning rate, and its validation loss (MSE) at ``steps`` optimizer steps
    (0 = before training, then after each epoch). ``diverged``: a training loss was not finite.
    ``rep``: which repeat (starting weights and shuffling) of that batch size and learning rate."""

    batch: int
    lr: float
    steps: tuple[int, ...]
    val_loss: tuple[float, ...]
    diverged: bool
    rep: int = 0


def run_batch(settings: Settings, batch: int, progress: Progress | None = None) -> list[Trial]:
    """Every learning rate of the grid, ``repeats`` times each, at one batch size, as one ``fit_many`` call
    (one stacked program).

    All trials train on the same data; repeat ``r`` of every learning rate starts from the same weights
    and sees the same batches (``Settings.run_seed``). ``progress(fraction)`` reports finished epochs
    over the call's epochs. Trials in repeat then grid order.
    """
    task = settings.problem
    (X, y), val = task.data(settings.seed)
    reps = [(r, lr) for r in range(settings.repeats) for lr in settings.lrs]
    start = {r: evaluate(task.model(settings.run_seed(r)), task.loss, *val)[0] for r in range(settings.repeats)}
    configs = [settings.config(batch, lr, r) for r, lr in reps]
    models = [task.model(c.seed) for c in configs]
    histories = fit_many(models, X, y, configs, validation_data=val,
                         on_epoch=epoch_progress(progress, len(configs) * configs[0].epochs))
    per_epoch = loader_length(task.n_train, batch, False)
    return [
        Trial(batch, c.lr, tuple(e * per_epoch for e in range(len(h.val_loss) + 1)), (start[r], *h.val_loss),
              h.diverged, r)
        for (r, _), c, h in zip(reps, configs, histories, strict=True)
    ]


def batch_steps(settings: Settings, batch: int) -> int:
    """Training steps of ``run_batch`` at ``batch``: every run of the grid, all its epochs."""
    task = settings.problem
    return settings.runs * epochs_for(batch, task) * loader_length(task.n_train, batch, False)


STEP_OVERHEAD_ROWS = 320
"""A stacked step's fixed cost (Python and kernel calls), in rows of batch it is worth: a step of the
grid at batch ``b`` cost about 190 ns × (320 + b) per run here, for every batch size from 8 to 1,024."""


def batch_work(settings: Settings, batch: int) -> float:
    """The cost model: ``run_batch``'s cost at ``batch``, in row-steps (``batch_steps`` × (``STEP_OVERHEAD_ROWS``
    + batch)), to compare batch sizes. Batch 8 has the most steps, batch 1,024 the widest ones: by steps
    alone it looked the third lightest of eight."""
    return batch_steps(settings, batch) * (STEP_OVERHEAD_ROWS + batch)


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


def median(values: Sequence[float]) -> float:
    """The median of ``values`` (inf counts as a value: a run that missed the target ranks last)."""
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


@dataclass(frozen=True)
class Point:
    """One batch size's answer: the learning rate used, the median over the repeats of the steps to the
    target (None: the median run did not reach it), every repeat's steps (``runs``, None where one missed)
    and examples = steps × batch (training samples processed)."""

    batch: int
    lr: float
    steps: float | None
    runs: tuple[float | None, ...] = ()

    @property
    def examples(self) -> float | None:
        """Training samples processed until the target: steps × batch size."""
        return None if self.steps is None else self.steps * self.batch

    @property
    def low(self) -> float | None:
        """The fastest repeat's steps (None if none reached the target)."""
        return min((s for s in self.runs if s is not None), default=None)

    @property
    def high(self) -> float | None:
        """The slowest repeat's steps, None if a repeat did not reach the target (no upper end)."""
        return None if not self.runs or None in self.runs else max(self.runs)


def best_per_batch(trials: Sequence[Trial], target: float, lr: float | None = None) -> list[Point]:
    """Per batch size (ascending), the median over the repeats of the steps to ``target``.

    ``lr=None`` tunes: the learning rate of the grid whose median is lowest (Shallue et al.'s comparison;
    the median, so one lucky repeat cannot pick the rate). With ``lr`` set every size uses that one
    learning rate (the untuned comparison). A median of a missed target is None (and the learning rate is
    the one asked for, or the grid's first).
    """
    def steps(t: Trial) -> float:
        reached = steps_to_target(t.steps, t.val_loss, target)
        return math.inf if reached is None else reached

    return [Point(b, rate, middle if math.isfinite(middle) else None, tuple(None if s == math.inf else s for s in runs))
            for b, rate, middle, runs in by_batch(trials, steps, lr)]


def by_batch(trials: Sequence[Trial], score: Callable[[Trial], float],
             lr: float | None = None) -> list[tuple[int, float, float, tuple[float, ...]]]:
    """Per batch size (ascending): (batch, learning rate, median, scores): the median over the repeats of
    ``score(trial)`` (``inf`` ranks last) at the grid's learning rate whose median is lowest (the smaller
    rate on a tie), or at the one learning rate ``lr``; each repeat's score in ``scores``."""
    out = []
    for b in sorted({t.batch for t in trials}):
        candidates = [t for t in trials if t.batch == b and (lr is None or t.lr == lr)]
        if not candidates:
            raise ValueError(f"no trial at batch {b} with learning rate {lr}")
        scored = []
        for rate in dict.fromkeys(t.lr for t in candidates):
            scores = tuple(score(t) for t in candidates if t.lr == rate)
            scored.append((median(scores), rate, scores))
        middle, rate, scores = min(scored, key=lambda m: (m[0], m[1]))
        out.append((b, rate, middle, scores))
    return out


def epoch_budget(trials: Sequence[Trial], epochs: int, lr: float | None = None) -> list[tuple[int, float, float]]:
    """The notes' comparison: per batch size, (batch, learning rate, validation loss after ``epochs``
    epochs, the median over the repeats), the best of the grid (``lr=None``) or at one learning rate.
    Diverged runs count as ``inf``."""
    short = [t.batch for t in trials if (lr is None or t.lr == lr) and len(t.val_loss) <= epochs]
    if short:
        raise ValueError(f"the runs at batch {min(short)} are shorter than {epochs} epochs")
    return [(b, rate, loss) for b, rate, loss, _ in
            by_batch(trials, lambda t: t.val_loss[epochs] if math.isfinite(t.val_loss[epochs]) else math.inf, lr)]


def max_budget_epochs(task: tasks.Task = SYNTHETIC) -> int:
    """The longest epoch budget every batch size's runs cover (the shortest run, at the smallest batch)."""
    return min(epochs_for(b, task) for b in task.batches)


# --- the gradient noise scale along one run ----------------------------------------------------------

NOISE_BATCH = SYNTHETIC.noise_batch
"""Batch size of the run along which the noise scale is measured (8 steps an epoch: a checkpoint every 8)."""
NOISE_LR = SYNTHETIC.noise_lr
NOISE_EPOCHS = SYNTHETIC.noise_epochs
TWO_BATCH = (8, 256)
"""The two batch sizes of McCandlish et al.'s estimator."""
TWO_BATCH_DRAWS = SYNTHETIC.noise_draws


@dataclass(frozen=True)
class NoiseCheckpoint:
    """The noise scale at one point of the run: after ``step`` optimizer steps (0 = initialisation),
    with the training and validation loss there (MSE), measured exactly and by the two-batch estimator."""

    step: int
    train_loss: float
    val_loss: float
    exact: noise_scale.NoiseScale
    estimate: noise_scale.NoiseScale


def noise_run(seed: int = 0, task: str = SYNTHETIC.code, progress: Progress | None = None) -> list[NoiseCheckpoint]:
    """Train at the task's ``noise_batch`` with SGD at its ``noise_lr`` (the made-up task: 128 and 0.1) for
    ``noise_epochs`` epochs and measure the noise scale at initialisation and after every epoch, on the whole
    training set (``noise_scale.from_gradients``) and by the two-batch estimator (batches of 8 and 256 drawn
    with replacement, the task's ``noise_draws`` pairs: 64 on the made-up task). ``progress(fraction)``
    reports the measured epochs."""
    problem = tasks.TASKS[task]
    (X, y), val = problem.data(seed)
    net = problem.model(seed)
    config = TrainConfig(epochs=problem.noise_epochs, batch_size=problem.noise_batch, lr=problem.noise_lr,
                         optimizer="sgd", seed=seed, loss=problem.loss)
    per_epoch = loader_length(problem.n_train, problem.noise_batch, False)
    points: list[NoiseCheckpoint] = []

    def measure(step: int) -> None:
        g = noise_scale.per_sample_gradients(net, X, y, problem.loss)
        exact = noise_scale.from_gradients(g)
        estimate = noise_scale.two_batch(net, X, y, *TWO_BATCH, draws=problem.noise_draws, seed=seed + step,
                                         per_sample=g)
        points.append(NoiseCheckpoint(step, evaluate(net, problem.loss, X, y)[0],
                                      evaluate(net, problem.loss, *val)[0], exact, estimate))
        if progress is not None:
            progress((len(points) - 1) / problem.noise_epochs)

    measure(0)
    # ``fit`` trains ``net`` in place and calls back after each epoch: the weights are that epoch's.
    fit(net, X, y, config, on_epoch=lambda _h, epoch: measure((epoch + 1) * per_epoch))
    return points


def noise_at(points: Sequence[NoiseCheckpoint], target: float) -> NoiseCheckpoint:
    """The first checkpoint whose validation loss is at or below ``target`` (the last one if none is):
    the noise scale where the runs reach the target, which predicts the critical batch there."""
    return next((p for p in points if p.val_loss <= target), points[-1])
