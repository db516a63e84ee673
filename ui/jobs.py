"""The experiments as jobs a worker process runs (``ui.worker``): each takes ``progress(fraction, row=None)``.

Thin adapters over ``ebcore``, without Streamlit, so a worker imports only torch and ``ebcore``. Each
returns exactly what the ``ebcore`` function returns.
"""

from __future__ import annotations

from collections.abc import Callable

import torch

from ebcore.lessons.batchnorm import experiment as bn
from ebcore.lessons.critical import experiment as cb
from ebcore.lessons import exam
from ebcore.lessons import epochs as overfit
from ebcore.lessons.tradeoffs import experiment as tr

Progress = Callable[..., None]


def warm() -> None:
    """Import what the jobs use and run one tiny training, so a worker's first real job does not pay for it."""
    from ebcore.problems import models
    from ebcore import trainer

    X, y = torch.zeros(4, 1), torch.zeros(4, 1)
    trainer.fit(models.linear(), X, y, trainer.TrainConfig(epochs=1, batch_size=2, optimizer="adam"))


def warm_transforms() -> None:
    """``torch.func``'s first use in this worker (``ebcore.startup.warm_transforms``)."""
    from ebcore import startup

    startup.warm_transforms()


def exam_study(progress: Progress) -> list[exam.BatchStudy]:
    """First-sitting mistakes for every batch size over the study seeds."""
    return exam.first_sitting_study(on_progress=progress)


def exam_sit(batch: int, seed: int, progress: Progress) -> exam.ExamRun:
    """One student, every sitting the page offers (``exam.MAX_EPOCHS``)."""
    return exam.sit(batch, exam.MAX_EPOCHS, seed, on_sitting=progress)


def sweep_run(settings: tr.SweepSettings, progress: Progress) -> tr.SweepRun:
    """One batch size of the trade-offs sweep (``settings`` narrowed to it)."""
    return tr.sweep_run(settings, settings.b_min, on_progress=progress)


def seed_runs(seeds: int, progress: Progress) -> list[tr.Curve]:
    """The notes' seed experiment over seeds ``0..seeds-1``."""
    return tr.seed_experiment(range(seeds), on_progress=progress)


def bn_comparison(n: int, batch: int, opt: str, lr: float, epochs: int, seeds: int, norm: str,
                  keys: list[str] | None = None, *, progress: Progress) -> bn.Comparison:
    """Keep vs drop the last batch (and the other normalisation), over ``seeds`` seeds; only the
    variants named in ``keys``, if given (``bn.merge`` joins the pieces)."""
    return bn.compare(n, batch, opt, lr, epochs, seeds, other_norm=norm, progress=progress, keys=keys)


def curve_run(points: int, seed: int, progress: Progress) -> overfit.CurveRun:
    """The curve-fitting run, every epoch snapshotted."""
    return overfit.train_curve(points, seed, on_epoch=lambda done, total: progress(done / total))


def log_run(n: int, batch: int, epochs: int, progress: Progress) -> overfit.KerasLogRun:
    """The Keras-style run; each finished epoch is reported as the row (loss, accuracy, val_loss, val_accuracy)."""
    def on_epoch(history, epoch: int) -> None:
        metrics = history.metrics()
        progress((epoch + 1) / epochs, row=[metrics[k][epoch] for k in ("loss", "accuracy", "val_loss",
                                                                         "val_accuracy")])

    return overfit.keras_log_run(n, batch, epochs, on_history=on_epoch)


def critical_batch(seed: int, batch: int, progress: Progress) -> list[cb.Trial]:
    """The critical-batch page's learning-rate grid at one batch size."""
    return cb.run_batch(cb.Settings(seed=seed), batch, on_progress=progress)


def critical_noise(seed: int, progress: Progress | None = None) -> list[cb.NoiseCheckpoint]:
    """The gradient noise scale along one run of the critical-batch page. ``progress`` is taken, as
    every job sent early takes one (``ui.lanes.start_early``), and called once, when the run ends."""
    points = cb.noise_run(seed)
    if progress is not None:
        progress(1.0)
    return points
