"""The last-batch problem of BatchNorm, as experiments on a real network.

Three experiments, all pure (no Streamlit) and seeded through explicit ``torch.Generator`` objects:

- ``batch_stat_spread`` (in ``bn_spread``, re-exported here): how noisy the mean and variance BatchNorm
  computes from a batch of ``b`` samples are, by drawing many batches from the same features (spread ∝ 1/√b).
- ``compare``: a small MLP trained by ``ebcore.trainer.single_run`` on a seeded two-class set, the tiny last
  batch kept (``drop_last=False``) versus each fix (``drop_last=True``, a safer batch size from
  ``ebcore.primitives.calc``, LayerNorm / GroupNorm instead of BatchNorm), over several seeds.
- ``single_sample_error``: a last batch of exactly 1 sample, run for real, returning PyTorch's error.

Each runs on the made-up two-class set (``data="synthetic"``, the default) or on real handwritten digits
(``data="digits"``: the first ``n`` images train, the last ``DIGITS_VAL`` validate; ``demo_data``).

Composition only: the trainer, data and model builders of ``ebcore`` are used as they are.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

import torch
from torch import Tensor

from ebcore.lessons.batchnorm.spread import SPREAD_DECIMALS as SPREAD_DECIMALS  # section 1's measurements, re-exported
from ebcore.lessons.batchnorm.spread import SpreadRatio as SpreadRatio
from ebcore.lessons.batchnorm.spread import StatSpread as StatSpread
from ebcore.lessons.batchnorm.spread import batch_stat_spread as batch_stat_spread
from ebcore.lessons.batchnorm.spread import spread_ratio as spread_ratio
from ebcore.lessons.batchnorm.spread import spread_sizes as spread_sizes
from ebcore.primitives import calc
from ebcore.problems import DATA, check_data, digits
from ebcore.problems.data import classification_blobs
from ebcore.problems.models import mlp
from ebcore.stacked import fit_many
from ebcore.trainer import BatchTooSmallForBatchNorm, TrainConfig, epoch_batches, fit, steps_needed
from ebcore.trainer.loop import epoch_progress

__all__ = ["BATCH_RANGE", "BN_LAYER", "CRASH_EXAMPLE", "DATA_SEED", "DIGITS_N_RANGE", "DIGITS_VAL",
           "EPOCHS_MAX", "HIDDEN", "MIN_CLEAR_DIFFERENCE", "N_RANGE", "N_VAL", "NORM_STEP_COST", "SPREAD_DECIMALS",
           "VAL_SEED", "VARIANT_ORDER", "batch_stat_spread", "bn_input_features", "compare", "Comparison",
           "crash_example", "demo_data", "demo_model", "input_spread", "merge", "pieces", "Run",
           "single_sample_error", "SingleSampleCrash", "skipped_samples", "spread_ratio", "spread_sizes",
           "SpreadRatio", "StatSpread", "Variant", "variants", "Verdict", "verdict"]

HIDDEN = (32, 32)
"""Hidden widths of the demo MLP (``Linear → norm → ReLU`` twice, then a Linear to 2 logits)."""
N_VAL = 1000
"""Validation samples, drawn from the same two blobs with their own seed (never trained on)."""
VAL_SEED = 10_007
DATA_SEED = 0
"""The training set is the same for every run; seeds change the initial weights and the shuffling."""
N_RANGE = (50, 2000)
BATCH_RANGE = (50, 600)
EPOCHS_MAX = 15
"""The settings a page may offer."""
DIGITS_VAL = 360
"""Digits that validate: the last 360 of the 1,797 (Keras's ``validation_split=0.2``), never trained on."""
DIGITS_N_RANGE = (N_RANGE[0], 1797 - DIGITS_VAL)
"""Training sizes on the digits: up to every image that does not validate (1,437)."""
BN_LAYER = "1"
"""Name of the first BatchNorm layer in ``mlp(norm="batch")`` (module index 1 of the Sequential)."""


@dataclass(frozen=True)
class Variant:
    """One way to train: ``key`` (stable name), normalisation (``"batch"``/``"layer"``/``"group"``),
    batch size (samples per step) and ``drop_last``."""

    key: str
    norm: str
    batch_size: int
    drop_last: bool


# --- 1. how noisy are a batch's statistics? ----------------------------------------------------------


def demo_data(n: int, data: str = DATA[0]) -> tuple[tuple[Tensor, Tensor], tuple[Tensor, Tensor]]:
    """The demo's ``(X, y)`` training set of ``n`` samples and its fixed validation set: ``N_VAL`` made-up
    points, or the first ``n`` and the last ``DIGITS_VAL`` of the digits (pixels ÷ 16, ``digits.tensors``)."""
    check_data(data)
    if data == "digits":
        if not DIGITS_N_RANGE[0] <= n <= DIGITS_N_RANGE[1]:
            raise ValueError(f"n must be from {DIGITS_N_RANGE[0]} to {DIGITS_N_RANGE[1]} on the digits, got {n}")
        return digits.split(n, DIGITS_VAL)
    return classification_blobs(n, seed=DATA_SEED), classification_blobs(N_VAL, seed=VAL_SEED)


def demo_model(norm: str, seed: int, data: str = DATA[0]) -> torch.nn.Sequential:
    """The demo MLP for ``data``: 2 → 32 → 32 → 2 on the made-up points, 64 → 32 → 32 → 10 on the digits,
    ``Linear → norm → ReLU`` twice (``norm``: ``"batch"``, ``"layer"`` or ``"group"``), seeded by ``seed``."""
    inputs, classes = (digits.FEATURES, digits.CLASSES) if data == "digits" else (2, 2)
    return mlp(inputs, HIDDEN, classes, norm=norm, seed=seed)


def bn_input_features(n: int, seed: int = 0, data: str = DATA[0]) -> Tensor:
    """What the first BatchNorm layer of the demo MLP sees: the first Linear layer's outputs.

    Shape ``(n, HIDDEN[0])``, float32: the untrained model (initialised from ``seed``) applied to the
    demo training set of ``n`` samples of ``data``. Each column is one BatchNorm channel.
    """
    (X, _), _ = demo_data(n, data)
    first_linear = demo_model("batch", seed, data)[0]
    with torch.no_grad():
        return first_linear(X)


def input_spread(n: int, batch: int, data: str = DATA[0]) -> list[StatSpread]:
    """How much a batch's mean and variance of the first BatchNorm layer's input scatter, for batch
    sizes from the last batch of ``n`` samples of ``data`` up to ``batch`` (sampling, no training)."""
    return batch_stat_spread(bn_input_features(n, data=data)[:, 0], spread_sizes(n, batch))


# --- 2. what the tiny last batch does to training -----------------------------------------------------


@dataclass(frozen=True)
class Run:
    """What one training run recorded (plain lists: cheap to cache and to chart).

    Per step: ``step_loss`` (batch mean cross-entropy before the update), ``step_grad_norm`` (global
    L2 norm of the gradients), ``step_batch_size`` (samples), ``running_mean_shift`` (RMS over
    channels of how far that step moved the first BatchNorm layer's running mean; empty without
    BatchNorm), ``batch_mean_gap`` (RMS over channels of this batch's mean minus the running mean
    before the step: how unusual the batch's statistics were). Per epoch: ``val_accuracy``
    (fraction right on the validation set, eval mode). ``error`` is PyTorch's message if the run
    stopped on a batch of one (then ``val_accuracy`` holds only the finished epochs).
    """

    variant: Variant
    seed: int
    step_loss: list[float]
    step_grad_norm: list[float]
    step_batch_size: list[int]
    val_accuracy: list[float]
    running_mean_shift: list[float] = field(default_factory=list)
    batch_mean_gap: list[float] = field(default_factory=list)
    error: str | None = None

    @property
    def final_accuracy(self) -> float | None:
        """Validation accuracy after the last epoch (fraction), or None if the run crashed."""
        return None if self.error is not None or not self.val_accuracy else self.val_accuracy[-1]


def _bn_traces(history) -> tuple[list[float], list[float]]:
    records = history.bn_stats.get(BN_LAYER, [])
    if not records:
        return [], []
    running = torch.stack([record.running_mean for record in records])  # (steps, channels)
    # each step's running mean before it: BatchNorm starts with running mean 0
    before = torch.cat([torch.zeros(1, running.shape[1]), running[:-1]])
    batch = torch.stack([record.batch_mean for record in records])
    # RMS over channels, a step a row (each row reduced as one step's vector would be)
    return (running - before).square().mean(1).sqrt().tolist(), (batch - before).square().mean(1).sqrt().tolist()


def _as_run(variant: Variant, seed: int, result) -> Run:
    """A trainer result (a History, or the BatchNorm error carrying the history so far) as a ``Run``."""
    history, error = (result.history, result.torch_message) if isinstance(result, BatchTooSmallForBatchNorm) \
        else (result, None)
    shifts, gaps = _bn_traces(history)
    return Run(
        variant=variant, seed=seed, step_loss=list(history.step_loss),
        step_grad_norm=list(history.step_grad_norm), step_batch_size=list(history.step_batch_size),
        val_accuracy=list(history.val_accuracy), running_mean_shift=shifts, batch_mean_gap=gaps, error=error,
    )


VARIANT_ORDER = ("keep", "drop_last", "safer_batch", "other_norm")
"""The variants' keys in the order ``variants`` lists them (and the page's charts show them)."""


def variants(n: int, batch_size: int, other_norm: str = "layer") -> list[Variant]:
    """The runs to compare: BatchNorm keeping the last batch (``"keep"``), BatchNorm with
    ``drop_last`` (``"drop_last"``), BatchNorm at the nearest safer batch size from
    ``calc.safer_batch_sizes`` (``"safer_batch"``: only when this loader's last batch is not healthy
    already, and there is a safer size) and ``other_norm`` (``"layer"`` or ``"group"``) with the last
    batch kept (``"other_norm"``)."""
    out = [Variant("keep", "batch", batch_size, False)]
    if calc.loader_length(n, batch_size, drop_last=True) > 0:
        out.append(Variant("drop_last", "batch", batch_size, True))
    # A last batch that is already healthy has nothing to be made safer: a "safer" size would only be another.
    safer = [] if calc.healthy_last_batch(n, batch_size) else calc.safer_batch_sizes(n, batch_size, count=1)
    if safer:
        out.append(Variant("safer_batch", "batch", safer[0], False))
    out.append(Variant("other_norm", other_norm, batch_size, False))
    return out


@dataclass(frozen=True)
class Comparison:
    """All runs of ``compare``: ``runs[variant key]`` holds one ``Run`` per seed (seeds 0, 1, …)."""

    n: int
    batch_size: int
    optimizer: str
    lr: float
    epochs: int
    seeds: int
    runs: dict[str, list[Run]]

    def accuracies(self, key: str) -> list[float]:
        """Final validation accuracies (fractions) of the variant's runs that finished."""
        return [a for a in (r.final_accuracy for r in self.runs[key]) if a is not None]


def compare(
    n: int, batch_size: int, optimizer: str, lr: float, epochs: int, seeds: int,
    other_norm: str = "layer", keys: Sequence[str] | None = None, data: str = DATA[0],
    progress: Callable[[float], None] | None = None,
) -> Comparison:
    """Train every variant (see ``variants``; only those named in ``keys``, if given) for seeds
    0 … ``seeds``−1 on ``data`` (``demo_data``) and collect the runs.

    All runs go to ``fit_many`` at once: the seeds of one variant step in lockstep as one stacked
    program (each with its own weights and sample order), and every run equals ``fit``'s alone (when N is a
    multiple of the batch size, the drop_last runs are the keep runs, which they equal, so ``keys``
    must then name both or neither). BatchNorm traces are kept for seed 0 only, of ``BN_LAYER``.
    ``progress(fraction)`` follows the finished steps of all runs. ``merge`` joins comparisons of disjoint ``keys``.
    """
    if seeds < 1:
        raise ValueError(f"seeds must be at least 1, got {seeds}")
    runs_to_do = [v for v in variants(n, batch_size, other_norm) if keys is None or v.key in keys]
    (X, y), val = demo_data(n, data)
    # With no partial last batch, drop_last drops nothing: its DataLoader yields the same batches from
    # the same shuffle, so its runs are the "keep" runs (the test trains both and compares).
    same_as_keep = [v for v in runs_to_do if v.drop_last and n % v.batch_size == 0]
    if same_as_keep and not any(v.key == "keep" for v in runs_to_do):
        raise ValueError("with no partial last batch the drop_last runs are the keep runs: ask for both")
    jobs = [(v, seed) for v in runs_to_do if v not in same_as_keep for seed in range(seeds)]
    configs = [TrainConfig(epochs=epochs, batch_size=v.batch_size, lr=lr, optimizer=optimizer, drop_last=v.drop_last,
                           seed=seed, loss="cross_entropy") for v, seed in jobs]
    models = [demo_model(v.norm, seed, data) for v, seed in jobs]
    report = epoch_progress(progress, sum(steps_needed(n, c) for c in configs), lambda h: h.steps_per_epoch)
    results = fit_many(models, X, y, configs, validation_data=val, on_epoch=report, on_error="return",
                       record_bn_stats=[v.norm == "batch" and seed == 0 for v, seed in jobs], bn_layers=[BN_LAYER])
    out: dict[str, list[Run]] = {v.key: [] for v in runs_to_do}
    for (variant, seed), result in zip(jobs, results, strict=True):
        out[variant.key].append(_as_run(variant, seed, result))
    for variant in same_as_keep:
        out[variant.key] = [replace(run, variant=variant) for run in out["keep"]]
    return Comparison(n, batch_size, optimizer, lr, epochs, seeds, out)


NORM_STEP_COST = {"batch": 1.0, "layer": 1.15, "group": 2.0}
"""A training step's cost by normalisation, relative to BatchNorm's, measured here for 8 stacked seeds
of the demo MLP (evaluation included): GroupNorm 1.7× BatchNorm at batch 50 and 2.6× at batch 600
(its kernel works group by group, four channels each), LayerNorm 1.1–1.2×. The cost model (``pieces``);
results never depend on it."""


def pieces(n: int, batch_size: int, epochs: int, other_norm: str = "layer") -> list[tuple[list[str], float]]:
    """The cost model: ``compare``'s work split into independent pieces, one for each variant that trains,
    in ``variants`` order (a drop_last that drops nothing goes with "keep", whose runs it is), each as
    (its variant keys, its cost: training steps per seed × ``NORM_STEP_COST``).
    ``compare(..., keys=keys)`` trains one piece; ``merge`` joins them."""
    out: list[tuple[list[str], float]] = []
    for v in variants(n, batch_size, other_norm):
        if v.drop_last and n % v.batch_size == 0:
            out[0][0].append(v.key)  # "keep" comes first
        else:
            out.append(([v.key], epochs * calc.loader_length(n, v.batch_size, v.drop_last) * NORM_STEP_COST[v.norm]))
    return out


def merge(parts: Sequence[Comparison]) -> Comparison:
    """One ``Comparison`` from comparisons of the same settings over disjoint variants, the variants
    in ``variants`` order."""
    first = parts[0]
    if any((p.n, p.batch_size, p.optimizer, p.lr, p.epochs, p.seeds) !=
           (first.n, first.batch_size, first.optimizer, first.lr, first.epochs, first.seeds) for p in parts):
        raise ValueError("only comparisons of the same settings merge")
    runs = {key: seeded for p in parts for key, seeded in p.runs.items()}
    ordered = {key: runs[key] for key in VARIANT_ORDER if key in runs}
    if len(ordered) != sum(len(p.runs) for p in parts):
        raise ValueError("the comparisons to merge share a variant, or have one merge does not know")
    return replace(first, runs=ordered)


@dataclass(frozen=True)
class Verdict:
    """How final accuracies differ between two sets of runs (fractions, not percent).

    ``difference`` = mean(b) − mean(a); ``noise`` = the standard error of that difference (0 with a
    single seed each); ``kind`` is ``"better"`` (b clearly higher: more than twice the noise and at
    least half a point), ``"worse"`` (the mirror) or ``"unclear"``. ``sd_a``/``sd_b``: spread across
    seeds (0 for one seed).
    """

    mean_a: float
    mean_b: float
    sd_a: float
    sd_b: float
    difference: float
    noise: float
    kind: str


MIN_CLEAR_DIFFERENCE = 0.005
"""Half a percentage point: below this a difference in accuracy is not worth telling students about."""


def verdict(a: Sequence[float], b: Sequence[float]) -> Verdict:
    """Compare final accuracies ``a`` (e.g. last batch kept) with ``b`` (e.g. ``drop_last``)."""
    if not a or not b:
        raise ValueError("both sides need at least one finished run")
    sd_a = statistics.stdev(a) if len(a) > 1 else 0.0
    sd_b = statistics.stdev(b) if len(b) > 1 else 0.0
    difference = statistics.fmean(b) - statistics.fmean(a)
    noise = math.sqrt(sd_a**2 / len(a) + sd_b**2 / len(b))
    clear = abs(difference) > 2 * noise and abs(difference) >= MIN_CLEAR_DIFFERENCE
    kind = "unclear" if not clear else ("better" if difference > 0 else "worse")
    return Verdict(statistics.fmean(a), statistics.fmean(b), sd_a, sd_b, difference, noise, kind)


# --- 3. the drop_last fix: which samples an epoch skips ------------------------------------------------


def skipped_samples(n: int, batch_size: int, epochs: int, seed: int = 0) -> list[list[int]]:
    """Per epoch, the sorted sample numbers (0-based) that ``drop_last=True`` leaves out.

    The batches are exactly those of a shuffled ``DataLoader(..., drop_last=True,
    generator=torch.Generator().manual_seed(seed))`` (``ebcore.trainer.epoch_batches``), so each epoch
    skips ``n mod batch_size`` samples, and a different random set of them every epoch.
    """
    out = []
    for batches in epoch_batches(n, batch_size, drop_last=True, seed=seed, epochs=epochs):
        used = torch.zeros(n, dtype=torch.bool)
        for batch in batches:
            used[batch] = True
        out.append(torch.nonzero(~used).flatten().tolist())
    return out


# --- 4. a last batch of exactly one sample -----------------------------------------------------------


@dataclass(frozen=True)
class SingleSampleCrash:
    """Where a run with a last batch of 1 stopped: 1-based ``epoch`` and ``step`` (of
    ``steps_per_epoch``), the offending ``batch_size`` and PyTorch's own ``message``."""

    epoch: int
    step: int
    steps_per_epoch: int
    batch_size: int
    message: str


CRASH_EXAMPLE = (1201, 300)
"""The notes' loader whose last batch is a single sample: 1,201 samples in batches of 300."""


def crash_example(n: int, batch_size: int) -> tuple[int, int]:
    """The (samples, batch size) to show the one-sample crash with: the given loader if its last
    batch holds exactly one sample (ceil semantics, like ``len(DataLoader)``), else ``CRASH_EXAMPLE``."""
    return (n, batch_size) if calc.plan(n, batch_size).last_batch_size == 1 else CRASH_EXAMPLE


def single_sample_error(n: int = 1201, batch_size: int = 300, seed: int = 0,
                        data: str = DATA[0]) -> SingleSampleCrash | None:
    """Train the BatchNorm MLP for real on ``n`` samples of ``data`` in batches of ``batch_size`` (1 epoch).

    Returns where and how it failed when a batch of one reached BatchNorm (the trainer's typed
    ``BatchTooSmallForBatchNorm``), or None if the epoch finished (no batch of one).
    """
    (X, y), _ = demo_data(n, data)
    model = demo_model("batch", seed, data)
    config = TrainConfig(epochs=1, batch_size=batch_size, seed=seed, loss="cross_entropy")
    try:
        fit(model, X, y, config)
    except BatchTooSmallForBatchNorm as err:
        return SingleSampleCrash(err.epoch + 1, err.step + 1, err.history.steps_per_epoch, err.batch_size,
                                 err.torch_message)
    return None
