"""The runs behind the charts as tidy rows (one dict per point), for "download as CSV".

Column names are stable English identifiers with units in the name where there is one, so a
spreadsheet or a pandas notebook reads the same file whatever language the app was shown in.
Epochs, sittings and steps count from 1, as on the charts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ebcore.lessons.batchnorm.experiment import Run
from ebcore.lessons.epochs import CurveRun, EarlyStop, KerasLogRun, regions, target
from ebcore.lessons.exam import BatchStudy, ExamRun
from ebcore.lessons.tradeoffs.experiment import Curve, SweepRun, curve_rows
from ebcore.lessons.tradeoffs.measures import NoisePoint

__all__ = ["bn_accuracy", "bn_steps", "curve_fit", "curve_losses", "early_stopping", "exam_digit_answers",
           "exam_first_sitting", "exam_sittings", "exam_study", "gradient_noise", "keras_log", "Rows", "seed_curves",
           "sweep_epochs"]

Rows = list[dict[str, object]]


def exam_sittings(run: ExamRun) -> Rows:
    """Per sitting: questions missed while sitting it, and the new exam's score after it (fraction)."""
    return [{"batch_size": run.batch_size, "seed": run.seed, "sitting": s + 1, "mistakes": m,
             "new_exam_score": score} for s, (m, score) in enumerate(zip(run.mistakes, run.new_score, strict=True))]


def exam_first_sitting(run: ExamRun) -> Rows:
    """Per question of the first sitting: whether it was answered right, and whether it is a trick question."""
    return [{"batch_size": run.batch_size, "seed": run.seed, "question": q + 1, "right": right, "trick": trick}
            for q, (right, trick) in enumerate(zip(run.first_right, run.trick, strict=True))]


def exam_digit_answers(run: ExamRun) -> Rows:
    """Per sitting and question of the digits exam: the image (its row in the digits file, 0-based), the
    digit written, the digit the student answered before its batch was checked, and whether that was right."""
    return [{"batch_size": run.batch_size, "seed": run.seed, "sitting": s + 1, "question": q + 1,
             "image": image, "digit": key, "answer": answer, "right": answer == key}
            for s, answers in enumerate(run.answers)
            for q, (image, key, answer) in enumerate(zip(run.images, run.key, answers, strict=True))]


def exam_study(studies: Sequence[BatchStudy], seeds: Sequence[int]) -> Rows:
    """Per batch size and seed: mistakes in the first sitting."""
    return [{"batch_size": s.batch_size, "seed": seed, "first_sitting_mistakes": m}
            for s in studies for seed, m in zip(seeds, s.per_seed, strict=True)]


def sweep_epochs(runs: Sequence[SweepRun]) -> Rows:
    """Per batch size and epoch: the learning rate used, mean training loss and validation loss (nats)."""
    return [{"batch_size": r.batch, "lr": r.lr, "epoch": e + 1, "train_loss": train, "val_loss": val}
            for r in runs for e, (train, val) in enumerate(zip(r.epoch_loss, r.val_loss, strict=True))]


def gradient_noise(points: Sequence[NoisePoint]) -> Rows:
    """Per batch size: the gradient's RMS distance from the full-batch gradient, absolute and relative."""
    return [{"batch_size": p.batch, "spread": p.spread, "relative_spread": p.relative} for p in points]


def bn_steps(runs_by_key: Mapping[str, Sequence[Run]]) -> Rows:
    """Per run and optimizer step: batch size, loss, gradient norm and the running-mean shift (if BatchNorm)."""
    rows: Rows = []
    for key, runs in runs_by_key.items():
        for run in runs:
            shifts = run.running_mean_shift or [None] * len(run.step_loss)
            rows.extend({"run": key, "seed": run.seed, "step": s + 1, "batch_size": size, "loss": loss,
                         "grad_norm": grad, "running_mean_shift": shift}
                        for s, (size, loss, grad, shift) in enumerate(
                            zip(run.step_batch_size, run.step_loss, run.step_grad_norm, shifts, strict=True)))
    return rows


def bn_accuracy(runs_by_key: Mapping[str, Sequence[Run]]) -> Rows:
    """Per run and seed: validation accuracy after each epoch (fraction), and torch's error if it crashed."""
    return [{"run": key, "seed": run.seed, "epoch": e + 1, "val_accuracy": acc, "error": run.error or ""}
            for key, runs in runs_by_key.items() for run in runs for e, acc in enumerate(run.val_accuracy)]


def curve_losses(run: CurveRun) -> Rows:
    """Per epoch of the curve run: training and validation loss (MSE) and the fitting phase it is in."""
    phases = regions(run.val_loss)
    return [{"epoch": e + 1, "train_loss": train, "val_loss": val, "phase": phase.value}
            for e, (train, val, phase) in enumerate(zip(run.train_loss, run.val_loss, phases, strict=True))]


def curve_fit(run: CurveRun, epoch: int) -> Rows:
    """The fitted curve after ``epoch`` epochs (0 = before training) against the truth, then the training points."""
    grid = run.task.grid.squeeze(1)
    truth, model = target(run.task.grid).squeeze(1), run.snapshots[epoch]
    curve = [{"kind": "curve", "epoch": epoch, "x": x, "truth": t, "model": m}
             for x, t, m in zip(grid.tolist(), truth.tolist(), model.tolist(), strict=True)]
    points = [{"kind": "training_point", "epoch": epoch, "x": x, "truth": y, "model": None}
              for x, y in zip(run.task.x.squeeze(1).tolist(), run.task.y.squeeze(1).tolist(), strict=True)]
    return curve + points


def keras_log(run: KerasLogRun) -> Rows:
    """Per epoch of the Keras-style run: the four numbers its log line prints (accuracy as a fraction)."""
    return [{"epoch": e + 1, "loss": loss, "accuracy": acc, "val_loss": vl, "val_accuracy": va}
            for e, (loss, acc, vl, va) in enumerate(zip(run.loss, run.accuracy, run.val_loss, run.val_accuracy,
                                                        strict=True))]


def seed_curves(curves: Sequence[Curve], x_axis: str = "epochs", granularity: str = "epoch") -> Rows:
    """The seed experiment's curves as plotted: per run, seed and point, the chosen x (named after it) and loss."""
    return [{key: value for key, value in row.items() if key != "x"} | {x_axis: row["x"]}
            for row in curve_rows(curves, x_axis, granularity)]


def early_stopping(val_loss: Sequence[float], stop: EarlyStop) -> Rows:
    """Per epoch: validation loss, whether Keras's rule ran it, and whether it is the best or the stopping epoch."""
    return [{"epoch": e + 1, "val_loss": v, "ran": e + 1 <= stop.epochs_run, "best": e + 1 == stop.best_epoch,
             "stopped_here": e + 1 == stop.stop_epoch, "patience": stop.patience} for e, v in enumerate(val_loss)]
